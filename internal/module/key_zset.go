package module

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/zset"
)

// The sorted set key API (RedisModule_Zset*): add, increment, remove and
// score lookups, and one range iterator per key handle, by score or by
// lex range, walked forwards or backwards.

// ZADD flags (REDISMODULE_ZADD_*): XX, NX, GT and LT go in; ADDED,
// UPDATED and NOP come out.
const (
	ZaddXX      = 1 << 0
	ZaddNX      = 1 << 1
	ZaddAdded   = 1 << 2
	ZaddUpdated = 1 << 3
	ZaddNop     = 1 << 4
	ZaddGT      = 1 << 5
	ZaddLT      = 1 << 6
)

// Range kinds of a key's sorted set iterator.
const (
	zsetRangeNone = iota
	zsetRangeScore
	zsetRangeLex
)

// zsetIter is the range iterator state of a Key (Redis's key->u.zset).
// The current element is remembered by rank; like Redis, modifying the set
// while iterating is not supported (here it is merely unreliable, never
// unsafe).
type zsetIter struct {
	kind int
	cur  int  // rank of the current element, -1 when none
	end  bool // REDISMODULE's "end reached"
	sr   zset.ScoreRange
	lr   zset.LexRange
}

// zsetLimitsHost is implemented by hosts that know the
// zset-max-listpack-* settings; others get Redis's defaults.
type zsetLimitsHost interface {
	ZsetLimits() (entries, value int64)
}

func (e *Engine) zsetLimits() zset.Limits {
	if h, ok := e.host.(zsetLimitsHost); ok {
		en, v := h.ZsetLimits()
		return zset.Limits{Entries: en, Value: v}
	}
	return zset.Limits{Entries: 128, Value: 64}
}

func init() {
	prev := collectionLen
	collectionLen = func(o *keyspace.Object) int64 {
		if o.Kind() == keyspace.KindZSet {
			return int64((*zset.ZSet)(o.Ptr()).Len())
		}
		if prev != nil {
			return prev(o)
		}
		return 0
	}
}

// zsetValue returns the key's sorted set, or nil for an empty key or
// another type (ok false for another type).
func (k *Key) zsetValue() (z *zset.ZSet, ok bool) {
	o := k.value()
	if o == nil {
		return nil, true
	}
	if o.Kind() != keyspace.KindZSet {
		return nil, false
	}
	return (*zset.ZSet)(o.Ptr()), true
}

// zsetWritten syncs the encoding and memory accounting after a change and
// deletes the key when the set became empty (moduleDelKeyIfEmpty).
func (k *Key) zsetWritten() {
	o := k.value()
	if o == nil || o.Kind() != keyspace.KindZSet {
		return
	}
	z := (*zset.ZSet)(o.Ptr())
	if z.Len() == 0 {
		k.ctx.eng.deleteKey(k.db, k.name.Bytes())
		return
	}
	if z.IsListpack() {
		o.SetEncoding(keyspace.EncListpack)
	} else {
		o.SetEncoding(keyspace.EncSkiplist)
	}
	k.db.Reaccount(k.name.Bytes())
}

// zsetForWrite returns the set to modify, creating an empty listpack set
// for an empty key (moduleCreateEmptyKey); ok is false when the key is not
// writable or holds another type.
func (k *Key) zsetForWrite() (*zset.ZSet, bool) {
	if !k.writable() {
		return nil, false
	}
	z, ok := k.zsetValue()
	if !ok {
		return nil, false
	}
	if z == nil {
		z = zset.New(false)
		k.db.Add(k.name.Bytes(), keyspace.NewValue(keyspace.KindZSet, keyspace.EncListpack, unsafe.Pointer(z)))
	}
	return z, true
}

func zaddInFlags(flags int) int {
	in := 0
	if flags&ZaddXX != 0 {
		in |= zset.AddXX
	}
	if flags&ZaddNX != 0 {
		in |= zset.AddNX
	}
	if flags&ZaddGT != 0 {
		in |= zset.AddGT
	}
	if flags&ZaddLT != 0 {
		in |= zset.AddLT
	}
	return in
}

func zaddOutFlags(out int) int {
	f := 0
	if out&zset.OutAdded != 0 {
		f |= ZaddAdded
	}
	if out&zset.OutUpdated != 0 {
		f |= ZaddUpdated
	}
	if out&zset.OutNop != 0 {
		f |= ZaddNop
	}
	return f
}

// zsetAdd is the common part of ZsetAdd and ZsetIncrby.
func zsetAdd(k *Key, score float64, ele *String, flags *int, incr bool, newScore *float64) int {
	z, ok := k.zsetForWrite()
	if !ok {
		return ERR
	}
	in := 0
	if flags != nil {
		in = zaddInFlags(*flags)
	}
	if incr {
		in |= zset.AddIncr
	}
	out, ns := z.Add(ele.Bytes(), score, in, k.ctx.eng.zsetLimits())
	k.zsetWritten()
	if out&zset.OutNaN != 0 {
		if flags != nil {
			*flags = 0
		}
		return ERR
	}
	if flags != nil {
		*flags = zaddOutFlags(out)
	}
	if newScore != nil && out&zset.OutNop == 0 {
		*newScore = ns
	}
	return OK
}

// ZsetAdd is RedisModule_ZsetAdd: add or update ele with score; flags (may
// be nil) carries ZaddXX/NX/GT/LT in and ZaddAdded/Updated/Nop out. ERR
// when the key is not writable, holds another type or the score is NaN.
func ZsetAdd(k *Key, score float64, ele *String, flags *int) int {
	return zsetAdd(k, score, ele, flags, false, nil)
}

// ZsetIncrby is RedisModule_ZsetIncrby: like ZsetAdd but adds score to the
// current one (0 for a new element) and stores the result in newScore.
// ERR as ZsetAdd, and when the result would be NaN.
func ZsetIncrby(k *Key, score float64, ele *String, flags *int, newScore *float64) int {
	return zsetAdd(k, score, ele, flags, true, newScore)
}

// ZsetRem is RedisModule_ZsetRem: remove ele; deleted (may be nil) tells
// whether it was there. ERR when the key is not writable or holds another
// type.
func ZsetRem(k *Key, ele *String, deleted *int) int {
	if !k.writable() {
		return ERR
	}
	z, ok := k.zsetValue()
	if !ok {
		return ERR
	}
	if z != nil && z.Delete(ele.Bytes()) {
		if deleted != nil {
			*deleted = 1
		}
		k.zsetWritten()
		return OK
	}
	if deleted != nil {
		*deleted = 0
	}
	return OK
}

// ZsetScore is RedisModule_ZsetScore: ERR for an empty key, another type
// or a missing element.
func ZsetScore(k *Key, ele *String, score *float64) int {
	z, ok := k.zsetValue()
	if !ok || z == nil {
		return ERR
	}
	s, found := z.Score(ele.Bytes())
	if !found {
		return ERR
	}
	if score != nil {
		*score = s
	}
	return OK
}

// ZsetRangeStop is RedisModule_ZsetRangeStop: forget the key's iterator.
func ZsetRangeStop(k *Key) {
	if z, ok := k.zsetValue(); !ok || z == nil {
		return
	}
	k.zset = zsetIter{cur: -1, end: true}
}

// ZsetRangeEndReached is RedisModule_ZsetRangeEndReached.
func ZsetRangeEndReached(k *Key) bool {
	if z, ok := k.zsetValue(); !ok || z == nil {
		return true
	}
	return k.zset.kind == zsetRangeNone || k.zset.end
}

// zsetStartRange positions the iterator on the first (or last) element
// of ranks [a, b).
func (k *Key) zsetStartRange(a, b int, first bool) {
	k.zset.cur, k.zset.end = -1, false
	switch {
	case a >= b:
		k.zset.end = true
	case first:
		k.zset.cur = a
	default:
		k.zset.cur = b - 1
	}
}

func (k *Key) zsetScoreRange(min, max float64, minex, maxex, first bool) int {
	z, ok := k.zsetValue()
	if !ok || z == nil {
		return ERR
	}
	ZsetRangeStop(k)
	r := zset.ScoreRange{Min: min, Max: max, Minex: minex, Maxex: maxex}
	k.zset.kind, k.zset.sr = zsetRangeScore, r
	a, b := z.ScoreRanks(r)
	k.zsetStartRange(a, b, first)
	return OK
}

// ZsetFirstInScoreRange is RedisModule_ZsetFirstInScoreRange: start an
// iterator at the lowest element with min <= score <= max (exclusive ends
// with minex/maxex). ERR for an empty key or another type; an empty range
// gives an iterator already at its end.
func ZsetFirstInScoreRange(k *Key, min, max float64, minex, maxex bool) int {
	return k.zsetScoreRange(min, max, minex, maxex, true)
}

// ZsetLastInScoreRange is RedisModule_ZsetLastInScoreRange: as
// ZsetFirstInScoreRange, from the highest element.
func ZsetLastInScoreRange(k *Key, min, max float64, minex, maxex bool) int {
	return k.zsetScoreRange(min, max, minex, maxex, false)
}

func (k *Key) zsetLexRange(min, max *String, first bool) int {
	z, ok := k.zsetValue()
	if !ok || z == nil {
		return ERR
	}
	ZsetRangeStop(k)
	r, ok := zset.ParseLexRange(min.Bytes(), max.Bytes())
	if !ok {
		return ERR
	}
	// The bounds are copied: the strings may be freed during iteration.
	r.Min.Val = append([]byte(nil), r.Min.Val...)
	r.Max.Val = append([]byte(nil), r.Max.Val...)
	k.zset.kind, k.zset.lr = zsetRangeLex, r
	a, b := z.LexRanks(r, !first)
	k.zsetStartRange(a, b, first)
	return OK
}

// ZsetFirstInLexRange is RedisModule_ZsetFirstInLexRange: min and max are
// ZRANGEBYLEX bounds ("-", "+", "[x", "(x"); ERR when they are invalid,
// for an empty key or another type.
func ZsetFirstInLexRange(k *Key, min, max *String) int {
	return k.zsetLexRange(min, max, true)
}

// ZsetLastInLexRange is RedisModule_ZsetLastInLexRange.
func ZsetLastInLexRange(k *Key, min, max *String) int {
	return k.zsetLexRange(min, max, false)
}

// zsetAt returns the member and score of rank r.
func zsetAt(z *zset.ZSet, r int) (m []byte, s float64, ok bool) {
	z.Range(r, r+1, false, func(mb []byte, sc float64) bool {
		m, s, ok = append([]byte(nil), mb...), sc, true
		return false
	})
	return m, s, ok
}

// ZsetRangeCurrentElement is RedisModule_ZsetRangeCurrentElement: the
// current element (a new string, auto-memory managed) and its score, or
// nil when there is none.
func ZsetRangeCurrentElement(k *Key, score *float64) *String {
	z, ok := k.zsetValue()
	if !ok || z == nil || k.zset.kind == zsetRangeNone || k.zset.cur < 0 {
		return nil
	}
	m, s, found := zsetAt(z, k.zset.cur)
	if !found {
		return nil
	}
	if score != nil {
		*score = s
	}
	return k.ctx.newString(m)
}

// zsetStep moves the iterator by dir (+1 next, -1 previous) if the
// neighbour is still in range.
func (k *Key) zsetStep(dir int) bool {
	z, ok := k.zsetValue()
	if !ok || z == nil || k.zset.kind == zsetRangeNone || k.zset.cur < 0 {
		return false
	}
	next := k.zset.cur + dir
	m, s, found := zsetAt(z, next)
	if found {
		switch {
		case k.zset.kind == zsetRangeScore && dir > 0:
			found = k.zset.sr.LteMax(s)
		case k.zset.kind == zsetRangeScore:
			found = k.zset.sr.GteMin(s)
		case dir > 0:
			found = k.zset.lr.LteMax(m)
		default:
			found = k.zset.lr.GteMin(m)
		}
	}
	if !found {
		k.zset.end = true
		return false
	}
	k.zset.cur = next
	return true
}

// ZsetRangeNext is RedisModule_ZsetRangeNext: step to the next element in
// range; false (and end reached) when there is none.
func ZsetRangeNext(k *Key) bool { return k.zsetStep(1) }

// ZsetRangePrev is RedisModule_ZsetRangePrev.
func ZsetRangePrev(k *Key) bool { return k.zsetStep(-1) }
