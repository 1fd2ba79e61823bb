package zset

import (
	"math"
	"strconv"
)

// Number parsing with C's strtod grammar, which is what Redis uses for
// scores and score ranges: optional leading white space, sign, "inf",
// "infinity", "nan", hexadecimal floats (exponent optional), decimal
// floats. Go's strconv accepts a different set (underscores, hex needs an
// exponent), so the text is validated here and only the conversion of the
// validated prefix is left to strconv.

func isCSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hasPrefixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
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

// strtod parses the longest prefix of b that C's strtod accepts. It
// returns the value, the number of bytes consumed (0 when nothing was
// parsed) and whether the result was out of range (ERANGE: overflow to
// infinity or underflow to zero).
func strtod(b []byte) (v float64, n int, erange bool) {
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	sign := 1.0
	if neg {
		sign = -1
	}
	rest := b[i:]
	switch {
	case hasPrefixFold(rest, "infinity"):
		return math.Inf(int(sign)), i + 8, false
	case hasPrefixFold(rest, "inf"):
		return math.Inf(int(sign)), i + 3, false
	case hasPrefixFold(rest, "nan"):
		j := i + 3
		if j < len(b) && b[j] == '(' {
			k := j + 1
			for k < len(b) && (isDigit(b[k]) || (b[k]|0x20 >= 'a' && b[k]|0x20 <= 'z') || b[k] == '_') {
				k++
			}
			if k < len(b) && b[k] == ')' {
				j = k + 1
			}
		}
		return math.NaN(), j, false
	}
	if len(rest) >= 2 && rest[0] == '0' && rest[1]|0x20 == 'x' && (len(rest) > 2 && (isHexDigit(rest[2]) || (rest[2] == '.' && len(rest) > 3 && isHexDigit(rest[3])))) {
		j := i + 2
		digits := false
		for j < len(b) && isHexDigit(b[j]) {
			j, digits = j+1, true
		}
		if j < len(b) && b[j] == '.' {
			j++
			for j < len(b) && isHexDigit(b[j]) {
				j, digits = j+1, true
			}
		}
		if !digits {
			return 0, 0, false
		}
		mant := string(b[start:j])
		exp := "p0"
		if j < len(b) && b[j]|0x20 == 'p' {
			k := j + 1
			if k < len(b) && (b[k] == '+' || b[k] == '-') {
				k++
			}
			if k < len(b) && isDigit(b[k]) {
				for k < len(b) && isDigit(b[k]) {
					k++
				}
				exp = string(b[j:k])
				j = k
			}
		}
		return convert(mant+exp, j)
	}
	j := i
	digits := false
	for j < len(b) && isDigit(b[j]) {
		j, digits = j+1, true
	}
	if j < len(b) && b[j] == '.' {
		j++
		for j < len(b) && isDigit(b[j]) {
			j, digits = j+1, true
		}
	}
	if !digits {
		return 0, 0, false
	}
	if j < len(b) && b[j]|0x20 == 'e' {
		k := j + 1
		if k < len(b) && (b[k] == '+' || b[k] == '-') {
			k++
		}
		if k < len(b) && isDigit(b[k]) {
			for k < len(b) && isDigit(b[k]) {
				k++
			}
			j = k
		}
	}
	return convert(string(b[start:j]), j)
}

// convert turns validated text into a float, reporting ERANGE like C.
func convert(s string, n int) (float64, int, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Only range errors remain possible: v is ±Inf.
		return v, n, true
	}
	if v == 0 && hasNonZeroMantissa(s) {
		return v, n, true
	}
	return v, n, false
}

// hasNonZeroMantissa reports whether the digits before any exponent hold
// something other than zeros (so a zero result is an underflow).
func hasNonZeroMantissa(s string) bool {
	hex := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'x' || c == 'X':
			hex = true
		case !hex && (c == 'e' || c == 'E'), hex && (c == 'p' || c == 'P'):
			return false
		case c >= '1' && c <= '9', hex && c|0x20 >= 'a' && c|0x20 <= 'f':
			return true
		}
	}
	return false
}

// ParseScore parses a score or increment as Redis's getDoubleFromObject:
// the whole argument must be a number, with no leading space, not NaN,
// neither overflowing nor underflowing to zero.
func ParseScore(b []byte) (float64, bool) {
	if len(b) == 0 || isCSpace(b[0]) {
		return 0, false
	}
	v, n, erange := strtod(b)
	if n != len(b) || math.IsNaN(v) {
		return 0, false
	}
	if erange && (math.IsInf(v, 0) || v == 0) {
		return 0, false
	}
	return v, true
}

// parseBound parses one end of a score range as Redis's zslParseRange:
// strtod up to the end of the C string (a NUL ends it), NaN refused;
// leading spaces, an empty string (0) and overflow are accepted.
func parseBound(b []byte) (float64, bool) {
	v, n, _ := strtod(b)
	if n < len(b) && b[n] != 0 {
		return 0, false
	}
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// ParseScoreRange parses "[(]min" and "[(]max" as ZRANGEBYSCORE does.
func ParseScoreRange(min, max []byte) (ScoreRange, bool) {
	var r ScoreRange
	var ok bool
	if len(min) > 0 && min[0] == '(' {
		r.Minex = true
		min = min[1:]
	}
	if r.Min, ok = parseBound(min); !ok {
		return r, false
	}
	if len(max) > 0 && max[0] == '(' {
		r.Maxex = true
		max = max[1:]
	}
	if r.Max, ok = parseBound(max); !ok {
		return r, false
	}
	return r, true
}

// parseLexBound parses "-", "+", "[member" or "(member".
func parseLexBound(b []byte) (LexBound, bool) {
	if len(b) == 0 {
		return LexBound{}, false
	}
	switch b[0] {
	case '+':
		return LexBound{Kind: LexPlusInf}, len(b) == 1
	case '-':
		return LexBound{Kind: LexMinusInf}, len(b) == 1
	case '(':
		return LexBound{Kind: LexExclusive, Val: b[1:]}, true
	case '[':
		return LexBound{Kind: LexInclusive, Val: b[1:]}, true
	}
	return LexBound{}, false
}

// ParseLexRange parses the min and max of ZRANGEBYLEX.
func ParseLexRange(min, max []byte) (LexRange, bool) {
	lo, ok1 := parseLexBound(min)
	hi, ok2 := parseLexBound(max)
	return LexRange{Min: lo, Max: hi}, ok1 && ok2
}

// FormatScore appends s as C's printf("%.17g") prints it, the format of
// scores in replies, listpacks and digests.
func FormatScore(dst []byte, s float64) []byte {
	switch {
	case math.IsInf(s, 1):
		return append(dst, "inf"...)
	case math.IsInf(s, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(s):
		return append(dst, "nan"...)
	case s == 0:
		if math.Signbit(s) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	return strconv.AppendFloat(dst, s, 'g', 17, 64)
}

// Strtod parses the longest prefix of b that C's strtod accepts (leading
// spaces allowed) and returns the value, the bytes consumed (0: nothing
// parsed) and whether C would set ERANGE (overflow, or underflow to zero
// or to a subnormal).
func Strtod(b []byte) (v float64, n int, erange bool) {
	v, n, erange = strtod(b)
	if v != 0 && math.Abs(v) < 0x1p-1022 && !math.IsNaN(v) {
		erange = true
	}
	return v, n, erange
}
