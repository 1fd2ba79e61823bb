package module

import engine "github.com/modis/modis/internal/module"

// Sorted set keys (RedisModule_Zset*).

// ZADD flags: ZaddXX, ZaddNX, ZaddGT and ZaddLT select the behaviour of
// ZsetAdd and ZsetIncrby; ZaddAdded, ZaddUpdated and ZaddNop report what
// happened (REDISMODULE_ZADD_*).
const (
	ZaddXX      = engine.ZaddXX
	ZaddNX      = engine.ZaddNX
	ZaddGT      = engine.ZaddGT
	ZaddLT      = engine.ZaddLT
	ZaddAdded   = engine.ZaddAdded
	ZaddUpdated = engine.ZaddUpdated
	ZaddNop     = engine.ZaddNop
)

// ZsetAdd is RedisModule_ZsetAdd: add or update ele with score. flags
// holds the Zadd* input flags and returns the result flags. An empty key
// becomes a sorted set; another type, a read-only key or a NaN score fail.
func (k *Key) ZsetAdd(score float64, ele []byte, flags int) (int, error) {
	err := status(engine.ZsetAdd(k.raw(), score, engine.NewString(ele), &flags))
	return flags, err
}

// ZsetIncrby is RedisModule_ZsetIncrby: add score to ele's score (0 when
// new) and return the new score with the result flags. A NaN result
// fails.
func (k *Key) ZsetIncrby(score float64, ele []byte, flags int) (newScore float64, outFlags int, err error) {
	err = status(engine.ZsetIncrby(k.raw(), score, engine.NewString(ele), &flags, &newScore))
	return newScore, flags, err
}

// ZsetRem is RedisModule_ZsetRem: remove ele, reporting whether it was
// there.
func (k *Key) ZsetRem(ele []byte) (deleted bool, err error) {
	var d int
	err = status(engine.ZsetRem(k.raw(), engine.NewString(ele), &d))
	return d == 1, err
}

// ZsetScore is RedisModule_ZsetScore: ele's score; an error for an empty
// key, another type or a missing element.
func (k *Key) ZsetScore(ele []byte) (float64, error) {
	var s float64
	err := status(engine.ZsetScore(k.raw(), engine.NewString(ele), &s))
	return s, err
}

// ZsetRangeStop is RedisModule_ZsetRangeStop.
func (k *Key) ZsetRangeStop() { engine.ZsetRangeStop(k.raw()) }

// ZsetFirstInScoreRange is RedisModule_ZsetFirstInScoreRange: start the
// key's range iterator at the lowest element with a score between min and
// max (exclusive ends with minex, maxex).
func (k *Key) ZsetFirstInScoreRange(min, max float64, minex, maxex bool) error {
	return status(engine.ZsetFirstInScoreRange(k.raw(), min, max, minex, maxex))
}

// ZsetLastInScoreRange is RedisModule_ZsetLastInScoreRange: as
// ZsetFirstInScoreRange from the highest element, for ZsetRangePrev.
func (k *Key) ZsetLastInScoreRange(min, max float64, minex, maxex bool) error {
	return status(engine.ZsetLastInScoreRange(k.raw(), min, max, minex, maxex))
}

// ZsetFirstInLexRange is RedisModule_ZsetFirstInLexRange: min and max are
// ZRANGEBYLEX bounds ("-", "+", "[member", "(member").
func (k *Key) ZsetFirstInLexRange(min, max []byte) error {
	return status(engine.ZsetFirstInLexRange(k.raw(), engine.NewString(min), engine.NewString(max)))
}

// ZsetLastInLexRange is RedisModule_ZsetLastInLexRange.
func (k *Key) ZsetLastInLexRange(min, max []byte) error {
	return status(engine.ZsetLastInLexRange(k.raw(), engine.NewString(min), engine.NewString(max)))
}

// ZsetRangeCurrentElement is RedisModule_ZsetRangeCurrentElement: the
// iterator's current member and score; ok is false when there is none.
func (k *Key) ZsetRangeCurrentElement() (member []byte, score float64, ok bool) {
	s := engine.ZsetRangeCurrentElement(k.raw(), &score)
	if s == nil {
		return nil, 0, false
	}
	member = append([]byte(nil), s.Bytes()...)
	k.ctx.c.FreeString(s)
	return member, score, true
}

// ZsetRangeNext is RedisModule_ZsetRangeNext: step forward if the next
// element is in range.
func (k *Key) ZsetRangeNext() bool { return engine.ZsetRangeNext(k.raw()) }

// ZsetRangePrev is RedisModule_ZsetRangePrev.
func (k *Key) ZsetRangePrev() bool { return engine.ZsetRangePrev(k.raw()) }

// ZsetRangeEndReached is RedisModule_ZsetRangeEndReached.
func (k *Key) ZsetRangeEndReached() bool { return engine.ZsetRangeEndReached(k.raw()) }
