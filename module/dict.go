package module

import engine "github.com/modis/modis/internal/module"

// Dict is RedisModuleDict: an ordered dictionary of byte-string keys.
type Dict struct{ d *engine.Dict }

// CreateDict is RedisModule_CreateDict.
func (ctx *Ctx) CreateDict() *Dict { return &Dict{d: ctx.c.CreateDict()} }

// Size is RedisModule_DictSize.
func (d *Dict) Size() uint64 { return d.d.DictSize() }

// Set is RedisModule_DictSet: fails if the key exists.
func (d *Dict) Set(key []byte, val any) error { return status(d.d.DictSet(key, val)) }

// Replace is RedisModule_DictReplace.
func (d *Dict) Replace(key []byte, val any) { d.d.DictReplace(key, val) }

// Get is RedisModule_DictGet; ok is false when the key is absent.
func (d *Dict) Get(key []byte) (val any, ok bool) {
	v, nokey := d.d.DictGet(key)
	return v, !nokey
}

// Del is RedisModule_DictDel: the removed value, or an error if absent.
func (d *Dict) Del(key []byte) (any, error) {
	v, ret := d.d.DictDel(key)
	return v, status(ret)
}

// DictIter is RedisModuleDictIter.
type DictIter struct{ it *engine.DictIter }

// Iterator is RedisModule_DictIteratorStart: op is "^", "$", ">", ">=",
// "<", "<=" or "==" (nil for another).
func (d *Dict) Iterator(op string, key []byte) *DictIter {
	it := d.d.DictIteratorStart(op, key)
	if it == nil {
		return nil
	}
	return &DictIter{it: it}
}

// Reseek is RedisModule_DictIteratorReseek.
func (it *DictIter) Reseek(op string, key []byte) error {
	return status(it.it.DictIteratorReseek(op, key))
}

// Stop is RedisModule_DictIteratorStop.
func (it *DictIter) Stop() { it.it.DictIteratorStop() }

// Next is RedisModule_DictNext: ok is false at the end.
func (it *DictIter) Next() (key []byte, val any, ok bool) { return it.it.DictNext() }

// Prev is RedisModule_DictPrev.
func (it *DictIter) Prev() (key []byte, val any, ok bool) { return it.it.DictPrev() }

// Compare is RedisModule_DictCompare: whether the last returned key
// relates to key as op says.
func (it *DictIter) Compare(op string, key []byte) bool {
	return it.it.DictCompare(op, key) == engine.OK
}
