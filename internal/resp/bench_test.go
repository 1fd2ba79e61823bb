package resp

import (
	"strings"
	"testing"
)

func benchParse(b *testing.B, batch []byte, cmds int) {
	p := newParser()
	b.SetBytes(int64(len(batch)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(p.Buffer(len(batch)), batch)
		p.Commit(len(batch))
		n := 0
		for {
			argv, ok, err := p.Next()
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
			n += len(argv)
		}
		p.Compact()
		if n == 0 && cmds > 0 {
			b.Fatal("nothing parsed")
		}
	}
}

func BenchmarkParseSET(b *testing.B) {
	benchParse(b, []byte(mbulk("SET", "key:000000012345", "xxx")), 1)
}

func BenchmarkParseSETPipeline16(b *testing.B) {
	benchParse(b, []byte(strings.Repeat(mbulk("SET", "key:000000012345", "xxx"), 16)), 16)
}

func BenchmarkParseInline(b *testing.B) {
	benchParse(b, []byte("SET key:000000012345 \"a b\\x41\"\r\n"), 1)
}

func BenchmarkParseBigBulk(b *testing.B) {
	benchParse(b, []byte(mbulk("SET", "k", strings.Repeat("v", 64*1024))), 1)
}

func BenchmarkAppendBulk(b *testing.B) {
	val := []byte("some-value-16byt")
	buf := make([]byte, 0, 64)
	b.SetBytes(int64(len(val)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendBulk(buf[:0], val)
	}
}

func BenchmarkAppendInt(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendInt(buf[:0], int64(i))
	}
}

func BenchmarkAppendDouble(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendDouble(buf[:0], float64(i)*1.1, 2)
	}
}
