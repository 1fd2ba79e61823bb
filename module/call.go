package module

import (
	"strconv"

	engine "github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/types/str"
)

// Reply types (REDISMODULE_REPLY_*).
const (
	ReplyUnknown        = engine.ReplyUnknown
	ReplyString         = engine.ReplyString
	ReplyError          = engine.ReplyError
	ReplyInteger        = engine.ReplyInteger
	ReplyArray          = engine.ReplyArray
	ReplyNull           = engine.ReplyNull
	ReplyMap            = engine.ReplyMap
	ReplySet            = engine.ReplySet
	ReplyBool           = engine.ReplyBool
	ReplyDouble         = engine.ReplyDouble
	ReplyBigNumber      = engine.ReplyBigNumber
	ReplyVerbatimString = engine.ReplyVerbatimString
	ReplyAttribute      = engine.ReplyAttribute
)

// CallReply is RedisModuleCallReply.
type CallReply struct{ r *engine.CallReply }

func wrapReply(r *engine.CallReply) *CallReply {
	if r == nil {
		return nil
	}
	// Freed replies are reused by the engine, and so is their wrapper.
	if w, ok := r.Ext.(*CallReply); ok {
		w.r = r
		return w
	}
	w := &CallReply{r: r}
	r.Ext = w
	return w
}

// Call is RedisModule_Call with Redis's format: c (string), s and b
// ([]byte), l (int64 or int), v ([][]byte), and the flag characters !
// (replicate), A, R, 3 (RESP3), 0 (caller's protocol), C, S, W, M, E.
// Errors of the command itself come back as a ReplyError reply; err is a
// *CallError when the command could not run at all.
func (ctx *Ctx) Call(cmd string, format string, args ...any) (*CallReply, error) {
	argv, opts, ok := ctx.callArgs(format, args)
	if !ok {
		return nil, &CallError{Errno: engine.EBADF}
	}
	r, errno := ctx.c.Call(cmd, argv, opts)
	if errno != 0 {
		return wrapReply(r), &CallError{Errno: errno}
	}
	return wrapReply(r), nil
}

// callArgs formats Call's arguments into buffers the context reuses (the
// engine copies what it keeps); opts are the flag characters. ok is false
// for an unknown specifier or an argument of the wrong type.
func (ctx *Ctx) callArgs(format string, args []any) (argv [][]byte, opts string, ok bool) {
	// Copy every argument into one buffer first, then cut it: appending
	// may move the buffer, so slices are taken at the end.
	buf := ctx.callBuf[:0]
	ends := ctx.callEnds[:0]
	ai := 0
	optStart := -1
	for i := 0; i < len(format); i++ {
		ch := format[i]
		if ch == '!' || ch == 'A' || ch == 'R' || ch == '3' || ch == '0' || ch == 'C' || ch == 'S' || ch == 'W' || ch == 'M' || ch == 'E' {
			if optStart < 0 {
				optStart = i
			}
			continue
		}
		if ai >= len(args) {
			return nil, "", false
		}
		a := args[ai]
		ai++
		switch ch {
		case 'c':
			v, isStr := a.(string)
			if !isStr {
				return nil, "", false
			}
			buf = append(buf, v...)
		case 's', 'b':
			v, isBytes := a.([]byte)
			if !isBytes {
				return nil, "", false
			}
			buf = append(buf, v...)
		case 'l':
			switch v := a.(type) {
			case int64:
				buf = strconv.AppendInt(buf, v, 10)
			case int:
				buf = strconv.AppendInt(buf, int64(v), 10)
			default:
				return nil, "", false
			}
		case 'v':
			vs, isList := a.([][]byte)
			if !isList {
				return nil, "", false
			}
			for j, v := range vs {
				buf = append(buf, v...)
				if j < len(vs)-1 {
					ends = append(ends, len(buf))
				}
			}
			if len(vs) == 0 {
				continue
			}
		default:
			return nil, "", false
		}
		ends = append(ends, len(buf))
	}
	argv = ctx.callArgv[:0]
	start := 0
	for _, end := range ends {
		argv = append(argv, buf[start:end:end])
		start = end
	}
	ctx.callBuf, ctx.callEnds, ctx.callArgv = buf, ends, argv
	if optStart >= 0 {
		var ob []byte
		for i := optStart; i < len(format); i++ {
			switch format[i] {
			case '!', 'A', 'R', '3', '0', 'C', 'S', 'W', 'M', 'E':
				ob = append(ob, format[i])
			}
		}
		opts = string(ob)
	}
	return argv, opts, true
}

// Free is RedisModule_FreeCallReply (optional in Go: an unfreed reply is
// garbage collected). After Free neither the reply nor byte slices taken
// from it may be used: the engine reuses both for later calls, which is
// what freeing saves.
func (r *CallReply) Free(ctx *Ctx) {
	if r != nil {
		ctx.c.FreeCallReply(r.r)
	}
}

func (r *CallReply) raw() *engine.CallReply {
	if r == nil {
		return nil
	}
	return r.r
}

// Type is RedisModule_CallReplyType.
func (r *CallReply) Type() int { return engine.CallReplyType(r.raw()) }

// Len is RedisModule_CallReplyLength.
func (r *CallReply) Len() int { return engine.CallReplyLength(r.raw()) }

// Integer is RedisModule_CallReplyInteger.
func (r *CallReply) Integer() int64 { return engine.CallReplyInteger(r.raw()) }

// Double is RedisModule_CallReplyDouble.
func (r *CallReply) Double() float64 { return engine.CallReplyDouble(r.raw()) }

// Bool is RedisModule_CallReplyBool.
func (r *CallReply) Bool() bool { return engine.CallReplyBool(r.raw()) }

// Bytes is RedisModule_CallReplyStringPtr (strings and errors).
func (r *CallReply) Bytes() []byte { return engine.CallReplyStringPtr(r.raw()) }

// StringValue is RedisModule_CreateStringFromCallReply: the text of a
// string, error or integer reply, nil for other types.
func (r *CallReply) StringValue() []byte {
	var ctx *engine.Ctx
	if s := ctx.CreateStringFromCallReply(r.raw()); s != nil {
		return s.Bytes()
	}
	return nil
}

// BigNumber is RedisModule_CallReplyBigNumber.
func (r *CallReply) BigNumber() []byte { return engine.CallReplyBigNumber(r.raw()) }

// Verbatim is RedisModule_CallReplyVerbatim.
func (r *CallReply) Verbatim() ([]byte, string) { return engine.CallReplyVerbatim(r.raw()) }

// Element is RedisModule_CallReplyArrayElement.
func (r *CallReply) Element(i int) *CallReply {
	return wrapReply(engine.CallReplyArrayElement(r.raw(), i))
}

// SetElement is RedisModule_CallReplySetElement.
func (r *CallReply) SetElement(i int) *CallReply {
	return wrapReply(engine.CallReplySetElement(r.raw(), i))
}

// MapElement is RedisModule_CallReplyMapElement.
func (r *CallReply) MapElement(i int) (key, val *CallReply) {
	k, v, _ := engine.CallReplyMapElement(r.raw(), i)
	return wrapReply(k), wrapReply(v)
}

// Attribute is RedisModule_CallReplyAttribute.
func (r *CallReply) Attribute() *CallReply { return wrapReply(engine.CallReplyAttribute(r.raw())) }

// Proto is RedisModule_CallReplyProto.
func (r *CallReply) Proto() []byte { return r.raw().Proto() }

// Replicate is RedisModule_Replicate: propagate cmd to AOF and replicas
// after the current command (format as Call; only A and R matter).
func (ctx *Ctx) Replicate(cmd string, format string, args ...any) error {
	conv := make([]any, len(args))
	for i, a := range args {
		if b, ok := a.([]byte); ok {
			conv[i] = engine.NewString(b)
		} else {
			conv[i] = a
		}
	}
	f := []byte(format)
	for i, ch := range f {
		if ch == 'b' {
			f[i] = 's'
		}
	}
	argv, opts, ok := engine.FormatArgs(string(f), conv...)
	if !ok {
		return ErrFailed
	}
	return status(ctx.c.Replicate(cmd, argv, opts))
}

// ReplicateVerbatim is RedisModule_ReplicateVerbatim.
func (ctx *Ctx) ReplicateVerbatim() error { return status(ctx.c.ReplicateVerbatim()) }

// StringToLongLong is RedisModule_StringToLongLong (Redis's strict
// integer syntax).
func StringToLongLong(b []byte) (int64, error) {
	v, ret := engine.StringToLongLong(engine.NewString(b))
	return v, status(ret)
}

// StringToULongLong is RedisModule_StringToULongLong.
func StringToULongLong(b []byte) (uint64, error) {
	v, ret := engine.StringToULongLong(engine.NewString(b))
	return v, status(ret)
}

// StringToDouble is RedisModule_StringToDouble.
func StringToDouble(b []byte) (float64, error) {
	v, ret := engine.StringToDouble(engine.NewString(b))
	return v, status(ret)
}

// LongDouble is C's long double (x87 80-bit), emulated: what
// StringToLongDouble parses and ReplyWithLongDouble prints, at Redis's
// precision.
type LongDouble = str.LongDouble

// LongDoubleFromFloat64 converts a float64 exactly.
func LongDoubleFromFloat64(f float64) LongDouble { return str.LongDoubleFromFloat64(f) }

// StringToLongDouble is RedisModule_StringToLongDouble.
func StringToLongDouble(b []byte) (LongDouble, error) {
	v, ret := engine.StringToLongDouble(engine.NewString(b))
	return v, status(ret)
}

// FormatDouble formats d as RedisModule_CreateStringFromDouble does.
func FormatDouble(d float64) []byte { return engine.AppendD2String(nil, d) }

// FormatLongDouble formats d as RedisModule_CreateStringFromLongDouble
// does in human-friendly mode.
func FormatLongDouble(ld LongDouble) []byte {
	var ctx *engine.Ctx
	return ctx.CreateStringFromLongDouble(ld, true).Bytes()
}
