package module

import (
	"bytes"
	"fmt"
	"testing"
)

// TestCopyArgsKept checks the promise of CommandFunc: arguments a handler
// keeps stay intact however many later calls are copied after it, and
// appending to one argument (or to the args slice) never overwrites
// another.
func TestCopyArgsKept(t *testing.T) {
	ctx := &Ctx{}
	type kept struct {
		args [][]byte
		want []string
	}
	var all []kept
	for i := 0; i < 3000; i++ {
		var argv [][]byte
		want := []string{}
		nargs := 1 + i%5
		if i%97 == 0 {
			nargs = argSlabSlots // a long argument list
		}
		for j := 0; j < nargs; j++ {
			s := fmt.Sprintf("a%d-%d", i, j)
			if i%53 == 0 && j == 0 {
				s = string(bytes.Repeat([]byte{'x'}, argSlabBytes)) // a large argument
			}
			argv = append(argv, []byte(s))
			want = append(want, s)
		}
		args := ctx.copyArgs(argv)
		for _, a := range argv {
			for k := range a {
				a[k] = '!' // the client's buffer is reused after the call
			}
		}
		if i%7 == 0 {
			args[0] = append(args[0], "zzzz"...)
			want[0] += "zzzz"
			_ = append(args, []byte("extra"))
		}
		all = append(all, kept{args, want})
	}
	for i, k := range all {
		if len(k.args) != len(k.want) {
			t.Fatalf("call %d: %d args, want %d", i, len(k.args), len(k.want))
		}
		for j := range k.args {
			if string(k.args[j]) != k.want[j] {
				t.Fatalf("call %d arg %d = %.20q, want %.20q", i, j, k.args[j], k.want[j])
			}
		}
	}
}
