package server

import (
	"math"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/zset"
)

// Sorted set commands (Redis's t_zset.c): ZADD and friends, ranks, score
// and lex ranges, removal by range. Set algebra, pops, random members and
// ZSCAN are in cmd_zset_ops.go; the value type is internal/types/zset.

func init() {
	register(map[string]func(*Client){
		"zadd":             zaddCommand,
		"zincrby":          zincrbyCommand,
		"zrem":             zremCommand,
		"zcard":            zcardCommand,
		"zscore":           zscoreCommand,
		"zmscore":          zmscoreCommand,
		"zrank":            zrankCommand,
		"zrevrank":         zrevrankCommand,
		"zcount":           zcountCommand,
		"zlexcount":        zlexcountCommand,
		"zrange":           zrangeCommand,
		"zrangestore":      zrangestoreCommand,
		"zrevrange":        zrevrangeCommand,
		"zrangebyscore":    zrangebyscoreCommand,
		"zrevrangebyscore": zrevrangebyscoreCommand,
		"zrangebylex":      zrangebylexCommand,
		"zrevrangebylex":   zrevrangebylexCommand,
		"zremrangebyrank":  zremrangebyrankCommand,
		"zremrangebyscore": zremrangebyscoreCommand,
		"zremrangebylex":   zremrangebylexCommand,
	})
}

const (
	errZsetNaN       = "ERR resulting score is not a number (NaN)"
	errZsetMinMax    = "ERR min or max is not a float"
	errZsetLexMinMax = "ERR min or max not valid string range item"
)

// zsetOf returns the sorted set held by a KindZSet value.
func zsetOf(o *keyspace.Object) *zset.ZSet { return (*zset.ZSet)(o.Ptr()) }

// zsetEncoding is the keyspace encoding matching z's representation.
func zsetEncoding(z *zset.ZSet) keyspace.Encoding {
	if z.IsListpack() {
		return keyspace.EncListpack
	}
	return keyspace.EncSkiplist
}

// newZsetObject wraps z as a keyspace value.
func newZsetObject(z *zset.ZSet) keyspace.Object {
	return keyspace.NewValue(keyspace.KindZSet, zsetEncoding(z), unsafe.Pointer(z))
}

// zsetLimits returns the zset-max-listpack-* settings.
func (s *Server) zsetLimits() zset.Limits {
	return zset.Limits{Entries: s.cfg.ZsetMaxListpackEntries, Value: s.cfg.ZsetMaxListpackValue}
}

// zsetFitsListpack reports whether a new set of n elements whose longest
// member has maxLen bytes should be listpack encoded (Redis's
// zsetConvertToListpackIfNeeded and zsetTypeCreate).
func (s *Server) zsetFitsListpack(n, maxLen int) bool {
	return int64(n) <= s.cfg.ZsetMaxListpackEntries && int64(maxLen) <= s.cfg.ZsetMaxListpackValue
}

// lookupZsetRead returns key's sorted set for reading. It replies
// WRONGTYPE and returns ok false for another type; a missing key gives
// nil, true.
func (c *Client) lookupZsetRead(key []byte) (*keyspace.Object, bool) {
	o := c.lookupRead(key)
	if !c.checkType(o, keyspace.KindZSet) {
		return nil, false
	}
	return o, true
}

// lookupZsetWrite is lookupZsetRead for a key about to be modified.
func (c *Client) lookupZsetWrite(key []byte) (*keyspace.Object, bool) {
	o := c.lookupWrite(key)
	if !c.checkType(o, keyspace.KindZSet) {
		return nil, false
	}
	return o, true
}

// zsetWritten finishes a write to key's set: the encoding is synced, the
// key deleted (with a "del" event after the command's event, which the
// caller fired) when the set became empty, WATCH and memory updated.
func (c *Client) zsetWritten(key []byte, o *keyspace.Object) {
	z := zsetOf(o)
	if z.Len() == 0 {
		c.db.Delete(key)
		c.srv.notify(notifyGeneric, "del", key, c.db.ID)
	} else {
		o.SetEncoding(zsetEncoding(z))
	}
	c.srv.keyModified(c.db, key)
}

// addScoredMember replies with one member and, when withScores, its score:
// flat in RESP2, a [member, score] pair in RESP3.
func (c *Client) addScoredMember(m []byte, s float64, withScores bool) {
	if withScores && c.resp > 2 {
		c.addArrayLen(2)
	}
	c.addBulk(m)
	if withScores {
		c.addDouble(s)
	}
}

// addScoredLen replies with the header of n scored members.
func (c *Client) addScoredLen(n int, withScores bool) {
	if withScores && c.resp == 2 {
		n *= 2
	}
	c.addArrayLen(n)
}

func zaddCommand(c *Client)    { zaddGeneric(c, 0) }
func zincrbyCommand(c *Client) { zaddGeneric(c, zset.AddIncr) }

// zaddGeneric is ZADD and ZINCRBY (which is ZADD INCR with the same
// option parsing, as in Redis).
func zaddGeneric(c *Client, flags int) {
	key := c.argv[1]
	ch := false
	idx := 2
	for ; idx < len(c.argv); idx++ {
		a := c.argv[idx]
		switch {
		case isOpt(a, "nx"):
			flags |= zset.AddNX
		case isOpt(a, "xx"):
			flags |= zset.AddXX
		case isOpt(a, "ch"):
			ch = true
		case isOpt(a, "incr"):
			flags |= zset.AddIncr
		case isOpt(a, "gt"):
			flags |= zset.AddGT
		case isOpt(a, "lt"):
			flags |= zset.AddLT
		default:
			goto parsed
		}
	}
parsed:
	incr := flags&zset.AddIncr != 0
	nx, xx := flags&zset.AddNX != 0, flags&zset.AddXX != 0
	gt, lt := flags&zset.AddGT != 0, flags&zset.AddLT != 0
	elements := len(c.argv) - idx
	if elements%2 != 0 || elements == 0 {
		c.addError(errSyntax)
		return
	}
	elements /= 2
	if nx && xx {
		c.addError("ERR XX and NX options at the same time are not compatible")
		return
	}
	if (gt && nx) || (lt && nx) || (gt && lt) {
		c.addError("ERR GT, LT, and/or NX options at the same time are not compatible")
		return
	}
	if incr && elements > 1 {
		c.addError("ERR INCR option supports a single increment-element pair")
		return
	}
	scores := make([]float64, elements)
	for j := range scores {
		v, ok := zset.ParseScore(c.argv[idx+2*j])
		if !ok {
			c.addError(errNotFloat)
			return
		}
		scores[j] = v
	}
	o, ok := c.lookupZsetWrite(key)
	if !ok {
		return
	}
	added, updated, processed := 0, 0, 0
	var score float64
	if o == nil {
		if xx {
			goto reply
		}
		skip := !c.srv.zsetFitsListpack(1, len(c.argv[idx+1]))
		o = c.db.Add(key, newZsetObject(zset.New(skip)))
	}
	{
		z := zsetOf(o)
		lim := c.srv.zsetLimits()
		for j := 0; j < elements; j++ {
			out, ns := z.Add(c.argv[idx+1+2*j], scores[j], flags, lim)
			if out&zset.OutNaN != 0 {
				c.addError(errZsetNaN)
				goto done
			}
			if out&zset.OutAdded != 0 {
				added++
			}
			if out&zset.OutUpdated != 0 {
				updated++
			}
			if out&zset.OutNop == 0 {
				processed++
			}
			score = ns
		}
		c.srv.dirty += int64(added + updated)
	}
reply:
	if incr {
		if processed > 0 {
			c.addDouble(score)
		} else {
			c.addNull()
		}
	} else if ch {
		c.addInt(int64(added + updated))
	} else {
		c.addInt(int64(added))
	}
done:
	if added > 0 || updated > 0 {
		event := "zadd"
		if incr {
			event = "zincr"
		}
		o.SetEncoding(zsetEncoding(zsetOf(o)))
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyZset, event, key, c.db.ID)
	}
}

func zremCommand(c *Client) {
	key := c.argv[1]
	o, ok := c.lookupZsetWrite(key)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	z := zsetOf(o)
	deleted := 0
	for _, m := range c.argv[2:] {
		if z.Delete(m) {
			deleted++
		}
		if z.Len() == 0 {
			break
		}
	}
	if deleted > 0 {
		c.srv.notify(notifyZset, "zrem", key, c.db.ID)
		c.zsetWritten(key, o)
		c.srv.dirty += int64(deleted)
	}
	c.addInt(int64(deleted))
}

func zcardCommand(c *Client) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(zsetOf(o).Len()))
}

func zscoreCommand(c *Client) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	if s, found := zsetOf(o).Score(c.argv[2]); found {
		c.addDouble(s)
	} else {
		c.addNull()
	}
}

func zmscoreCommand(c *Client) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		if o == nil {
			c.addNull()
			continue
		}
		if s, found := zsetOf(o).Score(m); found {
			c.addDouble(s)
		} else {
			c.addNull()
		}
	}
}

func zrankCommand(c *Client)    { zrankGeneric(c, false) }
func zrevrankCommand(c *Client) { zrankGeneric(c, true) }

func zrankGeneric(c *Client, rev bool) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	z := zsetOf(o)
	r, found := z.Rank(c.argv[2])
	if !found {
		c.addNull()
		return
	}
	if rev {
		r = z.Len() - 1 - r
	}
	c.addInt(int64(r))
}

func zcountCommand(c *Client) {
	r, ok := zset.ParseScoreRange(c.argv[2], c.argv[3])
	if !ok {
		c.addError(errZsetMinMax)
		return
	}
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	a, b := zsetOf(o).ScoreRanks(r)
	c.addInt(int64(b - a))
}

func zlexcountCommand(c *Client) {
	r, ok := zset.ParseLexRange(c.argv[2], c.argv[3])
	if !ok {
		c.addError(errZsetLexMinMax)
		return
	}
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(zsetOf(o).LexCount(r)))
}

// Range kinds of the ZRANGE family.
const (
	zrangeAuto = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

// Directions of the ZRANGE family.
const (
	zdirAuto = iota
	zdirForward
	zdirReverse
)

func zrangeCommand(c *Client)      { zrangeGeneric(c, 1, false, zrangeAuto, zdirAuto) }
func zrevrangeCommand(c *Client)   { zrangeGeneric(c, 1, false, zrangeRank, zdirReverse) }
func zrangestoreCommand(c *Client) { zrangeGeneric(c, 2, true, zrangeAuto, zdirAuto) }
func zrangebyscoreCommand(c *Client) {
	zrangeGeneric(c, 1, false, zrangeScore, zdirForward)
}
func zrevrangebyscoreCommand(c *Client) {
	zrangeGeneric(c, 1, false, zrangeScore, zdirReverse)
}
func zrangebylexCommand(c *Client)    { zrangeGeneric(c, 1, false, zrangeLex, zdirForward) }
func zrevrangebylexCommand(c *Client) { zrangeGeneric(c, 1, false, zrangeLex, zdirReverse) }

// zrangeGeneric is Redis's zrangeGenericCommand: the options after
// <key> <min> <max> (argv[first:]), then the range, then the key.
func zrangeGeneric(c *Client, first int, store bool, kind, dir int) {
	key := c.argv[first]
	minIdx, maxIdx := first+1, first+2
	withScores := false
	var offset, limit int64 = 0, -1
	for j := first + 3; j < len(c.argv); j++ {
		left := len(c.argv) - j - 1
		a := c.argv[j]
		switch {
		case !store && isOpt(a, "withscores"):
			withScores = true
		case isOpt(a, "limit") && left >= 2:
			var ok bool
			if offset, ok = c.strIntArgOrReply(c.argv[j+1]); !ok {
				return
			}
			if limit, ok = c.strIntArgOrReply(c.argv[j+2]); !ok {
				return
			}
			j += 2
		case dir == zdirAuto && isOpt(a, "rev"):
			dir = zdirReverse
		case kind == zrangeAuto && isOpt(a, "bylex"):
			kind = zrangeLex
		case kind == zrangeAuto && isOpt(a, "byscore"):
			kind = zrangeScore
		default:
			c.addError(errSyntax)
			return
		}
	}
	if dir == zdirAuto {
		dir = zdirForward
	}
	if kind == zrangeAuto {
		kind = zrangeRank
	}
	if limit != -1 && kind == zrangeRank {
		c.addError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
		return
	}
	if withScores && kind == zrangeLex {
		c.addError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
		return
	}
	rev := dir == zdirReverse
	if rev && kind != zrangeRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var start, end int64
	var sr zset.ScoreRange
	var lr zset.LexRange
	switch kind {
	case zrangeRank:
		var ok bool
		if start, ok = c.strIntArgOrReply(c.argv[minIdx]); !ok {
			return
		}
		if end, ok = c.strIntArgOrReply(c.argv[maxIdx]); !ok {
			return
		}
	case zrangeScore:
		var ok bool
		if sr, ok = zset.ParseScoreRange(c.argv[minIdx], c.argv[maxIdx]); !ok {
			c.addError(errZsetMinMax)
			return
		}
	case zrangeLex:
		var ok bool
		if lr, ok = zset.ParseLexRange(c.argv[minIdx], c.argv[maxIdx]); !ok {
			c.addError(errZsetLexMinMax)
			return
		}
	}
	o := c.lookupRead(key)
	if o != nil && o.Kind() != keyspace.KindZSet {
		c.addError(errWrongType)
		return
	}
	a, b := 0, 0
	if o != nil {
		z := zsetOf(o)
		switch kind {
		case zrangeRank:
			a, b = rankInterval(z.Len(), start, end, rev)
		case zrangeScore:
			a, b = z.ScoreRanks(sr)
			a, b = limitInterval(z.Len(), a, b, offset, limit, rev)
		case zrangeLex:
			if offset > 0 && offset >= int64(z.Len()) {
				break
			}
			a, b = z.LexRangeLimit(lr, rev, offset, limit)
		}
	}
	if store {
		zrangeStore(c, c.argv[1], o, a, b, rev)
		return
	}
	if o == nil {
		c.addArrayLen(0)
		return
	}
	ws := withScores
	c.addScoredLen(b-a, ws)
	zsetOf(o).Range(a, b, rev, func(m []byte, s float64) bool {
		c.addScoredMember(m, s, ws)
		return true
	})
}

// rankInterval turns ZRANGE start/stop indexes (negative from the end,
// counted from the top when rev) into ascending ranks [a, b).
func rankInterval(llen int, start, end int64, rev bool) (int, int) {
	n := int64(llen)
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= n {
		return 0, 0
	}
	if end >= n {
		end = n - 1
	}
	if rev {
		return int(n - 1 - end), int(n - start)
	}
	return int(start), int(end + 1)
}

// limitInterval applies LIMIT offset count to the ranks [a, b) of a score
// or lex range, walked downwards when rev. As in Redis, a negative offset
// selects nothing and a negative count means no limit.
func limitInterval(llen, a, b int, offset, limit int64, rev bool) (int, int) {
	if offset < 0 || (offset > 0 && offset >= int64(llen)) || a >= b {
		return 0, 0
	}
	if offset >= int64(b-a) {
		return 0, 0
	}
	if rev {
		b -= int(offset)
		if limit >= 0 && int64(b-a) > limit {
			a = b - int(limit)
		}
		return a, b
	}
	a += int(offset)
	if limit >= 0 && int64(b-a) > limit {
		b = a + int(limit)
	}
	return a, b
}

// zrangeStore stores the ranks [a, b) of src (nil: missing) into dst for
// ZRANGESTORE and replies with the count.
func zrangeStore(c *Client, dst []byte, src *keyspace.Object, a, b int, rev bool) {
	if src == nil || a >= b {
		c.addInt(0)
		if c.db.Delete(dst) {
			c.srv.keyModified(c.db, dst)
			c.srv.notify(notifyGeneric, "del", dst, c.db.ID)
			c.srv.dirty++
		}
		return
	}
	z := zset.New(false)
	lim := c.srv.zsetLimits()
	zsetOf(src).Range(a, b, rev, func(m []byte, s float64) bool {
		z.Add(m, s, 0, lim)
		return true
	})
	if !z.IsListpack() && c.srv.zsetFitsListpack(z.Len(), z.MaxMemberLen()) {
		z.ConvertToListpack()
	}
	c.db.Set(dst, newZsetObject(z), false)
	c.srv.keyModified(c.db, dst)
	c.addInt(int64(z.Len()))
	c.srv.notify(notifyZset, "zrangestore", dst, c.db.ID)
	c.srv.dirty++
}

func zremrangebyrankCommand(c *Client)  { zremrangeGeneric(c, zrangeRank) }
func zremrangebyscoreCommand(c *Client) { zremrangeGeneric(c, zrangeScore) }
func zremrangebylexCommand(c *Client)   { zremrangeGeneric(c, zrangeLex) }

// zremrangeGeneric is ZREMRANGEBYRANK/SCORE/LEX.
func zremrangeGeneric(c *Client, kind int) {
	key := c.argv[1]
	var start, end int64
	var sr zset.ScoreRange
	var lr zset.LexRange
	var ok bool
	switch kind {
	case zrangeRank:
		if start, ok = c.strIntArgOrReply(c.argv[2]); !ok {
			return
		}
		if end, ok = c.strIntArgOrReply(c.argv[3]); !ok {
			return
		}
	case zrangeScore:
		if sr, ok = zset.ParseScoreRange(c.argv[2], c.argv[3]); !ok {
			c.addError(errZsetMinMax)
			return
		}
	case zrangeLex:
		if lr, ok = zset.ParseLexRange(c.argv[2], c.argv[3]); !ok {
			c.addError(errZsetLexMinMax)
			return
		}
	}
	o, ok := c.lookupZsetWrite(key)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	z := zsetOf(o)
	var a, b int
	event := ""
	switch kind {
	case zrangeRank:
		a, b = rankInterval(z.Len(), start, end, false)
		event = "zremrangebyrank"
	case zrangeScore:
		a, b = z.ScoreRanks(sr)
		event = "zremrangebyscore"
	case zrangeLex:
		a, b = z.LexRanks(lr, false)
		event = "zremrangebylex"
	}
	deleted := z.DeleteRange(a, b)
	if deleted > 0 {
		c.srv.notify(notifyZset, event, key, c.db.ID)
		c.zsetWritten(key, o)
		c.srv.dirty += int64(deleted)
	}
	c.addInt(int64(deleted))
}

// zsetMaybeNaN replaces NaN by 0, as Redis does for weighted scores and
// sums (inf * 0, inf + -inf).
func zsetMaybeNaN(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}
