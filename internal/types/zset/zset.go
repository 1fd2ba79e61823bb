// Package zset is the sorted set value: members with float64 scores kept
// in (score, member) order, in one of Redis's two encodings — a compact
// listpack for small sets, and a skiplist (ordered, with spans for ranks)
// plus a dict from member to node for large ones. Conversion from listpack
// to skiplist happens when the zset-max-listpack-* limits are exceeded and
// never goes back on its own (ConvertToListpack is for commands that build
// a new set, as Redis's zsetConvertToListpackIfNeeded). Nothing here knows
// about clients or the keyspace.
package zset

import (
	"math"
	"math/rand/v2"
	"unsafe"

	"github.com/modis/modis/internal/dict"
)

// ZSet is a sorted set. The zero value is not usable: use New.
type ZSet struct {
	lp   []byte // listpack encoding (see listpack.go); unused when sl != nil
	n    int    // listpack entry count
	sl   *skiplist
	dict *dict.Dict[*slNode]
	mem  int64 // skiplist: running estimate of the nodes' heap bytes
}

// New returns an empty set, listpack encoded unless skiplist is true.
func New(skiplist bool) *ZSet {
	z := &ZSet{}
	if skiplist {
		z.sl, z.dict = newSkiplist(), dict.New[*slNode]()
	}
	return z
}

// IsListpack reports whether the set uses the listpack encoding.
func (z *ZSet) IsListpack() bool { return z.sl == nil }

// Len returns the number of elements.
func (z *ZSet) Len() int {
	if z.sl == nil {
		return z.n
	}
	return z.sl.length
}

// Scan visits the dict bucket(s) of a skiplist-encoded set addressed by
// cursor (see dict.Scan) and returns the next cursor.
func (z *ZSet) Scan(cursor uint64, fn func(member string, score float64)) uint64 {
	return z.dict.Scan(cursor, func(n *dict.Node[*slNode]) { fn(n.Key, n.Val.score) })
}

// EachUnordered calls fn for every element, in dict order for a skiplist
// (the order Redis's dict iteration would have, up to hashing) and in
// rank order for a listpack.
func (z *ZSet) EachUnordered(fn func(member []byte, score float64)) {
	if z.sl == nil {
		z.Range(0, z.n, false, func(m []byte, s float64) bool { fn(m, s); return true })
		return
	}
	z.dict.Each(func(n *dict.Node[*slNode]) bool { fn(memberBytes(n.Key), n.Val.score); return true })
}

// Elem is a skiplist element as the member dict holds it.
type Elem = slNode

// Dict returns the member dict of a skiplist-encoded set (nil for a
// listpack), for DEBUG HTSTATS-KEY.
func (z *ZSet) Dict() *dict.Dict[*Elem] { return z.dict }

// HTStats returns the member dict's table stats (skiplist encoding only).
func (z *ZSet) HTStats() []dict.TableStats { return z.dict.Stats() }

// Buckets returns the member dict's bucket count (0 for a listpack).
func (z *ZSet) Buckets() int {
	if z.dict == nil {
		return 0
	}
	return z.dict.Buckets()
}

// nodeCost estimates the heap bytes of one skiplist element: dict node,
// skiplist node, its level array and the member bytes.
func nodeCost(memberLen, levels int) int64 {
	return 32 + 64 + sizeClass(int64(levels-1)*16) + sizeClass(int64(memberLen))
}

// sizeClass rounds n up to a plausible allocation size (multiple of 16
// above 16 bytes, of 8 below).
func sizeClass(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if n <= 16 {
		return (n + 7) &^ 7
	}
	return (n + 15) &^ 15
}

// MemBytes estimates the heap memory of the set's structures.
func (z *ZSet) MemBytes() int64 {
	if z.sl == nil {
		return 48 + int64(cap(z.lp))
	}
	return 48 + 32 + 64 + maxLevel*16 + z.mem + 8*int64(z.dict.Buckets())
}

// Score returns member's score.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if z.sl == nil {
		_, s, ok := lpFind(z.lp, member)
		return s, ok
	}
	if n := z.dict.Find(member); n != nil {
		return n.Val.score, true
	}
	return 0, false
}

// Rank returns member's 0-based rank in ascending order.
func (z *ZSet) Rank(member []byte) (int, bool) {
	if z.sl == nil {
		r := 0
		for off := 0; off < len(z.lp); r++ {
			m, _, next := lpEntry(z.lp, off)
			if string(m) == string(member) {
				return r, true
			}
			off = next
		}
		return 0, false
	}
	n := z.dict.Find(member)
	if n == nil {
		return 0, false
	}
	return z.sl.rank(n.Val.score, n.Val.member) - 1, true
}

// insert adds an absent member without any encoding checks.
func (z *ZSet) insert(member []byte, score float64) {
	if z.sl == nil {
		z.lp = lpInsert(z.lp, member, score)
		z.n++
		return
	}
	m := string(member)
	x := z.sl.insert(score, m)
	z.dict.InsertString(x.member, x)
	z.mem += nodeCost(len(m), x.levels())
}

// setScore changes the score of a present member.
func (z *ZSet) setScore(member []byte, cur, score float64) {
	if z.sl == nil {
		off, _, _ := lpFind(z.lp, member)
		z.lp = lpDelete(z.lp, off)
		z.lp = lpInsert(z.lp, member, score)
		return
	}
	n := z.dict.Find(member)
	old := n.Val
	x := z.sl.updateScore(cur, old.member, score)
	if x != old {
		z.mem += sizeClass(int64(16*(x.levels()-1))) - sizeClass(int64(16*(old.levels()-1)))
	}
	n.Val = x
}

// Delete removes member and reports whether it was there.
func (z *ZSet) Delete(member []byte) bool {
	if z.sl == nil {
		off, _, ok := lpFind(z.lp, member)
		if !ok {
			return false
		}
		z.lp = lpDelete(z.lp, off)
		z.n--
		return true
	}
	n := z.dict.Delete(member)
	if n == nil {
		return false
	}
	z.sl.delete(n.Val.score, n.Val.member)
	z.mem -= nodeCost(len(n.Key), n.Val.levels())
	z.dict.ShrinkIfNeeded()
	return true
}

// DeleteRange removes the elements of 0-based ranks [start, end) and
// returns how many it removed.
func (z *ZSet) DeleteRange(start, end int) int {
	if start < 0 {
		start = 0
	}
	if end > z.Len() {
		end = z.Len()
	}
	if start >= end {
		return 0
	}
	if z.sl == nil {
		a := lpSeek(z.lp, start)
		b := a
		for i := start; i < end; i++ {
			_, _, b = lpEntry(z.lp, b)
		}
		z.lp = append(z.lp[:a], z.lp[b:]...)
		z.n -= end - start
		return end - start
	}
	z.sl.deleteRange(start+1, end, func(x *slNode) {
		z.dict.DeleteString(x.member)
		z.mem -= nodeCost(len(x.member), x.levels())
	})
	z.dict.ShrinkIfNeeded()
	return end - start
}

// Range calls fn for the elements of 0-based ranks [start, end), from
// start upwards, or from end-1 downwards when rev is set, until fn returns
// false. member aliases the set's storage: it is valid only during the
// call.
func (z *ZSet) Range(start, end int, rev bool, fn func(member []byte, score float64) bool) {
	if start < 0 {
		start = 0
	}
	if end > z.Len() {
		end = z.Len()
	}
	if start >= end {
		return
	}
	if z.sl == nil {
		if !rev {
			off := lpSeek(z.lp, start)
			for i := start; i < end; i++ {
				m, s, next := lpEntry(z.lp, off)
				if !fn(m, s) {
					return
				}
				off = next
			}
			return
		}
		offs := lpOffsets(z.lp, z.n)
		for i := end - 1; i >= start; i-- {
			m, s, _ := lpEntry(z.lp, offs[i])
			if !fn(m, s) {
				return
			}
		}
		return
	}
	if !rev {
		x := z.sl.byRank(start + 1)
		for i := start; i < end && x != nil; i++ {
			if !fn(memberBytes(x.member), x.score) {
				return
			}
			x = x.lv(0).forward
		}
		return
	}
	x := z.sl.byRank(end)
	for i := end - 1; i >= start && x != nil; i-- {
		if !fn(memberBytes(x.member), x.score) {
			return
		}
		x = x.backward
	}
}

// memberBytes views a member string as bytes without copying; callers
// never write to it.
func memberBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// countWhile returns how many leading elements satisfy pred, which holds
// for a prefix of the order.
func (z *ZSet) countWhile(pred func(member []byte, score float64) bool) int {
	if z.sl == nil {
		r := 0
		for off := 0; off < len(z.lp); r++ {
			m, s, next := lpEntry(z.lp, off)
			if !pred(m, s) {
				break
			}
			off = next
		}
		return r
	}
	return z.sl.countWhile(func(x *slNode) bool { return pred(memberBytes(x.member), x.score) })
}

// ScoreRange is a score interval; Minex/Maxex make the bounds exclusive.
type ScoreRange struct {
	Min, Max     float64
	Minex, Maxex bool
}

// Empty reports whether no score can be in the range.
func (r ScoreRange) Empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.Minex || r.Maxex))
}

// GteMin reports whether s satisfies the lower bound.
func (r ScoreRange) GteMin(s float64) bool {
	if r.Minex {
		return s > r.Min
	}
	return s >= r.Min
}

// LteMax reports whether s satisfies the upper bound.
func (r ScoreRange) LteMax(s float64) bool {
	if r.Maxex {
		return s < r.Max
	}
	return s <= r.Max
}

// ScoreRanks returns the 0-based ranks [start, end) of the elements whose
// scores are in r (start == end when none are).
func (z *ZSet) ScoreRanks(r ScoreRange) (start, end int) {
	if r.Empty() {
		return 0, 0
	}
	start = z.countWhile(func(_ []byte, s float64) bool { return !r.GteMin(s) })
	end = z.countWhile(func(_ []byte, s float64) bool { return r.LteMax(s) })
	if end < start {
		end = start
	}
	return start, end
}

// Lex bound kinds.
const (
	LexInclusive = iota // [member
	LexExclusive        // (member
	LexMinusInf         // -
	LexPlusInf          // +
)

// LexBound is one end of a lexicographic range.
type LexBound struct {
	Kind int
	Val  []byte
}

// LexRange is a lexicographic interval of members.
type LexRange struct{ Min, Max LexBound }

// Empty reports whether no member can be in the range (Redis's check in
// zslIsInLexRange before looking at the elements).
func (r LexRange) Empty() bool {
	if r.Min.Kind == LexPlusInf || r.Max.Kind == LexMinusInf {
		return true
	}
	if r.Min.Kind == LexMinusInf || r.Max.Kind == LexPlusInf {
		return false
	}
	c := compareBytes(r.Min.Val, r.Max.Val)
	return c > 0 || (c == 0 && (r.Min.Kind == LexExclusive || r.Max.Kind == LexExclusive))
}

func compareBytes(a, b []byte) int {
	switch {
	case string(a) < string(b):
		return -1
	case string(a) > string(b):
		return 1
	}
	return 0
}

// GteMin reports whether m satisfies the lower bound.
func (r LexRange) GteMin(m []byte) bool {
	switch r.Min.Kind {
	case LexMinusInf:
		return true
	case LexPlusInf:
		return false
	case LexExclusive:
		return compareBytes(m, r.Min.Val) > 0
	}
	return compareBytes(m, r.Min.Val) >= 0
}

// LteMax reports whether m satisfies the upper bound.
func (r LexRange) LteMax(m []byte) bool {
	switch r.Max.Kind {
	case LexPlusInf:
		return true
	case LexMinusInf:
		return false
	case LexExclusive:
		return compareBytes(m, r.Max.Val) < 0
	}
	return compareBytes(m, r.Max.Val) <= 0
}

// LexRanks returns the 0-based ranks [start, end) of the members in r,
// found the way Redis walks a lex range: forward from the first member
// not below the minimum while members stay under the maximum, or (rev)
// backward from the last member under the maximum while members stay
// above the minimum. Redis assumes equal scores; with mixed scores the
// result follows the same walk (for a listpack exactly as Redis).
func (z *ZSet) LexRanks(r LexRange, rev bool) (start, end int) {
	if r.Empty() || z.Len() == 0 {
		return 0, 0
	}
	if !z.inLexRange(r) {
		return 0, 0
	}
	if !rev {
		start = z.countWhile(func(m []byte, _ float64) bool { return !r.GteMin(m) })
		end = start
		z.Range(start, z.Len(), false, func(m []byte, _ float64) bool {
			if !r.LteMax(m) {
				return false
			}
			end++
			return true
		})
		return start, end
	}
	if z.sl != nil {
		end = z.countWhile(func(m []byte, _ float64) bool { return r.LteMax(m) })
	} else {
		// The listpack is scanned from the tail for the last member under
		// the maximum.
		end = 0
		z.Range(0, z.Len(), true, func(m []byte, _ float64) bool {
			if r.LteMax(m) {
				return false
			}
			end++
			return true
		})
		end = z.Len() - end
	}
	start = end
	z.Range(0, end, true, func(m []byte, _ float64) bool {
		if !r.GteMin(m) {
			return false
		}
		start--
		return true
	})
	return start, end
}

// LexRangeLimit is LexRanks with LIMIT offset count applied the way
// Redis's walk does it: offset elements are skipped from the first (rev:
// last) member in range without looking at them, then members are taken
// while they stay in range, up to count (negative: no limit). A negative
// offset selects nothing. It returns ascending ranks [start, end).
func (z *ZSet) LexRangeLimit(r LexRange, rev bool, offset, count int64) (start, end int) {
	a, b := z.LexRanks(r, rev)
	if a >= b || offset < 0 {
		return 0, 0
	}
	n := int64(z.Len())
	if !rev {
		pos := int64(a) + offset
		if pos >= n {
			return 0, 0
		}
		k := 0
		z.Range(int(pos), z.Len(), false, func(m []byte, _ float64) bool {
			if (count >= 0 && int64(k) >= count) || !r.LteMax(m) {
				return false
			}
			k++
			return true
		})
		return int(pos), int(pos) + k
	}
	pos := int64(b-1) - offset
	if pos < 0 {
		return 0, 0
	}
	k := 0
	z.Range(0, int(pos)+1, true, func(m []byte, _ float64) bool {
		if (count >= 0 && int64(k) >= count) || !r.GteMin(m) {
			return false
		}
		k++
		return true
	})
	return int(pos) + 1 - k, int(pos) + 1
}

// inLexRange is Redis's zslIsInLexRange / zzlIsInLexRange test: the last
// member must not be below the minimum and the first not above the
// maximum (the set is not empty).
func (z *ZSet) inLexRange(r LexRange) bool {
	ok := true
	z.Range(z.Len()-1, z.Len(), false, func(m []byte, _ float64) bool {
		ok = r.GteMin(m)
		return false
	})
	z.Range(0, 1, false, func(m []byte, _ float64) bool {
		ok = ok && r.LteMax(m)
		return false
	})
	return ok
}

// LexCount counts the members in r as ZLEXCOUNT does: the forward walk
// for a listpack, the ranks of the first and last members in range for a
// skiplist.
func (z *ZSet) LexCount(r LexRange) int {
	if z.sl == nil || r.Empty() || z.Len() == 0 {
		a, b := z.LexRanks(r, false)
		return b - a
	}
	if !z.inLexRange(r) {
		return 0
	}
	first := z.countWhile(func(m []byte, _ float64) bool { return !r.GteMin(m) })
	if first >= z.Len() || !r.LteMax(memberBytes(z.sl.byRank(first+1).member)) {
		return 0
	}
	last := z.countWhile(func(m []byte, _ float64) bool { return r.LteMax(m) }) - 1
	count := z.Len() - first
	if last >= 0 && r.GteMin(memberBytes(z.sl.byRank(last+1).member)) {
		count -= z.Len() - (last + 1)
	}
	return count
}

// ConvertToSkiplist switches a listpack-encoded set to the skiplist
// encoding.
func (z *ZSet) ConvertToSkiplist() {
	if z.sl != nil {
		return
	}
	lp := z.lp
	z.lp, z.n = nil, 0
	z.sl, z.dict = newSkiplist(), dict.New[*slNode]()
	for off := 0; off < len(lp); {
		m, s, next := lpEntry(lp, off)
		z.insert(m, s)
		off = next
	}
}

// ConvertToListpack switches a skiplist-encoded set to the listpack
// encoding.
func (z *ZSet) ConvertToListpack() {
	if z.sl == nil {
		return
	}
	var lp []byte
	n := 0
	for x := z.sl.header.lv(0).forward; x != nil; x = x.lv(0).forward {
		// Appending in order: lpInsert finds the end at once for most
		// elements, but a plain append is simpler and cheaper.
		lp = lpAppend(lp, x.member, x.score)
		n++
	}
	z.lp, z.n = lp, n
	z.sl, z.dict, z.mem = nil, nil, 0
}

// lpAppend appends an entry known to sort after every present one.
func lpAppend(lp []byte, member string, score float64) []byte {
	if score == 0 {
		score = 0
	}
	lp = appendUvarint(lp, uint64(len(member)))
	lp = append(lp, member...)
	return appendFloat(lp, score)
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendFloat(b []byte, f float64) []byte {
	u := math.Float64bits(f)
	return append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
}

// MaxMemberLen returns the length of the longest member.
func (z *ZSet) MaxMemberLen() int {
	mx := 0
	z.Range(0, z.Len(), false, func(m []byte, _ float64) bool {
		mx = max(mx, len(m))
		return true
	})
	return mx
}

// Clone returns a deep copy with the same encoding.
func (z *ZSet) Clone() *ZSet {
	if z.sl == nil {
		return &ZSet{lp: append([]byte(nil), z.lp...), n: z.n}
	}
	c := New(true)
	for x := z.sl.header.lv(0).forward; x != nil; x = x.lv(0).forward {
		c.insert(memberBytes(x.member), x.score)
	}
	return c
}

// RandomRank returns a uniformly random 0-based rank; the set must not be
// empty.
func (z *ZSet) RandomRank() int { return rand.IntN(z.Len()) }

// Add flags (Redis's ZADD_IN_*).
const (
	AddIncr = 1 << iota // add the score to the current one
	AddNX               // only add new members
	AddXX               // only update existing members
	AddGT               // only update when the new score is greater
	AddLT               // only update when the new score is lower
)

// Add results (Redis's ZADD_OUT_*).
const (
	OutNaN     = 1 << iota // the resulting score would be NaN: nothing done
	OutAdded               // the member was added
	OutUpdated             // the member's score changed
	OutNop                 // nothing done because of NX/XX/GT/LT
)

// Limits are the zset-max-listpack-* settings.
type Limits struct {
	Entries, Value int64
}

// fits reports whether a set of n elements with a member of length l may
// stay a listpack.
func (l Limits) fits(n int, memberLen int) bool {
	return int64(n) <= l.Entries && int64(memberLen) <= l.Value
}

// Add is Redis's zsetAdd: it adds or updates member as the flags say and
// returns the result flags and the member's resulting score. A listpack
// set converts to a skiplist when the new member would break the limits.
func (z *ZSet) Add(member []byte, score float64, flags int, lim Limits) (out int, newScore float64) {
	incr, nx, xx := flags&AddIncr != 0, flags&AddNX != 0, flags&AddXX != 0
	gt, lt := flags&AddGT != 0, flags&AddLT != 0
	if math.IsNaN(score) {
		return OutNaN, 0
	}
	var cur float64
	var ok bool
	off := -1
	var dn *dict.Node[*slNode] // the member's dict node, looked up once
	if z.sl == nil {
		off, cur, ok = lpFind(z.lp, member)
	} else if dn = z.dict.Find(member); dn != nil {
		cur, ok = dn.Val.score, true
	}
	if ok {
		if nx {
			return OutNop, cur
		}
		if incr {
			score += cur
			if math.IsNaN(score) {
				return OutNaN, 0
			}
		}
		if (lt && score >= cur) || (gt && score <= cur) {
			return OutNop, cur
		}
		if score != cur {
			if off >= 0 {
				z.lp = lpInsert(lpDelete(z.lp, off), member, score)
			} else {
				dn.Val = z.sl.updateScore(cur, dn.Val.member, score)
			}
			out = OutUpdated
		}
		return out, score
	}
	if xx {
		return OutNop, 0
	}
	if z.sl == nil && !lim.fits(z.n+1, len(member)) {
		z.ConvertToSkiplist()
	}
	z.insert(member, score)
	// The reply shows the score as computed, even where a listpack stores
	// -0 as 0.
	return OutAdded, score
}
