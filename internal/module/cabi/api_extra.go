//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_call_disconnect(void *fn, RedisModuleCtx *ctx, RedisModuleBlockedClient *bc);
*/
import "C"

import (
	"math"
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/types/str"
)

// goRM_ReplyLongDouble replies a C long double given as its exact "%La"
// text (NULL for NaN, which the emulated type cannot hold).
//
//export goRM_ReplyLongDouble
func goRM_ReplyLongDouble(ctx *C.RedisModuleCtx, p *C.char, n C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	if p == nil {
		return C.int(g.ReplyWithDouble(math.NaN()))
	}
	ld, ok := str.ParseLongDouble(cBytes(p, C.size_t(n)))
	if !ok {
		// Only a value strtold rejects (a subnormal so small it reads back
		// as an underflow): its human form is zero anyway.
		ld = str.LongDoubleFromInt(0)
	}
	return C.int(g.ReplyWithLongDouble(ld))
}

// tmpCtx is a context of the engine for APIs that take none.
func tmpCtx() *module.Ctx {
	e := lastEngine.Load()
	if e == nil {
		return nil
	}
	return e.GetThreadSafeContext(nil)
}

//export goRM_SaveDataTypeToString
func goRM_SaveDataTypeToString(ctx *C.RedisModuleCtx, data unsafe.Pointer, th C.uintptr_t) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	t := cgo.Handle(th).Value().(*typeState).t
	g := tmpCtx()
	if st := stateOf(ctx); st != nil {
		g = st.ctx
	}
	s := g.SaveDataTypeToString(typeVal{data}, t)
	if s == nil {
		return nil
	}
	return newCString(ctx, s.Bytes())
}

//export goRM_LoadDataTypeFromString
func goRM_LoadDataTypeFromString(p *C.char, n C.size_t, th C.uintptr_t, encver C.int) (ret unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	t := cgo.Handle(th).Value().(*typeState).t
	return valOf(tmpCtx().LoadDataTypeFromStringEncver(module.NewString(cBytes(p, n)), t, int(encver)))
}

// goRM_SetClientNameById returns 0 or the errno of the failure.
//
//export goRM_SetClientNameById
func goRM_SetClientNameById(id C.uint64_t, p *C.char, n C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = C.int(module.EINVAL)
		}
	}()
	g := tmpCtx()
	if g == nil {
		return C.int(module.ENOENT)
	}
	_, errno := g.SetClientNameById(uint64(id), module.NewString(cBytes(p, n)))
	return C.int(errno)
}

//export goRM_ResetDataset
func goRM_ResetDataset(restartAOF, async C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	if g := tmpCtx(); g != nil {
		g.ResetDataset(restartAOF != 0, async != 0)
	}
}

// goRM_GetBlockedClientHandle maps the engine's handle back to the C
// struct the module got from BlockClient (kept until the engine is done
// with it).
//
//export goRM_GetBlockedClientHandle
func goRM_GetBlockedClientHandle(ctx *C.RedisModuleCtx) (ret *C.RedisModuleBlockedClient) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	bc := stateOf(ctx).ctx.GetBlockedClientHandle()
	if bc == nil {
		return nil
	}
	if bs, ok := bc.Owner.(*bcState); ok && !bs.done {
		return bs.c
	}
	return nil
}

//export goRM_SetDisconnectCallback
func goRM_SetDisconnectCallback(h C.uintptr_t, fn unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	bs := cgo.Handle(h).Value().(*bcState)
	if fn == nil {
		bs.bc.SetDisconnectCallback(nil)
		return
	}
	bs.bc.SetDisconnectCallback(func(g *module.Ctx, _ *module.BlockedClient) {
		cctx := newCtx(g, bs.mod)
		C.rmb_call_disconnect(fn, cctx, bs.c)
		freeCtx(cctx)
	})
}
