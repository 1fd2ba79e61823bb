// Package hll implements Redis's HyperLogLog strings byte for byte: a
// 16-byte header ("HYLL", encoding, three unused bytes, a cached
// cardinality whose top bit marks it stale) followed by 16384 six-bit
// registers, either densely packed (12288 bytes) or as a run-length
// "sparse" opcode stream (ZERO, XZERO, VAL) that is promoted to dense when
// it grows past hll-sparse-max-bytes or a register exceeds 32. Elements
// are hashed with MurmurHash64A; counts use Ertl's improved estimator
// (arXiv:1702.01284), as Redis does since 5.0. Because the values are
// plain strings readable with GET, every update follows Redis's algorithm
// exactly (including how sparse runs are split and merged).
//
// Functions take the whole string value; those that may resize it return
// the new slice. Nothing here knows about clients or the keyspace.
package hll

// Parameters of Redis's HyperLogLog.
const (
	p         = 14     // index bits
	q         = 64 - p // bits left for the run of zeros
	registers = 1 << p // 16384
	regBits   = 6      // bits per dense register
	regMax    = 1<<regBits - 1

	// HeaderSize is the size of the header.
	HeaderSize = 16
	// DenseSize is the exact size of a dense HyperLogLog string.
	DenseSize = HeaderSize + (registers*regBits+7)/8

	// Encodings stored in header byte 4.
	Dense  = 0
	Sparse = 1
	maxEnc = Sparse
)

// Sparse opcodes. ZERO: 00xxxxxx, a run of 1-64 zero registers. XZERO:
// 01xxxxxx yyyyyyyy, a run of 1-16384 zero registers. VAL: 1vvvvvxx, a run
// of 1-4 registers holding 1-32.
const (
	zeroMaxLen   = 64
	xzeroMaxLen  = 16384
	valMaxValue  = 32
	valMaxLen    = 4
	opXZeroBit   = 0x40
	opValBit     = 0x80
	opTypeMask   = 0xc0
	opValueShift = 2
)

func isZero(b byte) bool  { return b&opTypeMask == 0 }
func isXZero(b byte) bool { return b&opTypeMask == opXZeroBit }
func isVal(b byte) bool   { return b&opValBit != 0 }

func zeroLen(b byte) int         { return int(b&0x3f) + 1 }
func xzeroLen(b0, b1 byte) int   { return int(b0&0x3f)<<8 | int(b1) + 1 }
func valValue(b byte) int        { return int(b>>opValueShift&0x1f) + 1 }
func valLen(b byte) int          { return int(b&0x3) + 1 }
func valOp(value, n int) byte    { return byte((value-1)<<opValueShift|(n-1)) | opValBit }
func zeroOp(n int) byte          { return byte(n - 1) }
func xzeroOp(n int) (byte, byte) { return byte((n-1)>>8) | opXZeroBit, byte((n - 1) & 0xff) }
func appendXZero(dst []byte, n int) []byte {
	b0, b1 := xzeroOp(n)
	return append(dst, b0, b1)
}

// appendZeros appends the opcode for a run of n zero registers.
func appendZeros(dst []byte, n int) []byte {
	if n > zeroMaxLen {
		return appendXZero(dst, n)
	}
	return append(dst, zeroOp(n))
}

// New returns the value PFADD and PFMERGE create: sparse, every register
// zero, cached cardinality 0 (valid).
func New() []byte {
	b := make([]byte, HeaderSize, HeaderSize+2)
	copy(b, "HYLL")
	b[4] = Sparse
	for n := registers; n > 0; n -= xzeroMaxLen {
		b = appendXZero(b, min(n, xzeroMaxLen))
	}
	return b
}

// IsValid reports whether a string may be used as a HyperLogLog: long
// enough for the header, the "HYLL" magic, a known encoding, and the exact
// size when dense. The sparse body is only checked when it is walked.
func IsValid(b []byte) bool {
	if len(b) < HeaderSize || string(b[:4]) != "HYLL" || b[4] > maxEnc {
		return false
	}
	return b[4] != Dense || len(b) == DenseSize
}

// Encoding returns Dense or Sparse (the value must be valid).
func Encoding(b []byte) int { return int(b[4]) }

// InvalidateCache marks the cached cardinality stale; the other cache
// bytes keep the old value, as in Redis.
func InvalidateCache(b []byte) { b[15] |= 0x80 }

// CachedCount returns the cached cardinality and whether it is valid.
func CachedCount(b []byte) (uint64, bool) {
	if b[15]&0x80 != 0 {
		return 0, false
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[8+i])
	}
	return v, true
}

// SetCachedCount stores a freshly computed cardinality.
func SetCachedCount(b []byte, v uint64) {
	for i := 0; i < 8; i++ {
		b[8+i] = byte(v >> (8 * i))
	}
}

// denseGet reads register i of the packed registers regs.
func denseGet(regs []byte, i int) uint8 {
	bit := i * regBits
	byt, fb := bit/8, uint(bit&7)
	v := uint(regs[byt]) >> fb
	if byt+1 < len(regs) {
		v |= uint(regs[byt+1]) << (8 - fb)
	}
	return uint8(v & regMax)
}

// denseSetReg writes register i.
func denseSetReg(regs []byte, i int, v uint8) {
	bit := i * regBits
	byt, fb := bit/8, uint(bit&7)
	regs[byt] &^= byte(regMax << fb)
	regs[byt] |= byte(uint(v) << fb)
	if byt+1 < len(regs) {
		regs[byt+1] &^= byte(regMax >> (8 - fb))
		regs[byt+1] |= byte(uint(v) >> (8 - fb))
	}
}

// denseSet raises register i to count; it reports whether it changed.
func denseSet(regs []byte, i int, count uint8) bool {
	if count > denseGet(regs, i) {
		denseSetReg(regs, i, count)
		return true
	}
	return false
}

// ToDense converts a sparse value to the dense encoding, copying the
// whole header (cached cardinality included). A dense value is returned
// as is. ok is false when the sparse stream does not cover exactly every
// register.
func ToDense(b []byte) (out []byte, ok bool) {
	if b[4] == Dense {
		return b, true
	}
	d := make([]byte, DenseSize)
	copy(d, b[:HeaderSize])
	d[4] = Dense
	regs := d[HeaderSize:]
	idx := 0
	s := b[HeaderSize:]
	for i := 0; i < len(s); {
		switch op := s[i]; {
		case isZero(op):
			idx += zeroLen(op)
			i++
		case isXZero(op):
			idx += xzeroLen(op, at(s, i+1))
			i += 2
		default:
			n, v := valLen(op), valValue(op)
			if idx+n > registers {
				return b, false
			}
			for ; n > 0; n-- {
				denseSetReg(regs, idx, uint8(v))
				idx++
			}
			i++
		}
	}
	if idx != registers {
		return b, false
	}
	return d, true
}

// at reads s[i], or 0 past the end (Redis reads the string's terminator
// when an XZERO opcode is cut short).
func at(s []byte, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// Add adds an element (PFADD). It returns the possibly reallocated value
// and 1 when a register changed, 0 when not, -1 when the value is
// corrupted.
func Add(b, ele []byte, sparseMax int64) ([]byte, int) {
	index, count := patLen(ele)
	return Set(b, index, count, sparseMax)
}

// Set raises register index to count, in either encoding (a sparse value
// may be promoted). Results as Add.
func Set(b []byte, index int, count uint8, sparseMax int64) ([]byte, int) {
	if b[4] == Dense {
		if denseSet(b[HeaderSize:], index, count) {
			return b, 1
		}
		return b, 0
	}
	return sparseSet(b, index, count, sparseMax)
}

// sparseSet is the sparse update: find the opcode covering the register;
// nothing to do if it is a VAL already >= count; rewrite single-register
// VAL/ZERO opcodes in place; otherwise split the run into up to three
// opcodes (left run, the new VAL, right run). Then merge adjacent equal
// VALs in the five opcodes starting before the change. The value is
// promoted to dense when count does not fit a VAL or the split would grow
// the string past sparseMax.
func sparseSet(b []byte, index int, count uint8, sparseMax int64) ([]byte, int) {
	if count > valMaxValue {
		return promote(b, index, count)
	}
	s := b[HeaderSize:]
	first, span, pos, prev := 0, 0, 0, -1
	for pos < len(s) {
		op := s[pos]
		oplen := 1
		switch {
		case isZero(op):
			span = zeroLen(op)
		case isVal(op):
			span = valLen(op)
		default:
			span = xzeroLen(op, at(s, pos+1))
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = pos
		pos += oplen
		first += span
	}
	if span == 0 || pos >= len(s) {
		return b, -1
	}
	op := s[pos]
	opEnd := pos + 1
	if isXZero(op) {
		opEnd = pos + 2
	}
	updated := false
	switch {
	case isVal(op):
		if valValue(op) >= int(count) {
			return b, 0
		}
		if valLen(op) == 1 {
			s[pos] = valOp(int(count), 1)
			updated = true
		}
	case isZero(op) && zeroLen(op) == 1:
		s[pos] = valOp(int(count), 1)
		updated = true
	}
	if !updated {
		var seq [5]byte
		n := seq[:0]
		last := first + span - 1
		if isVal(op) {
			cur := valValue(op)
			if index != first {
				n = append(n, valOp(cur, index-first))
			}
			n = append(n, valOp(int(count), 1))
			if index != last {
				n = append(n, valOp(cur, last-index))
			}
		} else {
			if index != first {
				n = appendZeros(n, index-first)
			}
			n = append(n, valOp(int(count), 1))
			if index != last {
				n = appendZeros(n, last-index)
			}
		}
		delta := len(n) - (opEnd - pos)
		if delta > 0 && int64(len(b)+delta) > sparseMax {
			return promote(b, index, count)
		}
		// Replace s[pos:opEnd] by n. An XZERO cut short by the end of the
		// string (opEnd past it) loses the sequence's last byte, as in
		// Redis, whose length change assumes a complete opcode.
		newLen := len(s) + delta
		tail := max(0, len(s)-opEnd)
		if delta > 0 {
			b = append(b, make([]byte, delta)...)
		}
		s = b[HeaderSize:]
		if tail > 0 {
			copy(s[pos+len(n):], s[opEnd:opEnd+tail])
		}
		copy(s[pos:newLen], n)
		b = b[:HeaderSize+newLen]
		s = b[HeaderSize:]
	}
	// Merge adjacent VAL opcodes of equal value while the run fits.
	i := prev
	if i < 0 {
		i = 0
	}
	for scan := 5; i < len(s) && scan > 0; scan-- {
		op := s[i]
		if isXZero(op) {
			i += 2
			continue
		}
		if isZero(op) {
			i++
			continue
		}
		if i+1 < len(s) && isVal(s[i+1]) {
			v1, v2 := valValue(op), valValue(s[i+1])
			if v1 == v2 {
				if n := valLen(op) + valLen(s[i+1]); n <= valMaxLen {
					s[i+1] = valOp(v1, n)
					copy(s[i:], s[i+1:])
					b = b[:len(b)-1]
					s = b[HeaderSize:]
					continue
				}
			}
		}
		i++
	}
	InvalidateCache(b)
	return b, 1
}

// promote converts to dense and sets the register there.
func promote(b []byte, index int, count uint8) ([]byte, int) {
	d, ok := ToDense(b)
	if !ok {
		return b, -1
	}
	denseSet(d[HeaderSize:], index, count)
	return d, 1
}
