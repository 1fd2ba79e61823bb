package zset

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// checkLinks verifies every level of the skiplist: order, spans (each link
// jumps over as many level-0 elements as it says), backward links, tail
// and length.
func checkLinks(t *testing.T, sl *skiplist) {
	t.Helper()
	pos := map[*slNode]int{}
	var prev *slNode
	i := 0
	for x := sl.header.lv(0).forward; x != nil; x = x.lv(0).forward {
		i++
		pos[x] = i
		if x.backward != prev {
			t.Fatalf("backward link of rank %d wrong", i)
		}
		if prev != nil && !less(prev.score, prev.member, x.score, x.member) {
			t.Fatalf("order broken at rank %d", i)
		}
		prev = x
	}
	if i != sl.length || sl.tail != prev {
		t.Fatalf("length %d tail %p, walked %d last %p", sl.length, sl.tail, i, prev)
	}
	for l := 0; l < sl.level; l++ {
		x, at := sl.header, 0
		for f := x.lv(l).forward; f != nil; f = x.lv(l).forward {
			if f.levels() <= l {
				t.Fatalf("level %d links a node of %d levels", l, f.levels())
			}
			if at+x.lv(l).span != pos[f] {
				t.Fatalf("level %d: span to rank %d is %d from rank %d", l, pos[f], x.lv(l).span, at)
			}
			x, at = f, pos[f]
		}
	}
}

// Moving members to new scores reuses their nodes (levels kept, including
// taller-than-inline ones) and leaves every link and span consistent.
func TestUpdateScoreMovesNodes(t *testing.T) {
	sl := newSkiplist()
	nodes := map[string]*slNode{}
	scores := map[string]float64{}
	rng := rand.New(rand.NewPCG(7, 9))
	for i := 0; i < 400; i++ {
		m := "m" + strconv.Itoa(i)
		s := float64(rng.IntN(50))
		levels := 1 + rng.IntN(12) // covers inline (<= 8) and separate level arrays
		x := newNode(levels, s, m)
		sl.insertNode(x)
		nodes[m], scores[m] = x, s
	}
	checkLinks(t, sl)
	for i := 0; i < 4000; i++ {
		m := "m" + strconv.Itoa(rng.IntN(400))
		s := float64(rng.IntN(50))
		old := nodes[m]
		lv := old.levels()
		x := sl.updateScore(scores[m], m, s)
		if x != old || x.levels() != lv || x.score != s {
			t.Fatalf("update of %q: node %p levels %d score %v, want %p %d %v", m, x, x.levels(), x.score, old, lv, s)
		}
		scores[m] = s
		if i%200 == 0 {
			checkLinks(t, sl)
		}
	}
	checkLinks(t, sl)
	for m, s := range scores {
		if r := sl.rank(s, m); r == 0 || sl.byRank(r) != nodes[m] {
			t.Fatalf("rank of %q", m)
		}
	}
}
