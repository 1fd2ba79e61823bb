// Package rax is an ordered dictionary keyed by byte strings with the
// semantics of Redis's rax as the module API exposes it through
// RedisModule_Dict: insert with and without overwrite, find, remove with the
// old value, and iterators that seek with "^", "$", "==", ">", ">=", "<",
// "<=", step both ways, compare the current element against a key, and
// report EOF. It will back RedisModule_Dict and stream and consumer-group
// indexes.
//
// # Mapping to the module API
//
//	DictSet/DictSetC          Tree.TryInsert (ok = inserted)
//	DictReplace/DictReplaceC  Tree.Insert (Redis returns OK only for a new key)
//	DictGet/DictGetC          Tree.Find (nokey = !found)
//	DictDel/DictDelC          Tree.Remove (oldval = returned value)
//	DictSize                  Tree.Len
//	DictIteratorStart(C)      Tree.Iterator + Iterator.Seek (Redis ignores a
//	                          bad operator there: the iterator is at EOF)
//	DictIteratorReseek(C)     Iterator.Seek (ErrBadOp = REDISMODULE_ERR)
//	DictNext(C)/DictPrev(C)   Iterator.Next/Prev (nil, false at EOF)
//	DictCompare(C)            Iterator.Compare (false also at EOF, as Redis)
//
// Ordering is memcmp's: bytes compare unsigned and a key sorts right after
// its proper prefixes; the empty key is a valid key. Iterator
// documentation covers the cursor states and what happens when the tree
// changes under an iterator (Redis requires a reseek; here the iterator
// finds its place again by key).
//
// # Why a B+ tree and not a radix tree
//
// Redis uses a radix tree because in C a node can be a single allocation of
// a 4-byte header, the edge bytes and packed child pointers. In Go a radix
// node needs at least a slice or string for its edge, a slice of children
// and the value: 60 to 100 bytes and two or three allocations per node, and
// a tree of n keys has between n and 2n nodes, all of them pointers the
// garbage collector must trace. Lookups chase one pointer per node along the
// key, 5 to 15 for typical keys.
//
// A B+ tree with wide nodes (64 keys) has one node per ~50 keys. Each node
// stores its keys back to back in one byte slice with uint32 end offsets
// (see keyset), so a key costs its bytes plus 4 bytes plus the value, with
// no allocation of its own and nothing for the GC to trace. Measured on 1M
// keys of 16 bytes ("key:%012d") with 8-byte values: 30 bytes per key
// inserted in ascending order (nodes are filled completely when appending,
// the stream-ID case) and 43 in random order, against 44 and 56 for the
// same tree with one Go string per key, which is still less than any Go
// radix tree can do. Lookups touch four nodes on 1M keys, binary-searching
// contiguous memory; iteration walks linked leaves with no search at all.
// The cost is O(node size) shifting on insert and remove, a few hundred
// bytes of memmove, cheaper than the cache misses it saves.
//
// Radix trees shine on long shared prefixes in memory use; with the arena
// layout a B+ tree pays for shared prefixes in bytes only, not in nodes,
// which in Go is the better trade.
package rax
