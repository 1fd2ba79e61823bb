package stream

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"testing"
)

func fv(kv ...string) [][]byte {
	out := make([][]byte, len(kv))
	for i, s := range kv {
		out[i] = []byte(s)
	}
	return out
}

func collect(s *Stream, start, end ID, rev bool) []string {
	var out []string
	it := s.Iter(start, end, rev)
	for id, nf, ok := it.Next(); ok; id, nf, ok = it.Next() {
		e := id.String()
		for i := 0; i < nf; i++ {
			f, v := it.Field()
			e += " " + string(f) + "=" + string(v)
		}
		out = append(out, e)
	}
	return out
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in       string
		missing  uint64
		strict   bool
		star     bool
		want     ID
		seqGiven bool
		ok       bool
	}{
		{"1-2", 0, false, false, ID{1, 2}, true, true},
		{"5", 7, false, false, ID{5, 7}, true, true},
		{"-", 0, false, false, ID{}, true, true},
		{"+", 0, false, false, MaxID, true, true},
		{"-", 0, true, false, ID{}, false, false},
		{"3-*", 0, true, true, ID{3, 0}, false, true},
		{"3-*", 0, true, false, ID{}, false, false},
		{"18446744073709551615-18446744073709551615", 0, true, false, MaxID, true, true},
		{"18446744073709551616", 0, true, false, ID{}, false, false},
		{"01-1", 0, true, false, ID{1, 1}, true, true}, // strtoull fallback
		{"-1", 0, true, false, ID{}, false, false},
		{"1--1", 0, true, false, ID{}, false, false},
		{"a-1", 0, true, false, ID{}, false, false},
		{"", 0, true, false, ID{}, false, false},
		{"1-", 0, true, false, ID{}, false, false},
	}
	for _, tc := range tests {
		id, sg, ok := ParseID([]byte(tc.in), tc.missing, tc.strict, tc.star)
		if ok != tc.ok || (ok && (id != tc.want || sg != tc.seqGiven)) {
			t.Errorf("ParseID(%q) = %v %v %v, want %v %v %v", tc.in, id, sg, ok, tc.want, tc.seqGiven, tc.ok)
		}
	}
}

func TestAddRangeDelete(t *testing.T) {
	s := New()
	for i := 1; i <= 10; i++ {
		if _, err := s.Add(fv("a", fmt.Sprint(i)), &ID{uint64(i), 0}, true, 0, 4096, 3); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Add(fv("a", "x"), &ID{10, 0}, true, 0, 4096, 3); err != ErrIDTooSmall {
		t.Fatalf("want ErrIDTooSmall, got %v", err)
	}
	id, err := s.Add(fv("b", "y", "c", "z"), &ID{10, 0}, false, 0, 4096, 3)
	if err != nil || id != (ID{10, 1}) {
		t.Fatalf("seq autogen: %v %v", id, err)
	}
	if s.Len() != 11 || s.NodeCount() != 4 {
		t.Fatalf("len %d nodes %d", s.Len(), s.NodeCount())
	}
	got := collect(s, ID{3, 0}, ID{5, 0}, false)
	if fmt.Sprint(got) != "[3-0 a=3 4-0 a=4 5-0 a=5]" {
		t.Fatalf("range: %v", got)
	}
	got = collect(s, ID{9, 0}, MaxID, true)
	if fmt.Sprint(got) != "[10-1 b=y c=z 10-0 a=10 9-0 a=9]" {
		t.Fatalf("revrange: %v", got)
	}
	if n := s.DeleteEntries([]ID{{1, 0}, {2, 0}, {42, 0}}); n != 2 {
		t.Fatalf("deleted %d", n)
	}
	if s.FirstID != (ID{3, 0}) || s.MaxDeletedID != (ID{2, 0}) || s.Len() != 9 {
		t.Fatalf("after xdel: first %v maxdel %v len %d", s.FirstID, s.MaxDeletedID, s.Len())
	}
	// 1-0..3-0 share a node: it stays with tombstones.
	if s.NodeCount() != 4 {
		t.Fatalf("nodes %d", s.NodeCount())
	}
	s.DeleteEntries([]ID{{3, 0}})
	if s.NodeCount() != 3 || s.FirstID != (ID{4, 0}) {
		t.Fatalf("node not dropped: %d %v", s.NodeCount(), s.FirstID)
	}
}

func TestTrim(t *testing.T) {
	build := func() *Stream {
		s := New()
		for i := 1; i <= 10; i++ {
			s.Add(fv("f", "v"), &ID{uint64(i), 0}, true, 0, 4096, 4)
		}
		return s
	}
	tests := []struct {
		args    TrimArgs
		deleted int64
		length  uint64
		first   ID
	}{
		{TrimArgs{Strategy: TrimMaxLen, MaxLen: 5}, 5, 5, ID{6, 0}},
		{TrimArgs{Strategy: TrimMaxLen, MaxLen: 5, Approx: true}, 4, 6, ID{5, 0}},
		{TrimArgs{Strategy: TrimMaxLen, MaxLen: 5, Approx: true, Limit: 3}, 0, 10, ID{1, 0}},
		{TrimArgs{Strategy: TrimMinID, MinID: ID{7, 0}}, 6, 4, ID{7, 0}},
		{TrimArgs{Strategy: TrimMinID, MinID: ID{7, 0}, Approx: true}, 4, 6, ID{5, 0}},
		{TrimArgs{Strategy: TrimMaxLen, MaxLen: 0}, 10, 0, ID{}},
		{TrimArgs{Strategy: TrimMaxLen, MaxLen: 20}, 0, 10, ID{1, 0}},
	}
	for i, tc := range tests {
		s := build()
		if d := s.Trim(tc.args); d != tc.deleted || s.Len() != tc.length || s.FirstID != tc.first {
			t.Errorf("%d: deleted %d len %d first %v; want %d %d %v", i, d, s.Len(), s.FirstID, tc.deleted, tc.length, tc.first)
		}
	}
}

// The node counts were read from redis-server 7.0 XINFO STREAM.
func TestRaxNodes(t *testing.T) {
	s := New()
	if s.RaxNodes() != 1 {
		t.Fatal(s.RaxNodes())
	}
	s.Add(fv("a", "1"), &ID{1, 1}, true, 0, 4096, 100)
	if s.RaxNodes() != 2 {
		t.Fatal(s.RaxNodes())
	}
	s = New()
	for i := 1; i <= 300; i++ {
		s.Add(fv("f", "v"), &ID{uint64(i), uint64(i * 7)}, true, 0, 4096, 100)
	}
	if s.NodeCount() != 3 || s.RaxNodes() != 8 {
		t.Fatal(s.NodeCount(), s.RaxNodes())
	}
	s = New()
	for i := 1; i <= 2000; i++ {
		s.Add(fv("f", "v"), &ID{uint64(i * i * 13), uint64(i % 3)}, true, 0, 4096, 100)
	}
	if s.NodeCount() != 20 || s.RaxNodes() != 45 {
		t.Fatal(s.NodeCount(), s.RaxNodes())
	}
}

func TestListpackSize(t *testing.T) {
	// One entry "f"="v": header 7, count 2, deleted 2, num-fields 2, "f" 3,
	// terminator 2; entry: flags 2, ms 2, seq 2, value 3, lp-count 2.
	s := New()
	s.Add(fv("f", "v"), &ID{1, 0}, true, 0, 0, 0)
	it := s.rax.Iterator()
	it.Seek("^", nil)
	_, n, _ := it.Next()
	if n.lpBytes() != 7+2+2+2+3+2+2+2+2+3+2 {
		t.Fatal(n.lpBytes())
	}
	if got := len(n.listpack()); got != n.lpBytes() {
		t.Errorf("listpack is %d bytes, lpBytes says %d", got, n.lpBytes())
	}
}

// TestModel compares random adds, deletes and trims with a slice model.
func TestModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 20; round++ {
		s := New()
		var model []ID
		next := uint64(1)
		for op := 0; op < 500; op++ {
			switch r := rng.Intn(10); {
			case r < 6:
				next += uint64(rng.Intn(3))
				id, err := s.Add(fv("k", fmt.Sprint(op)), &ID{next, 0}, false, 0, int64(rng.Intn(200)+50), int64(rng.Intn(6)))
				if err != nil {
					t.Fatal(err)
				}
				model = append(model, id)
			case r < 8 && len(model) > 0:
				i := rng.Intn(len(model))
				s.DeleteEntries([]ID{model[i]})
				model = append(model[:i], model[i+1:]...)
			default:
				ml := rng.Intn(len(model) + 1)
				d := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: int64(ml)})
				if int(d) != max(0, len(model)-ml) {
					t.Fatalf("trim removed %d", d)
				}
				if ml < len(model) {
					model = model[len(model)-ml:]
				}
			}
			if s.Len() != uint64(len(model)) {
				t.Fatalf("len %d model %d", s.Len(), len(model))
			}
			if len(model) > 0 && s.FirstID != model[0] {
				t.Fatalf("first %v want %v", s.FirstID, model[0])
			}
		}
		got := collect(s, ID{}, MaxID, true)
		if len(got) != len(model) {
			t.Fatalf("rev iteration %d entries, want %d", len(got), len(model))
		}
		for i := range got {
			if id := model[len(model)-1-i]; got[i][:len(id.String())] != id.String() {
				t.Fatalf("entry %d: %s want %v", i, got[i], id)
			}
		}
	}
}

// TestListpackBytes checks the listpack encoder against a layout built by
// hand from the listpack format, and its size against the running
// accounting. (The byte-exactness against Redis is checked through DEBUG
// OBJECT serializedlength, which LZF-compresses these bytes.)
func TestListpackBytes(t *testing.T) {
	s := New()
	s.Add(fv("f", "v"), &ID{5, 1}, true, 0, 4096, 100)
	s.Add(fv("f", "-3"), &ID{5, 2}, true, 0, 4096, 100)
	s.Add(fv("g", "300"), &ID{6, 0}, true, 0, 4096, 100)
	var lps [][]byte
	s.EachListpack(func(k, lp []byte) { lps = append(lps, lp) })
	want := []byte{0, 0, 0, 0, 0, 0,
		3, 1, 0, 1, 1, 1, 0x81, 'f', 2, 0, 1, // master: count 3, deleted 0, 1 field "f", 0
		2, 1, 0, 1, 0, 1, 0x81, 'v', 2, 4, 1, // same fields, deltas 0/0, "v", lp-count 4
		2, 1, 0, 1, 1, 1, 0xDF, 0xFD, 2, 4, 1, // "-3" as a 13-bit int
		0, 1, 1, 1, 0xDF, 0xFF, 2, 1, 1, 0x81, 'g', 2, 0xC1, 0x2C, 2, 6, 1, // own fields: seq delta -1
		0xFF}
	binary.LittleEndian.PutUint32(want[0:4], uint32(len(want)))
	binary.LittleEndian.PutUint16(want[4:6], 22)
	if len(lps) != 1 || string(lps[0]) != string(want) {
		t.Fatalf("listpack\n got %v\nwant %v", lps, want)
	}
	it := s.rax.Iterator()
	it.Seek("^", nil)
	_, n, _ := it.Next()
	if n.lpBytes() != len(want) {
		t.Fatalf("lpBytes %d, listpack %d", n.lpBytes(), len(want))
	}
}

func TestLagAndDistance(t *testing.T) {
	s := New()
	g := s.CreateGroup([]byte("g"), ID{}, InvalidEntriesRead)
	if lag, ok := s.Lag(g); !ok || lag != 0 {
		t.Fatalf("empty stream lag %d %v", lag, ok)
	}
	for i := 1; i <= 5; i++ {
		s.Add(fv("f", "v"), &ID{uint64(i), 0}, true, 0, 4096, 100)
	}
	tests := []struct {
		id   ID
		want int64
	}{
		{ID{0, 0}, 0},  // before the first entry, no tombstones
		{ID{1, 0}, 1},  // the first entry
		{ID{3, 0}, -1}, // in the middle: unknown
		{ID{5, 0}, 5},  // the last entry
		{ID{9, 0}, -1}, // in the future
	}
	for _, tc := range tests {
		if got := s.EstimateDistance(tc.id); got != tc.want {
			t.Errorf("EstimateDistance(%v) = %d, want %d", tc.id, got, tc.want)
		}
	}
	if lag, ok := s.Lag(g); !ok || lag != 5 {
		t.Fatalf("lag %d %v", lag, ok)
	}
	s.Delivered(g, ID{1, 0})
	s.Delivered(g, ID{2, 0})
	if g.EntriesRead != 2 || g.LastID != (ID{2, 0}) {
		t.Fatalf("entries read %d last %v", g.EntriesRead, g.LastID)
	}
	s.DeleteEntries([]ID{{4, 0}})
	if !s.RangeHasTombstones(ID{3, 0}, nil) || s.RangeHasTombstones(ID{5, 0}, nil) {
		t.Fatal("tombstone range")
	}
	if _, ok := s.Lag(g); ok {
		t.Fatal("lag with a tombstone ahead should be unknown")
	}
	s.Delivered(g, ID{3, 0})
	s.Delivered(g, ID{5, 0})
	if lag, ok := s.Lag(g); !ok || lag != 0 || g.EntriesRead != 5 {
		t.Fatalf("lag %d %v read %d", lag, ok, g.EntriesRead)
	}
}

func TestGroupsAndPEL(t *testing.T) {
	s := New()
	for i := 1; i <= 3; i++ {
		s.Add(fv("f", "v"), &ID{uint64(i), 0}, true, 0, 4096, 100)
	}
	g := s.CreateGroup([]byte("g"), ID{}, 0)
	if s.CreateGroup([]byte("g"), ID{}, 0) != nil {
		t.Fatal("duplicate group")
	}
	a := s.CreateConsumer(g, []byte("a"), 1)
	b := s.CreateConsumer(g, []byte("b"), 1)
	s.AddPending(g, a, ID{1, 0}, 10)
	s.AddPending(g, a, ID{2, 0}, 10)
	n := s.AddPending(g, b, ID{2, 0}, 20) // redelivered to b
	if n.Consumer != b || n.DeliveryCount != 1 || a.PEL.Len() != 1 || b.PEL.Len() != 1 || g.PEL.Len() != 2 {
		t.Fatalf("reassign: %+v a=%d b=%d g=%d", n, a.PEL.Len(), b.PEL.Len(), g.PEL.Len())
	}
	if !s.Ack(g, ID{1, 0}) || s.Ack(g, ID{1, 0}) || a.PEL.Len() != 0 {
		t.Fatal("ack")
	}
	f := s.ForcePending(g, ID{3, 0}, 30)
	g.Claim(f, ID{3, 0}, a)
	if f.Consumer != a || a.PEL.Len() != 1 || f.DeliveryCount != 1 {
		t.Fatal("force+claim")
	}
	c := s.Clone()
	cg := c.Group([]byte("g"))
	if cg == g || cg.PEL.Len() != 2 || cg.Consumer([]byte("a")).PEL.Len() != 1 {
		t.Fatal("clone")
	}
	if s.DeleteConsumer(g, b) != 1 || g.PEL.Len() != 1 {
		t.Fatal("delete consumer")
	}
	if !s.DestroyGroup([]byte("g")) || s.GroupCount() != 0 || c.GroupCount() != 1 {
		t.Fatal("destroy")
	}
}
