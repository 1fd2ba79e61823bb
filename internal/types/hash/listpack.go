package hash

import (
	"encoding/binary"

	"github.com/modis/modis/internal/keyspace"
)

// Redis's listpack byte format, produced on demand so that MEMORY USAGE
// and DEBUG OBJECT can report the sizes Redis reports for the same hash
// (and so the RDB writer can save a listpack-encoded hash as Redis does).

// AppendListpack appends the hash's pairs encoded as a Redis listpack:
// a 6-byte header (total bytes, element count), every field and value
// encoded as an integer when it is a canonical 64-bit integer or else as
// a string, each followed by its back length, and the 0xFF terminator.
func (h *Hash) AppendListpack(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0, 0)
	n := 0
	h.Each(func(f, v []byte) bool {
		dst = lpAppendElement(dst, f)
		dst = lpAppendElement(dst, v)
		n += 2
		return true
	})
	dst = append(dst, 0xff)
	binary.LittleEndian.PutUint32(dst[start:], uint32(len(dst)-start))
	binary.LittleEndian.PutUint16(dst[start+4:], uint16(min(n, 65535)))
	return dst
}

// ListpackSize is len(AppendListpack(nil)) without building it.
func (h *Hash) ListpackSize() int {
	size := 7
	h.Each(func(f, v []byte) bool {
		size += lpElementSize(f) + lpElementSize(v)
		return true
	})
	return size
}

func lpElementSize(b []byte) int {
	l := lpEncodedLen(b)
	return l + lpBacklenSize(l)
}

// lpEncodedLen is the size of an element's encoding byte(s) and data.
func lpEncodedLen(b []byte) int {
	if v, ok := keyspace.ParseCanonicalInt(b); ok {
		switch {
		case v >= 0 && v <= 127:
			return 1
		case v >= -4096 && v <= 4095:
			return 2
		case v >= -32768 && v <= 32767:
			return 3
		case v >= -8388608 && v <= 8388607:
			return 4
		case v >= -2147483648 && v <= 2147483647:
			return 5
		}
		return 9
	}
	switch {
	case len(b) < 64:
		return 1 + len(b)
	case len(b) < 4096:
		return 2 + len(b)
	}
	return 5 + len(b)
}

func lpBacklenSize(l int) int {
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

func lpAppendElement(dst, b []byte) []byte {
	start := len(dst)
	if v, ok := keyspace.ParseCanonicalInt(b); ok {
		u := uint64(v)
		switch {
		case v >= 0 && v <= 127:
			dst = append(dst, byte(v))
		case v >= -4096 && v <= 4095:
			u &= 1<<13 - 1
			dst = append(dst, byte(u>>8)|0xc0, byte(u))
		case v >= -32768 && v <= 32767:
			dst = append(dst, 0xf1, byte(u), byte(u>>8))
		case v >= -8388608 && v <= 8388607:
			dst = append(dst, 0xf2, byte(u), byte(u>>8), byte(u>>16))
		case v >= -2147483648 && v <= 2147483647:
			dst = append(dst, 0xf3)
			dst = binary.LittleEndian.AppendUint32(dst, uint32(u))
		default:
			dst = append(dst, 0xf4)
			dst = binary.LittleEndian.AppendUint64(dst, u)
		}
	} else {
		n := len(b)
		switch {
		case n < 64:
			dst = append(dst, byte(n)|0x80)
		case n < 4096:
			dst = append(dst, byte(n>>8)|0xe0, byte(n))
		default:
			dst = append(dst, 0xf0)
			dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
		}
		dst = append(dst, b...)
	}
	return lpAppendBacklen(dst, uint64(len(dst)-start))
}

func lpAppendBacklen(dst []byte, l uint64) []byte {
	switch {
	case l <= 127:
		return append(dst, byte(l))
	case l < 16383:
		return append(dst, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		return append(dst, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		return append(dst, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return append(dst, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
}
