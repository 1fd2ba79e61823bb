package rax

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestEmptyTree(t *testing.T) {
	tr := New[int]()
	if tr.Len() != 0 {
		t.Fatal("Len of new tree")
	}
	if _, ok := tr.Find(nil); ok {
		t.Fatal("Find on empty tree")
	}
	if _, ok := tr.Remove([]byte("x")); ok {
		t.Fatal("Remove on empty tree")
	}
	it := tr.Iterator()
	if !it.EOF() {
		t.Fatal("new iterator not at EOF")
	}
	if _, _, ok := it.Next(); ok {
		t.Fatal("Next on unsought iterator")
	}
	for _, op := range seekOps {
		if err := it.Seek(op, []byte("a")); err != nil {
			t.Fatalf("Seek(%q) on empty tree: %v", op, err)
		}
		if !it.EOF() {
			t.Fatalf("Seek(%q) on empty tree not at EOF", op)
		}
		if _, _, ok := it.Prev(); ok {
			t.Fatal("Prev on empty tree")
		}
	}
	// A bad operator is reported even on an empty tree, as raxSeek does.
	if err := it.Seek("?", nil); !errors.Is(err, ErrBadOp) {
		t.Fatalf("bad op on empty tree: %v", err)
	}
}

func TestZeroTree(t *testing.T) {
	var tr Tree[int]
	if _, ok := tr.Find(nil); ok {
		t.Fatal("Find on zero tree")
	}
	if _, ok := tr.Remove(nil); ok {
		t.Fatal("Remove on zero tree")
	}
	it := tr.Iterator()
	if err := it.Seek("^", nil); err != nil || !it.EOF() {
		t.Fatal("Seek on zero tree")
	}
	tr.Insert([]byte("a"), 1)
	if v, ok := tr.Find([]byte("a")); !ok || v != 1 || tr.Len() != 1 {
		t.Fatal("zero tree after Insert")
	}
}

func TestInsertFindRemove(t *testing.T) {
	tr := New[int]()
	keys := []string{"", "a", "ab", "abc", "b", "\x00", "\x00\x00", "\xff", "\xff\xff", "a\x00", "A"}
	for i, k := range keys {
		if _, isNew := tr.Insert([]byte(k), i); !isNew {
			t.Fatalf("Insert(%q) not new", k)
		}
	}
	if tr.Len() != len(keys) {
		t.Fatalf("Len = %d", tr.Len())
	}
	for i, k := range keys {
		if v, ok := tr.Find([]byte(k)); !ok || v != i {
			t.Fatalf("Find(%q) = %d,%v", k, v, ok)
		}
	}
	for _, k := range []string{"abcd", "c", "\x00\x00\x00", "B", "a\x00\x00"} {
		if _, ok := tr.Find([]byte(k)); ok {
			t.Fatalf("Find(%q) found a missing key", k)
		}
	}
	// Insert overwrites and reports the old value.
	if old, isNew := tr.Insert([]byte("ab"), 100); isNew || old != 2 {
		t.Fatalf("Insert overwrite = %d,%v", old, isNew)
	}
	// TryInsert does not overwrite.
	if ex, ins := tr.TryInsert([]byte("ab"), 200); ins || ex != 100 {
		t.Fatalf("TryInsert existing = %d,%v", ex, ins)
	}
	if v, _ := tr.Find([]byte("ab")); v != 100 {
		t.Fatalf("TryInsert overwrote: %d", v)
	}
	if _, ins := tr.TryInsert([]byte("new"), 7); !ins {
		t.Fatal("TryInsert new key")
	}
	if old, ok := tr.Remove([]byte("ab")); !ok || old != 100 {
		t.Fatalf("Remove = %d,%v", old, ok)
	}
	if _, ok := tr.Remove([]byte("ab")); ok {
		t.Fatal("Remove twice")
	}
	// The prefix and extension of a removed key stay.
	for _, k := range []string{"a", "abc"} {
		if _, ok := tr.Find([]byte(k)); !ok {
			t.Fatalf("lost %q", k)
		}
	}
	if old, ok := tr.Remove(nil); !ok || old != 0 {
		t.Fatalf("Remove empty key = %d,%v", old, ok)
	}
	if tr.Len() != len(keys)-1 {
		t.Fatalf("Len = %d", tr.Len())
	}
}

func TestInsertCopiesKey(t *testing.T) {
	tr := New[int]()
	k := []byte("abc")
	tr.Insert(k, 1)
	k[0] = 'x'
	if _, ok := tr.Find([]byte("abc")); !ok {
		t.Fatal("tree aliases the caller's key")
	}
}

// TestSeekTable checks every operator on a small set with prefixes, binary
// bytes and the empty key.
func TestSeekTable(t *testing.T) {
	tr := New[int]()
	for i, k := range []string{"", "a", "aa", "ab", "b", "b\x00", "\xff"} {
		tr.Insert([]byte(k), i)
	}
	tests := []struct {
		op, key string
		want    string // "EOF" for none
	}{
		{"^", "zzz", ""},
		{"$", "", "\xff"},
		{"==", "a", "a"},
		{"=", "aa", "aa"},
		{"=x", "aa", "aa"},
		{"==", "", ""},
		{"==", "ac", "EOF"},
		{"==", "b\x00\x00", "EOF"},
		{">=", "", ""},
		{">", "", "a"},
		{">=", "a", "a"},
		{">", "a", "aa"},
		{">", "a\x00", "aa"},
		{">", "ab", "b"},
		{">=", "ac", "b"},
		{">", "b", "b\x00"},
		{">", "\xff", "EOF"},
		{">=", "\xff\x00", "EOF"},
		{">x", "a", "aa"},
		{"<", "", "EOF"},
		{"<=", "", ""},
		{"<", "a", ""},
		{"<", "aa", "a"},
		{"<=", "a\x00", "a"},
		{"<", "b\x00", "b"},
		{"<=", "b\x00", "b\x00"},
		{"<", "\xff", "b\x00"},
		{"<", "\xff\xff", "\xff"},
		{"<x", "aa", "a"},
	}
	it := tr.Iterator()
	for _, tc := range tests {
		if err := it.Seek(tc.op, []byte(tc.key)); err != nil {
			t.Fatalf("Seek(%q,%q): %v", tc.op, tc.key, err)
		}
		k, _, ok := it.Next()
		got := string(k)
		if !ok {
			got = "EOF"
		}
		if got != tc.want {
			t.Errorf("Seek(%q,%q) then Next = %q, want %q", tc.op, tc.key, got, tc.want)
		}
		// The sought element is also what Prev returns first.
		it.Seek(tc.op, []byte(tc.key))
		k, _, ok = it.Prev()
		got = string(k)
		if !ok {
			got = "EOF"
		}
		if got != tc.want {
			t.Errorf("Seek(%q,%q) then Prev = %q, want %q", tc.op, tc.key, got, tc.want)
		}
	}
	for _, op := range []string{"", "?", "!=", " >", "x"} {
		if err := it.Seek(op, nil); !errors.Is(err, ErrBadOp) {
			t.Errorf("Seek(%q) = %v, want ErrBadOp", op, err)
		}
		if !it.EOF() {
			t.Errorf("Seek(%q) left the iterator positioned", op)
		}
		if _, _, ok := it.Next(); ok {
			t.Errorf("Next after bad Seek(%q)", op)
		}
	}
}

func TestIterationSequences(t *testing.T) {
	tr := New[int]()
	keys := []string{"a", "b", "c", "d"}
	for i, k := range keys {
		tr.Insert([]byte(k), i)
	}
	type step struct {
		next bool
		want string // "EOF" for none
	}
	tests := []struct {
		op, key string
		steps   []step
	}{
		{"^", "", []step{{true, "a"}, {true, "b"}, {false, "a"}, {false, "EOF"}, {true, "EOF"}}},
		{"$", "", []step{{false, "d"}, {false, "c"}, {true, "d"}, {true, "EOF"}, {false, "EOF"}}},
		{">=", "b", []step{{true, "b"}, {true, "c"}, {true, "d"}, {true, "EOF"}}},
		{">=", "b", []step{{false, "b"}, {false, "a"}, {true, "b"}}},
		{"==", "c", []step{{true, "c"}, {false, "b"}, {false, "a"}, {false, "EOF"}}},
		{"<", "bb", []step{{true, "b"}, {true, "c"}}},
		{">", "d", []step{{false, "EOF"}, {true, "EOF"}}},
	}
	it := tr.Iterator()
	for _, tc := range tests {
		it.Seek(tc.op, []byte(tc.key))
		for i, s := range tc.steps {
			var k []byte
			var v int
			var ok bool
			if s.next {
				k, v, ok = it.Next()
			} else {
				k, v, ok = it.Prev()
			}
			got := string(k)
			if !ok {
				got = "EOF"
			} else if keys[v] != got {
				t.Fatalf("value %d for key %q", v, got)
			}
			if got != s.want {
				t.Fatalf("Seek(%q,%q) step %d (next=%v) = %q, want %q", tc.op, tc.key, i, s.next, got, s.want)
			}
			if it.EOF() != !ok {
				t.Fatalf("EOF() = %v after ok=%v", it.EOF(), ok)
			}
		}
	}
}

func TestCompare(t *testing.T) {
	tr := New[int]()
	tr.Insert([]byte("abc"), 0)
	it := tr.Iterator()
	if it.Compare("==", []byte("abc")) {
		t.Fatal("Compare on unsought iterator")
	}
	it.Seek("^", nil)
	tests := []struct {
		op, key string
		want    bool
	}{
		{"==", "abc", true},
		{"==", "ab", false},
		{"==", "abcd", false},
		{">", "ab", true},
		{">", "abc", false},
		{">=", "abc", true},
		{">=", "abd", false},
		{">", "abb\xff", true},
		{"<", "abcd", true},
		{"<", "abc", false},
		{"<=", "abc", true},
		{"<=", "ab", false},
		{"<", "b", true},
		{"<", "", false},
		{">", "", true},
		{">=", "", true},
		// Redis decodes the operator from its first two bytes.
		{"=", "abc", false},  // second byte is NUL: syntax error
		{"!=", "abc", true},  // '=' second: plain equality
		{"^=", "abc", true},  //   likewise
		{">x", "ab", true},   // '>' with anything: strictly greater
		{"<x", "abc", false}, // '<' with anything: strictly less
		{"", "abc", false},
		{"^", "abc", false},
	}
	for _, tc := range tests {
		if got := it.Compare(tc.op, []byte(tc.key)); got != tc.want {
			t.Errorf("Compare(%q,%q) = %v, want %v", tc.op, tc.key, got, tc.want)
		}
	}
	// After walking off the end there is no current element.
	it.Next()
	it.Next()
	if !it.EOF() || it.Compare(">=", nil) {
		t.Fatal("Compare at EOF")
	}
	// The empty key as current element.
	tr.Insert(nil, 1)
	it.Seek("^", nil)
	if !it.Compare("==", nil) || !it.Compare("<", []byte{0}) || it.Compare(">", nil) {
		t.Fatal("Compare with empty current key")
	}
}

// TestModifyWhileIterating checks that an iterator survives changes by
// finding its place again by key.
func TestModifyWhileIterating(t *testing.T) {
	tr := New[int]()
	for i := 0; i < 1000; i++ {
		tr.Insert(fmt.Appendf(nil, "k%04d", i), i)
	}
	it := tr.Iterator()
	it.Seek("^", nil)
	n := 0
	for {
		k, v, ok := it.Next()
		if !ok {
			break
		}
		if v%2 == 0 {
			// Delete the element just returned and the next one.
			tr.Remove(k)
			tr.Remove(fmt.Appendf(nil, "k%04d", v+1))
		}
		n++
	}
	if n != 500 || tr.Len() != 0 {
		t.Fatalf("visited %d, left %d", n, tr.Len())
	}
	// Sought but not yet returned: the sought element counts.
	tr.Insert([]byte("b"), 0)
	it.Seek("==", []byte("b"))
	tr.Insert([]byte("a"), 0)
	tr.Insert([]byte("c"), 0)
	if k, _, _ := it.Next(); string(k) != "b" {
		t.Fatalf("after insert, Next = %q", k)
	}
	it.Seek("==", []byte("b"))
	tr.Remove([]byte("b"))
	if k, _, _ := it.Prev(); string(k) != "a" {
		t.Fatalf("after removing the sought key, Prev = %q", k)
	}
	// Overwriting a value is visible without any change of position.
	it.Seek("^", nil)
	tr.Insert([]byte("a"), 42)
	if _, v, _ := it.Next(); v != 42 {
		t.Fatalf("overwritten value = %d", v)
	}
}

// TestRandomAgainstModel runs random inserts, removes, seeks and steps on
// small key alphabets (many shared prefixes, empty and binary keys) and
// checks everything against the sorted-slice model.
func TestRandomAgainstModel(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		r := rand.New(rand.NewPCG(seed, seed*7919))
		maxLen := 1 + int(seed%6)
		alpha := []byte{0, 'a', 'b', 0xff}
		if seed%3 == 0 {
			alpha = []byte("abcdefghij")
		}
		randKey := func() []byte {
			k := make([]byte, r.IntN(maxLen+1))
			for i := range k {
				k[i] = alpha[r.IntN(len(alpha))]
			}
			return k
		}
		tr, m := New[int](), newModel()
		it := tr.Iterator()
		mi := &modelIter{m: m, eof: true}
		ops := 20000
		if testing.Short() {
			ops = 3000
		}
		// Phases grow then shrink the tree so splits and merges both happen.
		for i := 0; i < ops; i++ {
			grow := (i/2000)%2 == 0
			k := randKey()
			switch x := r.IntN(10); {
			case x < 4 && grow || x < 2:
				over := r.IntN(2) == 0
				var old int
				var isNew bool
				if over {
					old, isNew = tr.Insert(k, i)
				} else {
					old, isNew = tr.TryInsert(k, i)
				}
				mold, mnew := m.insert(string(k), i, over)
				if isNew != mnew || (!isNew && old != mold) {
					t.Fatalf("seed %d: insert(%q,%v) = %d,%v model %d,%v", seed, k, over, old, isNew, mold, mnew)
				}
			case x < 6:
				old, ok := tr.Remove(k)
				mold, mok := m.remove(string(k))
				if ok != mok || old != mold {
					t.Fatalf("seed %d: remove(%q) = %d,%v model %d,%v", seed, k, old, ok, mold, mok)
				}
			case x < 7:
				op := seekOps[r.IntN(len(seekOps))]
				if err := it.Seek(op, k); err != nil {
					t.Fatal(err)
				}
				mi.seek(op, string(k))
				if it.EOF() != mi.eof {
					t.Fatalf("seed %d: Seek(%q,%q) EOF %v model %v", seed, op, k, it.EOF(), mi.eof)
				}
			case x < 9:
				stepBoth(t, it, mi, r.IntN(2) == 0, fmt.Sprintf("seed %d op %d", seed, i))
			default:
				op := []string{">", ">=", "<", "<=", "=="}[r.IntN(5)]
				want := false
				if !mi.eof {
					c := compareStr(mi.cur, string(k))
					switch op {
					case ">":
						want = c > 0
					case ">=":
						want = c >= 0
					case "<":
						want = c < 0
					case "<=":
						want = c <= 0
					case "==":
						want = c == 0
					}
				}
				if got := it.Compare(op, k); got != want {
					t.Fatalf("seed %d: Compare(%q,%q) at %q = %v", seed, op, k, mi.cur, got)
				}
			}
			if i%500 == 0 {
				check(t, tr, m)
			}
		}
		check(t, tr, m)
	}
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestLargeSequentialAndRandom exercises deep trees: ascending inserts (the
// append split), full scans both ways, then removal in random order.
func TestLargeSequentialAndRandom(t *testing.T) {
	n := 50000 // three levels
	if testing.Short() {
		n = 20000
	}
	tr, m := New[int](), newModel()
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("%08d", i)
		tr.Insert([]byte(k), i)
		m.keys = append(m.keys, k)
		m.vals[k] = i
	}
	check(t, tr, m)
	it := tr.Iterator()
	it.Seek("^", nil)
	for i := 0; i < n; i++ {
		if _, v, ok := it.Next(); !ok || v != i {
			t.Fatalf("forward %d: %d %v", i, v, ok)
		}
	}
	it.Seek("$", nil)
	for i := n - 1; i >= 0; i-- {
		if _, v, ok := it.Prev(); !ok || v != i {
			t.Fatalf("backward %d: %d %v", i, v, ok)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	perm := r.Perm(n)
	for j, i := range perm {
		k := fmt.Sprintf("%08d", i)
		if v, ok := tr.Remove([]byte(k)); !ok || v != i {
			t.Fatalf("Remove(%s) = %d,%v", k, v, ok)
		}
		m.remove(k)
		if j%(n/10) == 0 {
			check(t, tr, m)
		}
	}
	check(t, tr, m)
	if !tr.root.leaf() {
		t.Fatal("empty tree kept inner nodes")
	}
}

// TestLargeRandomOrder inserts in random order (middle splits of leaves and
// inner nodes) with interleaved removals, checking invariants as it goes.
func TestLargeRandomOrder(t *testing.T) {
	n := 60000
	if testing.Short() {
		n = 15000
	}
	r := rand.New(rand.NewPCG(3, 4))
	tr, m := New[int](), newModel()
	for j, i := range r.Perm(n) {
		k := fmt.Sprintf("user:%d", i)
		tr.Insert([]byte(k), i)
		m.insert(k, i, true)
		if j%3 == 2 {
			d := fmt.Sprintf("user:%d", r.IntN(n))
			tr.Remove([]byte(d))
			m.remove(d)
		}
		if j%(n/8) == 0 {
			check(t, tr, m)
		}
	}
	check(t, tr, m)
}

// TestHugeKeys runs random operations with nodeBytesLimit lowered to a few
// keys' worth, so that nodes split and refuse merges because of key bytes,
// as they would with keys of hundreds of megabytes.
func TestHugeKeys(t *testing.T) {
	defer func(l int) { nodeBytesLimit = l }(nodeBytesLimit)
	for _, limit := range []int{1, 40, 200} {
		nodeBytesLimit = limit
		r := rand.New(rand.NewPCG(uint64(limit), 9))
		tr, m := New[int](), newModel()
		it := tr.Iterator()
		mi := &modelIter{m: m, eof: true}
		for i := 0; i < 6000; i++ {
			k := make([]byte, r.IntN(30))
			for j := range k {
				k[j] = "ab"[r.IntN(2)]
			}
			switch x := r.IntN(10); {
			case x < 5 && (i/1500)%2 == 0 || x < 2:
				tr.Insert(k, i)
				m.insert(string(k), i, true)
			case x < 7:
				old, ok := tr.Remove(k)
				mold, mok := m.remove(string(k))
				if ok != mok || old != mold {
					t.Fatalf("remove(%q) = %d,%v model %d,%v", k, old, ok, mold, mok)
				}
			case x < 8:
				op := seekOps[r.IntN(len(seekOps))]
				it.Seek(op, k)
				mi.seek(op, string(k))
			default:
				stepBoth(t, it, mi, x == 8, fmt.Sprintf("limit %d op %d", limit, i))
			}
			if i%100 == 0 {
				check(t, tr, m)
			}
		}
		check(t, tr, m)
	}
}
