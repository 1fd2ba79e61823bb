package module

import "github.com/modis/modis/internal/rax"

// Dict is RedisModuleDict: a dictionary ordered by binary key comparison
// with seekable iterators. Redis backs it with a radix tree; here it is
// internal/rax, which has the same seek/next/prev/compare semantics. The C
// and RedisModuleString variants of each API (DictSetC / DictSet, ...) are
// the same here: keys are byte strings.
type Dict struct {
	t rax.Tree[any]
}

// CreateDict is RedisModule_CreateDict.
func (ctx *Ctx) CreateDict() *Dict { return &Dict{} }

// FreeDict is RedisModule_FreeDict.
func (ctx *Ctx) FreeDict(d *Dict) {
	if d != nil {
		d.t = rax.Tree[any]{}
	}
}

// DictSize is RedisModule_DictSize.
func (d *Dict) DictSize() uint64 { return uint64(d.t.Len()) }

// DictSet is RedisModule_DictSet / DictSetC: insert; ERR if the key
// exists (the value is then unchanged).
func (d *Dict) DictSet(key []byte, val any) int {
	if _, inserted := d.t.TryInsert(key, val); !inserted {
		return ERR
	}
	return OK
}

// DictReplace is RedisModule_DictReplace / DictReplaceC: insert or
// overwrite.
func (d *Dict) DictReplace(key []byte, val any) int {
	d.t.Insert(key, val)
	return OK
}

// DictGet is RedisModule_DictGet / DictGetC; nokey reports absence.
func (d *Dict) DictGet(key []byte) (val any, nokey bool) {
	v, ok := d.t.Find(key)
	return v, !ok
}

// DictDel is RedisModule_DictDel / DictDelC: ERR if absent; the old value
// is returned.
func (d *Dict) DictDel(key []byte) (old any, ret int) {
	old, ok := d.t.Remove(key)
	if !ok {
		return nil, ERR
	}
	return old, OK
}

// DictIter is RedisModuleDictIter. Unlike Redis's, it stays valid when the
// dictionary changes: it finds its place again by its last key.
type DictIter struct {
	it *rax.Iterator[any]
}

// DictIteratorStart is RedisModule_DictIteratorStart / StartC. op is one
// of "^" (first), "$" (last), ">", ">=", "<", "<=", "==" (decoded like
// Redis's raxSeek). nil for a bad operator.
func (d *Dict) DictIteratorStart(op string, key []byte) *DictIter {
	it := &DictIter{it: d.t.Iterator()}
	if it.DictIteratorReseek(op, key) != OK {
		return nil
	}
	return it
}

// DictIteratorReseek is RedisModule_DictIteratorReseek / ReseekC.
func (it *DictIter) DictIteratorReseek(op string, key []byte) int {
	if it.it.Seek(op, key) != nil {
		return ERR
	}
	return OK
}

// DictIteratorStop is RedisModule_DictIteratorStop.
func (it *DictIter) DictIteratorStop() {}

// DictNext is RedisModule_DictNext / DictNextC: the next key and value,
// ok false at the end. The key is the caller's copy.
func (it *DictIter) DictNext() (key []byte, val any, ok bool) {
	return copyKey(it.it.Next())
}

// DictPrev is RedisModule_DictPrev / DictPrevC.
func (it *DictIter) DictPrev() (key []byte, val any, ok bool) {
	return copyKey(it.it.Prev())
}

func copyKey(key []byte, val any, ok bool) ([]byte, any, bool) {
	if !ok {
		return nil, nil, false
	}
	return append([]byte{}, key...), val, true
}

// DictCompare is RedisModule_DictCompare / DictCompareC: whether the
// current key relates to key as op says (">", ">=", "<", "<=", "==",
// decoded like raxCompare); ERR when false or at the end.
func (it *DictIter) DictCompare(op string, key []byte) int {
	if !it.it.Compare(op, key) {
		return ERR
	}
	return OK
}

// MallocSize estimates the dictionary's memory (RedisModule_MallocSizeDict:
// Redis counts the radix tree's nodes and element pointers): a header plus
// a node, a pointer and a small key share per element.
func (d *Dict) MallocSize() uint64 {
	if d == nil {
		return 0
	}
	return 48 + uint64(d.t.Len())*(16+8+16)
}
