package rax

import (
	"bytes"
	"fmt"
	"sort"
	"testing"
)

// model is the reference: a sorted slice of keys with their values.
type model struct {
	keys []string
	vals map[string]int
}

func newModel() *model { return &model{vals: map[string]int{}} }

func (m *model) insert(k string, v int, overwrite bool) (int, bool) {
	old, ok := m.vals[k]
	if ok {
		if overwrite {
			m.vals[k] = v
		}
		return old, false
	}
	i := sort.SearchStrings(m.keys, k)
	m.keys = append(m.keys, "")
	copy(m.keys[i+1:], m.keys[i:])
	m.keys[i] = k
	m.vals[k] = v
	return 0, true
}

func (m *model) remove(k string) (int, bool) {
	old, ok := m.vals[k]
	if !ok {
		return 0, false
	}
	delete(m.vals, k)
	i := sort.SearchStrings(m.keys, k)
	m.keys = append(m.keys[:i], m.keys[i+1:]...)
	return old, true
}

// seek returns the index the model positions at for op/key, or -1 (EOF).
func (m *model) seek(op string, k string) int {
	n := len(m.keys)
	lb := sort.SearchStrings(m.keys, k)                             // first >= k
	ub := sort.Search(n, func(i int) bool { return m.keys[i] > k }) // first > k
	pos := -1
	switch {
	case op == "^" && n > 0:
		pos = 0
	case op == "$":
		pos = n - 1
	case op == "==" || op == "=":
		if lb < n && m.keys[lb] == k {
			pos = lb
		}
	case op == ">=":
		pos = lb
	case op == ">":
		pos = ub
	case op == "<=":
		pos = ub - 1
	case op == "<":
		pos = lb - 1
	}
	if pos >= n {
		pos = -1
	}
	return pos
}

// modelIter mirrors Iterator over a model, with the same state machine.
type modelIter struct {
	m      *model
	cur    string
	eof    bool
	sought bool
}

func (mi *modelIter) seek(op, k string) {
	p := mi.m.seek(op, k)
	mi.eof, mi.sought = p < 0, p >= 0
	if p >= 0 {
		mi.cur = mi.m.keys[p]
	}
}

func (mi *modelIter) step(forward bool) (string, bool) {
	if mi.eof {
		return "", false
	}
	keys := mi.m.keys
	n := len(keys)
	lb := sort.SearchStrings(keys, mi.cur)
	ub := sort.Search(n, func(i int) bool { return keys[i] > mi.cur })
	var p int
	switch {
	case forward && mi.sought:
		p = lb
	case forward:
		p = ub
	case mi.sought:
		p = ub - 1
	default:
		p = lb - 1
	}
	mi.sought = false
	if p < 0 || p >= n {
		mi.eof = true
		return "", false
	}
	mi.cur = keys[p]
	return mi.cur, true
}

// check verifies the tree's structural invariants and its contents against
// the model.
func check(t testing.TB, tr *Tree[int], m *model) {
	t.Helper()
	if tr.Len() != len(m.keys) {
		t.Fatalf("Len = %d, model %d", tr.Len(), len(m.keys))
	}
	var got []string
	var walk func(n *node[int], lo, hi *string, depth int) int
	leafDepth := -1
	var prevLeaf *node[int]
	walk = func(n *node[int], lo, hi *string, depth int) int {
		if n.leaf() {
			if leafDepth < 0 {
				leafDepth = depth
			} else if leafDepth != depth {
				t.Fatalf("leaves at depths %d and %d", leafDepth, depth)
			}
			if n != tr.root && n.keys.len() == 0 {
				t.Fatalf("empty non-root leaf")
			}
			if n.keys.len() != len(n.vals) || n.keys.len() > maxLeaf {
				t.Fatalf("bad leaf sizes %d/%d", n.keys.len(), len(n.vals))
			}
			if n.prev != prevLeaf {
				t.Fatalf("broken prev link")
			}
			if prevLeaf != nil && prevLeaf.next != n {
				t.Fatalf("broken next link")
			}
			prevLeaf = n
			checkKeyset(t, &n.keys)
			for j := 0; j < n.keys.len(); j++ {
				k := string(n.keys.at(j))
				if (lo != nil && k < *lo) || (hi != nil && k >= *hi) {
					t.Fatalf("key %q outside [%v,%v)", k, lo, hi)
				}
				got = append(got, k)
			}
			return 1
		}
		if len(n.kids) != n.keys.len()+1 || len(n.kids) > maxKids || len(n.kids) < 2 {
			t.Fatalf("bad inner sizes %d/%d", n.keys.len(), len(n.kids))
		}
		checkKeyset(t, &n.keys)
		for i, k := range n.kids {
			l, h := lo, hi
			if i > 0 {
				s := string(n.keys.at(i - 1))
				l = &s
			}
			if i < n.keys.len() {
				s := string(n.keys.at(i))
				h = &s
			}
			walk(k, l, h, depth+1)
		}
		return 0
	}
	if tr.root != nil {
		walk(tr.root, nil, nil, 0)
	}
	if prevLeaf != nil && prevLeaf.next != nil {
		t.Fatalf("last leaf has next")
	}
	if len(got) != len(m.keys) {
		t.Fatalf("tree has %d keys, model %d", len(got), len(m.keys))
	}
	for i := range got {
		if got[i] != m.keys[i] {
			t.Fatalf("key %d: tree %q model %q", i, got[i], m.keys[i])
		}
		if i > 0 && got[i-1] >= got[i] {
			t.Fatalf("keys out of order at %d", i)
		}
		if v, ok := tr.Find([]byte(got[i])); !ok || v != m.vals[got[i]] {
			t.Fatalf("Find(%q) = %d,%v want %d", got[i], v, ok, m.vals[got[i]])
		}
	}
}

// stepBoth steps the iterator and the model iterator and compares results.
func stepBoth(t testing.TB, it *Iterator[int], mi *modelIter, forward bool, ctx string) {
	t.Helper()
	var k []byte
	var v int
	var ok bool
	if forward {
		k, v, ok = it.Next()
	} else {
		k, v, ok = it.Prev()
	}
	mk, mok := mi.step(forward)
	if ok != mok || (ok && (!bytes.Equal(k, []byte(mk)) || v != mi.m.vals[mk])) {
		t.Fatalf("%s: step(forward=%v) = %q,%d,%v; model %q,%d,%v", ctx, forward, k, v, ok, mk, mi.m.vals[mk], mok)
	}
	if it.EOF() != mi.eof {
		t.Fatalf("%s: EOF = %v, model %v", ctx, it.EOF(), mi.eof)
	}
}

var seekOps = []string{"^", "$", "==", ">=", ">", "<=", "<"}

func fmtKey(b []byte) string { return fmt.Sprintf("%q", b) }

// checkKeyset verifies that a keyset's offsets are consistent.
func checkKeyset(t testing.TB, s *keyset) {
	t.Helper()
	prev := uint32(0)
	for i, e := range s.ends {
		if e < prev {
			t.Fatalf("keyset end %d = %d < %d", i, e, prev)
		}
		prev = e
	}
	if int(prev) != len(s.data) {
		t.Fatalf("keyset data %d bytes, ends say %d", len(s.data), prev)
	}
	if len(s.heads) != len(s.ends) {
		t.Fatalf("keyset has %d heads for %d keys", len(s.heads), len(s.ends))
	}
	for i := range s.ends {
		k := s.at(i)
		if len(k) < s.pl || string(k[:s.pl]) != string(s.data[:s.pl]) {
			t.Fatalf("key %q lacks the common prefix %q", k, s.data[:s.pl])
		}
		if s.heads[i] != headOf(k, s.pl) {
			t.Fatalf("stale head for key %d", i)
		}
	}
}
