package str

import (
	"math/big"
	"strconv"
)

// Hexadecimal formatting and the x87 bit layout of LongDouble, for module
// RDB payloads (RedisModule_SaveLongDouble writes printf("%La")) and the C
// bridge (which passes C long doubles as their 80 bits).

// x87 layout: a sign bit and 15-bit biased exponent, and a 64-bit
// significand with an explicit integer bit.
const (
	x87Bias   = 16383
	x87MinExp = -16382 // exponent of the smallest normal value
)

// AppendHex appends x as glibc's printf("%La") formats an x87 long double:
// the significand's top 4 bits as the leading hex digit, the other 60 bits
// as up to 15 fraction digits (trailing zeros dropped), and a binary
// exponent with its sign ("0xcp-3" for 1.5); subnormals print with a
// leading 0 and exponent -16385; zero is "0x0p+0"; infinities "inf" and
// "-inf".
func (x LongDouble) AppendHex(dst []byte) []byte {
	if x.inf > 0 {
		return append(dst, "inf"...)
	}
	if x.inf < 0 {
		return append(dst, "-inf"...)
	}
	if x.f == nil || x.f.Sign() == 0 {
		if x.f != nil && x.f.Signbit() {
			dst = append(dst, '-')
		}
		return append(dst, "0x0p+0"...)
	}
	if x.f.Signbit() {
		dst = append(dst, '-')
	}
	m, e := x.x87Parts()
	p := e - 3
	if m>>63 == 0 {
		p = x87MinExp - 3 // subnormal
	}
	dst = append(dst, "0x"...)
	dst = strconv.AppendUint(dst, m>>60, 16)
	frac := strconv.FormatUint(m&(1<<60-1)|1<<60, 16)[1:] // 15 digits, zero-padded
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if frac != "" {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	dst = append(dst, 'p')
	if p >= 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendInt(dst, int64(p), 10)
}

// x87Parts returns the 64-bit significand m (integer bit at bit 63 for a
// normal value) and the unbiased exponent e of a finite non-zero x:
// |x| = m * 2^(e-63), with e = -16382 and the integer bit clear for
// subnormals.
func (x LongDouble) x87Parts() (m uint64, e int) {
	var mant big.Float
	exp := x.f.MantExp(&mant) // |mant| in [0.5, 1)
	mant.Abs(&mant)
	e = exp - 1
	shift := 64
	if e < x87MinExp {
		// Subnormal: fixed exponent, fewer significant bits (rounded to
		// nearest as the hardware would).
		shift = 64 - (x87MinExp - e)
		e = x87MinExp
	}
	mant.SetMantExp(&mant, shift)
	bi, _ := mant.Int(nil)
	var frac big.Float
	frac.Sub(&mant, new(big.Float).SetInt(bi))
	if c := frac.Cmp(big.NewFloat(0.5)); c > 0 || c == 0 && bi.Bit(0) == 1 {
		bi.Add(bi, big.NewInt(1))
	}
	return bi.Uint64(), e
}

// X87 returns the 80-bit representation of x: the sign and biased exponent
// word, and the significand with its explicit integer bit.
func (x LongDouble) X87() (signExp uint16, mant uint64) {
	if x.inf != 0 {
		signExp = 0x7fff
		if x.inf < 0 {
			signExp |= 0x8000
		}
		return signExp, 1 << 63
	}
	if x.f == nil || x.f.Sign() == 0 {
		if x.f != nil && x.f.Signbit() {
			return 0x8000, 0
		}
		return 0, 0
	}
	m, e := x.x87Parts()
	if m>>63 != 0 {
		signExp = uint16(e + x87Bias)
	}
	if x.f.Signbit() {
		signExp |= 0x8000
	}
	return signExp, m
}

// LongDoubleFromX87 builds a LongDouble from the 80 bits of an x87 long
// double. ok is false for NaN (and the invalid encodings x87 treats as
// NaN), which LongDouble cannot hold.
func LongDoubleFromX87(signExp uint16, mant uint64) (LongDouble, bool) {
	neg := signExp&0x8000 != 0
	be := int(signExp & 0x7fff)
	switch {
	case be == 0x7fff:
		if mant == 1<<63 {
			if neg {
				return LongDouble{inf: -1}, true
			}
			return LongDouble{inf: 1}, true
		}
		return LongDouble{}, false
	case be != 0 && mant>>63 == 0:
		return LongDouble{}, false // unnormal
	case mant == 0:
		if neg {
			return LongDouble{f: newLD().Neg(newLD())}, true
		}
		return LongDouble{}, true
	}
	e := be - x87Bias
	if be == 0 {
		e = x87MinExp
	}
	f := newLD().SetUint64(mant)
	f.SetMantExp(f, e-63)
	if neg {
		f.Neg(f)
	}
	return LongDouble{f: f}, true
}
