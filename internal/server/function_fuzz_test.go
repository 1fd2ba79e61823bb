package server

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/modis/modis/internal/persist/rdb"
)

// FuzzFunctionRestorePayload feeds arbitrary FUNCTION RESTORE payloads to
// the parser: it must never panic, and what it accepts must survive a
// re-encoding (compressed or not) unchanged.
func FuzzFunctionRestorePayload(f *testing.F) {
	lib := []byte("#!lua name=lib1\nredis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)\n")
	for _, compress := range []bool{false, true} {
		f.Add(encodeFunctionsPayload([][]byte{lib}, compress))
		f.Add(encodeFunctionsPayload([][]byte{lib, []byte("#!lua name=b\nx")}, compress))
	}
	f.Add(encodeFunctionsPayload(nil, false))
	f.Add([]byte("\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte{rdb.OpFunction2, 0xc3, 0x05})
	f.Fuzz(func(t *testing.T, p []byte) {
		ParseFunctionsPayload(p)
		// The input as the records of a payload with a valid trailer, so
		// the record parser is reached past the checksum.
		if len(p) >= 10 {
			p = p[:len(p)-10]
		}
		b := binary.LittleEndian.AppendUint16(append([]byte(nil), p...), rdb.Version)
		codes, ok := ParseFunctionsPayload(binary.LittleEndian.AppendUint64(b, rdb.CRC64(0, b)))
		if !ok {
			return
		}
		for _, compress := range []bool{false, true} {
			again, ok := ParseFunctionsPayload(encodeFunctionsPayload(codes, compress))
			if !ok || len(again) != len(codes) {
				t.Fatalf("re-encoded payload rejected (compress %v)", compress)
			}
			for i := range codes {
				if !bytes.Equal(again[i], codes[i]) {
					t.Fatalf("library %d changed by a round trip", i)
				}
			}
		}
	})
}

// encodeFunctionsPayload builds a payload as FUNCTION DUMP does.
func encodeFunctionsPayload(codes [][]byte, compress bool) []byte {
	var b []byte
	for _, c := range codes {
		b = append(b, rdb.OpFunction2)
		b = rdb.AppendString(b, c, compress)
	}
	b = binary.LittleEndian.AppendUint16(b, rdb.Version)
	return binary.LittleEndian.AppendUint64(b, rdb.CRC64(0, b))
}
