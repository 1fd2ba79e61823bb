//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"github.com/modis/modis/internal/module"
)

//export goRM_ReplySimple
func goRM_ReplySimple(ctx *C.RedisModuleCtx, what C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	switch what {
	case 0:
		return C.int(g.WrongArity())
	case 1:
		return C.int(g.ReplyWithNull())
	case 2:
		return C.int(g.ReplyWithNullArray())
	case 3:
		return C.int(g.ReplyWithEmptyArray())
	case 4:
		return C.int(g.ReplyWithEmptyString())
	}
	return module.ERR
}

//export goRM_ReplyWithLongLong
func goRM_ReplyWithLongLong(ctx *C.RedisModuleCtx, v C.longlong) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.ReplyWithLongLong(int64(v)))
}

//export goRM_ReplyWithBool
func goRM_ReplyWithBool(ctx *C.RedisModuleCtx, v C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.ReplyWithBool(v != 0))
}

//export goRM_ReplyWithDouble
func goRM_ReplyWithDouble(ctx *C.RedisModuleCtx, v C.double) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.ReplyWithDouble(float64(v)))
}

// goRM_ReplyText: kind 0 error, 1 simple string, 2 bulk, 3 verbatim
// (ext is its type), 4 big number. The bytes are borrowed for the call.
//
//export goRM_ReplyText
func goRM_ReplyText(ctx *C.RedisModuleCtx, kind C.int, p *C.char, n C.size_t, ext *C.char) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	b := cBytes(p, n)
	switch kind {
	case 0:
		return C.int(g.ReplyWithError(string(b)))
	case 1:
		return C.int(g.ReplyWithSimpleString(string(b)))
	case 2:
		return C.int(g.ReplyWithStringBuffer(b))
	case 3:
		return C.int(g.ReplyWithVerbatimStringType(b, C.GoString(ext)))
	case 4:
		return C.int(g.ReplyWithBigNumber(b))
	}
	return module.ERR
}

//export goRM_ReplyAggregate
func goRM_ReplyAggregate(ctx *C.RedisModuleCtx, kind C.int, n C.long) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	switch kind {
	case 0:
		return C.int(g.ReplyWithArray(int64(n)))
	case 1:
		return C.int(g.ReplyWithMap(int64(n)))
	case 2:
		return C.int(g.ReplyWithSet(int64(n)))
	case 3:
		return C.int(g.ReplyWithAttribute(int64(n)))
	}
	return module.ERR
}

//export goRM_ReplySetLength
func goRM_ReplySetLength(ctx *C.RedisModuleCtx, kind C.int, n C.long) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	g := stateOf(ctx).ctx
	switch kind {
	case 0:
		g.ReplySetArrayLength(int64(n))
	case 1:
		g.ReplySetMapLength(int64(n))
	case 2:
		g.ReplySetSetLength(int64(n))
	case 3:
		g.ReplySetAttributeLength(int64(n))
	}
}

//export goRM_ReplyWithCallReply
func goRM_ReplyWithCallReply(ctx *C.RedisModuleCtx, r *C.RedisModuleCallReply) (ret C.int) {
	defer func() {
		if rec := recover(); rec != nil {
			recovered(rec)
			ret = module.ERR
		}
	}()
	if r == nil {
		return module.ERR
	}
	return C.int(stateOf(ctx).ctx.ReplyWithCallReply(replyOf(r.h)))
}

// goRM_ReplyRaw appends replies the C side encoded (api_reply.c).
//
//export goRM_ReplyRaw
func goRM_ReplyRaw(ctx *C.RedisModuleCtx, p *C.char, n C.size_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	stateOf(ctx).ctx.AppendReply(cBytes(p, n))
}
