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
	bc   *module.BlockedClient
	mod  *cModule
	c    *C.RedisModuleBlockedClient // the module's handle
	h    cgo.Handle
	done bool // c freed: the module gave the handle back or the engine finished it
}

// release frees the C handle once, when the engine is finished with the
// blocked client (its OnDone hook).
func (bs *bcState) release() {
	if bs.done {
		return
	}
	bs.done = true
	deleteHandle(bs.h)
	C.rm_Free(unsafe.Pointer(bs.c))
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
func goRM_BlockClient(ctx *C.RedisModuleCtx, replyFn, timeoutFn, freeFn unsafe.Pointer, ms C.longlong) (ret *C.RedisModuleBlockedClient) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
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
	c, _ := newBC(bc, m)
	return c
}

// newBC makes the module's RedisModuleBlockedClient for bc.
func newBC(bc *module.BlockedClient, m *cModule) (*C.RedisModuleBlockedClient, *bcState) {
	bs := &bcState{bc: bc, mod: m}
	bs.h = newHandle(bs)
	bs.c = (*C.RedisModuleBlockedClient)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleBlockedClient{}))))
	bs.c.h = C.uintptr_t(bs.h)
	bc.Owner = bs
	bc.OnDone = bs.release
	return bs.c, bs
}

// goRM_UnblockClient (abort=1: AbortBlock). Callable from any thread. The
// module gives the handle back; the C struct stays valid for the reply
// and free callbacks (GetBlockedClientHandle) and is freed by the engine's
// OnDone hook.
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
	g := ctxs.get(uintptr(h)).ctx
	switch op {
	case 0:
		g.FreeThreadSafeContext()
		ctxs.release(uintptr(h), false)
	case 1:
		g.ThreadSafeContextLock()
	case 2:
		return C.int(g.ThreadSafeContextTryLock())
	case 3:
		g.ThreadSafeContextUnlock()
	}
	return module.OK
}

// goRM_BlockClientOnKeys: as BlockClient, waiting for keys.
//
//export goRM_BlockClientOnKeys
func goRM_BlockClientOnKeys(ctx *C.RedisModuleCtx, replyFn, timeoutFn, freeFn unsafe.Pointer, ms C.longlong, keys **C.RedisModuleString, nkeys C.int, priv unsafe.Pointer) (ret *C.RedisModuleBlockedClient) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
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
		free = func(g *module.Ctx, p any) {
			cctx := newCtx(g, m)
			C.rmb_call_free_priv(freeFn, cctx, privOf(p))
			freeCtx(cctx)
		}
	}
	ks := unsafe.Slice(keys, int(nkeys))
	gk := make([]*module.String, len(ks))
	for i, k := range ks {
		gk[i] = module.NewString(cBytes(k.ptr, k.len))
	}
	var pd any
	if priv != nil {
		pd = privData{priv}
	}
	bc := st.ctx.BlockClientOnKeys(reply, timeout, free, int64(ms), gk, pd)
	ret, _ = newBC(bc, m)
	return ret
}

//export goRM_SignalKeyAsReady
func goRM_SignalKeyAsReady(ctx *C.RedisModuleCtx, p *C.char, n C.size_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	stateOf(ctx).ctx.SignalKeyAsReady(module.NewString(cBytes(p, n)))
}

// goRM_GetBlockedClientReadyKey returns the ready key as a C string
// owned by the context (freed when the callback returns).
//
//export goRM_GetBlockedClientReadyKey
func goRM_GetBlockedClientReadyKey(ctx *C.RedisModuleCtx) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := stateOf(ctx)
	k := st.ctx.GetBlockedClientReadyKey()
	if k == nil {
		return nil
	}
	c := newCString(nil, k.Bytes())
	st.owned = append(st.owned, c)
	return c
}
