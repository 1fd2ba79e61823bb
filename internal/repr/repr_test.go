package repr

import "testing"

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"":               `""`,
		"abc":            `"abc"`,
		"a\"b\\c":        `"a\"b\\c"`,
		"\n\r\t\a\b":     `"\n\r\t\a\b"`,
		"\x00\x7f\xff ~": `"\x00\x7f\xff ~"`,
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %s, want %s", in, got, want)
		}
	}
}
