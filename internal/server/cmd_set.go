package server

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/set"
)

// The SET commands of Redis 7.0 (t_set.c): replies, errors, keyspace
// events, the order of checks and the encoding each operation leaves
// behind follow Redis, so intset replies (sorted) are byte-identical and
// OBJECT ENCODING agrees. Hashtable iteration order differs (different
// hash function), as it does between two Redis processes.

func init() {
	register(map[string]func(*Client){
		"sadd":        saddCommand,
		"srem":        sremCommand,
		"smove":       smoveCommand,
		"sismember":   sismemberCommand,
		"smismember":  smismemberCommand,
		"scard":       scardCommand,
		"smembers":    smembersCommand,
		"srandmember": srandmemberCommand,
		"spop":        spopCommand,
		"sinter":      sinterCommand,
		"sintercard":  sintercardCommand,
		"sinterstore": sinterstoreCommand,
		"sunion":      sunionCommand,
		"sunionstore": sunionstoreCommand,
		"sdiff":       sdiffCommand,
		"sdiffstore":  sdiffstoreCommand,
		"sscan":       sscanCommand,
	})
}

// setOf returns the set a set-kind object holds.
func setOf(o *keyspace.Object) *set.Set { return (*set.Set)(o.Ptr()) }

// newSetValue wraps s as a keyspace value.
func newSetValue(s *set.Set) keyspace.Object {
	return keyspace.NewValue(keyspace.KindSet, s.Encoding(), unsafe.Pointer(s))
}

// syncSetEncoding records a conversion in the object header.
func syncSetEncoding(o *keyspace.Object) { o.SetEncoding(setOf(o).Encoding()) }

// maxIntset is set-max-intset-entries.
func (c *Client) maxIntset() int64 { return c.srv.cfg.SetMaxIntsetEntries }

// addSetMember replies with one member.
func (c *Client) addSetMember(m set.Member) {
	if m.IsInt {
		c.addBulkInt(m.Int)
	} else {
		c.addBulkString(m.Str)
	}
}

// addEmptySet is Redis's shared.emptyset: "*0" in RESP2, "~0" in RESP3.
func (c *Client) addEmptySet() { c.addSetLen(0) }

// replySetMembers sends the whole set as a set reply, in iteration order.
func (c *Client) replySetMembers(s *set.Set) {
	c.addSetLen(s.Len())
	s.Each(func(m set.Member) bool { c.addSetMember(m); return true })
}

// deleteEmptied removes key after a command emptied its set, firing "del"
// after the command's own event, as Redis does.
func (c *Client) deleteEmptied(key []byte) {
	c.db.Delete(key)
	c.srv.notify(notifyGeneric, "del", key, c.db.ID)
}

func saddCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o != nil && o.Kind() != keyspace.KindSet {
		c.addError(errWrongType)
		return
	}
	if o == nil {
		o = c.db.Add(key, newSetValue(set.NewFor(c.argv[2])))
	}
	s := setOf(o)
	var added int64
	for _, m := range c.argv[2:] {
		if s.Add(m, c.maxIntset()) {
			added++
		}
	}
	syncSetEncoding(o)
	if added > 0 {
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifySet, "sadd", key, c.db.ID)
	}
	c.srv.dirty += added
	c.addInt(added)
}

func sremCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Kind() != keyspace.KindSet {
		c.addError(errWrongType)
		return
	}
	s := setOf(o)
	var deleted int64
	removed := false
	for _, m := range c.argv[2:] {
		if s.Remove(m) {
			deleted++
			if s.Len() == 0 {
				c.db.Delete(key)
				removed = true
				break
			}
		}
	}
	if deleted > 0 {
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifySet, "srem", key, c.db.ID)
		if removed {
			c.srv.notify(notifyGeneric, "del", key, c.db.ID)
		}
		c.srv.dirty += deleted
	}
	c.addInt(deleted)
}

func smoveCommand(c *Client) {
	src, dst, ele := c.argv[1], c.argv[2], c.argv[3]
	so := c.lookupWrite(src)
	do := c.lookupWrite(dst)
	if so == nil {
		c.addInt(0)
		return
	}
	if so.Kind() != keyspace.KindSet || (do != nil && do.Kind() != keyspace.KindSet) {
		c.addError(errWrongType)
		return
	}
	ss := setOf(so)
	if do != nil && setOf(do) == ss {
		if ss.Has(ele) {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
		return
	}
	if !ss.Remove(ele) {
		c.addInt(0)
		return
	}
	c.srv.notify(notifySet, "srem", src, c.db.ID)
	if ss.Len() == 0 {
		c.deleteEmptied(src)
	}
	if do == nil {
		do = c.db.Add(dst, newSetValue(set.NewFor(ele)))
	}
	c.srv.keyModified(c.db, src)
	c.srv.dirty++
	if setOf(do).Add(ele, c.maxIntset()) {
		syncSetEncoding(do)
		c.srv.dirty++
		c.srv.keyModified(c.db, dst)
		c.srv.notify(notifySet, "sadd", dst, c.db.ID)
	}
	c.addInt(1)
}

// lookupSetRead returns the set at key for reading; ok is false after a
// WRONGTYPE reply. A missing key gives (nil, true).
func (c *Client) lookupSetRead(key []byte) (*set.Set, bool) {
	o := c.lookupRead(key)
	if o == nil {
		return nil, true
	}
	if o.Kind() != keyspace.KindSet {
		c.addError(errWrongType)
		return nil, false
	}
	return setOf(o), true
}

func sismemberCommand(c *Client) {
	s, ok := c.lookupSetRead(c.argv[1])
	if !ok {
		return
	}
	if s != nil && s.Has(c.argv[2]) {
		c.addInt(1)
	} else {
		c.addInt(0)
	}
}

func smismemberCommand(c *Client) {
	s, ok := c.lookupSetRead(c.argv[1])
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		if s != nil && s.Has(m) {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
	}
}

func scardCommand(c *Client) {
	s, ok := c.lookupSetRead(c.argv[1])
	if !ok {
		return
	}
	if s == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(s.Len()))
}

// errSrandRange: SRANDMEMBER's count must be in -LONG_MAX..LONG_MAX.
const errSrandRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"

func srandmemberCommand(c *Client) {
	if len(c.argv) == 3 {
		srandmemberWithCount(c)
		return
	}
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	s, ok := c.lookupSetRead(c.argv[1])
	if !ok {
		return
	}
	if s == nil {
		c.addNull()
		return
	}
	c.addSetMember(s.Random())
}

func srandmemberWithCount(c *Client) {
	l, ok := keyspace.ParseCanonicalInt(c.argv[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if l == math.MinInt64 {
		c.addError(errSrandRange)
		return
	}
	uniq := l >= 0
	count := uint64(l)
	if !uniq {
		count = uint64(-l)
	}
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addArrayLen(0)
		return
	}
	if o.Kind() != keyspace.KindSet {
		c.addError(errWrongType)
		return
	}
	s := setOf(o)
	if count == 0 {
		c.addArrayLen(0)
		return
	}
	size := uint64(s.Len())
	// Negative count: independent picks, repetitions allowed.
	if !uniq || count == 1 {
		c.addArrayLen(int(count))
		for ; count > 0; count-- {
			c.addSetMember(s.Random())
		}
		return
	}
	// The whole set, in its iteration order.
	if count >= size {
		c.addArrayLen(int(size))
		s.Each(func(m set.Member) bool { c.addSetMember(m); return true })
		return
	}
	c.addArrayLen(int(count))
	for _, m := range distinctRandomMembers(s, int(count)) {
		c.addSetMember(m)
	}
}

// distinctRandomMembers picks count distinct members (count < size) in
// random order.
func distinctRandomMembers(s *set.Set, count int) []set.Member {
	size := s.Len()
	if count*3 > size {
		// Many of them: shuffle a copy and take a prefix.
		all := make([]set.Member, 0, size)
		s.Each(func(m set.Member) bool { all = append(all, m); return true })
		for i := 0; i < count; i++ {
			j := i + rand.IntN(size-i)
			all[i], all[j] = all[j], all[i]
		}
		return all[:count]
	}
	seen := make(map[set.Member]struct{}, count)
	out := make([]set.Member, 0, count)
	for len(out) < count {
		m := s.Random()
		if _, dup := seen[m]; dup {
			continue
		}
		seen[m] = struct{}{}
		out = append(out, m)
	}
	return out
}

// spopMoveStrategyMul is Redis's SPOP_MOVE_STRATEGY_MUL: when fewer than
// count*this members would remain, SPOP rebuilds the set from the members
// that stay instead of popping one by one.
const spopMoveStrategyMul = 5

func spopCommand(c *Client) {
	if len(c.argv) == 3 {
		spopWithCount(c)
		return
	}
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addNull()
		return
	}
	if o.Kind() != keyspace.KindSet {
		c.addError(errWrongType)
		return
	}
	s := setOf(o)
	m := s.Random()
	val := m.Append(nil)
	s.RemoveMember(m)
	c.srv.notify(notifySet, "spop", key, c.db.ID)
	if c.propagating() {
		c.rewritePropagation([]byte("SREM"), key, val) // the member chosen
	}
	c.addBulk(val)
	if s.Len() == 0 {
		c.deleteEmptied(key)
	}
	c.srv.keyModified(c.db, key)
	c.srv.dirty++
}

func spopWithCount(c *Client) {
	l, ok := c.positiveArg(c.argv[2])
	if !ok {
		return
	}
	count := uint64(l)
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addEmptySet()
		return
	}
	if o.Kind() != keyspace.KindSet {
		c.addError(errWrongType)
		return
	}
	if count == 0 {
		c.addEmptySet()
		return
	}
	s := setOf(o)
	size := uint64(s.Len())
	c.srv.notify(notifySet, "spop", key, c.db.ID)
	if count >= size {
		c.srv.dirty += int64(size)
		// Everything: replied as SUNION of the key would, then deleted.
		c.srv.stats.keyspaceHits++ // Redis reads the key again for the reply
		c.replySetMembers(unionOf(c, []*set.Set{s}))
		c.deleteEmptied(key)
		c.srv.keyModified(c.db, key)
		if c.propagating() {
			// DEL even with lazyfree-lazy-server-del (redis-server 7.0.15).
			c.rewritePropagation([]byte("DEL"), key)
		}
		return
	}
	// Each member popped propagates as its own SREM (Redis 7.0), so the
	// random choice is replayed exactly.
	prop := c.propagating()
	if prop {
		c.preventPropagation()
	}
	srem := func(m []byte) {
		if prop {
			c.srv.alsoPropagate(c.db.ID, [][]byte{[]byte("SREM"), key, m}, propagateAll)
		}
	}
	c.srv.dirty += int64(count)
	remaining := size - count
	c.addSetLen(int(count))
	if remaining*spopMoveStrategyMul > count {
		for ; count > 0; count-- {
			m := s.Random()
			b := m.Append(nil)
			c.addBulk(b)
			srem(b)
			s.RemoveMember(m)
		}
		syncSetEncoding(o)
	} else {
		// Move the members that stay into a new set (created for the first
		// of them, so it may be an intset again), reply with the rest.
		var ns *set.Set
		var buf []byte
		for ; remaining > 0; remaining-- {
			m := s.Random()
			buf = m.Append(buf[:0])
			if ns == nil {
				ns = set.NewFor(buf)
			}
			ns.Add(buf, c.maxIntset())
			s.RemoveMember(m)
		}
		s.Each(func(m set.Member) bool {
			c.addSetMember(m)
			if prop {
				srem(m.Append(nil))
			}
			return true
		})
		o.Replace(newSetValue(ns))
	}
	c.srv.keyModified(c.db, key)
}

// unionOf builds a new set of the members of sets (nil ones skipped)
// starting from an empty intset, as SUNION does.
func unionOf(c *Client, sets []*set.Set) *set.Set {
	dst := set.New()
	for _, s := range sets {
		if s == nil {
			continue
		}
		s.Each(func(m set.Member) bool {
			if m.IsInt {
				dst.AddInt(m.Int, c.maxIntset())
			} else {
				dst.Add(m.Bytes(), c.maxIntset())
			}
			return true
		})
	}
	return dst
}

// lookupSets looks up every key for reading (hit/miss statistics, even
// for the STORE forms, as Redis 7.0). A missing key is a nil entry. ok is
// false after a WRONGTYPE reply.
func (c *Client) lookupSets(keys [][]byte) (sets []*set.Set, missing int, ok bool) {
	sets = make([]*set.Set, len(keys))
	for i, k := range keys {
		o := c.lookupRead(k)
		if o == nil {
			missing++
			continue
		}
		if o.Kind() != keyspace.KindSet {
			c.addError(errWrongType)
			return nil, 0, false
		}
		sets[i] = setOf(o)
	}
	return sets, missing, true
}

// storeSetResult stores dst at dstkey (replacing any value and TTL) when it
// is not empty, else deletes dstkey; it replies with the cardinality.
func (c *Client) storeSetResult(dstkey []byte, dst *set.Set, event string) {
	if dst.Len() > 0 {
		c.db.Set(dstkey, newSetValue(dst), false)
		c.srv.keyModified(c.db, dstkey)
		c.addInt(int64(dst.Len()))
		c.srv.notify(notifySet, event, dstkey, c.db.ID)
		c.srv.dirty++
		return
	}
	c.addInt(0)
	c.deleteDst(dstkey)
}

// deleteDst removes a store command's destination when the result is empty.
func (c *Client) deleteDst(dstkey []byte) {
	if c.db.DeleteUnexpired(dstkey) {
		c.srv.dirty++
		c.srv.keyModified(c.db, dstkey)
		c.srv.notify(notifyGeneric, "del", dstkey, c.db.ID)
	}
}

// sinterGeneric is SINTER, SMEMBERS, SINTERSTORE and SINTERCARD (with
// cardOnly, stopping at limit when limit > 0).
func sinterGeneric(c *Client, keys [][]byte, dstkey []byte, cardOnly bool, limit int64) {
	sets, missing, ok := c.lookupSets(keys)
	if !ok {
		return
	}
	if missing > 0 {
		switch {
		case dstkey != nil:
			c.deleteDst(dstkey)
			c.addInt(0)
		case cardOnly:
			c.addInt(0)
		default:
			c.addEmptySet()
		}
		return
	}
	// Smallest first: fewer membership tests (stable, like glibc's qsort).
	sort.SliceStable(sets, func(i, j int) bool { return sets[i].Len() < sets[j].Len() })

	var dst *set.Set
	var reply deferredLen
	if dstkey != nil {
		dst = set.New()
	} else if !cardOnly {
		reply = c.addDeferredLen()
	}
	var card int64
	first := sets[0]
	first.Each(func(m set.Member) bool {
		var str []byte
		for _, s := range sets[1:] {
			if s == first {
				continue
			}
			if m.IsInt {
				if !s.HasInt(m.Int) {
					return true
				}
			} else {
				if str == nil {
					str = m.Bytes()
				}
				if !s.Has(str) {
					return true
				}
			}
		}
		switch {
		case cardOnly:
			card++
			if limit > 0 && card == limit {
				return false
			}
		case dst != nil:
			if m.IsInt {
				dst.AddInt(m.Int, c.maxIntset())
			} else {
				dst.Add(m.Bytes(), c.maxIntset())
			}
		default:
			c.addSetMember(m)
			card++
		}
		return true
	})
	switch {
	case cardOnly:
		c.addInt(card)
	case dst != nil:
		c.storeSetResult(dstkey, dst, "sinterstore")
	default:
		c.setDeferredLen(reply, '~', int(card))
	}
}

func sinterCommand(c *Client)      { sinterGeneric(c, c.argv[1:], nil, false, 0) }
func smembersCommand(c *Client)    { sinterGeneric(c, c.argv[1:2], nil, false, 0) }
func sinterstoreCommand(c *Client) { sinterGeneric(c, c.argv[2:], c.argv[1], false, 0) }

func sintercardCommand(c *Client) {
	const errNumkeys = "ERR numkeys should be greater than 0"
	numkeys, ok := keyspace.ParseCanonicalInt(c.argv[1])
	if !ok || numkeys < 1 {
		c.addError(errNumkeys)
		return
	}
	if numkeys > int64(len(c.argv)-2) {
		c.addError("ERR Number of keys can't be greater than number of args")
		return
	}
	var limit int64
	for j := 2 + int(numkeys); j < len(c.argv); j++ {
		if isOpt(c.argv[j], "limit") && j+1 < len(c.argv) {
			v, ok := keyspace.ParseCanonicalInt(c.argv[j+1])
			if !ok || v < 0 {
				c.addError("ERR LIMIT can't be negative")
				return
			}
			limit = v
			j++
		} else {
			c.addError(errSyntax)
			return
		}
	}
	sinterGeneric(c, c.argv[2:2+numkeys], nil, true, limit)
}

// Set operations of SUNION/SDIFF and their STORE forms.
const (
	setOpUnion = iota
	setOpDiff
)

func sunionDiffGeneric(c *Client, keys [][]byte, dstkey []byte, op int) {
	sets, _, ok := c.lookupSets(keys)
	if !ok {
		return
	}
	// DIFF picks the cheaper of two algorithms by an estimate of the work:
	// 1) test each member of the first set against the others (largest
	// first, to fail fast), or 2) copy the first set and remove the others.
	// The choice shows: a copy that grew past set-max-intset-entries stays
	// a hashtable even when removals shrink it.
	algo := 1
	if op == setOpDiff && sets[0] != nil {
		var one, two int64
		for _, s := range sets {
			if s == nil {
				continue
			}
			one += int64(sets[0].Len())
			two += int64(s.Len())
		}
		one /= 2
		if one > two {
			algo = 2
		}
		if algo == 1 && len(sets) > 1 {
			rest := sets[1:]
			sort.SliceStable(rest, func(i, j int) bool {
				return setLenOrZero(rest[i]) > setLenOrZero(rest[j])
			})
		}
	}
	max := c.maxIntset()
	dst := set.New()
	add := func(m set.Member) {
		if m.IsInt {
			dst.AddInt(m.Int, max)
		} else {
			dst.Add(m.Bytes(), max)
		}
	}
	switch {
	case op == setOpUnion:
		dst = unionOf(c, sets)
	case algo == 1:
		if sets[0] != nil {
			sets[0].Each(func(m set.Member) bool {
				var str []byte
				for _, s := range sets[1:] {
					if s == nil {
						continue
					}
					if s == sets[0] {
						return true
					}
					if m.IsInt {
						if s.HasInt(m.Int) {
							return true
						}
					} else {
						if str == nil {
							str = m.Bytes()
						}
						if s.Has(str) {
							return true
						}
					}
				}
				add(m)
				return true
			})
		}
	default:
		for j, s := range sets {
			if s == nil {
				continue
			}
			if j == 0 {
				s.Each(func(m set.Member) bool { add(m); return true })
			} else {
				s.Each(func(m set.Member) bool {
					if m.IsInt {
						var buf [24]byte
						dst.Remove(strconv.AppendInt(buf[:0], m.Int, 10))
					} else {
						dst.Remove(m.Bytes())
					}
					return true
				})
			}
			if dst.Len() == 0 {
				break
			}
		}
	}
	if dstkey == nil {
		c.replySetMembers(dst)
		return
	}
	event := "sunionstore"
	if op == setOpDiff {
		event = "sdiffstore"
	}
	c.storeSetResult(dstkey, dst, event)
}

func setLenOrZero(s *set.Set) int {
	if s == nil {
		return 0
	}
	return s.Len()
}

func sunionCommand(c *Client)      { sunionDiffGeneric(c, c.argv[1:], nil, setOpUnion) }
func sunionstoreCommand(c *Client) { sunionDiffGeneric(c, c.argv[2:], c.argv[1], setOpUnion) }
func sdiffCommand(c *Client)       { sunionDiffGeneric(c, c.argv[1:], nil, setOpDiff) }
func sdiffstoreCommand(c *Client)  { sunionDiffGeneric(c, c.argv[2:], c.argv[1], setOpDiff) }

// emptyScanReply is Redis's shared.emptyscan.
var emptyScanReply = []byte("*2\r\n$1\r\n0\r\n*0\r\n")

func sscanCommand(c *Client) {
	o, cursor, opt, ok := c.scanKeyStart(keyspace.KindSet)
	if !ok {
		return
	}
	s := setOf(o)
	var out [][]byte
	if s.IsIntset() {
		cursor = s.Scan(cursor, func(m set.Member) { out = append(out, m.Append(nil)) })
	} else {
		cursor = scanWalk(cursor, opt.count, func() int64 { return int64(len(out)) }, func(cur uint64) uint64 {
			return s.Scan(cur, func(m set.Member) { out = append(out, m.Append(nil)) })
		})
	}
	if opt.usePattern {
		kept := out[:0]
		for _, m := range out {
			if glob.Match(opt.pattern, m) {
				kept = append(kept, m)
			}
		}
		out = kept
	}
	c.addArrayLen(2)
	c.addBulkInt(int64(cursor))
	c.addArrayLen(len(out))
	for _, m := range out {
		c.addBulk(m)
	}
}

// Value hooks: memory, digest, COPY, DEBUG HTSTATS-KEY and
// serializedlength for sets.
func init() {
	keyspace.ValueSizers[keyspace.KindSet] = func(o *keyspace.Object) int64 { return setOf(o).MemBytes() }
	memoryUsageHooks[keyspace.KindSet] = setMemoryUsage
	digestValueHooks[keyspace.KindSet] = func(d *digest, o *keyspace.Object) {
		var buf []byte
		setOf(o).Each(func(m set.Member) bool {
			buf = m.Append(buf[:0])
			d.xor(buf)
			return true
		})
	}
	registerDup(keyspace.KindSet, func(o *keyspace.Object) keyspace.Object {
		return newSetValue(setOf(o).Dup())
	})
	htStatsKeyHooks[keyspace.KindSet] = func(b *strings.Builder, o *keyspace.Object) bool {
		s := setOf(o)
		if s.IsIntset() {
			return false
		}
		htStatsText(b, s.Table())
		return true
	}
	serializedLenHooks[keyspace.KindSet] = func(o *keyspace.Object) int {
		s := setOf(o)
		if s.IsIntset() {
			return serializedStringLen(ptrTo(keyspace.NewRawString(s.IntsetBlob())))
		}
		n := rdbLenSize(s.Len())
		s.Each(func(m set.Member) bool {
			n += serializedStringLen(ptrTo(keyspace.NewRawString(m.Bytes())))
			return true
		})
		return n
	}
}

func ptrTo(o keyspace.Object) *keyspace.Object { return &o }

// Redis's sizes for the parts of a hashtable set.
const (
	redisDictSize    = 56 // struct dict
	redisPointerSize = 8
)

// setMemoryUsage is Redis's objectComputeSize for a set: the intset's
// allocation, or the table plus the average of up to samples members
// (0: all) times the cardinality.
func setMemoryUsage(o *keyspace.Object, samples int) int {
	s := setOf(o)
	if s.IsIntset() {
		return robjSize + mallocSize(s.IntsetBlobLen())
	}
	d := s.Table()
	size := robjSize + redisDictSize + redisPointerSize*d.Buckets()
	var elesize, n int
	s.Each(func(m set.Member) bool {
		if samples > 0 && n >= samples {
			return false
		}
		elesize += dictEntrySize + sdsAllocSize(len(m.Str))
		n++
		return true
	})
	if n == 0 {
		return size
	}
	// In double precision and truncated once, as Redis adds it to a size_t.
	return int(float64(size) + float64(elesize)/float64(n)*float64(d.Len()))
}
