//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_call_info(void *fn, RedisModuleInfoCtx *ic, int for_crash_report);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

//export goRM_RegisterInfoFunc
func goRM_RegisterInfoFunc(ctx *C.RedisModuleCtx, fn unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	if fn == nil {
		return module.ERR
	}
	cb := func(ic *module.InfoCtx, crash bool) {
		c := (*C.RedisModuleInfoCtx)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleInfoCtx{}))))
		h := newHandle(ic)
		c.h = C.uintptr_t(h)
		var fc C.int
		if crash {
			fc = 1
		}
		C.rmb_call_info(fn, c, fc)
		deleteHandle(h)
		C.rm_Free(unsafe.Pointer(c))
	}
	return C.int(stateOf(ctx).ctx.RegisterInfoFunc(cb))
}

// goRM_Info: 0 AddSection(name), 1 BeginDictField(name), 2 EndDictField,
// 3 AddField string (p, n), 4 double (d), 5 long long (ll), 6 unsigned
// long long (ll).
//
//export goRM_Info
func goRM_Info(h C.uintptr_t, op C.int, name *C.char, p *C.char, n C.size_t, ll C.longlong, d C.double) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	ic := cgo.Handle(h).Value().(*module.InfoCtx)
	var nm string
	if name != nil {
		nm = C.GoString(name)
	}
	switch op {
	case 0:
		return C.int(ic.InfoAddSection(nm))
	case 1:
		return C.int(ic.InfoBeginDictField(nm))
	case 2:
		return C.int(ic.InfoEndDictField())
	case 3:
		return C.int(ic.InfoAddFieldCString(nm, string(cBytes(p, n))))
	case 4:
		return C.int(ic.InfoAddFieldDouble(nm, float64(d)))
	case 5:
		return C.int(ic.InfoAddFieldLongLong(nm, int64(ll)))
	case 6:
		return C.int(ic.InfoAddFieldULongLong(nm, uint64(ll)))
	}
	return module.ERR
}
