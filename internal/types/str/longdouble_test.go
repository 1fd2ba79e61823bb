package str

import (
	"strings"
	"testing"
)

const (
	ok = iota
	errFloat
	errNaN
)

// incrCases were produced with glibc's strtold and printf("%.17Lf") on
// x86-64 (80-bit long double) following Redis's string2ld, addition and
// ld2string; the tricky ones were also checked against redis-server 7.0.
// Long results are checked by prefix and length.
var incrCases = []struct {
	value, incr string
	want        string
	wantLen     int
	result      int
}{
	{"10.5", "0.1", "10.6", 0, ok},
	{"10.6", "0.1", "10.7", 0, ok},
	{"0.1", "0.2", "0.3", 0, ok},
	{"0.3", "0.00000000000000001", "0.30000000000000001", 0, ok},
	{"1", "0.000000000000000005", "1", 0, ok},
	{"1", "0.000000000000000015", "1.00000000000000001", 0, ok},
	{"0", "0.000003814697265625", "0.00000381469726562", 0, ok},
	{"0", "0.000011444091796875", "0.00001144409179688", 0, ok},
	{"5.0e3", "2.0e2", "5200", 0, ok},
	{"-0", "0", "0", 0, ok},
	{"-0", "-0", "0", 0, ok},
	{"0", "-0.0", "0", 0, ok},
	{"1e308", "1e308", "1999999999999999999933717593116912913211", 309, ok},
	{"1e4000", "1", "9999999999999999999965463873099623784932", 4000, ok},
	{"1.18973149535723176502e+4932", "0", "1189731495357231765021263853030970205169", 4933, ok},
	{"1.18973149535723176502e+4932", "1e4931", "", 0, errNaN},
	{"1.18973149535723176508e+4932", "0", "", 0, errFloat},
	{"0x1.fffffffffffffffep16383", "0", "1189731495357231765021263853030970205169", 4933, ok},
	{"0x1.fffffffffffffffe8p16383", "0", "1189731495357231765021263853030970205169", 4933, ok},
	{"0x1.fffffffffffffffe7fp16383", "0", "1189731495357231765021263853030970205169", 4933, ok},
	{"1e-4940", "0", "0", 0, ok},
	{"1e-4950", "1", "1", 0, ok},
	{"1e-4960", "0", "", 0, errFloat},
	{"3.7e-4951", "0", "0", 0, ok},
	{"1.8e-4951", "0", "", 0, errFloat},
	{"0e99999999999", "5", "5", 0, ok},
	{"1e99999999999", "0", "", 0, errFloat},
	{"1e-99999999999", "0", "", 0, errFloat},
	{"3.14159265358979323846264338327950288", "0", "3.14159265358979324", 0, ok},
	{"2.71828182845904523536", "1", "3.71828182845904524", 0, ok},
	{"9223372036854775807", "1", "9223372036854775808", 0, ok},
	{"-9223372036854775808", "-1", "-9223372036854775809", 0, ok},
	{"18446744073709551616.5", "0", "18446744073709551616", 0, ok},
	{"123456789012345678901234567890", "0.5", "123456789012345678899921813504", 0, ok},
	{"0.1", "-0.1", "0", 0, ok},
	{"1.1", "-1", "0.1", 0, ok},
	{"0.7", "0.1", "0.8", 0, ok},
	{"99.99", "0.01", "100", 0, ok},
	{"-1.5", "1.5", "0", 0, ok},
	{"inf", "1", "", 0, errNaN},
	{"-inf", "1", "", 0, errNaN},
	{"1", "infinity", "", 0, errNaN},
	{"1", "INF", "", 0, errNaN},
	{"1", "-Infinity", "", 0, errNaN},
	{"inf", "-inf", "", 0, errNaN},
	{"nan", "1", "", 0, errFloat},
	{"1", "nan", "", 0, errFloat},
	{"1", "-nan", "", 0, errFloat},
	{"1", "nan(0x1)", "", 0, errFloat},
	{" 1", "1", "", 0, errFloat},
	{"1", " 1", "", 0, errFloat},
	{"1", "1 ", "", 0, errFloat},
	{"1", "1e", "", 0, errFloat},
	{"1", "1e+", "", 0, errFloat},
	{"1", ".", "", 0, errFloat},
	{"1", ".5", "1.5", 0, ok},
	{"1", "5.", "6", 0, ok},
	{"1", "+.5e1", "6", 0, ok},
	{"1", "-", "", 0, errFloat},
	{"1", "+", "", 0, errFloat},
	{"1", "0x", "", 0, errFloat},
	{"1", "0x1p", "", 0, errFloat},
	{"1", "0x.8", "1.5", 0, ok},
	{"1", "0x1.8p1", "4", 0, ok},
	{"1", "0X1P-2", "1.25", 0, ok},
	{"1", "0x1.00000000000000008p0", "2", 0, ok},
	{"1", "0x1.00000000000000018p0", "2", 0, ok},
	{"1", "00001.5", "2.5", 0, ok},
	{"1", "1.5.5", "", 0, errFloat},
	{"1", "--1", "", 0, errFloat},
	{"1", "infin", "", 0, errFloat},
	{"1", "1,5", "", 0, errFloat},
	{"1", "abc", "", 0, errFloat},
}

func incrByFloat(value, incr string) (string, int) {
	x, good := ParseLongDouble([]byte(value))
	if !good {
		return "", errFloat
	}
	y, good := ParseLongDouble([]byte(incr))
	if !good {
		return "", errFloat
	}
	z, good := x.Add(y)
	if !good {
		return "", errNaN
	}
	return string(z.AppendHuman(nil)), ok
}

func TestIncrByFloat(t *testing.T) {
	for _, tc := range incrCases {
		got, res := incrByFloat(tc.value, tc.incr)
		if res != tc.result {
			t.Errorf("%q + %q: result %d, want %d (%q)", tc.value, tc.incr, res, tc.result, got)
			continue
		}
		if tc.wantLen > 0 {
			if len(got) != tc.wantLen || !strings.HasPrefix(got, tc.want) {
				t.Errorf("%q + %q: got %d digits %.40s..., want %d digits %s...", tc.value, tc.incr, len(got), got, tc.wantLen, tc.want)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%q + %q = %q, want %q", tc.value, tc.incr, got, tc.want)
		}
	}
}

func TestParseLongDoubleRejects(t *testing.T) {
	long := strings.Repeat("1", 5120)
	for _, s := range []string{"", "1\x00", "\x00", "1\x002", long, "\v1", "\f1", "\r1"} {
		if _, good := ParseLongDouble([]byte(s)); good {
			t.Errorf("%q accepted", s)
		}
	}
	if _, good := ParseLongDouble([]byte(long[:5119])); good {
		t.Errorf("1e5118 accepted")
	}
	one := "1." + strings.Repeat("0", 5117)
	if x, good := ParseLongDouble([]byte(one)); !good || x.Float64() != 1 {
		t.Errorf("5119 characters of 1.000... rejected")
	}
	if _, good := ParseLongDouble([]byte(one + "0")); good {
		t.Errorf("5120 characters accepted")
	}
}

func TestLongDoubleFromInt(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		want string
	}{
		{0, "0"}, {-1, "-1"}, {9223372036854775807, "9223372036854775807"}, {-9223372036854775808, "-9223372036854775808"},
	} {
		if got := string(LongDoubleFromInt(tc.v).AppendHuman(nil)); got != tc.want {
			t.Errorf("%d: got %q", tc.v, got)
		}
	}
	// 2^63-1 + 1 is exact in 64 bits of significand.
	x, _ := LongDoubleFromInt(9223372036854775807).Add(LongDoubleFromInt(1))
	if got := string(x.AppendHuman(nil)); got != "9223372036854775808" {
		t.Errorf("got %q", got)
	}
}
