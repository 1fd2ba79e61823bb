//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_call_free_priv(void *fn, RedisModuleCtx *ctx, void *priv);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// bcState is the Go side of a RedisModuleBlockedClient.
type bcState struct {
	bc  *module.BlockedClient
	mod *cModule
}

// privData wraps a module's private-data pointer for the engine.
type privData struct{ p unsafe.Pointer }

func privOf(v any) unsafe.Pointer {
	if pd, ok := v.(privData); ok {
		return pd.p
	}
	return nil
}

//export goRM_BlockClient
func goRM_BlockClient(ctx *C.RedisModuleCtx, replyFn, timeoutFn, freeFn unsafe.Pointer, ms C.longlong) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	st := stateOf(ctx)
	m := st.mod
	var reply, timeout module.CmdFunc
	if replyFn != nil {
		reply = m.handler(replyFn)
	}
	if timeoutFn != nil {
		timeout = m.handler(timeoutFn)
	}
	var free func(*module.Ctx, any)
	if freeFn != nil {
		free = func(g *module.Ctx, priv any) {
			cctx := newCtx(g, m)
			C.rmb_call_free_priv(freeFn, cctx, privOf(priv))
			freeCtx(cctx)
		}
	}
	bc := st.ctx.BlockClient(reply, timeout, free, int64(ms))
	return C.uintptr_t(cgo.NewHandle(&bcState{bc: bc, mod: m}))
}

// goRM_UnblockClient (abort=1: AbortBlock). Callable from any thread. On
// success the handle is deleted: the module gave the blocked client back.
//
//export goRM_UnblockClient
func goRM_UnblockClient(h C.uintptr_t, priv unsafe.Pointer, abort C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	bs := cgo.Handle(h).Value().(*bcState)
	var rc int
	if abort != 0 {
		rc = bs.bc.AbortBlock()
	} else {
		var pd any
		if priv != nil {
			pd = privData{priv}
		}
		rc = bs.bc.UnblockClient(pd)
	}
	if rc == module.OK {
		cgo.Handle(h).Delete()
	}
	return C.int(rc)
}

//export goRM_GetBlockedClientPrivateData
func goRM_GetBlockedClientPrivateData(ctx *C.RedisModuleCtx) (ret unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	return privOf(stateOf(ctx).ctx.GetBlockedClientPrivateData())
}

// goRM_GetThreadSafeContext makes a thread-safe C context: bound to the
// blocked client bch, or detached from ctx's module when ctx is set.
//
//export goRM_GetThreadSafeContext
func goRM_GetThreadSafeContext(ctx *C.RedisModuleCtx, bch C.uintptr_t) (ret *C.RedisModuleCtx) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	if ctx != nil {
		st := stateOf(ctx)
		return newCtx(st.ctx.GetDetachedThreadSafeContext(), st.mod)
	}
	if bch != 0 {
		bs := cgo.Handle(bch).Value().(*bcState)
		return newCtx(bs.mod.eng.GetThreadSafeContext(bs.bc), bs.mod)
	}
	e := lastEngine.Load()
	if e == nil {
		return nil
	}
	return newCtx(e.GetThreadSafeContext(nil), nil)
}

// goRM_TSCtxOp: 0 free (flush, delete the handle), 1 lock, 2 try-lock,
// 3 unlock.
//
//export goRM_TSCtxOp
func goRM_TSCtxOp(h C.uintptr_t, op C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := cgo.Handle(h).Value().(*ctxState).ctx
	switch op {
	case 0:
		g.FreeThreadSafeContext()
		cgo.Handle(h).Delete()
	case 1:
		g.ThreadSafeContextLock()
	case 2:
		return C.int(g.ThreadSafeContextTryLock())
	case 3:
		g.ThreadSafeContextUnlock()
	}
	return module.OK
}
