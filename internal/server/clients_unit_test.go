package server

import "testing"

func TestClientParseInt(t *testing.T) {
	for _, tc := range []struct {
		in string
		v  int64
		ok bool
	}{
		{"0", 0, true}, {"1", 1, true}, {"-1", -1, true}, {"123", 123, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"-9223372036854775808", -9223372036854775808, true},
		{"9223372036854775808", 0, false}, {"", 0, false}, {"-", 0, false},
		{"-0", 0, false}, {"01", 0, false}, {"+1", 0, false}, {" 1", 0, false},
		{"1 ", 0, false}, {"1.5", 0, false}, {"abc", 0, false},
	} {
		v, ok := clientParseInt([]byte(tc.in))
		if ok != tc.ok || (ok && v != tc.v) {
			t.Errorf("clientParseInt(%q) = %d, %v", tc.in, v, ok)
		}
	}
}

func TestValidClientName(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true}, {"abc", true}, {"~!@#", true}, {"a b", false},
		{"a\nb", false}, {"caf\xc3\xa9", false}, {"\x7f", false},
	} {
		if validClientName([]byte(tc.in)) != tc.ok {
			t.Errorf("validClientName(%q) != %v", tc.in, tc.ok)
		}
	}
}

func TestMonitorRedactions(t *testing.T) {
	args := func(s ...string) [][]byte {
		out := make([][]byte, len(s))
		for i, a := range s {
			out[i] = []byte(a)
		}
		return out
	}
	for _, tc := range []struct {
		argv []string
		want []int
	}{
		{[]string{"GET", "k"}, nil},
		{[]string{"AUTH", "pw"}, []int{1}},
		{[]string{"auth", "u", "pw"}, []int{1, 2}},
		{[]string{"AUTH", "a", "b", "c"}, nil},
		{[]string{"HELLO", "3", "AUTH", "u", "p", "SETNAME", "n"}, []int{3, 4}},
		{[]string{"HELLO", "4", "AUTH", "u", "p"}, nil},
		{[]string{"HELLO", "3", "SETNAME", "n", "AUTH", "u", "p"}, []int{5, 6}},
		{[]string{"HELLO", "3", "FOO", "AUTH", "u", "p"}, nil},
	} {
		r := monitorRedactions(args(tc.argv...))
		if len(r) != len(tc.want) {
			t.Errorf("%v: redacted %v, want %v", tc.argv, r, tc.want)
			continue
		}
		for _, i := range tc.want {
			if !r[i] {
				t.Errorf("%v: %d not redacted", tc.argv, i)
			}
		}
	}
}
