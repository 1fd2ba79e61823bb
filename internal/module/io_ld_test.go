package module

import (
	"testing"

	"github.com/modis/modis/internal/types/str"
)

// SaveLongDouble writes the printf("%La") text of the 80-bit value, as
// Redis's RDB does, and LoadLongDouble reads back the same 80 bits.
func TestIOLongDoubleRoundTrip(t *testing.T) {
	e := &Engine{}
	for _, in := range []string{"0.1", "-3.75", "12345678901234567890.125", "1e-4940", "inf", "0", "1e4000"} {
		ld, ok := str.ParseLongDouble([]byte(in))
		if !ok {
			t.Fatalf("parse %s", in)
		}
		io := e.NewSaveIO(nil, []byte("k"), 0)
		SaveLongDouble(io, ld)
		SaveSigned(io, 7)
		payload := io.Bytes()
		// The payload is a string opcode with the hex text.
		hex := string(ld.AppendHex(nil))
		if want := append([]byte{opString, byte(len(hex))}, hex...); string(payload[:len(want)]) != string(want) {
			t.Errorf("%s: payload %q, want prefix %q", in, payload, want)
		}
		lio := e.NewLoadIO(nil, payload, []byte("k"), 0)
		got := LoadLongDouble(lio)
		if n := LoadSigned(lio); n != 7 || lio.err {
			t.Errorf("%s: trailing field %d err=%v", in, n, lio.err)
		}
		se1, m1 := ld.X87()
		se2, m2 := got.X87()
		if se1 != se2 || m1 != m2 {
			t.Errorf("%s: loaded %#x %#x, saved %#x %#x", in, se2, m2, se1, m1)
		}
	}
}
