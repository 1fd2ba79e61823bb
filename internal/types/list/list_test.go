package list

import (
	"bytes"
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/listpack"
	"github.com/modis/modis/internal/resp"
)

func contents(l *List) []string {
	var out []string
	l.Each(func(v []byte) bool { out = append(out, string(v)); return true })
	return out
}

// check verifies the list's invariants: counts, links, listpack sizes,
// and the memory estimate.
func check(t *testing.T, l *List) {
	t.Helper()
	cnt, nodes := 0, 0
	mem := int64(listStructSize)
	var prev *node
	for n := l.head; n != nil; n = n.next {
		if n.prev != prev {
			t.Fatalf("bad prev link")
		}
		if n.count() == 0 {
			t.Fatalf("empty node")
		}
		lp := listpack.Overhead
		for i := 0; i < n.count(); i++ {
			lp += listpack.EntrySize(n.entry(i))
		}
		if lp != int(n.lp) {
			t.Fatalf("node lp %d, want %d", n.lp, lp)
		}
		cnt += n.count()
		nodes++
		mem += n.cost()
		prev = n
	}
	if prev != l.tail || cnt != l.count || nodes != l.nodes || mem != l.mem {
		t.Fatalf("tail/count/nodes/mem: %v %d/%d %d/%d %d/%d", prev == l.tail, cnt, l.count, nodes, l.nodes, mem, l.mem)
	}
}

func TestPushPopIndex(t *testing.T) {
	for _, fill := range []int{-5, -2, -1, 1, 3, 128} {
		t.Run(fmt.Sprint(fill), func(t *testing.T) {
			l := New(fill)
			for i := 0; i < 500; i++ {
				l.PushTail([]byte(fmt.Sprint(i)))
				l.PushHead([]byte(fmt.Sprint(-i - 1)))
			}
			check(t, l)
			if l.Len() != 1000 {
				t.Fatalf("len %d", l.Len())
			}
			for i := -1000; i < 1000; i++ {
				v, ok := l.Index(i)
				j := i
				if j < 0 {
					j += 1000
				}
				want := fmt.Sprint(j - 500)
				if !ok || string(v) != want {
					t.Fatalf("Index(%d) = %q,%v want %q", i, v, ok, want)
				}
			}
			if _, ok := l.Index(1000); ok {
				t.Fatal("Index past end")
			}
			if _, ok := l.Index(-1001); ok {
				t.Fatal("Index before head")
			}
			for i := 0; i < 500; i++ {
				h, _ := l.Pop(true)
				tl, _ := l.Pop(false)
				if string(h) != fmt.Sprint(i-500) || string(tl) != fmt.Sprint(499-i) {
					t.Fatalf("pop %d: %s %s", i, h, tl)
				}
			}
			check(t, l)
			if _, ok := l.Pop(true); ok || l.Nodes() != 0 {
				t.Fatal("not empty")
			}
		})
	}
}

func TestFillCounts(t *testing.T) {
	for _, tc := range []struct {
		fill, n, elem, nodes int
	}{
		{3, 10, 1, 4},        // 3 elements per node
		{1, 5, 1, 5},         // one per node
		{-1, 100, 100, 3},    // 4 KB nodes: 38 elements of 102 B + 8
		{-2, 100, 100, 2},    // 8 KB nodes
		{100, 100, 1000, 13}, // safety limit of 8 KB beats the count
	} {
		l := New(tc.fill)
		for i := 0; i < tc.n; i++ {
			l.PushTail(bytes.Repeat([]byte{'x'}, tc.elem))
		}
		check(t, l)
		if l.Nodes() != tc.nodes {
			t.Errorf("fill %d, %d x %d B: %d nodes, want %d", tc.fill, tc.n, tc.elem, l.Nodes(), tc.nodes)
		}
	}
}

// TestRandomModel runs random operations against a slice model.
func TestRandomModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, fill := range []int{-1, 2, 5} {
		l := New(fill)
		var m []string
		val := func() string {
			if rng.Intn(3) == 0 {
				return fmt.Sprint(rng.Intn(100000) - 500)
			}
			return string(bytes.Repeat([]byte{byte('a' + rng.Intn(26))}, rng.Intn(300)))
		}
		for op := 0; op < 20000; op++ {
			switch rng.Intn(8) {
			case 0:
				v := val()
				l.PushHead([]byte(v))
				m = append([]string{v}, m...)
			case 1:
				v := val()
				l.PushTail([]byte(v))
				m = append(m, v)
			case 2:
				head := rng.Intn(2) == 0
				v, ok := l.Pop(head)
				if ok != (len(m) > 0) {
					t.Fatal("pop ok")
				}
				if !ok {
					continue
				}
				if head {
					if string(v) != m[0] {
						t.Fatal("pop head")
					}
					m = m[1:]
				} else {
					if string(v) != m[len(m)-1] {
						t.Fatal("pop tail")
					}
					m = m[:len(m)-1]
				}
			case 3:
				if len(m) == 0 {
					continue
				}
				i := rng.Intn(len(m))
				v := val()
				after := rng.Intn(2) == 0
				l.Insert(i, []byte(v), after)
				if after {
					i++
				}
				m = append(m[:i], append([]string{v}, m[i:]...)...)
			case 4:
				if len(m) == 0 {
					continue
				}
				i := rng.Intn(len(m))
				v := val()
				l.Set(i-len(m)*rng.Intn(2), []byte(v))
				m[i] = v
			case 5:
				s, c := rng.Intn(len(m)+3)-2, rng.Intn(5)
				l.DeleteRange(s, c)
				if s < 0 {
					s += len(m)
				}
				if s >= 0 && s < len(m) {
					e := min(s+c, len(m))
					m = append(m[:s], m[e:]...)
				}
			case 6:
				// Delete through an iterator, both directions.
				rev := rng.Intn(2) == 0
				start := 0
				if rev {
					start = -1
				}
				it := l.Iterator(start, rev)
				var kept []string
				for {
					v, ok := it.Next()
					if !ok {
						break
					}
					if rng.Intn(4) == 0 {
						it.Delete()
					} else if rev {
						kept = append([]string{string(v)}, kept...)
					} else {
						kept = append(kept, string(v))
					}
				}
				m = kept
			case 7:
				d := l.Dup()
				check(t, d)
				if fmt.Sprint(contents(d)) != fmt.Sprint(m) {
					t.Fatal("dup differs")
				}
			}
			if l.Len() != len(m) {
				t.Fatalf("op %d: len %d want %d", op, l.Len(), len(m))
			}
			if op%500 == 0 {
				check(t, l)
				if got := contents(l); fmt.Sprint(got) != fmt.Sprint(m) {
					t.Fatalf("op %d: contents differ", op)
				}
			}
		}
		check(t, l)
	}
}

// TestListpackEncoding checks the encoded nodes against the tracked
// listpack sizes and a few known encodings.
func TestListpackEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"5", "\x05\x01"}, {"-1", "\xdf\xff\x02"}, {"4095", "\xcf\xff\x02"},
		{"300", "\xc1\x2c\x02"}, {"-32768", "\xf1\x00\x80\x03"}, {"a", "\x81a\x02"},
		{"9223372036854775807", "\xf4\xff\xff\xff\xff\xff\xff\xff\x7f\x09"},
	} {
		if got := string(listpack.AppendEntry(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("entry %q = %q, want %q", tc.in, got, tc.want)
		}
	}
	rng := rand.New(rand.NewSource(3))
	l := New(-1)
	for i := 0; i < 3000; i++ {
		switch rng.Intn(3) {
		case 0:
			l.PushTail([]byte(fmt.Sprint(rng.Int63() - rng.Int63()/int64(1+rng.Intn(1000000)))))
		case 1:
			l.PushTail(bytes.Repeat([]byte{'q'}, rng.Intn(5000)))
		default:
			l.PushHead([]byte(fmt.Sprint(rng.Intn(10000) - 5000)))
		}
	}
	n := l.head
	l.EachListpack(func(lp []byte) {
		if len(lp) != int(n.lp) || lp[len(lp)-1] != 0xFF {
			t.Fatalf("listpack of %d bytes, node tracks %d", len(lp), n.lp)
		}
		n = n.next
	})
}

// AppendBulks writes what an iterator walk encoded element by element
// would, for every start, count and direction, across node boundaries.
func TestAppendBulksMatchesIterator(t *testing.T) {
	for _, fill := range []int{16, -2} {
		testAppendBulks(t, New(fill))
	}
}

func testAppendBulks(t *testing.T, l *List) {
	for i := 0; i < 300; i++ {
		v := []byte(strconv.Itoa(i * 37))
		if i%5 == 0 {
			v = bytes.Repeat([]byte{'x'}, 100+i)
		}
		l.PushTail(v)
	}
	for _, start := range []int{0, 1, 127, 128, 150, 299, -1, -300, 300, -301} {
		for _, n := range []int{0, 1, 2, 100, 299, 400} {
			for _, rev := range []bool{false, true} {
				var want []byte
				it := l.Iterator(start, rev)
				for k := 0; k < n; k++ {
					v, ok := it.Next()
					if !ok {
						break
					}
					want = resp.AppendBulk(want, v)
				}
				got := l.AppendBulks([]byte("pre"), start, n, rev)
				if string(got) != "pre"+string(want) {
					t.Fatalf("start %d n %d rev %v: got %d bytes, want %d", start, n, rev, len(got)-3, len(want))
				}
			}
		}
	}
}
