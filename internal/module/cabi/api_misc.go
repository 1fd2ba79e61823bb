//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"unsafe"

	"github.com/modis/modis/internal/module"
)

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

// goRM_CtxOp serves small context APIs: 0 IsKeysPositionRequest, 1
// KeyAtPosWithFlags(a, b), 2 GetContextFlags, 3 DbSize, 4
// ReplicateVerbatim, 5 GetContextFlagsAll, 6 AvoidReplicaTraffic, 7
// MonotonicMicroseconds, 8 GetNotifyKeyspaceEvents, 9
// GetKeyspaceNotificationFlagsAll, 14 GetTypeMethodVersion (5-9 and 14
// take no context), 10-12 the blocked-client flags, 13 LoadConfigs.
//
//export goRM_CtxOp
func goRM_CtxOp(ctx *C.RedisModuleCtx, op C.int, a, b C.longlong) (ret C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	switch op {
	case 5:
		return C.longlong(module.GetContextFlagsAll())
	case 6:
		if module.AvoidReplicaTraffic() {
			return 1
		}
		return 0
	case 7:
		return C.longlong(module.MonotonicMicroseconds())
	case 8:
		if e := lastEngine.Load(); e != nil {
			return C.longlong(e.Host().NotifyFlags())
		}
		return 0
	case 9:
		return C.longlong(module.GetKeyspaceNotificationFlagsAll())
	case 14:
		return C.longlong(module.GetTypeMethodVersion())
	}
	g := stateOf(ctx).ctx
	b2i := func(b bool) C.longlong {
		if b {
			return 1
		}
		return 0
	}
	switch op {
	case 10:
		return b2i(g.IsBlockedReplyRequest())
	case 11:
		return b2i(g.IsBlockedTimeoutRequest())
	case 12:
		return b2i(g.BlockedClientDisconnected())
	case 13:
		return C.longlong(g.LoadConfigs())
	case 0:
		if g.IsKeysPositionRequest() {
			return 1
		}
		return 0
	case 1:
		g.KeyAtPosWithFlags(int(a), int(b))
		return 0
	case 2:
		return C.longlong(g.GetContextFlags())
	case 3:
		return C.longlong(g.DbSize())
	case 4:
		return C.longlong(g.ReplicateVerbatim())
	}
	return module.ERR
}

//export goRM_RandomKey
func goRM_RandomKey(ctx *C.RedisModuleCtx) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	s := stateOf(ctx).ctx.RandomKey()
	if s == nil {
		return nil
	}
	return newCString(ctx, s.Bytes())
}

//export goRM_SignalModifiedKey
func goRM_SignalModifiedKey(ctx *C.RedisModuleCtx, p *C.char, n C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.SignalModifiedKey(module.NewString(cBytes(p, n))))
}

// goRM_Random fills C memory with random bytes (hex=0) or hex chars.
//
//export goRM_Random
func goRM_Random(dst *C.char, n C.size_t, hex C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	if n == 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(dst)), int(n))
	if hex != 0 {
		module.GetRandomHexChars(b)
	} else {
		module.GetRandomBytes(b)
	}
}

// sharedFn is a C module's exported function pointer.
type sharedFn struct{ p unsafe.Pointer }

//export goRM_ExportSharedAPI
func goRM_ExportSharedAPI(ctx *C.RedisModuleCtx, name *C.char, fn unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.ExportSharedAPI(C.GoString(name), sharedFn{fn}))
}

// goRM_GetSharedAPI returns a C module's exported pointer (nil for a
// missing name or one a Go module exported).
//
//export goRM_GetSharedAPI
func goRM_GetSharedAPI(ctx *C.RedisModuleCtx, name *C.char) (ret unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	if f, ok := stateOf(ctx).ctx.GetSharedAPI(C.GoString(name)).(sharedFn); ok {
		return f.p
	}
	return nil
}

//export goRM_GetClientNameById
func goRM_GetClientNameById(ctx *C.RedisModuleCtx, id C.uint64_t) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	s := stateOf(ctx).ctx.GetClientNameById(uint64(id))
	if s == nil {
		return nil
	}
	return newCString(ctx, s.Bytes())
}
