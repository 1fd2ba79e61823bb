package lzf

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	inputs := [][]byte{
		[]byte(strings.Repeat("x", 73)),
		[]byte(strings.Repeat("abc", 1000)),
		[]byte(strings.Repeat("hello world ", 50)),
		[]byte("value:1234567890value:1234567890value:1234567890"),
	}
	for i := 0; i < 200; i++ {
		n := r.Intn(3000) + 21
		b := make([]byte, n)
		alpha := r.Intn(20) + 1
		for j := range b {
			b[j] = byte('a' + r.Intn(alpha))
		}
		inputs = append(inputs, b)
	}
	for _, in := range inputs {
		c := Compress(in, len(in)+len(in)/16+64)
		if c == nil {
			t.Fatalf("no output for %d bytes", len(in))
		}
		out, err := Decompress(c, len(in))
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("round trip failed for %q: %v", in[:min(len(in), 40)], err)
		}
	}
}

func TestLimits(t *testing.T) {
	if Compress(nil, 10) != nil {
		t.Error("empty input compressed")
	}
	random := []byte("q8Zr2Lm0Xv7Kp1Ws9Tb4Nc6Yd3He5Jf")
	if c := Compress(random, len(random)-4); c != nil {
		t.Errorf("incompressible input fit in %d bytes", len(c))
	}
	if _, err := Decompress([]byte{0xff}, 10); err == nil {
		t.Error("corrupt input accepted")
	}
}
