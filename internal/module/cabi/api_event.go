//go:build cgo

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
int rmb_call_notify(void *fn, RedisModuleCtx *ctx, int type, const char *event, RedisModuleString *key);
*/
import "C"

import (
	"unsafe"

	"github.com/modis/modis/internal/module"
)

//export goRM_SubscribeToKeyspaceEvents
func goRM_SubscribeToKeyspaceEvents(ctx *C.RedisModuleCtx, types C.int, fn unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	if fn == nil {
		return module.ERR
	}
	st := stateOf(ctx)
	m := st.mod
	cb := func(g *module.Ctx, class int, event string, key *module.String) int {
		cctx := newCtx(g, m)
		ckey := newCString(nil, key.Bytes())
		cev := C.CString(event)
		ret := C.rmb_call_notify(fn, cctx, C.int(class), cev, ckey)
		C.free(unsafe.Pointer(cev))
		C.rmb_str_decr(ckey)
		freeCtx(cctx)
		return int(ret)
	}
	return C.int(st.ctx.SubscribeToKeyspaceEvents(int(types), cb))
}

//export goRM_NotifyKeyspaceEvent
func goRM_NotifyKeyspaceEvent(ctx *C.RedisModuleCtx, class C.int, event *C.char, p *C.char, n C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.NotifyKeyspaceEvent(int(class), C.GoString(event), module.NewString(cBytes(p, n))))
}

//export goRM_PublishMessage
func goRM_PublishMessage(ctx *C.RedisModuleCtx, cp *C.char, cn C.size_t, mp *C.char, mn C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.PublishMessage(module.NewString(cBytes(cp, cn)), module.NewString(cBytes(mp, mn))))
}
