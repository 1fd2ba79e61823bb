package list

// Sizes of Redis's listpack encoding. Modis does not store listpacks, but
// Redis decides where quicklist nodes end, and MEMORY USAGE reports node
// allocations, from listpack byte counts; computing them here keeps both
// identical to Redis.

// lpOverhead is a listpack's fixed part: a 6-byte header (total bytes and
// element count) and the 1-byte end marker.
const lpOverhead = 7

// lpInt parses b as a listpack stores integers: the canonical decimal form
// of an int64 (no sign but '-', no leading zeros, "0" alone, at most 20
// characters), as Redis's string2ll accepts it.
func lpInt(b []byte) (int64, bool) {
	n := len(b)
	if n == 0 || n > 20 {
		return 0, false
	}
	if n == 1 && b[0] == '0' {
		return 0, true
	}
	i, neg := 0, false
	if b[0] == '-' {
		neg, i = true, 1
		if n == 1 {
			return 0, false
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < n; i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		if v > (1<<63)/10 {
			return 0, false // more than 2^63 after this digit
		}
		v = v*10 + uint64(d)
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

// lpEntrySize is the bytes an element takes in a listpack: its encoding
// (integer or string with a length prefix) plus the back-length field.
func lpEntrySize(b []byte) int {
	var l int
	if v, ok := lpInt(b); ok {
		switch {
		case v >= 0 && v <= 127:
			l = 1
		case v >= -4096 && v <= 4095:
			l = 2
		case v >= -32768 && v <= 32767:
			l = 3
		case v >= -8388608 && v <= 8388607:
			l = 4
		case v >= -2147483648 && v <= 2147483647:
			l = 5
		default:
			l = 9
		}
	} else {
		switch n := len(b); {
		case n < 64:
			l = 1 + n
		case n < 4096:
			l = 2 + n
		default:
			l = 5 + n
		}
	}
	switch {
	case l <= 127:
		return l + 1
	case l < 16383:
		return l + 2
	case l < 2097151:
		return l + 3
	case l < 268435455:
		return l + 4
	}
	return l + 5
}
