package scripting

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// The cmsgpack library (lua-cmsgpack 0.4.0 as Redis bundles it):
// pack/unpack/unpack_one/unpack_limit with its choice of encodings.

const msgpackMaxNesting = 16

func openMsgpack(L *lua.LState) {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(msgpackPack))
	t.RawSetString("unpack", L.NewFunction(func(L *lua.LState) int { return msgpackUnpack(L, 0, 0) }))
	t.RawSetString("unpack_one", L.NewFunction(func(L *lua.LState) int {
		off := optInt(L, 2, 0)
		return msgpackUnpack(L, 1, off)
	}))
	t.RawSetString("unpack_limit", L.NewFunction(func(L *lua.LState) int {
		limit := int(checkNumber(L, 2))
		off := optInt(L, 3, 0)
		return msgpackUnpack(L, limit, off)
	}))
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	t.RawSetString("_COPYRIGHT", lua.LString("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.RawSetString("_DESCRIPTION", lua.LString("MessagePack C implementation for Lua"))
	L.G.Global.RawSetString("cmsgpack", t)
}

func optInt(L *lua.LState, i, def int) int {
	if L.Get(i) == lua.LNil {
		return def
	}
	return int(checkNumber(L, i))
}

func msgpackPack(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		argError(L, 0, "MessagePack pack needs input.")
	}
	var b []byte
	for i := 1; i <= n; i++ {
		b = msgpackEncode(b, L.Get(i), 0)
	}
	L.Push(lua.LString(b))
	return 1
}

func msgpackEncode(b []byte, v lua.LValue, level int) []byte {
	switch x := v.(type) {
	case lua.LString:
		return msgpackBytes(b, string(x))
	case lua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case lua.LNumber:
		f := float64(x)
		if !math.IsInf(f, 0) && f == math.Trunc(f) && f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
			return msgpackInt(b, int64(f))
		}
		if f32 := float32(f); float64(f32) == f {
			b = append(b, 0xca)
			return binary.BigEndian.AppendUint32(b, math.Float32bits(f32))
		}
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
	case *lua.LTable:
		if level == msgpackMaxNesting {
			return append(b, 0xc0)
		}
		if msgpackIsArray(x) {
			n := x.Len()
			b = msgpackHeader(b, n, 0x90, 0xdc, 0xdd)
			for i := 1; i <= n; i++ {
				b = msgpackEncode(b, x.RawGetInt(i), level+1)
			}
			return b
		}
		n := 0
		forEach(x, func(_, _ lua.LValue) { n++ })
		b = msgpackHeader(b, n, 0x80, 0xde, 0xdf)
		forEach(x, func(k, val lua.LValue) {
			b = msgpackEncode(b, k, level+1)
			b = msgpackEncode(b, val, level+1)
		})
		return b
	}
	return append(b, 0xc0)
}

// msgpackIsArray: every key a positive integer and as many keys as the
// largest one.
func msgpackIsArray(t *lua.LTable) bool {
	count, max := 0, 0
	ok := true
	forEach(t, func(k, _ lua.LValue) {
		n, isNum := k.(lua.LNumber)
		if !ok || !isNum || float64(n) != math.Trunc(float64(n)) || n < 1 {
			ok = false
			return
		}
		count++
		if int(n) > max {
			max = int(n)
		}
	})
	return ok && max == count
}

func msgpackHeader(b []byte, n int, fix, b16, b32 byte) []byte {
	switch {
	case n < 16:
		return append(b, fix|byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, b16), uint16(n))
	}
	return binary.BigEndian.AppendUint32(append(b, b32), uint32(n))
}

func msgpackBytes(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n <= 0xff:
		b = append(b, 0xd9, byte(n))
	case n <= 0xffff:
		b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
	default:
		b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
	}
	return append(b, s...)
}

func msgpackInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
	}
	switch {
	case n >= -32:
		return append(b, byte(int8(n)))
	case n >= -128:
		return append(b, 0xd0, byte(int8(n)))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(int16(n)))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(int32(n)))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

// msgpack decoding errors.
const (
	mpErrEOF    = 1
	mpErrBadFmt = 2
)

type mpCursor struct {
	s   []byte
	pos int
	err int
}

func (c *mpCursor) need(n int) bool {
	if len(c.s)-c.pos < n {
		c.err = mpErrEOF
		return false
	}
	return true
}

func msgpackUnpack(L *lua.LState, limit, offset int) int {
	s := []byte(checkString(L, 1))
	decodeAll := limit == 0 && offset == 0
	if offset < 0 || limit < 0 {
		L.RaiseError("Invalid request to unpack with offset of %d and limit of %d.", offset, len(s))
	} else if offset > len(s) {
		L.RaiseError("Start offset %d greater than input length %d.", offset, len(s))
	}
	if decodeAll {
		limit = math.MaxInt
	}
	c := &mpCursor{s: s, pos: offset}
	var out []lua.LValue
	for c.pos < len(s) && len(out) < limit {
		v := msgpackDecode(L, c)
		switch c.err {
		case mpErrEOF:
			L.RaiseError("Missing bytes in input.")
		case mpErrBadFmt:
			L.RaiseError("Bad data format in input.")
		}
		out = append(out, v)
	}
	if !decodeAll {
		next := c.pos
		if c.pos >= len(s) {
			next = -1
		}
		L.Push(lua.LNumber(next))
	}
	for _, v := range out {
		L.Push(v)
	}
	if !decodeAll {
		return len(out) + 1
	}
	return len(out)
}

func msgpackDecode(L *lua.LState, c *mpCursor) lua.LValue {
	if !c.need(1) {
		return lua.LNil
	}
	t := c.s[c.pos]
	u := func(n int) uint64 {
		if !c.need(1 + n) {
			return 0
		}
		p := c.s[c.pos+1 : c.pos+1+n]
		c.pos += 1 + n
		switch n {
		case 1:
			return uint64(p[0])
		case 2:
			return uint64(binary.BigEndian.Uint16(p))
		case 4:
			return uint64(binary.BigEndian.Uint32(p))
		}
		return binary.BigEndian.Uint64(p)
	}
	str := func(hdr, n int) lua.LValue {
		if !c.need(hdr + n) {
			return lua.LNil
		}
		v := lua.LString(c.s[c.pos+hdr : c.pos+hdr+n])
		c.pos += hdr + n
		return v
	}
	lenOf := func(n int) (int, bool) {
		if !c.need(1 + n) {
			return 0, false
		}
		v := u(n)
		return int(v), true
	}
	switch {
	case t <= 0x7f:
		c.pos++
		return lua.LNumber(t)
	case t >= 0xe0:
		c.pos++
		return lua.LNumber(int8(t))
	case t >= 0xa0 && t <= 0xbf:
		return str(1, int(t&0x1f))
	case t >= 0x90 && t <= 0x9f:
		c.pos++
		return msgpackArray(L, c, int(t&0x0f))
	case t >= 0x80 && t <= 0x8f:
		c.pos++
		return msgpackMap(L, c, int(t&0x0f))
	}
	switch t {
	case 0xc0:
		c.pos++
		return lua.LNil
	case 0xc2:
		c.pos++
		return lua.LFalse
	case 0xc3:
		c.pos++
		return lua.LTrue
	case 0xcc:
		return lua.LNumber(u(1))
	case 0xcd:
		return lua.LNumber(u(2))
	case 0xce:
		return lua.LNumber(u(4))
	case 0xcf:
		return lua.LNumber(float64(u(8)))
	case 0xd0:
		return lua.LNumber(int8(u(1)))
	case 0xd1:
		return lua.LNumber(int16(u(2)))
	case 0xd2:
		return lua.LNumber(int32(u(4)))
	case 0xd3:
		return lua.LNumber(float64(int64(u(8))))
	case 0xca:
		return lua.LNumber(math.Float32frombits(uint32(u(4))))
	case 0xcb:
		return lua.LNumber(math.Float64frombits(u(8)))
	case 0xd9:
		if !c.need(2) {
			return lua.LNil
		}
		return str(2, int(c.s[c.pos+1]))
	case 0xda:
		if !c.need(3) {
			return lua.LNil
		}
		return str(3, int(binary.BigEndian.Uint16(c.s[c.pos+1:])))
	case 0xdb:
		if !c.need(5) {
			return lua.LNil
		}
		return str(5, int(binary.BigEndian.Uint32(c.s[c.pos+1:])))
	case 0xdc, 0xdd:
		w := 2
		if t == 0xdd {
			w = 4
		}
		n, ok := lenOf(w)
		if !ok {
			return lua.LNil
		}
		return msgpackArray(L, c, n)
	case 0xde, 0xdf:
		w := 2
		if t == 0xdf {
			w = 4
		}
		n, ok := lenOf(w)
		if !ok {
			return lua.LNil
		}
		return msgpackMap(L, c, n)
	}
	c.err = mpErrBadFmt
	return lua.LNil
}

func msgpackArray(L *lua.LState, c *mpCursor, n int) lua.LValue {
	t := L.NewTable()
	for i := 1; i <= n; i++ {
		v := msgpackDecode(L, c)
		if c.err != 0 {
			return lua.LNil
		}
		t.RawSetInt(i, v)
	}
	return t
}

func msgpackMap(L *lua.LState, c *mpCursor, n int) lua.LValue {
	t := L.NewTable()
	for i := 0; i < n; i++ {
		k := msgpackDecode(L, c)
		if c.err != 0 {
			return lua.LNil
		}
		v := msgpackDecode(L, c)
		if c.err != 0 {
			return lua.LNil
		}
		if k != lua.LNil {
			t.RawSet(k, v)
		}
	}
	return t
}
