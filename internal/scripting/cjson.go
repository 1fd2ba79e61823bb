package scripting

import (
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// The cjson library (lua-cjson 2.1.0 with Redis's defaults): encode and
// decode with its escaping, array detection, number format and error
// texts.

const (
	cjsonMaxDepth     = 1000
	cjsonSparseRatio  = 2
	cjsonSparseSafe   = 10
	cjsonEncPrecision = 14
)

// cjsonNull is cjson.null (a light userdata NULL in C).
var cjsonNull = &lua.LUserData{}

func openCJSON(L *lua.LState) {
	t := L.NewTable()
	t.RawSetString("encode", L.NewFunction(cjsonEncode))
	t.RawSetString("decode", L.NewFunction(cjsonDecode))
	t.RawSetString("null", cjsonNull)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	// Configuration functions: Redis scripts may call them; the settings
	// stay at their defaults here and the calls report them.
	cfg := map[string][]lua.LValue{
		"encode_sparse_array":     {lua.LFalse, lua.LNumber(cjsonSparseRatio), lua.LNumber(cjsonSparseSafe)},
		"encode_max_depth":        {lua.LNumber(cjsonMaxDepth)},
		"decode_max_depth":        {lua.LNumber(cjsonMaxDepth)},
		"encode_number_precision": {lua.LNumber(cjsonEncPrecision)},
		"encode_keep_buffer":      {lua.LTrue},
		"encode_invalid_numbers":  {lua.LFalse},
		"decode_invalid_numbers":  {lua.LTrue},
	}
	for name, vals := range cfg {
		vals := vals
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			for _, v := range vals {
				L.Push(v)
			}
			return len(vals)
		}))
	}
	L.G.Global.RawSetString("cjson", t)
}

func cjsonEncode(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.RaiseError("bad argument #1 to 'encode' (expected 1 argument)")
	}
	var b strings.Builder
	cjsonEncodeValue(L, &b, L.Get(1), 0)
	L.Push(lua.LString(b.String()))
	return 1
}

func cjsonEncodeValue(L *lua.LState, b *strings.Builder, v lua.LValue, depth int) {
	switch x := v.(type) {
	case lua.LString:
		cjsonEncodeString(b, string(x))
	case lua.LNumber:
		f := float64(x)
		if f != f || f-f != 0 {
			L.RaiseError("Cannot serialise number: must not be NaN or Inf")
		}
		b.WriteString(formatG(f, cjsonEncPrecision))
	case lua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *lua.LNilType:
		b.WriteString("null")
	case *lua.LTable:
		depth++
		if depth > cjsonMaxDepth {
			L.RaiseError("Cannot serialise, excessive nesting (%d)", depth)
		}
		n := cjsonArrayLength(L, x)
		if n > 0 {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				cjsonEncodeValue(L, b, x.RawGetInt(i), depth)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		forEach(x, func(k, val lua.LValue) {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch kk := k.(type) {
			case lua.LString:
				cjsonEncodeString(b, string(kk))
			case lua.LNumber:
				b.WriteByte('"')
				b.WriteString(formatG(float64(kk), cjsonEncPrecision))
				b.WriteByte('"')
			default:
				L.RaiseError("Cannot serialise %s: table key must be a number or string", k.Type().String())
			}
			b.WriteByte(':')
			cjsonEncodeValue(L, b, val, depth)
		})
		b.WriteByte('}')
	case *lua.LUserData:
		if x == cjsonNull {
			b.WriteString("null")
			return
		}
		L.RaiseError("Cannot serialise userdata: type not supported")
	default:
		L.RaiseError("Cannot serialise %s: type not supported", v.Type().String())
	}
}

// cjsonArrayLength is lua_array_length: the array size when every key is
// a positive integer (0 for an empty table: encoded as an object), -1
// otherwise; excessively sparse arrays are an error.
func cjsonArrayLength(L *lua.LState, t *lua.LTable) int {
	max, items := 0, 0
	isArray := true
	forEach(t, func(k, _ lua.LValue) {
		if !isArray {
			return
		}
		n, ok := k.(lua.LNumber)
		if !ok || float64(n) < 1 || float64(n) != float64(int(n)) {
			isArray = false
			return
		}
		if int(n) > max {
			max = int(n)
		}
		items++
	})
	if !isArray {
		return -1
	}
	if max > items*cjsonSparseRatio && max > cjsonSparseSafe {
		L.RaiseError("Cannot serialise table: excessively sparse array")
	}
	return max
}

func cjsonEncodeString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// JSON decoding.

type jsonTok int

const (
	tObjBegin jsonTok = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tWhitespace
	tError
	tUnknown
)

var jsonTokNames = [...]string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"}

type jsonToken struct {
	typ   jsonTok
	index int
	str   string
	num   float64
	b     bool
	err   string
}

type jsonDecoder struct {
	L     *lua.LState
	s     string
	pos   int
	depth int
}

func cjsonDecode(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.RaiseError("bad argument #1 to 'decode' (expected 1 argument)")
	}
	s := checkString(L, 1)
	d := &jsonDecoder{L: L, s: s}
	tok := d.next()
	v := d.value(tok)
	tok = d.next()
	if tok.typ != tEnd {
		d.fail("the end", tok)
	}
	L.Push(v)
	return 1
}

func (d *jsonDecoder) fail(exp string, tok jsonToken) {
	found := jsonTokNames[tok.typ]
	if tok.typ == tError {
		found = tok.err
	}
	d.L.RaiseError("Expected %s but found %s at character %d", exp, found, tok.index+1)
}

func (d *jsonDecoder) next() jsonToken {
	s := d.s
	for d.pos < len(s) && (s[d.pos] == ' ' || s[d.pos] == '\t' || s[d.pos] == '\n' || s[d.pos] == '\r') {
		d.pos++
	}
	tok := jsonToken{index: d.pos}
	if d.pos >= len(s) {
		tok.typ = tEnd
		return tok
	}
	c := s[d.pos]
	switch c {
	case '{':
		tok.typ = tObjBegin
	case '}':
		tok.typ = tObjEnd
	case '[':
		tok.typ = tArrBegin
	case ']':
		tok.typ = tArrEnd
	case ':':
		tok.typ = tColon
	case ',':
		tok.typ = tComma
	case '"':
		return d.stringToken(tok)
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			n, used := strtod(s[d.pos:])
			if used == 0 {
				tok.typ, tok.err = tError, "invalid number"
				return tok
			}
			d.pos += used
			tok.typ, tok.num = tNumber, n
			return tok
		}
		for _, lit := range []struct {
			word string
			typ  jsonTok
			b    bool
		}{{"true", tBoolean, true}, {"false", tBoolean, false}, {"null", tNull, false}} {
			if strings.HasPrefix(s[d.pos:], lit.word) {
				d.pos += len(lit.word)
				tok.typ, tok.b = lit.typ, lit.b
				return tok
			}
		}
		tok.typ, tok.err = tError, "invalid token"
		return tok
	}
	d.pos++
	return tok
}

func (d *jsonDecoder) stringToken(tok jsonToken) jsonToken {
	s := d.s
	i := d.pos + 1
	var b []byte
	for {
		if i >= len(s) {
			tok.index = i
			tok.typ, tok.err = tError, "unexpected end of string"
			return tok
		}
		c := s[i]
		if c == '"' {
			break
		}
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			tok.index = i + 1
			tok.typ, tok.err = tError, "unexpected end of string"
			return tok
		}
		switch s[i+1] {
		case '"', '\\', '/':
			b = append(b, s[i+1])
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, used := decodeUnicodeEscape(s[i:])
			if used == 0 {
				tok.index = i
				tok.typ, tok.err = tError, "invalid unicode escape code"
				return tok
			}
			b = utf8.AppendRune(b, r)
			i += used
			continue
		default:
			tok.index = i
			tok.typ, tok.err = tError, "invalid escape code"
			return tok
		}
		i += 2
	}
	d.pos = i + 1
	tok.typ, tok.str = tString, string(b)
	return tok
}

// decodeUnicodeEscape reads \uXXXX (and a following low surrogate).
func decodeUnicodeEscape(s string) (rune, int) {
	hex4 := func(s string) (rune, bool) {
		if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(s[2:6], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex4(s)
	if !ok {
		return 0, 0
	}
	if r >= 0xDC00 && r <= 0xDFFF {
		return 0, 0
	}
	if r >= 0xD800 && r <= 0xDBFF {
		lo, ok := hex4(s[6:])
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0
		}
		return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
	}
	return r, 6
}

func (d *jsonDecoder) value(tok jsonToken) lua.LValue {
	L := d.L
	switch tok.typ {
	case tString:
		return lua.LString(tok.str)
	case tNumber:
		return lua.LNumber(tok.num)
	case tBoolean:
		return lua.LBool(tok.b)
	case tNull:
		return cjsonNull
	case tObjBegin, tArrBegin:
		d.depth++
		if d.depth > cjsonMaxDepth {
			L.RaiseError("Found too many nested data structures (%d) at character %d", d.depth, tok.index+1)
		}
		defer func() { d.depth-- }()
		t := L.NewTable()
		if tok.typ == tArrBegin {
			next := d.next()
			if next.typ == tArrEnd {
				return t
			}
			for i := 1; ; i++ {
				t.RawSetInt(i, d.value(next))
				next = d.next()
				if next.typ == tArrEnd {
					return t
				}
				if next.typ != tComma {
					d.fail("comma or array end", next)
				}
				next = d.next()
			}
		}
		next := d.next()
		if next.typ == tObjEnd {
			return t
		}
		for {
			if next.typ != tString {
				d.fail("object key string", next)
			}
			key := next.str
			next = d.next()
			if next.typ != tColon {
				d.fail("colon", next)
			}
			t.RawSetString(key, d.value(d.next()))
			next = d.next()
			if next.typ == tObjEnd {
				return t
			}
			if next.typ != tComma {
				d.fail("comma or object end", next)
			}
			next = d.next()
		}
	}
	d.fail("value", tok)
	return lua.LNil
}

// strtod parses the longest prefix of s that C's strtod accepts (decimal,
// hexadecimal, inf, nan) and returns the value and the bytes used.
func strtod(s string) (float64, int) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	low := strings.ToLower(s[i:])
	for _, w := range []string{"infinity", "inf", "nan"} {
		if strings.HasPrefix(low, w) {
			f, _ := strconv.ParseFloat(s[:i+len(w)], 64)
			return f, i + len(w)
		}
	}
	if strings.HasPrefix(low, "0x") {
		j := i + 2
		for j < len(s) && isHexDigit(s[j]) {
			j++
		}
		if j == i+2 {
			return 0, i + 1 // just the "0"
		}
		u, _ := strconv.ParseUint(s[i+2:j], 16, 64)
		f := float64(u)
		if s[0] == '-' {
			f = -f
		}
		return f, j
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits := i - start
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, i
		}
	}
	return f, i
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
