package zset

import (
	"math/rand/v2"
	"unsafe"
)

// The skiplist encoding orders elements by (score, member) like Redis's
// zskiplist: William Pugh's skiplist with repeated scores allowed, ties
// broken by comparing members bytewise, a backward pointer on level 0 for
// reverse walks, and a span per forward link (how many elements the link
// jumps over) so that rank lookups cost O(log n).

const (
	maxLevel = 32   // Redis's ZSKIPLIST_MAXLEVEL
	levelP   = 0.25 // Redis's ZSKIPLIST_P
)

// slLevel is one forward link of a node.
type slLevel struct {
	forward *slNode
	span    int // elements between this node and forward (1 = adjacent)
}

// slNode is one element. The member string is shared with the dict key.
// Level 0 is held inline; the upper levels (a quarter of the nodes have
// any) follow the node in the same allocation for up to inlineLevels
// levels (newNode), so a walk through the upper levels touches one object
// per node, as Redis's flexible-array node does.
type slNode struct {
	member   string
	score    float64
	backward *slNode
	l0       slLevel
	up       *slLevel // levels 1..n-1, nil when n == 1
	n        int32    // number of levels
}

// inlineLevels is the most levels a node holds in its own allocation;
// taller nodes (one in 4^8) get a separate level array.
const inlineLevels = 8

// nodeWith is a node followed by its upper levels in one allocation.
type nodeWith[A any] struct {
	node slNode
	up   A
}

func allocNode[A any]() *slNode {
	p := new(nodeWith[A])
	p.node.up = (*slLevel)(unsafe.Pointer(&p.up))
	return &p.node
}

func newNode(levels int, score float64, member string) *slNode {
	var x *slNode
	switch levels {
	case 1:
		x = &slNode{}
	case 2:
		x = allocNode[[1]slLevel]()
	case 3:
		x = allocNode[[2]slLevel]()
	case 4:
		x = allocNode[[3]slLevel]()
	case 5:
		x = allocNode[[4]slLevel]()
	case 6:
		x = allocNode[[5]slLevel]()
	case 7:
		x = allocNode[[6]slLevel]()
	case 8:
		x = allocNode[[7]slLevel]()
	default:
		x = &slNode{up: &make([]slLevel, levels-1)[0]}
	}
	x.member, x.score, x.n = member, score, int32(levels)
	return x
}

// lv returns level i of the node.
func (x *slNode) lv(i int) *slLevel {
	if i == 0 {
		return &x.l0
	}
	return &unsafe.Slice(x.up, x.n-1)[i-1]
}

// levels returns the node's number of levels.
func (x *slNode) levels() int { return int(x.n) }

// skiplist is the ordered half of the skiplist encoding.
type skiplist struct {
	header *slNode
	tail   *slNode
	length int
	level  int
}

func newSkiplist() *skiplist {
	return &skiplist{header: newNode(maxLevel, 0, ""), level: 1}
}

func randomLevel() int {
	l := 1
	for l < maxLevel && rand.Float64() < levelP {
		l++
	}
	return l
}

// less reports whether (s1, m1) sorts before (s2, m2).
func less(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

// insert adds an element that must not be present and returns its node.
func (sl *skiplist) insert(score float64, member string) *slNode {
	x := newNode(randomLevel(), score, member)
	sl.insertNode(x)
	return x
}

// insertNode links x (its member, score and level count set, its links
// free) at its place in the order.
func (sl *skiplist) insertNode(x *slNode) {
	score, member := x.score, x.member
	var update [maxLevel]*slNode
	var rank [maxLevel]int
	h := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		if i < sl.level-1 {
			rank[i] = rank[i+1]
		}
		for f := h.lv(i).forward; f != nil && less(f.score, f.member, score, member); f = h.lv(i).forward {
			rank[i] += h.lv(i).span
			h = f
		}
		update[i] = h
	}
	lvl := x.levels()
	if lvl > sl.level {
		for i := sl.level; i < lvl; i++ {
			rank[i] = 0
			update[i] = sl.header
			update[i].lv(i).span = sl.length
		}
		sl.level = lvl
	}
	for i := 0; i < lvl; i++ {
		x.lv(i).forward = update[i].lv(i).forward
		update[i].lv(i).forward = x
		x.lv(i).span = update[i].lv(i).span - (rank[0] - rank[i])
		update[i].lv(i).span = rank[0] - rank[i] + 1
	}
	for i := lvl; i < sl.level; i++ {
		update[i].lv(i).span++
	}
	x.backward = nil
	if update[0] != sl.header {
		x.backward = update[0]
	}
	if f := x.lv(0).forward; f != nil {
		f.backward = x
	} else {
		sl.tail = x
	}
	sl.length++
}

// unlink removes x given the rightmost node before it on every level.
func (sl *skiplist) unlink(x *slNode, update *[maxLevel]*slNode) {
	for i := 0; i < sl.level; i++ {
		if update[i].lv(i).forward == x {
			update[i].lv(i).span += x.lv(i).span - 1
			update[i].lv(i).forward = x.lv(i).forward
		} else {
			update[i].lv(i).span--
		}
	}
	if f := x.lv(0).forward; f != nil {
		f.backward = x.backward
	} else {
		sl.tail = x.backward
	}
	for sl.level > 1 && sl.header.lv(sl.level-1).forward == nil {
		sl.level--
	}
	sl.length--
}

// findUpdate fills update with the rightmost nodes before (score, member).
func (sl *skiplist) findUpdate(score float64, member string, update *[maxLevel]*slNode) *slNode {
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.lv(i).forward; f != nil && less(f.score, f.member, score, member); f = x.lv(i).forward {
			x = f
		}
		update[i] = x
	}
	return x.lv(0).forward
}

// delete removes the element (score, member); it reports whether it was
// there.
func (sl *skiplist) delete(score float64, member string) bool {
	var update [maxLevel]*slNode
	x := sl.findUpdate(score, member, &update)
	if x == nil || x.score != score || x.member != member {
		return false
	}
	sl.unlink(x, &update)
	return true
}

// updateScore moves the present element (cur, member) to newScore and
// returns its node. A node that has to move is unlinked and linked again
// at its new place, keeping its levels: no allocation, and the level
// distribution stays that of randomLevel.
func (sl *skiplist) updateScore(cur float64, member string, newScore float64) *slNode {
	var update [maxLevel]*slNode
	x := sl.findUpdate(cur, member, &update)
	if (x.backward == nil || x.backward.score < newScore) &&
		(x.lv(0).forward == nil || x.lv(0).forward.score > newScore) {
		x.score = newScore
		return x
	}
	sl.unlink(x, &update)
	x.score = newScore
	sl.insertNode(x)
	return x
}

// rank returns the 1-based rank of (score, member), 0 when absent.
func (sl *skiplist) rank(score float64, member string) int {
	x := sl.header
	r := 0
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.lv(i).forward; f != nil && (f.score < score || (f.score == score && f.member <= member)); f = x.lv(i).forward {
			r += x.lv(i).span
			x = f
		}
		if x != sl.header && x.score == score && x.member == member {
			return r
		}
	}
	return 0
}

// byRank returns the node of 1-based rank r, or nil.
func (sl *skiplist) byRank(r int) *slNode {
	x := sl.header
	traversed := 0
	for i := sl.level - 1; i >= 0; i-- {
		for x.lv(i).forward != nil && traversed+x.lv(i).span <= r {
			traversed += x.lv(i).span
			x = x.lv(i).forward
		}
		if traversed == r {
			return x
		}
	}
	return nil
}

// countWhile returns how many leading elements satisfy pred, which must be
// true for a prefix of the order (a range's lower or upper bound test).
func (sl *skiplist) countWhile(pred func(n *slNode) bool) int {
	x := sl.header
	r := 0
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.lv(i).forward; f != nil && pred(f); f = x.lv(i).forward {
			r += x.lv(i).span
			x = f
		}
	}
	return r
}

// deleteRange unlinks the elements of 1-based ranks [start, end] and calls
// fn with each removed node.
func (sl *skiplist) deleteRange(start, end int, fn func(n *slNode)) {
	var update [maxLevel]*slNode
	x := sl.header
	traversed := 0
	for i := sl.level - 1; i >= 0; i-- {
		for x.lv(i).forward != nil && traversed+x.lv(i).span < start {
			traversed += x.lv(i).span
			x = x.lv(i).forward
		}
		update[i] = x
	}
	traversed++
	x = x.lv(0).forward
	for x != nil && traversed <= end {
		next := x.lv(0).forward
		sl.unlink(x, &update)
		fn(x)
		traversed++
		x = next
	}
}
