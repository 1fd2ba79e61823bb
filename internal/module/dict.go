package module

import (
	"bytes"
	"sort"
)

// Dict is RedisModuleDict: a dictionary ordered by binary key comparison
// with seekable iterators (Redis backs it with a radix tree; this is a
// sorted slice: O(log n) lookups, O(n) inserts and deletes). The C and
// RedisModuleString variants of each API (DictSetC / DictSet, ...) are
// the same here: keys are byte strings.
type Dict struct {
	ents []dictEntry
}

type dictEntry struct {
	key []byte
	val any
}

// CreateDict is RedisModule_CreateDict.
func (ctx *Ctx) CreateDict() *Dict { return &Dict{} }

// FreeDict is RedisModule_FreeDict.
func (ctx *Ctx) FreeDict(d *Dict) {
	if d != nil {
		d.ents = nil
	}
}

// lowerBound is the index of the first key >= k.
func (d *Dict) lowerBound(k []byte) int {
	return sort.Search(len(d.ents), func(i int) bool { return bytes.Compare(d.ents[i].key, k) >= 0 })
}

// upperBound is the index of the first key > k.
func (d *Dict) upperBound(k []byte) int {
	return sort.Search(len(d.ents), func(i int) bool { return bytes.Compare(d.ents[i].key, k) > 0 })
}

func (d *Dict) find(k []byte) (int, bool) {
	i := d.lowerBound(k)
	return i, i < len(d.ents) && bytes.Equal(d.ents[i].key, k)
}

// DictSize is RedisModule_DictSize.
func (d *Dict) DictSize() uint64 { return uint64(len(d.ents)) }

// DictSet is RedisModule_DictSet / DictSetC: insert; ERR if the key
// exists (the value is then unchanged).
func (d *Dict) DictSet(key []byte, val any) int {
	i, ok := d.find(key)
	if ok {
		return ERR
	}
	d.ents = append(d.ents, dictEntry{})
	copy(d.ents[i+1:], d.ents[i:])
	d.ents[i] = dictEntry{key: append([]byte(nil), key...), val: val}
	return OK
}

// DictReplace is RedisModule_DictReplace / DictReplaceC: insert or
// overwrite.
func (d *Dict) DictReplace(key []byte, val any) int {
	if i, ok := d.find(key); ok {
		d.ents[i].val = val
		return OK
	}
	return d.DictSet(key, val)
}

// DictGet is RedisModule_DictGet / DictGetC; nokey reports absence.
func (d *Dict) DictGet(key []byte) (val any, nokey bool) {
	i, ok := d.find(key)
	if !ok {
		return nil, true
	}
	return d.ents[i].val, false
}

// DictDel is RedisModule_DictDel / DictDelC: ERR if absent; the old value
// is returned.
func (d *Dict) DictDel(key []byte) (old any, ret int) {
	i, ok := d.find(key)
	if !ok {
		return nil, ERR
	}
	old = d.ents[i].val
	d.ents = append(d.ents[:i], d.ents[i+1:]...)
	return old, OK
}

// DictIter is RedisModuleDictIter.
type DictIter struct {
	d      *Dict
	op     string
	key    []byte // seek key, then the last returned key
	seeked bool
	eof    bool
	cur    []byte // last returned key (nil before the first)
}

// DictIteratorStart is RedisModule_DictIteratorStart / StartC. op is one
// of "^" (first), "$" (last), ">", ">=", "<", "<=", "==". nil for a bad
// operator.
func (d *Dict) DictIteratorStart(op string, key []byte) *DictIter {
	it := &DictIter{d: d}
	if it.DictIteratorReseek(op, key) != OK {
		return nil
	}
	return it
}

// DictIteratorReseek is RedisModule_DictIteratorReseek / ReseekC.
func (it *DictIter) DictIteratorReseek(op string, key []byte) int {
	switch op {
	case "^", "$", ">", ">=", "<", "<=", "==":
	default:
		return ERR
	}
	it.op, it.key, it.seeked, it.eof, it.cur = op, append([]byte(nil), key...), true, false, nil
	return OK
}

// DictIteratorStop is RedisModule_DictIteratorStop.
func (it *DictIter) DictIteratorStop() {}

// seekIndex is the element the seek selected.
func (it *DictIter) seekIndex() int {
	d := it.d
	switch it.op {
	case "^":
		return 0
	case "$":
		return len(d.ents) - 1
	case ">=":
		return d.lowerBound(it.key)
	case ">":
		return d.upperBound(it.key)
	case "<=":
		return d.upperBound(it.key) - 1
	case "<":
		return d.lowerBound(it.key) - 1
	}
	if i, ok := d.find(it.key); ok {
		return i
	}
	return -1
}

func (it *DictIter) step(forward bool) ([]byte, any, bool) {
	if it.eof {
		return nil, nil, false
	}
	var i int
	switch {
	case it.seeked:
		it.seeked = false
		i = it.seekIndex()
	case forward:
		i = it.d.upperBound(it.cur)
	default:
		i = it.d.lowerBound(it.cur) - 1
	}
	if i < 0 || i >= len(it.d.ents) {
		it.eof = true
		return nil, nil, false
	}
	e := it.d.ents[i]
	it.cur = e.key
	return e.key, e.val, true
}

// DictNext is RedisModule_DictNext / DictNextC: the next key and value,
// ok false at the end.
func (it *DictIter) DictNext() (key []byte, val any, ok bool) { return it.step(true) }

// DictPrev is RedisModule_DictPrev / DictPrevC.
func (it *DictIter) DictPrev() (key []byte, val any, ok bool) { return it.step(false) }

// DictCompare is RedisModule_DictCompare / DictCompareC: whether the last
// returned key relates to key as op says (">", ">=", "<", "<=", "==");
// ERR when false, at the end, or for a bad operator.
func (it *DictIter) DictCompare(op string, key []byte) int {
	if it.eof || it.cur == nil {
		return ERR
	}
	c := bytes.Compare(it.cur, key)
	var ok bool
	switch op {
	case ">":
		ok = c > 0
	case ">=":
		ok = c >= 0
	case "<":
		ok = c < 0
	case "<=":
		ok = c <= 0
	case "==":
		ok = c == 0
	}
	if !ok {
		return ERR
	}
	return OK
}
