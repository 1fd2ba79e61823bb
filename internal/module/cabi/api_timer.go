//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_call_timer(void *fn, RedisModuleCtx *ctx, void *data);
*/
import "C"

import (
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// timerData is what the engine keeps as a C timer's data: the module's
// opaque pointer (C memory or any value; never dereferenced here).
type timerData struct{ p unsafe.Pointer }

//export goRM_CreateTimer
func goRM_CreateTimer(ctx *C.RedisModuleCtx, period C.longlong, fn unsafe.Pointer, data unsafe.Pointer) (ret C.uint64_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	st := stateOf(ctx)
	m := st.mod
	cb := func(gctx *module.Ctx, d any) {
		cctx := newCtx(gctx, m)
		C.rmb_call_timer(fn, cctx, d.(timerData).p)
		freeCtx(cctx)
	}
	return C.uint64_t(st.ctx.CreateTimer(int64(period), cb, timerData{data}))
}

// goRM_TimerOp: op 0 StopTimer, 1 GetTimerInfo. *data receives the
// module's pointer when data is not NULL.
//
//export goRM_TimerOp
func goRM_TimerOp(ctx *C.RedisModuleCtx, id C.uint64_t, op C.int, remaining *C.uint64_t, data *unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	var d any
	var rc int
	if op == 0 {
		d, rc = g.StopTimer(module.TimerID(id))
	} else {
		var left int64
		left, d, rc = g.GetTimerInfo(module.TimerID(id))
		if rc == module.OK && remaining != nil {
			*remaining = C.uint64_t(left)
		}
	}
	if rc == module.OK && data != nil {
		if td, ok := d.(timerData); ok {
			*data = td.p
		}
	}
	return C.int(rc)
}
