package set

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/keyspace"
)

func TestIntsetWidths(t *testing.T) {
	tests := []struct {
		add   []int64
		width uint8
		want  []int64
	}{
		{nil, 2, nil},
		{[]int64{3, 1, 2, 2}, 2, []int64{1, 2, 3}},
		{[]int64{5, math.MaxInt16 + 1}, 4, []int64{5, math.MaxInt16 + 1}},
		{[]int64{5, math.MinInt16 - 1}, 4, []int64{math.MinInt16 - 1, 5}},
		{[]int64{1, math.MinInt32 - 1, 7}, 8, []int64{math.MinInt32 - 1, 1, 7}},
		{[]int64{math.MaxInt64, math.MinInt64, 0}, 8, []int64{math.MinInt64, 0, math.MaxInt64}},
		{[]int64{-1, math.MaxInt32, -2}, 4, []int64{-2, -1, math.MaxInt32}},
	}
	for _, tc := range tests {
		s := intset{width: 2}
		for _, v := range tc.add {
			s.Add(v)
		}
		var got []int64
		for i := 0; i < s.Len(); i++ {
			got = append(got, s.get(i))
		}
		if !slices.Equal(got, tc.want) || s.w() != int(tc.width) {
			t.Errorf("add %v: got %v width %d, want %v width %d", tc.add, got, s.w(), tc.want, tc.width)
		}
		for _, v := range tc.want {
			if !s.Has(v) {
				t.Errorf("add %v: Has(%d) false", tc.add, v)
			}
		}
		if s.Has(12345) || s.Has(math.MaxInt64-1) {
			t.Errorf("add %v: Has of an absent value", tc.add)
		}
		blob := s.blob()
		if binary.LittleEndian.Uint32(blob) != uint32(tc.width) || int(binary.LittleEndian.Uint32(blob[4:])) != len(tc.want) ||
			len(blob) != 8+len(tc.want)*int(tc.width) || s.blobLen() != len(blob) {
			t.Errorf("add %v: blob %x", tc.add, blob)
		}
	}
}

func TestIntsetRemoveKeepsWidth(t *testing.T) {
	s := intset{width: 2}
	s.Add(1)
	s.Add(1 << 40)
	if !s.Remove(1<<40) || s.Remove(1<<40) || s.Remove(99) {
		t.Fatal("remove results")
	}
	if s.w() != 8 || s.Len() != 1 || s.get(0) != 1 {
		t.Fatalf("after remove: width %d len %d", s.w(), s.Len())
	}
}

// TestIntsetRandomized checks the intset against a map and a sort.
func TestIntsetRandomized(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := intset{width: 2}
	ref := map[int64]bool{}
	for i := 0; i < 20000; i++ {
		var v int64
		switch rng.IntN(3) {
		case 0:
			v = int64(rng.IntN(200)) - 100
		case 1:
			v = int64(rng.Int32())
		default:
			v = int64(rng.Uint64())
		}
		if rng.IntN(3) == 0 {
			if s.Remove(v) != ref[v] {
				t.Fatalf("remove %d", v)
			}
			delete(ref, v)
		} else {
			if s.Add(v) == ref[v] {
				t.Fatalf("add %d", v)
			}
			ref[v] = true
		}
	}
	var want []int64
	for v := range ref {
		want = append(want, v)
	}
	slices.Sort(want)
	for i, v := range want {
		if s.get(i) != v {
			t.Fatalf("element %d: %d want %d", i, s.get(i), v)
		}
	}
	if s.Len() != len(want) {
		t.Fatalf("len %d want %d", s.Len(), len(want))
	}
}

func members(s *Set) []string {
	var out []string
	s.Each(func(m Member) bool { out = append(out, string(m.Bytes())); return true })
	return out
}

func TestSetEncodings(t *testing.T) {
	tests := []struct {
		name  string
		first string
		add   []string
		max   int64
		enc   keyspace.Encoding
	}{
		{"ints", "1", []string{"1", "2", "-3"}, 512, keyspace.EncIntset},
		{"string first", "a", []string{"a"}, 512, keyspace.EncHashtable},
		{"string later", "1", []string{"1", "x"}, 512, keyspace.EncHashtable},
		{"not canonical", "1", []string{"1", "01"}, 512, keyspace.EncHashtable},
		{"plus sign", "1", []string{"1", "+1"}, 512, keyspace.EncHashtable},
		{"minus zero", "1", []string{"-0"}, 512, keyspace.EncHashtable},
		{"too big", "1", []string{"9223372036854775808"}, 512, keyspace.EncHashtable},
		{"at limit", "1", []string{"1", "2", "3"}, 3, keyspace.EncIntset},
		{"over limit", "1", []string{"1", "2", "3", "4"}, 3, keyspace.EncHashtable},
		{"repeat at limit", "1", []string{"1", "2", "3", "3"}, 3, keyspace.EncIntset},
	}
	for _, tc := range tests {
		s := NewFor([]byte(tc.first))
		for _, m := range tc.add {
			s.Add([]byte(m), tc.max)
		}
		if s.Encoding() != tc.enc {
			t.Errorf("%s: encoding %v want %v", tc.name, s.Encoding(), tc.enc)
		}
		for _, m := range tc.add {
			if !s.Has([]byte(m)) {
				t.Errorf("%s: missing %q", tc.name, m)
			}
		}
	}
}

func TestSetConvertKeepsMembers(t *testing.T) {
	s := New()
	for i := 0; i < 600; i++ {
		if !s.AddInt(int64(i*7-1000), 512) {
			t.Fatal("add")
		}
	}
	if s.IsIntset() || s.Len() != 600 {
		t.Fatalf("encoding %v len %d", s.Encoding(), s.Len())
	}
	// Presized for the 513 members at conversion, like Redis's dictExpand.
	if s.Table().Buckets() < 1024 {
		t.Fatalf("buckets %d", s.Table().Buckets())
	}
	for i := 0; i < 600; i++ {
		if !s.HasInt(int64(i*7-1000)) || !s.Has([]byte(strconv.Itoa(i*7-1000))) {
			t.Fatalf("member %d lost", i)
		}
	}
	before := s.MemBytes()
	for i := 0; i < 600; i++ {
		if !s.Remove([]byte(strconv.Itoa(i*7 - 1000))) {
			t.Fatal("remove")
		}
	}
	if s.Len() != 0 || s.MemBytes() >= before || s.htBytes != 0 {
		t.Fatalf("after removal: len %d mem %d (was %d) node bytes %d", s.Len(), s.MemBytes(), before, s.htBytes)
	}
}

func TestSetDupIndependent(t *testing.T) {
	for _, first := range []string{"1", "a"} {
		s := NewFor([]byte(first))
		s.Add([]byte(first), 512)
		s.Add([]byte("2"), 512)
		d := s.Dup()
		d.Add([]byte("3"), 512)
		s.Remove([]byte("2"))
		if d.Encoding() != s.Encoding() || d.Len() != 3 || s.Len() != 1 || !d.Has([]byte("2")) {
			t.Fatalf("dup of %q: %v %v", first, members(s), members(d))
		}
	}
}

func TestSetRandomAndRemoveMember(t *testing.T) {
	for _, first := range []string{"1", "a"} {
		s := NewFor([]byte(first))
		for i := 0; i < 50; i++ {
			s.AddInt(int64(i), 512)
		}
		s.Add([]byte(first), 512)
		n := s.Len()
		for s.Len() > 0 {
			m := s.Random()
			if !s.Has(m.Bytes()) || !s.RemoveMember(m) {
				t.Fatalf("random member %q", m.Bytes())
			}
			n--
			if s.Len() != n {
				t.Fatal("len")
			}
		}
	}
}

func TestSetScanIntsetWhole(t *testing.T) {
	s := New()
	s.AddInt(5, 512)
	s.AddInt(-5, 512)
	var got [][]byte
	if c := s.Scan(123, func(m Member) { got = append(got, m.Bytes()) }); c != 0 {
		t.Fatalf("cursor %d", c)
	}
	if len(got) != 2 || !bytes.Equal(got[0], []byte("-5")) {
		t.Fatalf("got %q", got)
	}
}
