package str

import (
	"math"
	"math/big"
)

// Redis computes INCRBYFLOAT in C's long double, which on x86-64 is the x87
// 80-bit extended format: a 64-bit significand (explicit integer bit), a
// 15-bit exponent, subnormals below 2^-16382. Replies are formatted with
// printf("%.17Lf") and trailing zeros are stripped, so the exact binary
// value of every intermediate result shows through. Go has no such type, so
// LongDouble carries the value in a big.Float rounded to 64 bits with the
// same rounding (to nearest, ties to even) and checks the exponent range by
// hand. Subnormals are kept at full precision: they are below 1e-4931 and
// can never change a reply printed with 17 decimals.

const (
	ldPrec = 64 // significand bits of the x87 extended format

	// ldMaxExp is the largest big.Float exponent (x = m * 2^exp with
	// 0.5 <= m < 1) of a finite long double: the maximum is (1-2^-64)*2^16384.
	ldMaxExp = 16384

	// maxLongDoubleChars is Redis's MAX_LONG_DOUBLE_CHARS: longer inputs
	// are rejected before parsing.
	maxLongDoubleChars = 5 * 1024
)

// underflowLimit is half the smallest subnormal, 2^-16446: an input whose
// magnitude does not exceed it rounds to zero, which strtold reports with
// ERANGE and Redis rejects.
var underflowRat = new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 16446))

// LongDouble is a finite value of the emulated long double type.
type LongDouble struct {
	f *big.Float // precision ldPrec, finite; nil means +0
	// inf is +1 or -1 for an infinite value (accepted from "inf" inputs).
	inf int8
}

func newLD() *big.Float { return new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven) }

// LongDoubleFromInt converts an int64 exactly, as C's cast does (64 bits of
// significand hold every int64).
func LongDoubleFromInt(v int64) LongDouble {
	return LongDouble{f: newLD().SetInt64(v)}
}

// IsInf reports whether the value is infinite.
func (x LongDouble) IsInf() bool { return x.inf != 0 }

// Float64 returns the nearest float64 (for tests and diagnostics).
func (x LongDouble) Float64() float64 {
	if x.inf != 0 {
		f, _ := new(big.Float).SetInf(x.inf < 0).Float64()
		return f
	}
	if x.f == nil {
		return 0
	}
	f, _ := x.f.Float64()
	return f
}

// ParseLongDouble parses b the way Redis's string2ld does: strtold must
// consume every byte (so an embedded NUL fails), the first byte must not
// be a space, and
// NaN, overflow (ERANGE with an infinite result) and underflow to zero are
// rejected. "inf" and "infinity" are accepted, as are hexadecimal floats.
func ParseLongDouble(b []byte) (LongDouble, bool) {
	if len(b) == 0 || len(b) >= maxLongDoubleChars {
		return LongDouble{}, false
	}
	for _, c := range b {
		if c == 0 {
			// strtold stops at the NUL, short of the whole input.
			return LongDouble{}, false
		}
	}
	if isCSpace(b[0]) {
		return LongDouble{}, false
	}
	neg := false
	s := b
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return LongDouble{}, false
	}
	if eqFold(s, "inf") || eqFold(s, "infinity") {
		if neg {
			return LongDouble{inf: -1}, true
		}
		return LongDouble{inf: 1}, true
	}
	var f *big.Float
	var ok bool
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		f, ok = parseHexFloat(s[2:])
	} else {
		f, ok = parseDecFloat(s)
	}
	if !ok {
		return LongDouble{}, false
	}
	if f == nil { // exact zero
		if neg {
			return LongDouble{f: newLD().Neg(newLD())}, true
		}
		return LongDouble{}, true
	}
	if neg {
		f.Neg(f)
	}
	return LongDouble{f: f}, true
}

// parseDecFloat parses digits [. digits] [e [sign] digits] exactly and
// rounds once to 64 bits. It returns nil, true for zero.
func parseDecFloat(s []byte) (*big.Float, bool) {
	var mant []byte // significant digits, leading zeros dropped
	exp10 := int64(0)
	sawDigit, sawDot := false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if sawDot {
				exp10--
			}
			if c == '0' && len(mant) == 0 {
				continue
			}
			mant = append(mant, c)
		case c == '.' && !sawDot:
			sawDot = true
		default:
			goto exponent
		}
	}
exponent:
	if !sawDigit {
		return nil, false
	}
	e, ok := parseExponentSuffix(s[i:], 'e')
	if !ok {
		return nil, false
	}
	exp10 += e
	if len(mant) == 0 {
		return nil, true
	}
	// value = mant * 10^exp10 with 10^(len-1) <= mant < 10^len.
	mag := exp10 + int64(len(mant)) // value < 10^mag
	if mag-1 > 4933 {               // >= 10^4933 > max long double
		return nil, false
	}
	if mag < -4952 { // < 10^-4952 < 2^-16446: rounds to zero
		return nil, false
	}
	n, _ := new(big.Int).SetString(string(mant), 10)
	var r big.Rat
	if exp10 >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(exp10), nil))
		r.SetInt(n)
	} else {
		r.SetFrac(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(-exp10), nil))
	}
	return roundExact(&r)
}

// parseExponentSuffix parses what follows a float's digits: nothing (0), or
// the exponent marker (either case) and a signed decimal exponent, which
// must end the input. Huge exponents saturate; the callers' range checks
// reject them.
func parseExponentSuffix(s []byte, marker byte) (int64, bool) {
	if len(s) == 0 {
		return 0, true
	}
	if s[0] != marker && s[0] != marker-'a'+'A' {
		return 0, false
	}
	i := 1
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var e int64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if e < 1<<40 {
			e = e*10 + int64(c-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

// roundExact rounds a positive exact rational to the long double, rejecting
// overflow and underflow to zero.
func roundExact(r *big.Rat) (*big.Float, bool) {
	if r.Cmp(underflowRat) <= 0 {
		return nil, false
	}
	f := newLD().SetRat(r)
	if f.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return f, true
}

// parseHexFloat parses hexdigits [. hexdigits] [p [sign] digits] after the
// "0x" prefix. strtold needs at least one hex digit; "0x" alone would parse
// as 0 followed by garbage, which Redis rejects anyway.
func parseHexFloat(s []byte) (*big.Float, bool) {
	var mant []byte
	exp2 := int64(0)
	sawDigit, sawDot := false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case isHex(c):
			sawDigit = true
			if sawDot {
				exp2 -= 4
			}
			if c == '0' && len(mant) == 0 {
				continue
			}
			mant = append(mant, c)
		case c == '.' && !sawDot:
			sawDot = true
		default:
			goto exponent
		}
	}
exponent:
	if !sawDigit {
		return nil, false
	}
	e, ok := parseExponentSuffix(s[i:], 'p')
	if !ok {
		return nil, false
	}
	exp2 += e
	if len(mant) == 0 {
		return nil, true
	}
	mag := exp2 + int64(len(mant))*4 // value < 2^mag
	if mag > ldMaxExp+8 {
		return nil, false
	}
	if mag < -16446-8 {
		return nil, false
	}
	n, _ := new(big.Int).SetString(string(mant), 16)
	var r big.Rat
	if exp2 >= 0 {
		r.SetInt(n.Lsh(n, uint(exp2)))
	} else {
		r.SetFrac(n, new(big.Int).Lsh(big.NewInt(1), uint(-exp2)))
	}
	return roundExact(&r)
}

// Add returns x+y rounded to the long double. ok is false when the sum is
// NaN or infinite (Redis's "increment would produce NaN or Infinity").
func (x LongDouble) Add(y LongDouble) (LongDouble, bool) {
	if x.inf != 0 || y.inf != 0 {
		return LongDouble{}, false
	}
	a, b := x.f, y.f
	if a == nil {
		a = newLD()
	}
	if b == nil {
		b = newLD()
	}
	z := newLD().Add(a, b)
	if z.Sign() != 0 && z.MantExp(nil) > ldMaxExp {
		return LongDouble{}, false
	}
	return LongDouble{f: z}, true
}

// AppendHuman appends x formatted as Redis's ld2string in LD_STR_HUMAN
// mode: printf("%.17Lf"), then trailing zeros and a trailing dot removed,
// and "-0" turned into "0".
func (x LongDouble) AppendHuman(dst []byte) []byte {
	if x.inf > 0 {
		return append(dst, "inf"...)
	}
	if x.inf < 0 {
		return append(dst, "-inf"...)
	}
	start := len(dst)
	if x.f == nil {
		dst = append(dst, "0.00000000000000000"...)
	} else {
		dst = x.f.Append(dst, 'f', 17)
	}
	// %.17Lf always prints a dot: strip zeros, then the dot.
	n := len(dst)
	for n > start && dst[n-1] == '0' {
		n--
	}
	if n > start && dst[n-1] == '.' {
		n--
	}
	dst = dst[:n]
	if n-start == 2 && dst[start] == '-' && dst[start+1] == '0' {
		dst = append(dst[:start], '0')
	}
	return dst
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// eqFold reports whether b equals the lower-case ASCII word w, ignoring case.
func eqFold(b []byte, w string) bool {
	if len(b) != len(w) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// LongDoubleFromFloat64 converts a float64 exactly (a long double holds
// every double).
func LongDoubleFromFloat64(v float64) LongDouble {
	switch {
	case math.IsInf(v, 1):
		return LongDouble{inf: 1}
	case math.IsInf(v, -1):
		return LongDouble{inf: -1}
	case v == 0:
		return LongDouble{}
	}
	return LongDouble{f: newLD().SetFloat64(v)}
}

// CeilMillis is ceill(x * 1000) converted to an integer, as Redis turns a
// timeout in seconds into milliseconds. ok is false where the C cast has
// no defined result (infinite, or outside the int64 range): on x86-64 that
// yields the minimum int64, which callers report as negative.
func (x LongDouble) CeilMillis() (int64, bool) {
	if x.inf != 0 {
		return 0, false
	}
	if x.f == nil {
		return 0, true
	}
	m := newLD().Mul(x.f, big.NewFloat(1000))
	i, acc := m.Int(nil)  // truncates towards zero
	if acc == big.Below { // m > i: round up
		i.Add(i, big.NewInt(1))
	}
	if !i.IsInt64() {
		return 0, false
	}
	return i.Int64(), true
}
