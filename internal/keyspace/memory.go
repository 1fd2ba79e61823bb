package keyspace

import "unsafe"

// Memory accounting for INFO used_memory and maxmemory eviction.
//
// Redis reports what its allocator holds. Go's heap figures (runtime
// metrics) are no substitute: they include garbage until the next GC and
// move on their own, so an eviction loop that deletes keys until the figure
// drops would evict far too much, and the numbers would differ from run to
// run. Instead the keyspace keeps a deterministic estimate, maintained
// incrementally by every DB method that adds, replaces or removes a key or
// a TTL: per key the hash-table node and the key bytes, per value its
// payload, per TTL the expires node, each rounded up to Go's allocation
// size classes; the bucket arrays are added when the total is read. Values
// changed in place (APPEND, collection commands) are re-measured by
// Reaccount, which the server calls from keyModified after every write.
//
// Each value remembers the size it was accounted with (Object.mem), so a
// removal subtracts exactly what was added and the total cannot drift.

// Node sizes, rounded to their allocation class.
const (
	mainNodeSize   = 64 // dict.Node[Object]: next, key header, Object (56 B)
	expireNodeSize = 32 // dict.Node[int64]: next, key header, when
	bucketSize     = int64(unsafe.Sizeof(uintptr(0)))
)

// ValueSizers measure collection and module values by kind; type packages
// register theirs. Kinds without a sizer count as fallbackValueSize.
var ValueSizers [KindModule + 1]func(o *Object) int64

const fallbackValueSize = 64

// sizeClasses are the Go allocator's small size classes.
var sizeClasses = [...]int64{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160,
	176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576,
	640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688,
	3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
	9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480,
	21760, 24576, 27264, 28672, 32768}

// AllocSize is the memory a heap allocation of n bytes occupies.
func AllocSize(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if n > 32768 {
		return (n + 8191) &^ 8191
	}
	lo, hi := 0, len(sizeClasses)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if sizeClasses[mid] >= n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return sizeClasses[lo]
}

// ValueSize estimates the heap memory held by a value (not its node).
func ValueSize(o *Object) int64 {
	if o.kind == KindString {
		if o.enc == EncInt {
			return 0
		}
		return AllocSize(int64(o.c))
	}
	if f := ValueSizers[o.kind]; f != nil {
		return f(o)
	}
	return fallbackValueSize
}

// keyEntrySize is the cost of a key in the main table, value excluded.
func keyEntrySize(keyLen int) int64 { return mainNodeSize + AllocSize(int64(keyLen)) }

// measure records o's current size in o.mem and returns it.
func measure(o *Object) int64 {
	n := ValueSize(o)
	if n > 1<<32-1 {
		n = 1<<32 - 1 // values over 4 GiB saturate
	}
	o.mem = uint32(n)
	return n
}

// accountAdd records a new key holding o (o.mem set by the caller).
func (db *DB) accountAdd(keyLen int, o *Object) {
	db.used += keyEntrySize(keyLen) + int64(o.mem)
}

// accountDel forgets a removed key; hadTTL says whether it had an expires
// entry that went with it.
func (db *DB) accountDel(keyLen int, o *Object, hadTTL bool) {
	db.used -= keyEntrySize(keyLen) + int64(o.mem)
	if hadTTL {
		db.used -= expireNodeSize
	}
}

// Reaccount re-measures key's value after an in-place modification and
// returns the change. It never expires or creates anything.
func (db *DB) Reaccount(key []byte) int64 {
	n := db.main.Find(key)
	if n == nil {
		return 0
	}
	old := int64(n.Val.mem)
	d := measure(&n.Val) - old
	db.used += d
	return d
}

// UsedMemory is the estimated memory of the database's keys, values and
// TTLs, hash-table buckets included.
func (db *DB) UsedMemory() int64 {
	return db.used + bucketSize*int64(db.main.Buckets()+db.expires.Buckets())
}

// UsedMemory is the estimate for every database.
func (ks *Keyspace) UsedMemory() int64 {
	var n int64
	for _, db := range ks.DBs {
		n += db.UsedMemory()
	}
	return n
}

// EntrySize is what removing key (with value o) frees, by the estimate.
func (db *DB) EntrySize(key string, o *Object) int64 {
	n := keyEntrySize(len(key)) + int64(o.mem)
	if db.expires.Len() > 0 && db.expires.FindString(key) != nil {
		n += expireNodeSize
	}
	return n
}

// Remove deletes key and its TTL without looking at the TTL (eviction
// removes a key whether or not it has expired), releasing a module value
// for reason. It reports whether the key existed.
func (db *DB) Remove(key []byte, reason FreeReason) bool {
	db.snapChange(key)
	n := db.main.Delete(key)
	if n == nil {
		return false
	}
	hadTTL := db.expires.Len() > 0 && db.expires.Delete(key) != nil
	db.accountDel(len(n.Key), &n.Val, hadTTL)
	db.release(n.Key, &n.Val, reason, true)
	return true
}

// EstimatedBytes is the part of the estimate kept per key (buckets
// excluded): what removing keys gives back right away.
func (db *DB) EstimatedBytes() int64 { return db.used }

// Replace overwrites the stored value o with v in place, keeping o's
// access time and the size it was accounted with, so the next Reaccount
// (keyModified) charges exactly the difference. Commands that replace a
// looked-up value must use it rather than assigning *o, which would lose
// both.
func (o *Object) Replace(v Object) {
	if o.kind == KindModule && o.ptr != v.ptr && ModuleValueFree != nil {
		ModuleValueFree(o)
	}
	v.LRU, v.mem = o.LRU, o.mem
	*o = v
}

// ModuleValueFree releases a module value replaced in place (set by the
// module engine; DB operations use Hooks.FreeModule).
var ModuleValueFree func(o *Object)
