package list

import "encoding/binary"

// Redis's listpack byte format, for what Redis serializes node by node
// (RDB's quicklist encoding, DEBUG OBJECT serializedlength).

// appendLpEntry appends element b encoded as a listpack entry: integer or
// length-prefixed string, then the entry's length written backwards.
func appendLpEntry(dst, b []byte) []byte {
	start := len(dst)
	if v, ok := lpInt(b); ok {
		switch {
		case v >= 0 && v <= 127:
			dst = append(dst, byte(v))
		case v >= -4096 && v <= 4095:
			u := uint64(v) & (1<<13 - 1)
			dst = append(dst, byte(u>>8)|0xC0, byte(u))
		case v >= -32768 && v <= 32767:
			u := uint64(v)
			dst = append(dst, 0xF1, byte(u), byte(u>>8))
		case v >= -8388608 && v <= 8388607:
			u := uint64(v)
			dst = append(dst, 0xF2, byte(u), byte(u>>8), byte(u>>16))
		case v >= -2147483648 && v <= 2147483647:
			dst = append(dst, 0xF3)
			dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
		default:
			dst = append(dst, 0xF4)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v))
		}
	} else {
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
	}
	l := uint64(len(dst) - start)
	switch {
	case l <= 127:
		dst = append(dst, byte(l))
	case l < 16383:
		dst = append(dst, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		dst = append(dst, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		dst = append(dst, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	default:
		dst = append(dst, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return dst
}

// appendListpack appends node n as a Redis listpack: total bytes and
// element count (saturated at 65535), the entries, the end marker.
func (n *node) appendListpack(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0, 0)
	for i := 0; i < n.count(); i++ {
		dst = appendLpEntry(dst, n.entry(i))
	}
	dst = append(dst, 0xFF)
	binary.LittleEndian.PutUint32(dst[start:], uint32(len(dst)-start))
	binary.LittleEndian.PutUint16(dst[start+4:], uint16(min(n.count(), 65535)))
	return dst
}

// EachListpack calls fn with each node encoded as a Redis listpack, head
// first; the slice is reused between calls.
func (l *List) EachListpack(fn func(lp []byte)) {
	var buf []byte
	for n := l.head; n != nil; n = n.next {
		buf = n.appendListpack(buf[:0])
		fn(buf)
	}
}
