package zset

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
)

type elem struct {
	m string
	s float64
}

// model is the obviously correct sorted set the encodings are checked
// against.
type model map[string]float64

func (md model) sorted() []elem {
	var out []elem
	for m, s := range md {
		out = append(out, elem{m, s})
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i].s, out[i].m, out[j].s, out[j].m) })
	return out
}

func contents(z *ZSet, rev bool) []elem {
	var out []elem
	z.Range(0, z.Len(), rev, func(m []byte, s float64) bool {
		out = append(out, elem{string(m), s})
		return true
	})
	return out
}

func check(t *testing.T, z *ZSet, md model) {
	t.Helper()
	want := md.sorted()
	got := contents(z, false)
	if len(got) != len(want) || z.Len() != len(want) {
		t.Fatalf("len %d/%d want %d", len(got), z.Len(), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("at %d got %v want %v", i, got[i], want[i])
		}
		r, ok := z.Rank([]byte(want[i].m))
		if !ok || r != i {
			t.Fatalf("rank of %q = %d,%v want %d", want[i].m, r, ok, i)
		}
	}
	rev := contents(z, true)
	for i := range want {
		if rev[len(want)-1-i] != want[i] {
			t.Fatalf("reverse order differs at %d", i)
		}
	}
}

func TestRandomOpsAgainstModel(t *testing.T) {
	for _, lim := range []Limits{{Entries: 1 << 30, Value: 1 << 30}, {Entries: 16, Value: 8}, {Entries: 0, Value: 0}} {
		z := New(lim.Entries == 0)
		md := model{}
		for i := 0; i < 3000; i++ {
			m := []byte("m" + strconv.Itoa(rand.IntN(60)))
			if rand.IntN(10) == 0 {
				m = append(m, "-long-member"...)
			}
			s := float64(rand.IntN(20) - 10)
			switch rand.IntN(6) {
			case 0, 1, 2:
				flags := []int{0, AddNX, AddXX, AddGT, AddLT, AddIncr}[rand.IntN(6)]
				out, ns := z.Add(m, s, flags, lim)
				cur, had := md[string(m)]
				switch {
				case had && flags == AddNX, !had && flags == AddXX:
					if out != OutNop {
						t.Fatalf("want nop, got %d", out)
					}
				case had && flags == AddGT && s <= cur, had && flags == AddLT && s >= cur:
					if out != OutNop {
						t.Fatalf("want nop, got %d", out)
					}
				default:
					if flags == AddIncr && had {
						s += cur
					}
					md[string(m)] = s
					if ns != s {
						t.Fatalf("new score %v want %v", ns, s)
					}
				}
			case 3:
				_, had := md[string(m)]
				if z.Delete(m) != had {
					t.Fatalf("delete %q", m)
				}
				delete(md, string(m))
			case 4:
				a, b := rand.IntN(z.Len()+2), rand.IntN(z.Len()+2)
				want := md.sorted()
				removed := z.DeleteRange(a, b)
				n := 0
				for i := a; i < b && i < len(want); i++ {
					delete(md, want[i].m)
					n++
				}
				if removed != n {
					t.Fatalf("DeleteRange(%d,%d) = %d want %d", a, b, removed, n)
				}
			case 5:
				r := ScoreRange{Min: float64(rand.IntN(20) - 10), Max: float64(rand.IntN(20) - 10), Minex: rand.IntN(2) == 0, Maxex: rand.IntN(2) == 0}
				a, b := z.ScoreRanks(r)
				want := md.sorted()
				wa, wb := 0, 0
				first := true
				for i, e := range want {
					if r.GteMin(e.s) && r.LteMax(e.s) {
						if first {
							wa, first = i, false
						}
						wb = i + 1
					}
				}
				if first {
					wa, wb = a, a
				}
				if b-a != wb-wa || (b > a && a != wa) {
					t.Fatalf("ScoreRanks(%+v) = %d,%d want %d,%d", r, a, b, wa, wb)
				}
			}
			if lim.Entries > 1000 && !z.IsListpack() {
				t.Fatal("converted without reason")
			}
		}
		check(t, z, md)
		for m, s := range md {
			got, ok := z.Score([]byte(m))
			if !ok || got != s {
				t.Fatalf("score %q", m)
			}
		}
		c := z.Clone()
		check(t, c, md)
		if z.IsListpack() {
			z.ConvertToSkiplist()
		} else {
			z.ConvertToListpack()
		}
		check(t, z, md)
	}
}

func TestConversionThresholds(t *testing.T) {
	lim := Limits{Entries: 3, Value: 5}
	z := New(false)
	for i, m := range []string{"a", "b", "c"} {
		z.Add([]byte(m), float64(i), 0, lim)
	}
	if !z.IsListpack() {
		t.Fatal("3 entries should stay listpack")
	}
	z.Add([]byte("d"), 4, 0, lim)
	if z.IsListpack() {
		t.Fatal("4 entries should convert")
	}
	z = New(false)
	z.Add([]byte("12345"), 1, 0, lim)
	if !z.IsListpack() {
		t.Fatal("5-byte member fits")
	}
	z.Add([]byte("123456"), 1, 0, lim)
	if z.IsListpack() {
		t.Fatal("6-byte member converts")
	}
}

func TestNegativeZeroAndNaN(t *testing.T) {
	lim := Limits{Entries: 128, Value: 64}
	for _, sk := range []bool{false, true} {
		z := New(sk)
		z.Add([]byte("a"), math.Copysign(0, -1), 0, lim)
		if s, _ := z.Score([]byte("a")); math.Signbit(s) != sk {
			t.Fatalf("skiplist=%v: -0 stored as %v", sk, s)
		}
		z.Add([]byte("b"), math.Inf(1), 0, lim)
		if out, _ := z.Add([]byte("b"), math.Inf(-1), AddIncr, lim); out != OutNaN {
			t.Fatalf("inf-inf should be NaN, got %d", out)
		}
		if out, _ := z.Add([]byte("c"), math.NaN(), 0, lim); out != OutNaN {
			t.Fatal("NaN score accepted")
		}
	}
}

func TestLexRanks(t *testing.T) {
	for _, sk := range []bool{false, true} {
		z := New(sk)
		for _, m := range []string{"a", "b", "c", "d", "e"} {
			z.Add([]byte(m), 0, 0, Limits{128, 64})
		}
		cases := []struct {
			r          LexRange
			start, end int
		}{
			{LexRange{LexBound{LexMinusInf, nil}, LexBound{LexPlusInf, nil}}, 0, 5},
			{LexRange{LexBound{LexInclusive, []byte("b")}, LexBound{LexExclusive, []byte("d")}}, 1, 3},
			{LexRange{LexBound{LexExclusive, []byte("b")}, LexBound{LexInclusive, []byte("d")}}, 2, 4},
			{LexRange{LexBound{LexInclusive, []byte("z")}, LexBound{LexPlusInf, nil}}, 5, 5},
			{LexRange{LexBound{LexPlusInf, nil}, LexBound{LexPlusInf, nil}}, 0, 0},
			{LexRange{LexBound{LexExclusive, []byte("c")}, LexBound{LexExclusive, []byte("c")}}, 0, 0},
		}
		for _, c := range cases {
			a, b := z.LexRanks(c.r, false)
			if n := z.LexCount(c.r); n != b-a {
				t.Errorf("LexCount %d, ranks %d,%d", n, a, b)
			}
			if ra, rb := z.LexRanks(c.r, true); rb-ra != b-a || (b > a && ra != a) {
				t.Errorf("reverse ranks %d,%d vs %d,%d", ra, rb, a, b)
			}
			if b-a != c.end-c.start || (b > a && a != c.start) {
				t.Errorf("skiplist=%v %+v: got %d,%d want %d,%d", sk, c.r, a, b, c.start, c.end)
			}
		}
	}
}
