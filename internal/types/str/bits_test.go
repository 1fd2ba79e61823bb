package str

import (
	"math"
	"testing"
)

func TestPopcount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"", 0}, {"\x00", 0}, {"\xff", 8}, {"foobar", 26},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\x01", 65},
	} {
		if got := Popcount([]byte(tc.in)); got != tc.want {
			t.Errorf("Popcount(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestBitpos(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bit  int
		want int64
	}{
		{"", 1, -1}, {"", 0, 0},
		{"\x00", 1, -1}, {"\x00", 0, 0},
		{"\xff", 0, 8}, {"\xff", 1, 0},
		{"\xff\xf0\x00", 0, 12}, {"\x00\x00\x01", 1, 23},
		{"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40", 1, 73},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe", 0, 79},
		{"\xff\xff\xff\xff\xff\xff\xff\xff", 0, 64},
	} {
		if got := Bitpos([]byte(tc.in), tc.bit); got != tc.want {
			t.Errorf("Bitpos(%q, %d) = %d, want %d", tc.in, tc.bit, got, tc.want)
		}
	}
}

func TestBitfieldGetSet(t *testing.T) {
	p := make([]byte, 3)
	// Redis's example: u5 at offset 7 set to 23 gives 00000001|01110000.
	SetUnsignedBitfield(p, 7, 5, 23)
	if p[0] != 0x01 || p[1] != 0x70 || p[2] != 0 {
		t.Fatalf("got % x", p)
	}
	if v := GetUnsignedBitfield(p, 7, 5); v != 23 {
		t.Errorf("u5 = %d", v)
	}
	if v := GetSignedBitfield(p, 7, 5); v != 23-32 {
		t.Errorf("i5 = %d", v)
	}
	q := make([]byte, 9)
	SetUnsignedBitfield(q, 3, 64, uint64(math.MaxUint64))
	if v := GetSignedBitfield(q, 3, 64); v != -1 {
		t.Errorf("i64 = %d", v)
	}
	if q[0] != 0x1f || q[8] != 0xe0 {
		t.Errorf("got % x", q)
	}
}

func TestCheckUnsignedOverflow(t *testing.T) {
	for _, tc := range []struct {
		value    uint64
		incr     int64
		bits, ow int
		want     int
		limit    uint64
	}{
		{3, 1, 2, OverflowWrap, 1, 0},
		{3, 1, 2, OverflowSat, 1, 3},
		{0, -1, 2, OverflowWrap, -1, 3},
		{0, -1, 2, OverflowSat, -1, 0},
		{1, 2, 2, OverflowSat, 0, 0},
		{2, -2, 2, OverflowSat, 0, 0},
		{math.MaxUint64, 0, 2, OverflowSat, 1, 3}, // SET of -1
		{math.MaxUint64, 0, 2, OverflowWrap, 1, 3},
		{7, 0, 2, OverflowWrap, 1, 3},
		{1<<63 - 1, 1, 63, OverflowWrap, 1, 0},
		{1<<63 - 1, math.MaxInt64, 63, OverflowWrap, 1, 1<<63 - 2},
		{5, math.MinInt64, 63, OverflowSat, -1, 0},
	} {
		got, limit := CheckUnsignedOverflow(tc.value, tc.incr, tc.bits, tc.ow)
		if got != tc.want || (got != 0 && limit != tc.limit) {
			t.Errorf("u%d %d%+d ow=%d: got %d,%d want %d,%d", tc.bits, tc.value, tc.incr, tc.ow, got, limit, tc.want, tc.limit)
		}
	}
}

func TestCheckSignedOverflow(t *testing.T) {
	for _, tc := range []struct {
		value, incr int64
		bits, ow    int
		want        int
		limit       int64
	}{
		{7, 1, 4, OverflowWrap, 1, -8},
		{7, 1, 4, OverflowSat, 1, 7},
		{-8, -1, 4, OverflowWrap, -1, 7},
		{-8, -1, 4, OverflowSat, -1, -8},
		{-8, 15, 4, OverflowSat, 0, 0},
		{8, 0, 4, OverflowWrap, 1, -8},
		{-9, 0, 4, OverflowWrap, -1, 7},
		{math.MaxInt64, 1, 64, OverflowWrap, 1, math.MinInt64},
		{math.MaxInt64, 1, 64, OverflowSat, 1, math.MaxInt64},
		{math.MinInt64, -1, 64, OverflowSat, -1, math.MinInt64},
		{math.MinInt64, math.MaxInt64, 64, OverflowSat, 0, 0},
		{-1, math.MinInt64, 64, OverflowWrap, -1, math.MaxInt64},
		{0, math.MinInt64, 4, OverflowSat, -1, -8},
		{0, math.MaxInt64, 4, OverflowSat, 1, 7},
		{1, -1, 1, OverflowSat, 1, 0}, // i1 holds -1..0
	} {
		got, limit := CheckSignedOverflow(tc.value, tc.incr, tc.bits, tc.ow)
		if got != tc.want || (got != 0 && limit != tc.limit) {
			t.Errorf("i%d %d%+d ow=%d: got %d,%d want %d,%d", tc.bits, tc.value, tc.incr, tc.ow, got, limit, tc.want, tc.limit)
		}
	}
}

func TestLCS(t *testing.T) {
	n, s, m := LCS([]byte("ohmytext"), []byte("mynewtext"), true, true)
	if n != 6 || string(s) != "mytext" {
		t.Fatalf("got %d %q", n, s)
	}
	want := []LCSMatch{{4, 7, 5, 8}, {2, 3, 0, 1}}
	if len(m) != len(want) {
		t.Fatalf("matches %v", m)
	}
	for i := range want {
		if m[i] != want[i] {
			t.Errorf("match %d = %v, want %v", i, m[i], want[i])
		}
	}
	if n, s, m := LCS(nil, []byte("abc"), true, true); n != 0 || len(s) != 0 || len(m) != 0 {
		t.Errorf("empty: %d %q %v", n, s, m)
	}
	if n, s, _ := LCS([]byte("abc"), []byte("abc"), false, false); n != 3 || s != nil {
		t.Errorf("len only: %d %q", n, s)
	}
}

func TestBitopInto(t *testing.T) {
	a := []byte("0123456789abcdefXYZ")
	b := []byte("\xff\x00\xf0\x0f\xff\x00\xf0\x0f\xff\x00")
	for _, op := range []byte{'&', '|', '^'} {
		got := append([]byte(nil), a...)
		BitopInto(got, b, op)
		for i := range a {
			var sb byte
			if i < len(b) {
				sb = b[i]
			}
			want := a[i]
			switch op {
			case '&':
				want &= sb
			case '|':
				want |= sb
			case '^':
				want ^= sb
			}
			if got[i] != want {
				t.Errorf("op %c byte %d: got %x want %x", op, i, got[i], want)
			}
		}
	}
}
