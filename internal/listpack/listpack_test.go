package listpack

import (
	"bytes"
	"strings"
	"testing"
)

func TestInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-1", -1, true}, {"123", 123, true}, {"-0", 0, false},
		{"007", 0, false}, {" 1", 0, false}, {"1 ", 0, false}, {"-", 0, false},
		{"+1", 0, false}, {"", 0, false}, {"1a", 0, false},
		{"9223372036854775807", 1<<63 - 1, true}, {"-9223372036854775808", -1 << 63, true},
		{"9223372036854775808", 0, false}, {"-9223372036854775809", 0, false},
		{"99999999999999999999", 0, false}, {"18446744073709551619", 0, false},
	} {
		v, ok := Int([]byte(tc.in))
		if ok != tc.ok || v != tc.want {
			t.Errorf("Int(%q) = %d,%v want %d,%v", tc.in, v, ok, tc.want, tc.ok)
		}
	}
}

// TestEntry checks sizes and, where given, exact bytes of entries; the
// size must always equal the length of what AppendEntry writes.
func TestEntry(t *testing.T) {
	for _, tc := range []struct {
		in    string
		size  int
		bytes string // "" = not checked
	}{
		{"0", 2, "\x00\x01"}, {"5", 2, "\x05\x01"}, {"127", 2, "\x7f\x01"},
		{"128", 3, "\xc0\x80\x02"}, {"-1", 3, "\xdf\xff\x02"}, {"-4096", 3, "\xd0\x00\x02"},
		{"4095", 3, "\xcf\xff\x02"}, {"300", 3, "\xc1\x2c\x02"},
		{"4096", 4, "\xf1\x00\x10\x03"}, {"-32768", 4, "\xf1\x00\x80\x03"},
		{"32768", 5, "\xf2\x00\x80\x00\x04"}, {"8388607", 5, "\xf2\xff\xff\x7f\x04"},
		{"8388608", 6, "\xf3\x00\x00\x80\x00\x05"}, {"2147483647", 6, "\xf3\xff\xff\xff\x7f\x05"},
		{"2147483648", 10, "\xf4\x00\x00\x00\x80\x00\x00\x00\x00\x09"},
		{"9223372036854775807", 10, "\xf4\xff\xff\xff\xff\xff\xff\xff\x7f\x09"},
		{"-9223372036854775808", 10, "\xf4\x00\x00\x00\x00\x00\x00\x00\x80\x09"},
		{"9223372036854775808", 21, "\x939223372036854775808\x14"},
		{"-0", 4, "\x82-0\x03"}, {"01", 4, "\x8201\x03"}, {"+1", 4, "\x82+1\x03"},
		{"", 2, "\x80\x01"}, {"a", 3, "\x81a\x02"}, {"hello", 7, "\x85hello\x06"},
		{strings.Repeat("x", 63), 65, "\xbf" + strings.Repeat("x", 63) + "\x40"},
		{strings.Repeat("x", 64), 67, "\xe0\x40" + strings.Repeat("x", 64) + "\x42"},
		{strings.Repeat("x", 125), 128, ""}, // encoding 127 bytes: 1-byte backlen
		{strings.Repeat("x", 126), 130, "\xe0\x7e" + strings.Repeat("x", 126) + "\x01\x80"},
		{strings.Repeat("x", 4095), 4099, ""},
		{strings.Repeat("x", 4096), 4103, "\xf0\x00\x10\x00\x00" + strings.Repeat("x", 4096) + "\x20\x85"},
	} {
		if got := EntrySize([]byte(tc.in)); got != tc.size {
			t.Errorf("EntrySize(%.20q) = %d, want %d", tc.in, got, tc.size)
		}
		got := AppendEntry([]byte("pre"), []byte(tc.in))
		if len(got)-3 != tc.size || string(got[:3]) != "pre" {
			t.Errorf("AppendEntry(%.20q) wrote %d bytes, want %d", tc.in, len(got)-3, tc.size)
		}
		if tc.bytes != "" && string(got[3:]) != tc.bytes {
			t.Errorf("AppendEntry(%.20q) = %q, want %q", tc.in, got[3:], tc.bytes)
		}
		if v, ok := Int([]byte(tc.in)); ok {
			if n := IntEntrySize(v); n != tc.size {
				t.Errorf("IntEntrySize(%d) = %d, want %d", v, n, tc.size)
			}
			if b := AppendIntEntry(nil, v); !bytes.Equal(b, got[3:]) {
				t.Errorf("AppendIntEntry(%d) = %q, want %q", v, b, got[3:])
			}
		}
	}
}

func TestBacklen(t *testing.T) {
	for _, tc := range []struct {
		l    int
		want string
	}{
		{1, "\x01"}, {127, "\x7f"}, {128, "\x01\x80"}, {16382, "\x7f\xfe"},
		{16383, "\x00\xff\xff"}, {2097150, "\x7f\xff\xfe"}, {2097151, "\x00\xff\xff\xff"},
		{268435454, "\x7f\xff\xff\xfe"}, {268435455, "\x00\xff\xff\xff\xff"},
	} {
		got := AppendBacklen(nil, tc.l)
		if string(got) != tc.want {
			t.Errorf("AppendBacklen(%d) = %q, want %q", tc.l, got, tc.want)
		}
		if n := BacklenSize(tc.l); n != len(tc.want) {
			t.Errorf("BacklenSize(%d) = %d, want %d", tc.l, n, len(tc.want))
		}
	}
}

func TestFinish(t *testing.T) {
	for _, tc := range []struct {
		count int
		want  string
	}{
		{0, "\x07\x00\x00\x00\x00\x00\xff"},
		{2, "\x07\x00\x00\x00\x02\x00\xff"},
		{65535, "\x07\x00\x00\x00\xff\xff\xff"},
		{70000, "\x07\x00\x00\x00\xff\xff\xff"}, // count saturates
	} {
		dst := AppendHeader([]byte("xy"))
		dst = Finish(dst, 2, tc.count)
		if string(dst) != "xy"+tc.want {
			t.Errorf("count %d: %q, want %q", tc.count, dst, "xy"+tc.want)
		}
	}
	lp := AppendHeader(nil)
	lp = AppendEntry(lp, []byte("a"))
	lp = AppendIntEntry(lp, 5)
	lp = Finish(lp, 0, 2)
	if want := "\x0c\x00\x00\x00\x02\x00\x81a\x02\x05\x01\xff"; string(lp) != want {
		t.Errorf("listpack = %q, want %q", lp, want)
	}
	if len(lp) != Overhead+EntrySize([]byte("a"))+IntEntrySize(5) {
		t.Errorf("size %d", len(lp))
	}
}
