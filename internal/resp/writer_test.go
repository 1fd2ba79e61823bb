package resp

import (
	"math"
	"strconv"
	"testing"
)

// Expected texts were produced once by the C library's printf("%.17g")
// (mawk's printf, which formats doubles with it), not by Go.
var g17Cases = []struct {
	in   string
	want string
}{
	{"0.1", "0.10000000000000001"},
	{"1.5", "1.5"},
	{"3.0", "3"},
	{"1e21", "1e+21"},
	{"1e-7", "9.9999999999999995e-08"},
	{"123456789012345678", "1.2345678901234568e+17"},
	{"0.000123", "0.00012300000000000001"},
	{"1e100", "1e+100"},
	{"-2.5", "-2.5"},
	{"3.14159", "3.1415899999999999"},
	{"100", "100"},
	{"1e16", "10000000000000000"},
	{"1e17", "1e+17"},
	{"12345.678", "12345.678"},
	{"5e-324", "4.9406564584124654e-324"},
	{"1.7976931348623157e308", "1.7976931348623157e+308"},
	{"0.3", "0.29999999999999999"},
	{"2.2250738585072014e-308", "2.2250738585072014e-308"},
	{"1e15", "1000000000000000"},
	{"123e-20", "1.23e-18"},
	{"0.0001", "0.0001"},
	{"0.00001", "1.0000000000000001e-05"},
	{"99999999999999999", "1e+17"},
	{"1.0000000000000002", "1.0000000000000002"},
	{"-1e-300", "-1e-300"},
	{"4.35", "4.3499999999999996"},
	{"10.5", "10.5"},
	{"0", "0"},
	{"-0", "-0"},
}

func TestFormatG17(t *testing.T) {
	for _, tc := range g17Cases {
		d, err := strconv.ParseFloat(tc.in, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(FormatG17(nil, d)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAppendFunctions(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{string(AppendSimple(nil, "OK")), "+OK\r\n"},
		{string(AppendError(nil, "ERR bad\r\nthing")), "-ERR bad  thing\r\n"},
		{string(AppendError(nil, "-WRONGTYPE x")), "-WRONGTYPE x\r\n"},
		{string(AppendInt(nil, 0)), ":0\r\n"},
		{string(AppendInt(nil, 127)), ":127\r\n"},
		{string(AppendInt(nil, 128)), ":128\r\n"},
		{string(AppendInt(nil, -1)), ":-1\r\n"},
		{string(AppendInt(nil, math.MinInt64)), ":-9223372036854775808\r\n"},
		{string(AppendBulk(nil, []byte("ab"))), "$2\r\nab\r\n"},
		{string(AppendBulk(nil, nil)), "$0\r\n\r\n"},
		{string(AppendBulkString(nil, "x")), "$1\r\nx\r\n"},
		{string(AppendBulkInt(nil, -42)), "$3\r\n-42\r\n"},
		{string(AppendNull(nil, 2)), "$-1\r\n"},
		{string(AppendNull(nil, 3)), "_\r\n"},
		{string(AppendNullArray(nil, 2)), "*-1\r\n"},
		{string(AppendNullArray(nil, 3)), "_\r\n"},
		{string(AppendArrayLen(nil, 3)), "*3\r\n"},
		{string(AppendMapLen(nil, 2, 2)), "*4\r\n"},
		{string(AppendMapLen(nil, 2, 3)), "%2\r\n"},
		{string(AppendSetLen(nil, 2, 2)), "*2\r\n"},
		{string(AppendSetLen(nil, 2, 3)), "~2\r\n"},
		{string(AppendPushLen(nil, 3, 2)), "*3\r\n"},
		{string(AppendPushLen(nil, 3, 3)), ">3\r\n"},
		{string(AppendAttributeLen(nil, 1)), "|1\r\n"},
		{string(AppendBool(nil, true, 2)), ":1\r\n"},
		{string(AppendBool(nil, false, 3)), "#f\r\n"},
		{string(AppendDouble(nil, 0.1, 2)), "$19\r\n0.10000000000000001\r\n"},
		{string(AppendDouble(nil, 1.5, 3)), ",1.5\r\n"},
		{string(AppendDouble(nil, math.Inf(1), 2)), "$3\r\ninf\r\n"},
		{string(AppendDouble(nil, math.Inf(-1), 3)), ",-inf\r\n"},
		{string(AppendDouble(nil, math.NaN(), 3)), ",nan\r\n"},
		{string(AppendVerbatim(nil, []byte("hi"), "txt", 2)), "$2\r\nhi\r\n"},
		{string(AppendVerbatim(nil, []byte("hi"), "txt", 3)), "=6\r\ntxt:hi\r\n"},
		{string(AppendBigNumber(nil, []byte("123"), 2)), "$3\r\n123\r\n"},
		{string(AppendBigNumber(nil, []byte("123"), 3)), "(123\r\n"},
		{string(AppendCommand(nil, "GET", "k")), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"},
	}
	for i, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("case %d: got %q, want %q", i, tc.got, tc.want)
		}
	}
}

func TestAppendAllocs(t *testing.T) {
	buf := make([]byte, 0, 4096)
	val := []byte("some-value-16byt")
	n := testing.AllocsPerRun(100, func() {
		b := AppendBulk(buf[:0], val)
		b = AppendInt(b, 1234567)
		b = AppendBulkInt(b, -99)
		b = AppendDouble(b, 3.25, 2)
		_ = AppendSimple(b, "OK")
	})
	if n != 0 {
		t.Fatalf("writers allocate %v times", n)
	}
}
