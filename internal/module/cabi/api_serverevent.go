//go:build cgo

package cabi

/*
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
void rmb_call_event(void *fn, RedisModuleCtx *ctx, uint64_t id, uint64_t dataver, uint64_t sub, void *data);
*/
import "C"

import (
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// eventData converts an engine event payload to its C struct (owned by
// the caller, freed with the returned function): every 7.0 event with
// data (ReplicationRoleChanged, FlushDB, ClientChange, CronLoop,
// ModuleChange, LoadingProgress, SwapDB, Config). Other payloads are
// NULL, as Redis passes for events without data.
func eventData(d any) (unsafe.Pointer, func()) {
	calloc := func(n uintptr) unsafe.Pointer { return C.rm_Calloc(1, C.size_t(n)) }
	switch v := d.(type) {
	case *module.FlushInfo:
		p := (*C.RedisModuleFlushInfoV1)(calloc(unsafe.Sizeof(C.RedisModuleFlushInfoV1{})))
		p.version = 1
		if v.Sync {
			p.sync = 1
		}
		p.dbnum = C.int32_t(v.DBNum)
		return unsafe.Pointer(p), func() { C.rm_Free(unsafe.Pointer(p)) }
	case *module.ModuleChangeInfo:
		p := (*C.RedisModuleModuleChangeV1)(calloc(unsafe.Sizeof(C.RedisModuleModuleChangeV1{})))
		p.version = 1
		name := cAllocString(v.ModuleName)
		p.module_name = name
		p.module_version = C.int32_t(v.ModuleVersion)
		return unsafe.Pointer(p), func() { C.rm_Free(unsafe.Pointer(name)); C.rm_Free(unsafe.Pointer(p)) }
	case *module.CronLoopInfo:
		p := (*C.RedisModuleCronLoopV1)(calloc(unsafe.Sizeof(C.RedisModuleCronLoopV1{})))
		p.version = 1
		p.hz = C.int32_t(v.HZ)
		return unsafe.Pointer(p), func() { C.rm_Free(unsafe.Pointer(p)) }
	case *module.SwapDBInfo:
		p := (*C.RedisModuleSwapDbInfoV1)(calloc(unsafe.Sizeof(C.RedisModuleSwapDbInfoV1{})))
		p.version = 1
		p.dbnum_first = C.int32_t(v.First)
		p.dbnum_second = C.int32_t(v.Second)
		return unsafe.Pointer(p), func() { C.rm_Free(unsafe.Pointer(p)) }
	case *module.ClientInfo:
		p := (*C.RedisModuleClientInfoV1)(calloc(unsafe.Sizeof(C.RedisModuleClientInfoV1{})))
		p.version = 1
		fillClientInfo(p, v)
		return unsafe.Pointer(p), func() { C.rm_Free(unsafe.Pointer(p)) }
	case *module.ConfigChangeInfo:
		// Redis 7.0 leaves the version of this one 0.
		p := (*C.RedisModuleConfigChangeV1)(calloc(unsafe.Sizeof(C.RedisModuleConfigChangeV1{})))
		p.num_changes = C.uint32_t(len(v.Names))
		n := len(v.Names)
		arr := (**C.char)(calloc(uintptr(n+1) * unsafe.Sizeof((*C.char)(nil))))
		names := unsafe.Slice(arr, n+1)
		for i, name := range v.Names {
			names[i] = cAllocString(name)
		}
		p.config_names = arr
		return unsafe.Pointer(p), func() {
			for _, c := range names[:n] {
				C.rm_Free(unsafe.Pointer(c))
			}
			C.rm_Free(unsafe.Pointer(arr))
			C.rm_Free(unsafe.Pointer(p))
		}
	case *module.LoadingProgressInfo:
		p := (*C.RedisModuleLoadingProgressV1)(calloc(unsafe.Sizeof(C.RedisModuleLoadingProgressV1{})))
		p.version = 1
		p.hz = C.int32_t(v.HZ)
		p.progress = C.int32_t(v.Progress)
		return unsafe.Pointer(p), func() { C.rm_Free(unsafe.Pointer(p)) }
	case *module.ReplicationInfo:
		p := (*C.RedisModuleReplicationInfoV1)(calloc(unsafe.Sizeof(C.RedisModuleReplicationInfoV1{})))
		p.version = 1
		if v.Master {
			p.master = 1
		}
		var strs []*C.char
		str := func(s string) *C.char {
			c := cAllocString(s)
			strs = append(strs, c)
			return c
		}
		if !v.Master {
			p.masterhost = str(v.MasterHost)
		}
		p.masterport = C.int(v.MasterPort)
		p.replid1 = str(v.ReplID1)
		p.replid2 = str(v.ReplID2)
		p.repl1_offset = C.uint64_t(v.Repl1Offset)
		p.repl2_offset = C.uint64_t(v.Repl2Offset)
		return unsafe.Pointer(p), func() {
			for _, c := range strs {
				C.rm_Free(unsafe.Pointer(c))
			}
			C.rm_Free(unsafe.Pointer(p))
		}
	}
	return nil, func() {}
}

// fillClientInfo copies ci into a version-1 C struct (addr truncated to
// its 46 bytes, NUL terminated).
func fillClientInfo(p *C.RedisModuleClientInfoV1, ci *module.ClientInfo) {
	p.flags = C.uint64_t(ci.Flags)
	p.id = C.uint64_t(ci.ID)
	addr := unsafe.Slice((*byte)(unsafe.Pointer(&p.addr[0])), len(p.addr))
	n := copy(addr[:len(addr)-1], ci.Addr)
	addr[n] = 0
	p.port = C.uint16_t(ci.Port)
	p.db = C.uint16_t(ci.DB)
}

//export goRM_SubscribeToServerEvent
func goRM_SubscribeToServerEvent(ctx *C.RedisModuleCtx, id, dataver C.uint64_t, fn unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	st := stateOf(ctx)
	if fn == nil {
		return C.int(st.ctx.SubscribeToServerEvent(uint64(id), nil))
	}
	m := st.mod
	cb := func(g *module.Ctx, event, sub uint64, data any) {
		cctx := newCtx(g, m)
		p, free := eventData(data)
		C.rmb_call_event(fn, cctx, C.uint64_t(event), dataver, C.uint64_t(sub), p)
		free()
		freeCtx(cctx)
	}
	return C.int(st.ctx.SubscribeToServerEvent(uint64(id), cb))
}

//export goRM_IsSubEventSupported
func goRM_IsSubEventSupported(id, sub C.uint64_t) C.int {
	if module.IsSubEventSupported(uint64(id), uint64(sub)) {
		return 1
	}
	return 0
}

// goRM_GetClientInfoById fills a caller-provided RedisModuleClientInfo
// (version 1 only; NULL ci just checks the id).
//
//export goRM_GetClientInfoById
func goRM_GetClientInfoById(ci unsafe.Pointer, id C.uint64_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	e := lastEngine.Load()
	if e == nil {
		return module.ERR
	}
	info, ok := e.Host().ClientInfo(uint64(id))
	if !ok {
		return module.ERR
	}
	if ci != nil {
		p := (*C.RedisModuleClientInfoV1)(ci)
		if p.version != 1 {
			return module.ERR
		}
		fillClientInfo(p, &info)
	}
	return module.OK
}
