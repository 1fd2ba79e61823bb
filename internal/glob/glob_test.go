package glob

import (
	"strings"
	"testing"
)

// The expectations were checked against redis-server 7.0.15 with KEYS.
func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "anything", true},
		{"*", "", false}, // KEYS special-cases a lone "*"; the matcher does not match ""
		{"?", "a", true},
		{"?", "ab", false},
		{"h?llo", "hello", true},
		{"h*llo", "heeeello", true},
		{"h*llo", "hllo", true},
		{"h[ae]llo", "hallo", true},
		{"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true},
		{"h[^e]llo", "hello", false},
		{"h[a-b]llo", "hbllo", true},
		{"h[b-a]llo", "hallo", true},
		{"h[a-b]llo", "hcllo", false},
		{"[a-]", "-", false},
		{"[a-]", "a", true},
		{"[a-]", "]", true},
		{"[]]", "]", false},
		{"[]", "[", false},
		{"[", "[", false},
		{"[abc", "a", true},
		{"[abc", "[abc", false},
		{"[^", "x", true},
		{"[\\]]", "]", true},
		{"[\\\\]", "\\", true},
		{"[a\\-z]", "-", true},
		{"[a\\-z]", "b", false},
		{"\\*", "*", true},
		{"\\*", "a", false},
		{"a\\", "a\\", true},
		{"a\\", "a", false},
		{"a\\\\", "a\\", true},
		{"*\\", "x\\", true},
		{"**", "", false},
		{"a**", "a", true},
		{"*a*", "bab", true},
		{"*a*b", "aaaab", true},
		{"a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false},
		{"[!a]", "!", true},
		{"[!a]", "b", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a[b-]c", "a-c", false},
		{"[z-a]", "m", true},
		{"[^a-z]", "M", true},
		{"[^a-z]", "m", false},
		{"*[", "x[", false},
		{"?*", "", false},
		{"?*", "a", true},
	}
	for _, tc := range cases {
		t.Run(tc.pattern+"/"+tc.s, func(t *testing.T) {
			if got := MatchString(tc.pattern, tc.s); got != tc.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

func TestMatchFold(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"HELLO", "hello", true},
		{"h[A-C]llo", "hbllo", true},
		{"h[^A-C]llo", "hbllo", false},
		{"h[X]llo", "hxllo", true},
		{"h?llo", "HELLO", true},
		{"abc", "abd", false},
	}
	for _, tc := range cases {
		if got := MatchFold([]byte(tc.pattern), []byte(tc.s)); got != tc.want {
			t.Errorf("MatchFold(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// TestNestingLimit: Redis gives up past a recursion depth of 1000, so
// "a*" repeated 1001 times still matches 1100 a's but 1002 times does not
// (checked against redis-server 7.0.15).
func TestNestingLimit(t *testing.T) {
	s := strings.Repeat("a", 1100)
	for _, tc := range []struct {
		n    int
		want bool
	}{{999, true}, {1000, true}, {1001, true}, {1002, false}, {1100, false}} {
		if got := MatchString(strings.Repeat("a*", tc.n), s); got != tc.want {
			t.Errorf("%d stars: got %v, want %v", tc.n, got, tc.want)
		}
	}
}

// TestNoExponentialBlowup: without the skip-longer-matches cut, this takes
// astronomically long.
func TestNoExponentialBlowup(t *testing.T) {
	p := strings.Repeat("a*", 30) + "b"
	s := strings.Repeat("a", 200)
	if MatchString(p, s) {
		t.Fatal("unexpected match")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("h[a-", "hb")
	f.Add("[^\\", "x")
	f.Fuzz(func(t *testing.T, p, s string) {
		MatchString(p, s)
		MatchFold([]byte(p), []byte(s))
	})
}

func TestMatchKeyNoAlloc(t *testing.T) {
	pat := []byte("user:[0-9]*:name")
	n := testing.AllocsPerRun(100, func() {
		MatchKey(pat, "user:1234:name")
		MatchString("a*b", "aaab")
	})
	if n != 0 {
		t.Fatalf("%v allocations per match", n)
	}
}

func BenchmarkMatchKey(b *testing.B) {
	pat := []byte("user:[0-9]*:na?e")
	for i := 0; i < b.N; i++ {
		MatchKey(pat, "user:1234567:name")
	}
}

func TestMatchTextMixed(t *testing.T) {
	if !MatchText("news.*", []byte("news.sport")) || MatchText([]byte("news.*"), "weather") {
		t.Fatal("MatchText")
	}
	if !MatchTextFold("NEWS.[a-z]*", "news.Sport") {
		t.Fatal("MatchTextFold")
	}
	n := testing.AllocsPerRun(100, func() { MatchText("a*[xy]", []byte("abcx")) })
	if n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
