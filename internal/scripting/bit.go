package scripting

import (
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The bit library (LuaBitOp 1.0.2, as Redis bundles it): 32-bit
// operations on Lua numbers, results as signed 32-bit numbers.

// tobit converts a Lua number to 32 bits as LuaBitOp does: add 2^52+2^51
// and keep the low word, i.e. round half to even, then wrap.
func tobit(f float64) int32 {
	f += 6755399441055744.0
	return int32(uint32(math.Float64bits(f)))
}

func bitArg(L *lua.LState, i int) int32 { return tobit(checkNumber(L, i)) }

// checkNumber is luaL_checknumber with Lua 5.1's message, naming the
// running Go function.
func checkNumber(L *lua.LState, i int) float64 {
	v := L.Get(i)
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x)
	case lua.LString:
		if f, used := strtod(strings.TrimSpace(string(x))); used > 0 && used == len(strings.TrimSpace(string(x))) {
			return f
		}
	}
	got := v.Type().String()
	if i > L.GetTop() {
		got = "no value"
	}
	argError(L, i, "number expected, got "+got)
	return 0
}

// checkString is luaL_checklstring with Lua 5.1's message (numbers are
// converted).
func checkString(L *lua.LState, i int) string {
	switch x := L.Get(i).(type) {
	case lua.LString:
		return string(x)
	case lua.LNumber:
		return FormatNumber(float64(x))
	}
	got := L.Get(i).Type().String()
	if i > L.GetTop() {
		got = "no value"
	}
	argError(L, i, "string expected, got "+got)
	return ""
}

// argError is luaL_argerror: "bad argument #i to 'name' (msg)".
func argError(L *lua.LState, i int, msg string) {
	name := "?"
	if dbg, ok := L.GetStack(0); ok {
		if _, err := L.GetInfo("n", dbg, lua.LNil); err == nil && dbg.Name != "" {
			name = dbg.Name
		}
	}
	L.RaiseError("bad argument #%d to '%s' (%s)", i, name, msg)
}

func pushBit(L *lua.LState, v int32) int { L.Push(lua.LNumber(v)); return 1 }

func openBit(L *lua.LState) {
	t := L.NewTable()
	fold := func(op func(a, b int32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			v := bitArg(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				v = op(v, bitArg(L, i))
			}
			return pushBit(L, v)
		}
	}
	shift := func(op func(a int32, n uint32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			a := bitArg(L, 1)
			n := uint32(bitArg(L, 2)) & 31
			return pushBit(L, op(a, n))
		}
	}
	funcs := map[string]lua.LGFunction{
		"tobit":   func(L *lua.LState) int { return pushBit(L, bitArg(L, 1)) },
		"bnot":    func(L *lua.LState) int { return pushBit(L, ^bitArg(L, 1)) },
		"band":    fold(func(a, b int32) int32 { return a & b }),
		"bor":     fold(func(a, b int32) int32 { return a | b }),
		"bxor":    fold(func(a, b int32) int32 { return a ^ b }),
		"lshift":  shift(func(a int32, n uint32) int32 { return int32(uint32(a) << n) }),
		"rshift":  shift(func(a int32, n uint32) int32 { return int32(uint32(a) >> n) }),
		"arshift": shift(func(a int32, n uint32) int32 { return a >> n }),
		"rol": shift(func(a int32, n uint32) int32 {
			u := uint32(a)
			return int32(u<<n | u>>((32-n)&31))
		}),
		"ror": shift(func(a int32, n uint32) int32 {
			u := uint32(a)
			return int32(u>>n | u<<((32-n)&31))
		}),
		"bswap": func(L *lua.LState) int {
			u := uint32(bitArg(L, 1))
			return pushBit(L, int32(u>>24|(u>>8)&0xff00|(u&0xff00)<<8|u<<24))
		},
		"tohex": func(L *lua.LState) int {
			b := uint32(bitArg(L, 1))
			n := int32(8)
			if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
				n = bitArg(L, 2)
			}
			digits := "0123456789abcdef"
			if n < 0 {
				n = -n
				digits = "0123456789ABCDEF"
			}
			if n > 8 {
				n = 8
			}
			var buf [8]byte
			for i := int(n) - 1; i >= 0; i-- {
				buf[i] = digits[b&15]
				b >>= 4
			}
			L.Push(lua.LString(buf[:n]))
			return 1
		},
	}
	for name, fn := range funcs {
		t.RawSetString(name, L.NewFunction(fn))
	}
	L.G.Global.RawSetString("bit", t)
}
