package resp

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// The Append functions encode one reply element onto dst and return the
// extended slice, like strconv.AppendInt. Functions whose encoding differs
// between protocol versions take proto (2 or 3).

// AppendSimple appends a status reply: +s\r\n.
func AppendSimple(dst []byte, s string) []byte {
	dst = append(dst, '+')
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

// AppendError appends an error reply. msg is the full text with its code,
// e.g. "ERR syntax error"; a leading '-' is not repeated. Newlines are
// replaced by spaces, as Redis does, so the reply stays one line.
func AppendError(dst []byte, msg string) []byte {
	if len(msg) == 0 || msg[0] != '-' {
		dst = append(dst, '-')
	}
	// Redis trims newlines off the end of a formatted error (the message
	// often ends with a client's argument) and blanks the others.
	msg = strings.TrimRight(msg, "\r\n")
	start := len(dst)
	dst = append(dst, msg...)
	for i := start; i < len(dst); i++ {
		if dst[i] == '\r' || dst[i] == '\n' {
			dst[i] = ' '
		}
	}
	return append(dst, '\r', '\n')
}

// AppendInt appends an integer reply: :n\r\n.
func AppendInt(dst []byte, n int64) []byte {
	if n >= 0 && n < int64(len(smallInts)) {
		return append(dst, smallInts[n]...)
	}
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, '\r', '\n')
}

var smallInts = func() []string {
	s := make([]string, 128)
	for i := range s {
		s[i] = ":" + strconv.Itoa(i) + "\r\n"
	}
	return s
}()

func appendLen(dst []byte, prefix byte, n int64) []byte {
	dst = append(dst, prefix)
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, '\r', '\n')
}

// AppendBulk appends a bulk string.
func AppendBulk(dst []byte, b []byte) []byte {
	if n := len(b); n < 100 {
		// Short values (list elements, small strings): grow once and
		// format the length without strconv.
		dst = slices.Grow(dst, n+7)
		if n < 10 {
			dst = append(dst, '$', byte('0'+n), '\r', '\n')
		} else {
			dst = append(dst, '$', byte('0'+n/10), byte('0'+n%10), '\r', '\n')
		}
		dst = append(dst, b...)
		return append(dst, '\r', '\n')
	}
	dst = appendLen(dst, '$', int64(len(b)))
	dst = append(dst, b...)
	return append(dst, '\r', '\n')
}

// AppendBulkString appends a bulk string given as a Go string.
func AppendBulkString(dst []byte, s string) []byte {
	dst = appendLen(dst, '$', int64(len(s)))
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

// AppendBulkInt appends n formatted in decimal as a bulk string.
func AppendBulkInt(dst []byte, n int64) []byte {
	var tmp [24]byte
	return AppendBulk(dst, strconv.AppendInt(tmp[:0], n, 10))
}

// AppendNull appends the null bulk string ($-1 in RESP2, _ in RESP3).
func AppendNull(dst []byte, proto int) []byte {
	if proto >= 3 {
		return append(dst, '_', '\r', '\n')
	}
	return append(dst, '$', '-', '1', '\r', '\n')
}

// AppendNullArray appends the null array (*-1 in RESP2, _ in RESP3).
func AppendNullArray(dst []byte, proto int) []byte {
	if proto >= 3 {
		return append(dst, '_', '\r', '\n')
	}
	return append(dst, '*', '-', '1', '\r', '\n')
}

// AppendArrayLen appends an array header.
func AppendArrayLen(dst []byte, n int) []byte { return appendLen(dst, '*', int64(n)) }

// AppendMapLen appends a map header of n pairs (a flat array of 2n in RESP2).
func AppendMapLen(dst []byte, n int, proto int) []byte {
	if proto >= 3 {
		return appendLen(dst, '%', int64(n))
	}
	return appendLen(dst, '*', int64(2*n))
}

// AppendSetLen appends a set header (an array in RESP2).
func AppendSetLen(dst []byte, n int, proto int) []byte {
	if proto >= 3 {
		return appendLen(dst, '~', int64(n))
	}
	return appendLen(dst, '*', int64(n))
}

// AppendAttributeLen appends a RESP3 attribute header of n pairs.
func AppendAttributeLen(dst []byte, n int) []byte { return appendLen(dst, '|', int64(n)) }

// AppendPushLen appends a push header (an array in RESP2).
func AppendPushLen(dst []byte, n int, proto int) []byte {
	if proto >= 3 {
		return appendLen(dst, '>', int64(n))
	}
	return appendLen(dst, '*', int64(n))
}

// AppendBool appends a boolean (:1/:0 in RESP2, #t/#f in RESP3).
func AppendBool(dst []byte, v bool, proto int) []byte {
	if proto >= 3 {
		if v {
			return append(dst, '#', 't', '\r', '\n')
		}
		return append(dst, '#', 'f', '\r', '\n')
	}
	if v {
		return append(dst, ':', '1', '\r', '\n')
	}
	return append(dst, ':', '0', '\r', '\n')
}

// AppendDouble appends a double as Redis 7.0's addReplyDouble does: "%.17g"
// text, sent as a bulk string in RESP2 and as ",<text>" in RESP3.
func AppendDouble(dst []byte, d float64, proto int) []byte {
	var tmp [32]byte
	var text []byte
	switch {
	case math.IsInf(d, 1):
		text = append(tmp[:0], "inf"...)
	case math.IsInf(d, -1):
		text = append(tmp[:0], "-inf"...)
	case math.IsNaN(d):
		text = append(tmp[:0], "nan"...)
	default:
		text = FormatG17(tmp[:0], d)
	}
	if proto >= 3 {
		dst = append(dst, ',')
		dst = append(dst, text...)
		return append(dst, '\r', '\n')
	}
	return AppendBulk(dst, text)
}

// FormatG17 appends d formatted like C's printf("%.17g").
func FormatG17(dst []byte, d float64) []byte {
	return FormatG(dst, d, 17)
}

// FormatG appends d formatted like C's printf("%.<prec>g"): Go's 'g' verb
// agrees with C except that C strips nothing and Go may print fewer
// exponent digits; both use at least two exponent digits.
func FormatG(dst []byte, d float64, prec int) []byte {
	if d == 0 {
		if math.Signbit(d) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	return strconv.AppendFloat(dst, d, 'g', prec, 64)
}

// AppendVerbatim appends a verbatim string (a plain bulk string in RESP2).
// format is the three-letter type, e.g. "txt".
func AppendVerbatim(dst []byte, s []byte, format string, proto int) []byte {
	if proto < 3 {
		return AppendBulk(dst, s)
	}
	dst = appendLen(dst, '=', int64(len(s)+4))
	dst = append(dst, format...)
	dst = append(dst, ':')
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

// AppendBigNumber appends a big number (a bulk string in RESP2).
func AppendBigNumber(dst []byte, num []byte, proto int) []byte {
	if proto < 3 {
		return AppendBulk(dst, num)
	}
	dst = append(dst, '(')
	dst = append(dst, num...)
	return append(dst, '\r', '\n')
}
