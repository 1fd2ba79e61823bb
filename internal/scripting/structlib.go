package scripting

import (
	"encoding/binary"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The struct library (Roberto Ierusalimschy's struct 0.2, as Redis
// bundles it): pack, unpack and size of binary records, with a 64-bit
// little-endian platform's sizes (short 2, int 4, long and size_t 8).

const (
	structMaxIntSize = 32
	structMaxAlign   = 8
)

type structHeader struct {
	big   bool
	align int
}

func openStruct(L *lua.LState) {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	L.G.Global.RawSetString("struct", t)
}

// structFormat walks a format string.
type structFormat struct {
	L   *lua.LState
	fmt string
	i   int
	h   structHeader
}

func (f *structFormat) getnum(def int) int {
	if f.i >= len(f.fmt) || f.fmt[f.i] < '0' || f.fmt[f.i] > '9' {
		return def
	}
	a := 0
	for f.i < len(f.fmt) && f.fmt[f.i] >= '0' && f.fmt[f.i] <= '9' {
		d := int(f.fmt[f.i] - '0')
		if a > math.MaxInt32/10 || a*10 > math.MaxInt32-d {
			f.L.RaiseError("integral size overflow")
		}
		a = a*10 + d
		f.i++
	}
	return a
}

func (f *structFormat) optsize(opt byte) int {
	switch opt {
	case 'B', 'b', 'x':
		return 1
	case 'H', 'h':
		return 2
	case 'L', 'l', 'T', 'd':
		return 8
	case 'f':
		return 4
	case 'c':
		return f.getnum(1)
	case 'i', 'I':
		sz := f.getnum(4)
		if sz > structMaxIntSize {
			f.L.RaiseError("integral size %d is larger than limit of %d", sz, structMaxIntSize)
		}
		return sz
	}
	return 0
}

func (f *structFormat) toalign(n, size int, opt byte) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > f.h.align {
		size = f.h.align
	}
	return (size - (n & (size - 1))) & (size - 1)
}

func (f *structFormat) control(opt byte) {
	switch opt {
	case ' ':
	case '>':
		f.h.big = true
	case '<':
		f.h.big = false
	case '!':
		a := f.getnum(structMaxAlign)
		if a <= 0 || a&(a-1) != 0 {
			f.L.RaiseError("alignment %d is not a power of 2", a)
		}
		f.h.align = a
	default:
		argError(f.L, 1, "invalid format option '"+string(opt)+"'")
	}
}

func newStructFormat(L *lua.LState) *structFormat {
	return &structFormat{L: L, fmt: checkString(L, 1), h: structHeader{align: 1}}
}

func structPutInt(b []byte, f float64, big bool, size int) []byte {
	var v uint64
	if f < 0 {
		v = uint64(int64(f))
	} else {
		v = uint64(f)
	}
	buf := make([]byte, size)
	if big {
		for i := size - 1; i >= 0; i-- {
			buf[i] = byte(v)
			v >>= 8
		}
	} else {
		for i := 0; i < size; i++ {
			buf[i] = byte(v)
			v >>= 8
		}
	}
	return append(b, buf...)
}

func structPack(L *lua.LState) int {
	f := newStructFormat(L)
	L.Push(lua.LNil) // as struct.c's argument mark: missing arguments read as nil
	arg := 2
	var b []byte
	for f.i < len(f.fmt) {
		opt := f.fmt[f.i]
		f.i++
		size := f.optsize(opt)
		pad := f.toalign(len(b), size, opt)
		b = append(b, make([]byte, pad)...)
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			b = structPutInt(b, checkNumber(L, arg), f.h.big, size)
			arg++
		case 'x':
			b = append(b, 0)
		case 'f':
			bits := math.Float32bits(float32(checkNumber(L, arg)))
			arg++
			if f.h.big {
				b = binary.BigEndian.AppendUint32(b, bits)
			} else {
				b = binary.LittleEndian.AppendUint32(b, bits)
			}
		case 'd':
			bits := math.Float64bits(checkNumber(L, arg))
			arg++
			if f.h.big {
				b = binary.BigEndian.AppendUint64(b, bits)
			} else {
				b = binary.LittleEndian.AppendUint64(b, bits)
			}
		case 'c', 's':
			s := checkString(L, arg)
			arg++
			if size == 0 {
				size = len(s)
			}
			if len(s) < size {
				argError(L, arg, "string too short")
			}
			b = append(b, s[:size]...)
			if opt == 's' {
				b = append(b, 0)
			}
		default:
			f.control(opt)
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func structGetInt(p []byte, big, signed bool, size int) float64 {
	var l uint64
	if big {
		for i := 0; i < size; i++ {
			l = l<<8 | uint64(p[i])
		}
	} else {
		for i := size - 1; i >= 0; i-- {
			l = l<<8 | uint64(p[i])
		}
	}
	if !signed {
		return float64(l)
	}
	if size*8-1 < 64 {
		mask := ^uint64(0) << (size*8 - 1)
		if l&mask != 0 {
			l |= mask
		}
	}
	return float64(int64(l))
}

func structUnpack(L *lua.LState) int {
	f := newStructFormat(L)
	data := checkString(L, 2)
	pos := 0
	if L.Get(3) != lua.LNil {
		pos = int(checkNumber(L, 3)) - 1
	}
	var out []lua.LValue
	for f.i < len(f.fmt) {
		opt := f.fmt[f.i]
		f.i++
		size := f.optsize(opt)
		pos += f.toalign(pos, size, opt)
		if pos < 0 || pos+size > len(data) {
			argError(L, 2, "data string too short")
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			signed := opt >= 'a' && opt <= 'z'
			out = append(out, lua.LNumber(structGetInt([]byte(data[pos:pos+size]), f.h.big, signed, size)))
		case 'x':
		case 'f':
			var bits uint32
			if f.h.big {
				bits = binary.BigEndian.Uint32([]byte(data[pos:]))
			} else {
				bits = binary.LittleEndian.Uint32([]byte(data[pos:]))
			}
			out = append(out, lua.LNumber(math.Float32frombits(bits)))
		case 'd':
			var bits uint64
			if f.h.big {
				bits = binary.BigEndian.Uint64([]byte(data[pos:]))
			} else {
				bits = binary.LittleEndian.Uint64([]byte(data[pos:]))
			}
			out = append(out, lua.LNumber(math.Float64frombits(bits)))
		case 'c':
			if size == 0 {
				var prev lua.LValue = lua.LNil
				if len(out) > 0 {
					prev = out[len(out)-1]
				}
				n, ok := prev.(lua.LNumber)
				if !ok {
					L.RaiseError("format 'c0' needs a previous size")
				}
				size = int(n)
				out = out[:len(out)-1]
				if size < 0 || size > len(data) || pos > len(data)-size {
					argError(L, 2, "data string too short")
				}
			}
			out = append(out, lua.LString(data[pos:pos+size]))
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				L.RaiseError("unfinished string in data")
			}
			size = e + 1
			out = append(out, lua.LString(data[pos:pos+e]))
		default:
			f.control(opt)
		}
		pos += size
	}
	for _, v := range out {
		L.Push(v)
	}
	L.Push(lua.LNumber(pos + 1))
	return len(out) + 1
}

func structSize(L *lua.LState) int {
	f := newStructFormat(L)
	pos := 0
	for f.i < len(f.fmt) {
		opt := f.fmt[f.i]
		f.i++
		size := f.optsize(opt)
		pos += f.toalign(pos, size, opt)
		if opt == 's' {
			argError(L, 1, "option 's' has no fixed size")
		} else if opt == 'c' && size == 0 {
			argError(L, 1, "option 'c0' has no fixed size")
		}
		if !(opt >= 'a' && opt <= 'z' || opt >= 'A' && opt <= 'Z' || opt >= '0' && opt <= '9') {
			f.control(opt)
		}
		pos += size
	}
	L.Push(lua.LNumber(pos))
	return 1
}
