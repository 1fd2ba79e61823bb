package str

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Popcount returns the number of set bits in p.
func Popcount(p []byte) int64 {
	var n int
	for len(p) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p))
		p = p[8:]
	}
	for _, c := range p {
		n += bits.OnesCount8(c)
	}
	return int64(n)
}

// Bitpos returns the position of the first bit equal to bit (0 or 1) in p,
// counting from the most significant bit of p[0], like Redis's
// redisBitpos. Looking for a 1 in a string without one gives -1; looking
// for a 0 in a string of all ones gives len(p)*8, as if the string were
// followed by zeros.
func Bitpos(p []byte, bit int) int64 {
	skip := byte(0)
	if bit == 0 {
		skip = 0xff
	}
	i := 0
	// Skip whole words of uninteresting bits first.
	skip64 := uint64(0)
	if bit == 0 {
		skip64 = math.MaxUint64
	}
	for i+8 <= len(p) && binary.LittleEndian.Uint64(p[i:]) == skip64 {
		i += 8
	}
	for ; i < len(p); i++ {
		c := p[i]
		if c == skip {
			continue
		}
		if bit == 0 {
			c = ^c
		}
		return int64(i)*8 + int64(bits.LeadingZeros8(c))
	}
	if bit == 1 {
		return -1
	}
	return int64(len(p)) * 8
}

// GetUnsignedBitfield reads a bits-wide unsigned integer at bit offset off
// of p; p must hold the whole field. Bit 0 is the most significant bit of
// p[0], as SETBIT numbers them.
func GetUnsignedBitfield(p []byte, off uint64, nbits int) uint64 {
	var v uint64
	for j := 0; j < nbits; j++ {
		b := (p[off>>3] >> (7 - off&7)) & 1
		v = v<<1 | uint64(b)
		off++
	}
	return v
}

// GetSignedBitfield reads a two's complement bits-wide integer.
func GetSignedBitfield(p []byte, off uint64, nbits int) int64 {
	v := int64(GetUnsignedBitfield(p, off, nbits))
	if nbits < 64 && v&(1<<(nbits-1)) != 0 {
		v |= -1 << nbits
	}
	return v
}

// SetUnsignedBitfield writes the low nbits of v at bit offset off of p.
func SetUnsignedBitfield(p []byte, off uint64, nbits int, v uint64) {
	for j := 0; j < nbits; j++ {
		bit := byte(v>>(nbits-1-j)) & 1
		shift := 7 - off&7
		p[off>>3] = p[off>>3]&^(1<<shift) | bit<<shift
		off++
	}
}

// Overflow behaviours of BITFIELD.
const (
	OverflowWrap = iota
	OverflowSat
	OverflowFail
)

// CheckUnsignedOverflow reports whether value+incr fits an unsigned field
// of nbits (0), overflows (1) or underflows (-1), and for WRAP and SAT the
// value to store instead. The arithmetic follows Redis's
// checkUnsignedBitfieldOverflow, including its treatment of a value that
// is already out of range (a negative SET argument seen as unsigned).
func CheckUnsignedOverflow(value uint64, incr int64, nbits int, ow int) (int, uint64) {
	max := uint64(math.MaxUint64)
	if nbits < 64 {
		max = 1<<nbits - 1
	}
	maxincr := int64(max - value)
	minincr := -int64(value)
	wrap := func() uint64 {
		res := value + uint64(incr)
		if nbits < 64 {
			res &= 1<<nbits - 1
		}
		return res
	}
	if value > max || (incr > 0 && incr > maxincr) {
		switch ow {
		case OverflowWrap:
			return 1, wrap()
		case OverflowSat:
			return 1, max
		}
		return 1, 0
	} else if incr < 0 && incr < minincr {
		switch ow {
		case OverflowWrap:
			return -1, wrap()
		case OverflowSat:
			return -1, 0
		}
		return -1, 0
	}
	return 0, 0
}

// CheckSignedOverflow is CheckUnsignedOverflow for signed fields (Redis's
// checkSignedBitfieldOverflow).
func CheckSignedOverflow(value, incr int64, nbits int, ow int) (int, int64) {
	max := int64(math.MaxInt64)
	if nbits < 64 {
		max = 1<<(nbits-1) - 1
	}
	min := -max - 1
	// Both may wrap around; they are only used once value is in range.
	maxincr := int64(uint64(max) - uint64(value))
	minincr := min - value
	wrap := func() int64 {
		c := uint64(value) + uint64(incr)
		if nbits < 64 {
			mask := uint64(math.MaxUint64) << nbits
			if c&(1<<(nbits-1)) != 0 {
				c |= mask
			} else {
				c &^= mask
			}
		}
		return int64(c)
	}
	if value > max || (nbits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr) {
		switch ow {
		case OverflowWrap:
			return 1, wrap()
		case OverflowSat:
			return 1, max
		}
		return 1, 0
	} else if value < min || (nbits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr) {
		switch ow {
		case OverflowWrap:
			return -1, wrap()
		case OverflowSat:
			return -1, min
		}
		return -1, 0
	}
	return 0, 0
}

// BitopInto combines src into dst byte by byte for BITOP: op is '&', '|'
// or '^'. src shorter than dst counts as padded with zero bytes.
func BitopInto(dst, src []byte, op byte) {
	n := min(len(dst), len(src))
	i := 0
	switch op {
	case '&':
		for ; i+8 <= n; i += 8 {
			binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])&binary.LittleEndian.Uint64(src[i:]))
		}
		for ; i < n; i++ {
			dst[i] &= src[i]
		}
		clear(dst[n:])
	case '|':
		for ; i+8 <= n; i += 8 {
			binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])|binary.LittleEndian.Uint64(src[i:]))
		}
		for ; i < n; i++ {
			dst[i] |= src[i]
		}
	case '^':
		for ; i+8 <= n; i += 8 {
			binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])^binary.LittleEndian.Uint64(src[i:]))
		}
		for ; i < n; i++ {
			dst[i] ^= src[i]
		}
	}
}
