package resp

import (
	"bytes"
	"strconv"
	"testing"
)

// The short-value fast path of AppendBulk writes the same bytes as the
// general one, at every length around its digit boundaries.
func TestAppendBulkLengths(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 42, 99, 100, 101, 999, 1000, 70000} {
		b := bytes.Repeat([]byte{'v'}, n)
		want := "$" + strconv.Itoa(n) + "\r\n" + string(b) + "\r\n"
		for _, prefix := range []string{"", "*2\r\n"} {
			got := AppendBulk([]byte(prefix), b)
			if string(got) != prefix+want {
				t.Fatalf("n=%d prefix %q: got %.30q", n, prefix, got)
			}
			if s := AppendBulkString([]byte(prefix), string(b)); string(s) != prefix+want {
				t.Fatalf("AppendBulkString n=%d: got %.30q", n, s)
			}
		}
	}
}
