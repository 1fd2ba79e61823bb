// Package listpack computes Redis's listpack byte format. Modis does not
// store listpacks, but Redis does, and several observable numbers follow
// from their exact sizes: MEMORY USAGE, DEBUG OBJECT serializedlength (RDB
// writes listpacks as they are), where quicklist and stream nodes end. The
// value types build or measure listpacks with these helpers so that those
// numbers equal Redis's.
//
// A listpack is a header (total bytes as uint32 and element count as
// uint16, both little endian; the count saturates at 65535), the entries,
// and a terminator byte. An entry is an encoding (an integer in 1 to 9
// bytes, or a string with a 1, 2 or 5 byte length prefix) followed by its
// back-length: the size of the encoding written so that it can be read
// from the end.
package listpack

import (
	"encoding/binary"

	"github.com/modis/modis/internal/keyspace"
)

const (
	// HeaderSize is the size of the header: total bytes and element count.
	HeaderSize = 6
	// End is the terminator byte closing every listpack.
	End = 0xFF
	// Overhead is the size of an empty listpack: header and terminator.
	Overhead = HeaderSize + 1
	// maxCount is the largest element count the header can hold; larger
	// counts are stored as this value.
	maxCount = 65535
)

// Int reports whether a listpack stores b as an integer, and its value: b
// must be the canonical decimal form of an int64 (no '+', no leading zeros,
// no spaces, not "-0").
func Int(b []byte) (int64, bool) { return keyspace.ParseCanonicalInt(b) }

// intEncSize is the size of the encoding of integer v, without back-length.
func intEncSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 1 // 7-bit unsigned
	case v >= -4096 && v <= 4095:
		return 2 // 13-bit signed
	case v >= -32768 && v <= 32767:
		return 3
	case v >= -8388608 && v <= 8388607:
		return 4
	case v >= -2147483648 && v <= 2147483647:
		return 5
	}
	return 9
}

// strEncSize is the size of the encoding of a string of n bytes (length
// prefix and data), without back-length.
func strEncSize(n int) int {
	switch {
	case n < 64:
		return 1 + n // 6-bit length
	case n < 4096:
		return 2 + n // 12-bit length
	}
	return 5 + n // 32-bit length
}

// BacklenSize is the size of the back-length of an entry whose encoding
// takes l bytes: 7 bits of l per byte.
func BacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// IntEntrySize is the size of an entry holding integer v.
func IntEntrySize(v int64) int {
	l := intEncSize(v)
	return l + BacklenSize(l)
}

// EntrySize is the size of an entry holding element b: as an integer when
// Int accepts it, else as a string.
func EntrySize(b []byte) int {
	if v, ok := Int(b); ok {
		return IntEntrySize(v)
	}
	l := strEncSize(len(b))
	return l + BacklenSize(l)
}

// AppendBacklen appends the back-length of an entry whose encoding takes l
// bytes: most significant 7 bits first, every byte but the first with the
// high bit set.
func AppendBacklen(dst []byte, l int) []byte {
	n := BacklenSize(l)
	for i := n - 1; i >= 0; i-- {
		b := byte(l>>(7*i)) & 127
		if i != n-1 {
			b |= 128
		}
		dst = append(dst, b)
	}
	return dst
}

// AppendIntEntry appends an entry holding integer v.
func AppendIntEntry(dst []byte, v int64) []byte {
	start := len(dst)
	u := uint64(v)
	switch intEncSize(v) {
	case 1:
		dst = append(dst, byte(v))
	case 2:
		u &= 1<<13 - 1
		dst = append(dst, 0xC0|byte(u>>8), byte(u))
	case 3:
		dst = append(dst, 0xF1, byte(u), byte(u>>8))
	case 4:
		dst = append(dst, 0xF2, byte(u), byte(u>>8), byte(u>>16))
	case 5:
		dst = append(dst, 0xF3)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(u))
	default:
		dst = append(dst, 0xF4)
		dst = binary.LittleEndian.AppendUint64(dst, u)
	}
	return AppendBacklen(dst, len(dst)-start)
}

// AppendEntry appends an entry holding element b: as an integer when Int
// accepts it, else as a string.
func AppendEntry(dst, b []byte) []byte {
	if v, ok := Int(b); ok {
		return AppendIntEntry(dst, v)
	}
	start := len(dst)
	switch n := len(b); {
	case n < 64:
		dst = append(dst, 0x80|byte(n))
	case n < 4096:
		dst = append(dst, 0xE0|byte(n>>8), byte(n))
	default:
		dst = append(dst, 0xF0)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	}
	dst = append(dst, b...)
	return AppendBacklen(dst, len(dst)-start)
}

// AppendHeader appends room for a header; Finish fills it in. The
// listpack starts at the returned slice's old length.
func AppendHeader(dst []byte) []byte {
	return append(dst, 0, 0, 0, 0, 0, 0)
}

// Finish closes the listpack that starts at dst[start] (where AppendHeader
// put its header) and holds count elements: it appends the terminator and
// writes total bytes and element count into the header.
func Finish(dst []byte, start, count int) []byte {
	dst = append(dst, End)
	binary.LittleEndian.PutUint32(dst[start:], uint32(len(dst)-start))
	binary.LittleEndian.PutUint16(dst[start+4:], uint16(min(count, maxCount)))
	return dst
}
