package scripting

import (
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"

	"github.com/modis/modis/internal/resp"
)

// FormatNumber formats a Lua number as Lua 5.1 does (LUA_NUMBER_FMT
// "%.14g"): tostring, concatenation, messages.
func FormatNumber(f float64) string { return formatG(f, 14) }

// formatArg formats a number passed to redis.call as Redis 7.0 does
// ("%.17g").
func formatArg(f float64) string { return formatG(f, 17) }

// formatG is C's %.<prec>g (glibc spelling of infinities and NaNs).
func formatG(f float64, prec int) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', prec, 64)
}

// luaValueString is lua_tostring's view of a value for messages.
func luaValueString(v lua.LValue) string {
	switch x := v.(type) {
	case lua.LNumber:
		return FormatNumber(float64(x))
	case lua.LString:
		return string(x)
	}
	return v.String()
}

// luaToString replaces the base library's tostring to format numbers as
// Lua 5.1 does.
func luaToString(L *lua.LState) int {
	v := L.CheckAny(1)
	if n, ok := v.(lua.LNumber); ok {
		L.Push(lua.LString(FormatNumber(float64(n))))
		return 1
	}
	L.Push(L.ToStringMeta(v))
	return 1
}

// respOut accumulates a converted reply; err is set when the script's
// value is an error reply ({err=...}).
type respOut struct {
	buf     []byte
	err     string
	noStats bool
}

// luaToResp converts a script's return value to the caller's reply
// (Redis's luaReplyToRedisReply). scriptResp is the script's setresp,
// proto the caller's protocol.
func luaToResp(dst []byte, v lua.LValue, scriptResp, proto int) respOut {
	out := respOut{buf: dst}
	out.value(v, scriptResp, proto, true)
	return out
}

func (o *respOut) value(v lua.LValue, scriptResp, proto int, top bool) {
	switch x := v.(type) {
	case lua.LString:
		o.buf = resp.AppendBulkString(o.buf, string(x))
	case lua.LBool:
		if scriptResp == 2 {
			if x {
				o.buf = resp.AppendInt(o.buf, 1)
			} else {
				o.buf = resp.AppendNull(o.buf, proto)
			}
		} else {
			o.buf = resp.AppendBool(o.buf, bool(x), proto)
		}
	case lua.LNumber:
		o.buf = resp.AppendInt(o.buf, luaNumberToInt(float64(x)))
	case *lua.LTable:
		o.table(x, scriptResp, proto, top)
	default:
		o.buf = resp.AppendNull(o.buf, proto)
	}
}

// luaNumberToInt is C's (long long) cast of a Lua number.
func luaNumberToInt(f float64) int64 {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return math.MinInt64
	}
	return int64(f)
}

func (o *respOut) table(t *lua.LTable, scriptResp, proto int, top bool) {
	if e, ok := t.RawGetString("err").(lua.LString); ok {
		msg := sanitizeError(string(e))
		if top {
			o.err = msg
			o.noStats = lua.LVAsBool(t.RawGetString("ignore_error_stats_update"))
		}
		o.buf = resp.AppendError(o.buf, msg)
		return
	}
	if s, ok := t.RawGetString("ok").(lua.LString); ok {
		o.buf = resp.AppendSimple(o.buf, sanitizeError(string(s)))
		return
	}
	if d, ok := t.RawGetString("double").(lua.LNumber); ok {
		o.buf = resp.AppendDouble(o.buf, float64(d), proto)
		return
	}
	if b, ok := t.RawGetString("big_number").(lua.LString); ok {
		o.buf = resp.AppendBigNumber(o.buf, []byte(sanitizeError(string(b))), proto)
		return
	}
	if m, ok := t.RawGetString("map").(*lua.LTable); ok {
		n := 0
		forEach(m, func(_, _ lua.LValue) { n++ })
		o.buf = resp.AppendMapLen(o.buf, n, proto)
		forEach(m, func(k, v lua.LValue) {
			o.value(k, scriptResp, proto, false)
			o.value(v, scriptResp, proto, false)
		})
		return
	}
	if s, ok := t.RawGetString("set").(*lua.LTable); ok {
		n := 0
		forEach(s, func(_, _ lua.LValue) { n++ })
		o.buf = resp.AppendSetLen(o.buf, n, proto)
		forEach(s, func(k, _ lua.LValue) { o.value(k, scriptResp, proto, false) })
		return
	}
	if vs, ok := t.RawGetString("verbatim_string").(*lua.LTable); ok {
		f, ok1 := vs.RawGetString("format").(lua.LString)
		s, ok2 := vs.RawGetString("string").(lua.LString)
		if ok1 && ok2 {
			o.buf = resp.AppendVerbatim(o.buf, []byte(s), string(f), proto)
			return
		}
	}
	n := 0
	for t.RawGetInt(n+1) != lua.LNil {
		n++
	}
	o.buf = resp.AppendArrayLen(o.buf, n)
	for i := 1; i <= n; i++ {
		o.value(t.RawGetInt(i), scriptResp, proto, false)
	}
}

// respToLua converts a command's reply to the Lua value redis.call
// returns (Redis's redisProtocolToLuaType).
func respToLua(L *lua.LState, v respValue) lua.LValue {
	switch v.kind {
	case ':':
		return lua.LNumber(v.num)
	case '$':
		if v.null {
			return lua.LFalse
		}
		return lua.LString(v.str)
	case '+':
		t := L.CreateTable(0, 1)
		t.RawSetString("ok", lua.LString(v.str))
		return t
	case '-':
		t := L.CreateTable(0, 1)
		t.RawSetString("err", lua.LString(v.str))
		return t
	case '*', '>':
		if v.null {
			return lua.LFalse
		}
		t := L.CreateTable(len(v.elems), 0)
		for i, e := range v.elems {
			t.RawSetInt(i+1, respToLua(L, e))
		}
		return t
	case '%', '|':
		m := L.CreateTable(0, len(v.elems)/2)
		for i := 0; i+1 < len(v.elems); i += 2 {
			m.RawSet(respToLua(L, v.elems[i]), respToLua(L, v.elems[i+1]))
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("map", m)
		return t
	case '~':
		s := L.CreateTable(0, len(v.elems))
		for _, e := range v.elems {
			s.RawSet(respToLua(L, e), lua.LTrue)
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("set", s)
		return t
	case '_':
		return lua.LNil
	case '#':
		return lua.LBool(v.num != 0)
	case ',':
		f, _ := strconv.ParseFloat(string(v.str), 64)
		switch string(v.str) {
		case "inf":
			f = math.Inf(1)
		case "-inf":
			f = math.Inf(-1)
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("double", lua.LNumber(f))
		return t
	case '(':
		t := L.CreateTable(0, 1)
		t.RawSetString("big_number", lua.LString(v.str))
		return t
	case '=':
		vt := L.CreateTable(0, 2)
		s := v.str
		format := ""
		if len(s) >= 4 && s[3] == ':' {
			format, s = string(s[:3]), s[4:]
		}
		vt.RawSetString("string", lua.LString(s))
		vt.RawSetString("format", lua.LString(format))
		t := L.CreateTable(0, 1)
		t.RawSetString("verbatim_string", vt)
		return t
	}
	return lua.LNil
}

// forEach visits a table's pairs in the order of next (insertion order
// for hash keys in gopher-lua), unlike LTable.ForEach, whose order is a
// Go map's: replies and encodings must be deterministic.
func forEach(t *lua.LTable, cb func(k, v lua.LValue)) {
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		cb(k, v)
	}
}
