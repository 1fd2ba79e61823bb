package str

import "testing"

// Expected strings are glibc's printf("%La") of the same x87 values.
func TestLongDoubleHex(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.5", "0xcp-3"},
		{"1", "0x8p-3"},
		{"0.1", "0xc.ccccccccccccccdp-7"},
		{"-3.75", "-0xfp-2"},
		{"0", "0x0p+0"},
		{"-0", "-0x0p+0"},
		{"1e-4940", "0x0.000000663278e62p-16385"},
		{"inf", "inf"},
		{"-inf", "-inf"},
		{"12345678901234567890", "0xa.b54a98ceb1f0ad2p+60"},
		{"3", "0xcp-2"},
	} {
		x, ok := ParseLongDouble([]byte(tc.in))
		if !ok {
			t.Fatalf("parse %q", tc.in)
		}
		got := string(x.AppendHex(nil))
		if got != tc.want {
			t.Errorf("%s: %%La = %q, want %q", tc.in, got, tc.want)
		}
		// Round trips: the hex text and the 80 bits.
		y, ok := ParseLongDouble([]byte(got))
		if !ok || string(y.AppendHex(nil)) != got {
			t.Errorf("%s: hex %q does not round-trip", tc.in, got)
		}
		se, m := x.X87()
		z, ok := LongDoubleFromX87(se, m)
		if !ok || string(z.AppendHex(nil)) != got {
			t.Errorf("%s: x87 bits %#x %#x do not round-trip", tc.in, se, m)
		}
	}
	if se, m := LongDoubleFromInt(1).X87(); se != 0x3fff || m != 1<<63 {
		t.Errorf("X87(1) = %#x %#x", se, m)
	}
	if _, ok := LongDoubleFromX87(0x7fff, 1<<63|1); ok {
		t.Error("NaN accepted")
	}
}
