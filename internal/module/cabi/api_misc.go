//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import "github.com/modis/modis/internal/module"

// goRM_Log logs a formatted module line; a NULL ctx logs as "module" on
// the engine of the last C module loaded.
//
//export goRM_Log
func goRM_Log(ctx *C.RedisModuleCtx, level *C.char, msg *C.char, n C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	lvl := "verbose"
	if level != nil {
		lvl = C.GoString(level)
	}
	text := string(cBytes(msg, C.size_t(n)))
	if st := stateOf(ctx); st != nil {
		st.ctx.Log(lvl, text)
		return
	}
	if e := lastEngine.Load(); e != nil {
		lv := module.LogVerbose
		switch lvl {
		case "debug":
			lv = module.LogDebug
		case "notice":
			lv = module.LogNotice
		case "warning":
			lv = module.LogWarning
		}
		e.Host().Logf(lv, "<module> %s", text)
	}
}

//export goRM_GetClientId
func goRM_GetClientId(ctx *C.RedisModuleCtx) (ret C.ulonglong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	return C.ulonglong(stateOf(ctx).ctx.GetClientId())
}

//export goRM_GetServerVersion
func goRM_GetServerVersion() C.int { return C.int(module.GetServerVersion()) }
