package zset

import (
	"math"
	"testing"
)

func TestParseScore(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true}, {"-2.5", -2.5, true}, {".5", 0.5, true}, {"5.", 5, true},
		{"1e3", 1000, true}, {"1E-2", 0.01, true}, {"0x10", 16, true}, {"0x1p-2", 0.25, true},
		{"0x.8", 0.5, true}, {"inf", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true},
		{"+inf", math.Inf(1), true}, {"4.9e-324", 4.9e-324, true}, {"1e-320", 1e-320, true},
		{"", 0, false}, {" 1", 0, false}, {"1 ", 0, false}, {"nan", 0, false}, {"1e", 0, false},
		{"0x", 0, false}, {"1e400", 0, false}, {"-1e400", 0, false}, {"1e-400", 0, false},
		{"1_0", 0, false}, {"1\x00", 0, false}, {"abc", 0, false}, {".", 0, false}, {"+", 0, false},
		{"0x1p2000", 0, false}, {"0x1p-1080", 0, false}, {"infinit", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseScore([]byte(c.in))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseScore(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseScoreRange(t *testing.T) {
	cases := []struct {
		min, max string
		want     ScoreRange
		ok       bool
	}{
		{"1", "2", ScoreRange{Min: 1, Max: 2}, true},
		{"(1", "(2", ScoreRange{Min: 1, Max: 2, Minex: true, Maxex: true}, true},
		{"", " 5", ScoreRange{Min: 0, Max: 5}, true},
		{"(", "1e400", ScoreRange{Min: 0, Max: math.Inf(1), Minex: true}, true},
		{"1\x00x", "2", ScoreRange{Min: 1, Max: 2}, true},
		{"nan", "1", ScoreRange{}, false},
		{"1 ", "2", ScoreRange{}, false},
		{"((1", "2", ScoreRange{}, false},
	}
	for _, c := range cases {
		got, ok := ParseScoreRange([]byte(c.min), []byte(c.max))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseScoreRange(%q, %q) = %+v, %v; want %+v, %v", c.min, c.max, got, ok, c.want, c.ok)
		}
	}
}

func TestFormatScore(t *testing.T) {
	cases := map[float64]string{
		1.1: "1.1000000000000001", 3: "3", 3e20: "3e+20", 0.1: "0.10000000000000001",
		math.Inf(1): "inf", math.Inf(-1): "-inf", math.Copysign(0, -1): "-0", 1e-5: "1.0000000000000001e-05",
		123456789012345678: "1.2345678901234568e+17",
	}
	for in, want := range cases {
		if got := string(FormatScore(nil, in)); got != want {
			t.Errorf("FormatScore(%v) = %q, want %q", in, got, want)
		}
	}
}
