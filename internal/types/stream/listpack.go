package stream

import "encoding/binary"

// Listpack encoding of nodes: the exact bytes Redis keeps for a node (and
// writes to RDB files as they are), built on demand from the node.

// lpAppendInt appends an integer element with its back-length.
func lpAppendInt(dst []byte, v int64) []byte {
	start := len(dst)
	switch {
	case v >= 0 && v <= 127:
		dst = append(dst, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<13 + v)
		}
		dst = append(dst, byte(u>>8)|0xC0, byte(u))
	case v >= -32768 && v <= 32767:
		dst = append(dst, 0xF1, byte(v), byte(v>>8))
	case v >= -8388608 && v <= 8388607:
		dst = append(dst, 0xF2, byte(v), byte(v>>8), byte(v>>16))
	case v >= -2147483648 && v <= 2147483647:
		dst = append(dst, 0xF3)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
	default:
		dst = append(dst, 0xF4)
		dst = binary.LittleEndian.AppendUint64(dst, uint64(v))
	}
	return lpAppendBacklen(dst, len(dst)-start)
}

// lpAppendStr appends a string element (as an integer when it is one).
func lpAppendStr(dst, s []byte) []byte {
	if v, ok := lpInt(s); ok {
		return lpAppendInt(dst, v)
	}
	start := len(dst)
	switch n := len(s); {
	case n < 64:
		dst = append(dst, 0x80|byte(n))
	case n < 4096:
		dst = append(dst, 0xE0|byte(n>>8), byte(n))
	default:
		dst = append(dst, 0xF0)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	}
	dst = append(dst, s...)
	return lpAppendBacklen(dst, len(dst)-start)
}

// lpAppendBacklen appends the back-length of an element of l bytes: 7 bits
// per byte, most significant first, all but the first with the high bit.
func lpAppendBacklen(dst []byte, l int) []byte {
	n := lpBacklen(l)
	for i := n - 1; i >= 0; i-- {
		b := byte(l>>(7*i)) & 127
		if i != n-1 {
			b |= 128
		}
		dst = append(dst, b)
	}
	return dst
}

// Listpack returns the node's listpack as Redis has it: the master entry
// (count, deleted, field count, fields, 0) then each entry (flags, ID
// deltas, [field count, fields and] values, element count).
func (n *node) listpack() []byte {
	lp := make([]byte, 6, n.lpBytes())
	elems := 0
	lp = lpAppendInt(lp, int64(n.live))
	lp = lpAppendInt(lp, int64(n.deleted))
	lp = lpAppendInt(lp, int64(n.nfields))
	for off, i := 0, 0; i < n.nfields; i++ {
		var f []byte
		f, off = getStr(n.fields, off)
		lp = lpAppendStr(lp, f)
	}
	lp = lpAppendInt(lp, 0)
	elems += 4 + n.nfields
	for off := 0; off < len(n.buf); {
		e := n.decode(off)
		lp = lpAppendInt(lp, int64(e.flags))
		lp = lpAppendInt(lp, int64(e.id.Ms-n.master.Ms))
		lp = lpAppendInt(lp, int64(e.id.Seq-n.master.Seq))
		cnt := e.nf + 3
		strs := e.nf
		if e.flags&flagSameFields == 0 {
			lp = lpAppendInt(lp, int64(e.nf))
			cnt += e.nf + 1
			strs *= 2
		}
		p := e.data
		for i := 0; i < strs; i++ {
			var s []byte
			s, p = getStr(n.buf, p)
			lp = lpAppendStr(lp, s)
		}
		lp = lpAppendInt(lp, int64(cnt))
		elems += cnt + 1
		off = p
	}
	lp = append(lp, 0xFF)
	binary.LittleEndian.PutUint32(lp[0:4], uint32(len(lp)))
	if elems > 65535 {
		elems = 65535
	}
	binary.LittleEndian.PutUint16(lp[4:6], uint16(elems))
	return lp
}

// EachListpack calls fn with each node's rax key (its master ID) and
// listpack, in order, as RDB serializes a stream.
func (s *Stream) EachListpack(fn func(key []byte, lp []byte)) {
	it := s.rax.Iterator()
	it.Seek("^", nil)
	for k, n, ok := it.Next(); ok; k, n, ok = it.Next() {
		fn(k, n.listpack())
	}
}
