package module

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/str"
)

// String is RedisModuleString: an immutable-by-convention byte string with
// a reference count. The creator holds one reference; RetainString and
// HoldString add one, FreeString drops one. Only a string with a single
// reference may be modified (StringAppendBuffer).
type String struct {
	b    []byte
	refs atomic.Int32
}

// NewString returns a string holding a copy of b with one reference,
// tracked by no context.
func NewString(b []byte) *String {
	s := &String{b: append([]byte(nil), b...)}
	s.refs.Store(1)
	return s
}

// Bytes returns the string's bytes (RedisModule_StringPtrLen). The slice
// is valid while the caller holds a reference and must not be modified.
func (s *String) Bytes() []byte {
	if s == nil {
		return []byte(nullStringText)
	}
	return s.b
}

// nullStringText is what StringPtrLen returns for a NULL string: some
// modules rely on getting text rather than a crash.
const nullStringText = "(NULL string reply referenced in module)"

// Refs returns the reference count (tests, the C bridge).
func (s *String) Refs() int { return int(s.refs.Load()) }

func (s *String) incr() { s.refs.Add(1) }

func (s *String) decr() {
	if s.refs.Add(-1) == 0 {
		s.b = nil
	}
}

func (ctx *Ctx) newString(b []byte) *String {
	s := NewString(b)
	ctx.autoAdd(autoEntry{str: s})
	return s
}

// CreateString is RedisModule_CreateString. ctx may be nil (no auto
// memory).
func (ctx *Ctx) CreateString(b []byte) *String { return ctx.newString(b) }

// CreateStringFromLongLong is RedisModule_CreateStringFromLongLong.
func (ctx *Ctx) CreateStringFromLongLong(v int64) *String {
	return ctx.newString(strconv.AppendInt(nil, v, 10))
}

// CreateStringFromULongLong is RedisModule_CreateStringFromULongLong.
func (ctx *Ctx) CreateStringFromULongLong(v uint64) *String {
	return ctx.newString(strconv.AppendUint(nil, v, 10))
}

// CreateStringFromDouble is RedisModule_CreateStringFromDouble (Redis's
// d2string formatting).
func (ctx *Ctx) CreateStringFromDouble(d float64) *String {
	return ctx.newString(AppendD2String(nil, d))
}

// CreateStringFromLongDouble is RedisModule_CreateStringFromLongDouble.
// The value is an emulated x87 long double; humanFriendly gives Redis's
// "%.17Lf" with trailing zeros trimmed. Otherwise the format is "%.17Lg"
// computed on the nearest double (an approximation).
func (ctx *Ctx) CreateStringFromLongDouble(ld str.LongDouble, humanFriendly bool) *String {
	if humanFriendly {
		return ctx.newString(ld.AppendHuman(nil))
	}
	return ctx.newString(appendLongDouble(nil, ld.Float64(), false))
}

// CreateStringFromString is RedisModule_CreateStringFromString: a copy.
func (ctx *Ctx) CreateStringFromString(s *String) *String { return ctx.newString(s.Bytes()) }

// CreateStringPrintf is RedisModule_CreateStringPrintf once the caller
// (the C shim or the Go package) has formatted the text.
func (ctx *Ctx) CreateStringPrintf(text []byte) *String { return ctx.newString(text) }

// FreeString is RedisModule_FreeString: drop a reference (and the string
// from ctx's auto-memory queue).
func (ctx *Ctx) FreeString(s *String) {
	if s == nil {
		return
	}
	ctx.autoRemove(autoEntry{str: s})
	s.decr()
}

// RetainString is RedisModule_RetainString: keep s beyond the callback.
// If s is in ctx's auto-memory queue it is taken out instead of gaining a
// reference, so the count stays at one when possible.
func (ctx *Ctx) RetainString(s *String) {
	if ctx == nil || !ctx.autoRemove(autoEntry{str: s}) {
		s.incr()
	}
}

// HoldString is RedisModule_HoldString: add a reference and return s
// (tracked again by auto memory when enabled).
func (ctx *Ctx) HoldString(s *String) *String {
	if s == nil {
		return nil
	}
	s.incr()
	ctx.autoAdd(autoEntry{str: s})
	return s
}

// StringPtrLen is RedisModule_StringPtrLen.
func StringPtrLen(s *String) []byte { return s.Bytes() }

// StringToLongLong is RedisModule_StringToLongLong (string2ll: the whole
// string must be a canonical integer).
func StringToLongLong(s *String) (int64, int) {
	v, ok := keyspace.ParseCanonicalInt(s.Bytes())
	if !ok {
		return 0, ERR
	}
	return v, OK
}

// StringToULongLong is RedisModule_StringToULongLong (string2ull: a
// canonical non-negative integer, or anything strtoull accepts whole).
func StringToULongLong(s *String) (uint64, int) {
	b := s.Bytes()
	if v, ok := keyspace.ParseCanonicalInt(b); ok {
		if v < 0 {
			return 0, ERR
		}
		return uint64(v), OK
	}
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if i == len(b) {
		return 0, ERR
	}
	v, err := strconv.ParseUint(string(b[i:]), 10, 64)
	if err != nil {
		return 0, ERR
	}
	if neg {
		v = -v
	}
	return v, OK
}

// StringToDouble is RedisModule_StringToDouble (getDoubleFromObject: no
// leading space, nothing after the number, no overflow, not NaN).
func StringToDouble(s *String) (float64, int) {
	d, ok := parseDouble(s.Bytes())
	if !ok {
		return 0, ERR
	}
	return d, OK
}

// StringToLongDouble is RedisModule_StringToLongDouble (string2ld, at
// long double precision).
func StringToLongDouble(s *String) (str.LongDouble, int) {
	ld, ok := str.ParseLongDouble(s.Bytes())
	if !ok {
		return str.LongDouble{}, ERR
	}
	return ld, OK
}

func parseDouble(b []byte) (float64, bool) {
	if len(b) == 0 || isCSpace(b[0]) || bytes.IndexByte(b, '_') >= 0 {
		return 0, false
	}
	t := string(b)
	// strtod takes hexadecimal numbers without a binary exponent ("0x10");
	// Go's ParseFloat wants the exponent.
	if h := strings.TrimLeft(t, "+-"); len(h) > 2 && (h[:2] == "0x" || h[:2] == "0X") && !strings.ContainsAny(h, "pP") {
		t += "p0"
	}
	d, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(d) {
		return 0, false
	}
	return d, true
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// StringCompare is RedisModule_StringCompare: binary comparison.
func StringCompare(a, b *String) int { return bytes.Compare(a.Bytes(), b.Bytes()) }

// StringAppendBuffer is RedisModule_StringAppendBuffer. It refuses (ERR)
// a string with more than one reference.
func (ctx *Ctx) StringAppendBuffer(s *String, b []byte) int {
	if s == nil || s.refs.Load() != 1 {
		if ctx != nil {
			ctx.eng.host.Logf(LogWarning, "API misuse detected in module %s: StringAppendBuffer on a shared string", ctx.moduleName())
		}
		return ERR
	}
	s.b = append(s.b, b...)
	return OK
}

// TrimStringAllocation is RedisModule_TrimStringAllocation: drop unused
// capacity.
func TrimStringAllocation(s *String) {
	if s != nil && cap(s.b) > len(s.b) {
		s.b = append([]byte(nil), s.b...)
	}
}

// AppendD2String formats d as Redis's d2string does: "nan", "inf",
// "-inf", "0"/"-0", integers in the exactly representable range without a
// fraction, otherwise %.17g.
func AppendD2String(dst []byte, d float64) []byte {
	switch {
	case math.IsNaN(d):
		return append(dst, "nan"...)
	case math.IsInf(d, 1):
		return append(dst, "inf"...)
	case math.IsInf(d, -1):
		return append(dst, "-inf"...)
	case d == 0:
		if math.Signbit(d) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	case d > -9223372036854775808.0 && d < 9223372036854775808.0 && d == math.Trunc(d):
		// Integral values that fit a long long print as integers
		// (matches redis-server 7.0.15, e.g. 1.2345678901234568e17 gives
		// "123456789012345680").
		return strconv.AppendInt(dst, int64(d), 10)
	}
	return appendG(dst, d, 17)
}

// appendG is C's %.<prec>g.
func appendG(dst []byte, d float64, prec int) []byte {
	exp := 0
	if d != 0 {
		// The exponent %e would print decides between %e and %f style.
		e := strconv.AppendFloat(nil, d, 'e', prec-1, 64)
		i := bytes.IndexByte(e, 'e')
		exp, _ = strconv.Atoi(string(e[i+1:]))
	}
	if exp < -4 || exp >= prec {
		b := strconv.AppendFloat(nil, d, 'e', prec-1, 64)
		i := bytes.IndexByte(b, 'e')
		mant := trimZeros(b[:i])
		dst = append(dst, mant...)
		dst = append(dst, 'e')
		ex := b[i+1:]
		sign := ex[0]
		digits := ex[1:]
		dst = append(dst, sign)
		if len(digits) < 2 {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	b := strconv.AppendFloat(nil, d, 'f', prec-1-exp, 64)
	return append(dst, trimZeros(b)...)
}

func trimZeros(b []byte) []byte {
	if bytes.IndexByte(b, '.') < 0 {
		return b
	}
	b = bytes.TrimRight(b, "0")
	return bytes.TrimSuffix(b, []byte("."))
}

func appendLongDouble(dst []byte, d float64, human bool) []byte {
	switch {
	case math.IsNaN(d):
		return append(dst, "nan"...)
	case math.IsInf(d, 1):
		return append(dst, "inf"...)
	case math.IsInf(d, -1):
		return append(dst, "-inf"...)
	}
	if human {
		b := strconv.AppendFloat(nil, d, 'f', 17, 64)
		b = trimZeros(b)
		if string(b) == "-0" {
			b = []byte("0")
		}
		return append(dst, b...)
	}
	return appendG(dst, d, 17)
}
