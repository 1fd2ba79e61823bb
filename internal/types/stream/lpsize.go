package stream

// Redis stores each stream node as a listpack, and stream-node-max-bytes
// limits the listpack's byte size, so the node split points (and with them
// XINFO's radix-tree-keys and approximate trimming) depend on the exact
// listpack size. These functions compute the size an element takes in a
// listpack without building one.

// lpHeaderSize is an empty listpack: 6 header bytes and the end marker.
const lpHeaderSize = 7

// lpBacklen is the size of an element's back-length for an encoded size l.
func lpBacklen(l int) int {
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

// lpIntSize is the listpack size of an integer element.
func lpIntSize(v int64) int {
	var enc int
	switch {
	case v >= 0 && v <= 127:
		enc = 1
	case v >= -4096 && v <= 4095:
		enc = 2
	case v >= -32768 && v <= 32767:
		enc = 3
	case v >= -8388608 && v <= 8388607:
		enc = 4
	case v >= -2147483648 && v <= 2147483647:
		enc = 5
	default:
		enc = 9
	}
	return enc + lpBacklen(enc)
}

// lpStrSize is the listpack size of a string element: strings that are
// canonical 64-bit integers are stored as integers.
func lpStrSize(b []byte) int {
	if v, ok := lpInt(b); ok {
		return lpIntSize(v)
	}
	var enc int
	switch n := len(b); {
	case n < 64:
		enc = 1 + n
	case n < 4096:
		enc = 2 + n
	default:
		enc = 5 + n
	}
	return enc + lpBacklen(enc)
}

// lpInt is lpStringToInt64: a canonical decimal int64 ("-0", leading zeros,
// '+' and spaces are not).
func lpInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	i, neg := 0, false
	if b[0] == '-' {
		i, neg = 1, true
	}
	if i >= len(b) || b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (1<<64-1-uint64(c-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}
