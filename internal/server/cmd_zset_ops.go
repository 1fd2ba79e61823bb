package server

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/zset"
)

// Sorted set algebra (ZUNION, ZINTER, ZDIFF and their STORE forms,
// ZINTERCARD), pops (ZPOPMIN, ZPOPMAX, ZMPOP), ZRANDMEMBER and ZSCAN.

func init() {
	register(map[string]func(*Client){
		"zunion":      func(c *Client) { zsetOpGeneric(c, nil, 1, zopUnion, false) },
		"zinter":      func(c *Client) { zsetOpGeneric(c, nil, 1, zopInter, false) },
		"zdiff":       func(c *Client) { zsetOpGeneric(c, nil, 1, zopDiff, false) },
		"zunionstore": func(c *Client) { zsetOpGeneric(c, c.argv[1], 2, zopUnion, false) },
		"zinterstore": func(c *Client) { zsetOpGeneric(c, c.argv[1], 2, zopInter, false) },
		"zdiffstore":  func(c *Client) { zsetOpGeneric(c, c.argv[1], 2, zopDiff, false) },
		"zintercard":  func(c *Client) { zsetOpGeneric(c, nil, 1, zopInter, true) },
		"zpopmin":     func(c *Client) { zpopMinMax(c, false) },
		"zpopmax":     func(c *Client) { zpopMinMax(c, true) },
		"zmpop":       zmpopCommand,
		"zrandmember": zrandmemberCommand,
		"zscan":       zscanCommand,
	})
}

// zsetSetInput adapts a set value as an input of the sorted set algebra,
// every member scoring 1 (Redis's zsetopsrc over OBJ_SET): its size, a
// membership test and an iteration. The set family fills it; while it is
// nil, set inputs answer WRONGTYPE.
var zsetSetInput func(o *keyspace.Object) (n int, has func(m []byte) bool, each func(fn func(m []byte)))

// Set operations.
const (
	zopUnion = iota
	zopInter
	zopDiff
)

// zsrc is one input of the algebra: a sorted set, a set or a missing key.
type zsrc struct {
	z      *zset.ZSet
	setN   int
	setHas func(m []byte) bool
	setFor func(fn func(m []byte))
	weight float64
}

func (s *zsrc) length() int {
	if s.z != nil {
		return s.z.Len()
	}
	return s.setN
}

func (s *zsrc) find(m []byte) (float64, bool) {
	if s.z != nil {
		return s.z.Score(m)
	}
	if s.setHas != nil && s.setHas(m) {
		return 1, true
	}
	return 0, false
}

func (s *zsrc) each(fn func(m []byte, score float64)) {
	if s.z != nil {
		// Redis walks sorted-set inputs from the highest element down.
		s.z.Range(0, s.z.Len(), true, func(m []byte, sc float64) bool {
			fn(m, sc)
			return true
		})
		return
	}
	if s.setFor != nil {
		s.setFor(func(m []byte) { fn(m, 1) })
	}
}

// zaggregate folds v into *acc by the AGGREGATE mode.
func zaggregate(acc *float64, v float64, mode int) {
	switch mode {
	case 0: // SUM
		*acc = zsetMaybeNaN(*acc + v)
	case 1: // MIN
		if v < *acc {
			*acc = v
		}
	case 2: // MAX
		if v > *acc {
			*acc = v
		}
	}
}

// zscored is a member with its score, owned (not aliasing a set).
type zscored struct {
	m string
	s float64
}

// zsetOpGeneric is Redis's zunionInterDiffGenericCommand.
func zsetOpGeneric(c *Client, dst []byte, numIdx int, op int, cardOnly bool) {
	setnum, ok := c.strIntArgOrReply(c.argv[numIdx])
	if !ok {
		return
	}
	if setnum < 1 {
		c.addError("ERR at least 1 input key is needed for '" + strings.ToLower(string(c.argv[0])) + "' command")
		return
	}
	if setnum > int64(len(c.argv)-(numIdx+1)) {
		c.addError(errSyntax)
		return
	}
	n := int(setnum)
	srcs := make([]zsrc, n)
	j := numIdx + 1
	for i := 0; i < n; i, j = i+1, j+1 {
		o := c.lookupRead(c.argv[j])
		srcs[i].weight = 1
		if o == nil {
			continue
		}
		switch {
		case o.Kind() == keyspace.KindZSet:
			srcs[i].z = zsetOf(o)
		case o.Kind() == keyspace.KindSet && zsetSetInput != nil:
			srcs[i].setN, srcs[i].setHas, srcs[i].setFor = zsetSetInput(o)
		default:
			c.addError(errWrongType)
			return
		}
	}
	aggr := 0
	withScores := false
	var limit int64
	for remaining := len(c.argv) - j; remaining > 0; remaining = len(c.argv) - j {
		a := c.argv[j]
		switch {
		case op != zopDiff && !cardOnly && remaining >= n+1 && isOpt(a, "weights"):
			j++
			for i := 0; i < n; i, j = i+1, j+1 {
				w, ok := zset.ParseScore(c.argv[j])
				if !ok {
					c.addError("ERR weight value is not a float")
					return
				}
				srcs[i].weight = w
			}
		case op != zopDiff && !cardOnly && remaining >= 2 && isOpt(a, "aggregate"):
			m := c.argv[j+1]
			switch {
			case isOpt(m, "sum"):
				aggr = 0
			case isOpt(m, "min"):
				aggr = 1
			case isOpt(m, "max"):
				aggr = 2
			default:
				c.addError(errSyntax)
				return
			}
			j += 2
		case dst == nil && !cardOnly && isOpt(a, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && isOpt(a, "limit"):
			v, ok := keyspace.ParseCanonicalInt(c.argv[j+1])
			if !ok {
				c.addError("ERR LIMIT can't be negative")
				return
			}
			if v < 0 {
				c.addError("ERR LIMIT can't be negative")
				return
			}
			limit = v
			j += 2
		default:
			c.addError(errSyntax)
			return
		}
	}
	if op != zopDiff {
		sort.SliceStable(srcs, func(a, b int) bool { return srcs[a].length() < srcs[b].length() })
	}
	var result []zscored
	switch op {
	case zopInter:
		card := int64(0)
		if srcs[0].length() > 0 {
			stop := false
			srcs[0].each(func(m []byte, s float64) {
				if stop {
					return
				}
				score := zsetMaybeNaN(srcs[0].weight * s)
				for i := 1; i < n; i++ {
					v, found := srcs[i].find(m)
					if !found {
						return
					}
					zaggregate(&score, v*srcs[i].weight, aggr)
				}
				if cardOnly {
					card++
					if limit > 0 && card >= limit {
						stop = true
					}
					return
				}
				result = append(result, zscored{string(m), score})
			})
		}
		if cardOnly {
			c.addInt(card)
			return
		}
	case zopUnion:
		acc := map[string]int{}
		for i := range srcs {
			w := srcs[i].weight
			srcs[i].each(func(m []byte, s float64) {
				score := zsetMaybeNaN(w * s)
				if k, found := acc[string(m)]; found {
					zaggregate(&result[k].s, score, aggr)
					return
				}
				acc[string(m)] = len(result)
				result = append(result, zscored{string(m), score})
			})
		}
	case zopDiff:
		if srcs[0].length() > 0 {
			srcs[0].each(func(m []byte, s float64) {
				for i := 1; i < n; i++ {
					if _, found := srcs[i].find(m); found {
						return
					}
				}
				result = append(result, zscored{string(m), s})
			})
		}
	}
	if dst != nil {
		zsetStoreResult(c, dst, result, [...]string{"zunionstore", "zinterstore", "zdiffstore"}[op])
		return
	}
	sort.Slice(result, func(a, b int) bool {
		x, y := result[a], result[b]
		return x.s < y.s || (x.s == y.s && x.m < y.m)
	})
	c.addScoredLen(len(result), withScores)
	for _, e := range result {
		c.addScoredMember([]byte(e.m), e.s, withScores)
	}
}

// zsetFromResult builds a sorted set from distinct scored members, listpack
// encoded when it fits the limits.
func (s *Server) zsetFromResult(result []zscored) *zset.ZSet {
	maxLen := 0
	for _, e := range result {
		maxLen = max(maxLen, len(e.m))
	}
	z := zset.New(!s.zsetFitsListpack(len(result), maxLen))
	lim := zset.Limits{Entries: math.MaxInt64, Value: math.MaxInt64}
	for _, e := range result {
		z.Add([]byte(e.m), e.s, 0, lim)
	}
	return z
}

// zsetStoreResult stores result at dst (deleting dst when it is empty) and
// replies with its size, as the *STORE commands do.
func zsetStoreResult(c *Client, dst []byte, result []zscored, event string) {
	if len(result) == 0 {
		c.addInt(0)
		if c.db.Delete(dst) {
			c.srv.keyModified(c.db, dst)
			c.srv.notify(notifyGeneric, "del", dst, c.db.ID)
			c.srv.dirty++
		}
		return
	}
	z := c.srv.zsetFromResult(result)
	c.db.Set(dst, newZsetObject(z), false)
	c.srv.keyModified(c.db, dst)
	c.addInt(int64(z.Len()))
	c.srv.notify(notifyZset, event, dst, c.db.ID)
	c.srv.dirty++
}

// zpopMinMax is ZPOPMIN and ZPOPMAX.
func zpopMinMax(c *Client, max bool) {
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	count := int64(-1)
	if len(c.argv) == 3 {
		var ok bool
		if count, ok = c.positiveArg(c.argv[2]); !ok {
			return
		}
	}
	nested := c.resp > 2 && count != -1
	zpopGeneric(c, c.argv[1:2], max, false, count, nested, false)
}

// zpopGeneric is Redis's genericZpopCommand: pop up to count elements
// (-1: one, flat reply) from the first non-empty key. emitKey prefixes
// the key (BZPOP*, ZMPOP); nested makes [member, score] pairs; nilEmpty
// answers a null array rather than an empty one when no key has data. It
// returns the key popped from, or nil.
func zpopGeneric(c *Client, keys [][]byte, max, emitKey bool, count int64, nested, nilEmpty bool) []byte {
	var key []byte
	var o *keyspace.Object
	for _, k := range keys {
		o = c.lookupWrite(k)
		if o == nil {
			continue
		}
		if o.Kind() != keyspace.KindZSet {
			c.addError(errWrongType)
			return nil
		}
		key = k
		break
	}
	if o == nil {
		if nilEmpty {
			c.addNullArray()
		} else {
			c.addArrayLen(0)
		}
		return nil
	}
	if count == 0 {
		c.addArrayLen(0)
		return nil
	}
	single := count == -1
	if single {
		count = 1
	}
	z := zsetOf(o)
	n := int(min(count, int64(z.Len())))
	switch {
	case !nested && !emitKey:
		c.addArrayLen(2 * n)
	case nested && !emitKey:
		c.addArrayLen(n)
	case !nested && emitKey:
		c.addArrayLen(2*n + 1)
		c.addBulk(key)
	default:
		c.addArrayLen(2)
		c.addBulk(key)
		c.addArrayLen(n)
	}
	a, b := 0, n
	if max {
		a, b = z.Len()-n, z.Len()
	}
	z.Range(a, b, max, func(m []byte, s float64) bool {
		if nested {
			c.addArrayLen(2)
		}
		c.addBulk(m)
		c.addDouble(s)
		return true
	})
	z.DeleteRange(a, b)
	event := "zpopmin"
	if max {
		event = "zpopmax"
	}
	c.srv.notify(notifyZset, event, key, c.db.ID)
	if c.propagating() {
		// As ZPOPMIN/ZPOPMAX of the key popped from, with the number of
		// elements popped (Redis 7.0's form for ZMPOP and the blocking pops).
		verb := []byte("ZPOPMIN")
		if max {
			verb = []byte("ZPOPMAX")
		}
		if single {
			c.rewritePropagation(verb, key)
		} else {
			c.rewritePropagation(verb, key, strconv.AppendInt(nil, int64(n), 10))
		}
	}
	c.zsetWritten(key, o)
	c.srv.dirty += int64(n)
	return key
}

// zmpopArgs parses ZMPOP/BZMPOP from argv[numIdx]: the keys, MIN|MAX and
// COUNT. It replies with the error and returns ok false on failure.
func zmpopArgs(c *Client, numIdx int) (keys [][]byte, max bool, count int64, ok bool) {
	numkeys, isInt := keyspace.ParseCanonicalInt(c.argv[numIdx])
	if !isInt || numkeys < 1 {
		c.addError("ERR numkeys should be greater than 0")
		return nil, false, 0, false
	}
	whereIdx := int64(numIdx) + numkeys + 1
	if whereIdx >= int64(len(c.argv)) || whereIdx < 0 {
		c.addError(errSyntax)
		return nil, false, 0, false
	}
	switch w := c.argv[whereIdx]; {
	case isOpt(w, "min"):
	case isOpt(w, "max"):
		max = true
	default:
		c.addError(errSyntax)
		return nil, false, 0, false
	}
	count = -1
	for j := int(whereIdx) + 1; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		if count == -1 && isOpt(c.argv[j], "count") && more > 0 {
			j++
			v, isInt := keyspace.ParseCanonicalInt(c.argv[j])
			if !isInt || v < 1 {
				c.addError("ERR count should be greater than 0")
				return nil, false, 0, false
			}
			count = v
		} else {
			c.addError(errSyntax)
			return nil, false, 0, false
		}
	}
	if count == -1 {
		count = 1
	}
	return c.argv[numIdx+1 : whereIdx], max, count, true
}

func zmpopCommand(c *Client) {
	keys, max, count, ok := zmpopArgs(c, 1)
	if !ok {
		return
	}
	zpopGeneric(c, keys, max, true, count, true, true)
}

func zrandmemberCommand(c *Client) {
	if len(c.argv) >= 3 {
		l, ok := keyspace.ParseCanonicalInt(c.argv[2])
		if !ok {
			c.addError(errNotInteger)
			return
		}
		if l == math.MinInt64 {
			c.addError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
			return
		}
		if len(c.argv) > 4 || (len(c.argv) == 4 && !isOpt(c.argv[3], "withscores")) {
			c.addError(errSyntax)
			return
		}
		withScores := len(c.argv) == 4
		if withScores && (l < -math.MaxInt64/2 || l > math.MaxInt64/2) {
			c.addError("ERR value is out of range")
			return
		}
		zrandmemberWithCount(c, l, withScores)
		return
	}
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	z := zsetOf(o)
	z.Range(z.RandomRank(), z.Len(), false, func(m []byte, _ float64) bool {
		c.addBulk(m)
		return false
	})
}

func zrandmemberWithCount(c *Client, l int64, withScores bool) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil || l == 0 {
		c.addArrayLen(0)
		return
	}
	z := zsetOf(o)
	size := z.Len()
	emit := func(r int) {
		z.Range(r, r+1, false, func(m []byte, s float64) bool {
			c.addScoredMember(m, s, withScores)
			return false
		})
	}
	if l < 0 || l == 1 {
		count := l
		if count < 0 {
			count = -count
		}
		c.addScoredLen(int(count), withScores)
		for ; count > 0; count-- {
			emit(z.RandomRank())
		}
		return
	}
	if l >= int64(size) {
		// The whole set, walked from the top as Redis's iterator does.
		c.addScoredLen(size, withScores)
		z.Range(0, size, true, func(m []byte, s float64) bool {
			c.addScoredMember(m, s, withScores)
			return true
		})
		return
	}
	// Distinct random ranks: a partial Fisher-Yates shuffle.
	ranks := make([]int, size)
	for i := range ranks {
		ranks[i] = i
	}
	count := int(l)
	for i := 0; i < count; i++ {
		k := i + rand.IntN(size-i)
		ranks[i], ranks[k] = ranks[k], ranks[i]
	}
	ranks = ranks[:count]
	if z.IsListpack() {
		// Redis picks listpack samples in listpack order.
		sort.Ints(ranks)
	}
	c.addScoredLen(count, withScores)
	for _, r := range ranks {
		emit(r)
	}
}

func zscanCommand(c *Client) {
	o, cursor, opt, ok := c.scanKeyStart(keyspace.KindZSet)
	if !ok {
		return
	}
	z := zsetOf(o)
	var out []zscored
	if z.IsListpack() {
		z.Range(0, z.Len(), false, func(m []byte, s float64) bool {
			out = append(out, zscored{string(m), s})
			return true
		})
		cursor = 0
	} else {
		cursor = scanWalk(cursor, opt.count, func() int64 { return int64(len(out)) }, func(cur uint64) uint64 {
			return z.Scan(cur, func(m string, s float64) { out = append(out, zscored{m, s}) })
		})
	}
	if opt.usePattern {
		kept := out[:0]
		for _, e := range out {
			if glob.MatchKey(opt.pattern, e.m) {
				kept = append(kept, e)
			}
		}
		out = kept
	}
	c.addArrayLen(2)
	c.addBulkInt(int64(cursor))
	c.addArrayLen(2 * len(out))
	var buf []byte
	for _, e := range out {
		c.addBulkString(e.m)
		buf = zset.FormatScore(buf[:0], e.s)
		c.addBulk(buf)
	}
}
