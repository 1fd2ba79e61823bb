package resp

import (
	"bytes"
	"fmt"
	"testing"
)

type parsed struct {
	cmds [][][]byte
	err  string
}

// parseChunks runs a fresh parser over data fed in chunks of size n and
// returns copies of the commands and the error text, if any.
func parseChunks(data []byte, n int) parsed {
	p := newParser()
	var out parsed
	for len(data) > 0 {
		k := min(n, len(data))
		copy(p.Buffer(k), data[:k])
		p.Commit(k)
		data = data[k:]
		for {
			argv, ok, err := p.Next()
			if err != nil {
				out.err = err.Error()
				return out
			}
			if !ok {
				break
			}
			if len(argv) == 0 {
				continue
			}
			cp := make([][]byte, len(argv))
			for i, a := range argv {
				cp[i] = append([]byte{}, a...)
			}
			out.cmds = append(out.cmds, cp)
		}
		p.Compact()
	}
	return out
}

// quoteInline encodes argv as an inline line in which every argument is
// double-quoted and every byte that could be special is a \xHH escape.
func quoteInline(argv [][]byte) []byte {
	var b []byte
	for i, a := range argv {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, '"')
		for _, c := range a {
			if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
				b = append(b, fmt.Sprintf("\\x%02x", c)...)
			} else {
				b = append(b, c)
			}
		}
		b = append(b, '"')
	}
	return append(b, '\r', '\n')
}

func appendMbulk(dst []byte, argv [][]byte) []byte {
	dst = AppendArrayLen(dst, len(argv))
	for _, a := range argv {
		dst = AppendBulk(dst, a)
	}
	return dst
}

func sameCmds(a, b [][][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !bytes.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// FuzzReader checks that the parser never panics, that how the input is cut
// into reads does not change the result, and that re-encoding the parsed
// commands (as multibulk, and as quoted inline lines) parses back to the
// same arguments.
func FuzzReader(f *testing.F) {
	f.Add([]byte(mbulk("SET", "key", "value")), uint8(3))
	f.Add([]byte("PING\r\nECHO \"a\\x41 b\" 'c\\'d'\n"), uint8(1))
	f.Add([]byte("*1\r\n$4\rxPINGxx*0\r\n*-1\r\n"), uint8(7))
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$-5\r\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := parseChunks(data, len(data)+1)
		split := parseChunks(data, int(chunk)+1)
		if whole.err != split.err || !sameCmds(whole.cmds, split.cmds) {
			t.Fatalf("chunking changes the result: whole %q %q, chunks of %d %q %q",
				whole.cmds, whole.err, int(chunk)+1, split.cmds, split.err)
		}
		var mb, inl []byte
		for _, argv := range whole.cmds {
			mb = appendMbulk(mb, argv)
			inl = append(inl, quoteInline(argv)...)
		}
		if again := parseChunks(mb, 16); again.err != "" || !sameCmds(again.cmds, whole.cmds) {
			t.Fatalf("multibulk round trip: %q -> %q %q", whole.cmds, again.cmds, again.err)
		}
		if len(inl) < InlineMax/2 {
			if again := parseChunks(inl, 5); again.err != "" || !sameCmds(again.cmds, whole.cmds) {
				t.Fatalf("inline round trip: %q -> %q %q", whole.cmds, again.cmds, again.err)
			}
		}
	})
}
