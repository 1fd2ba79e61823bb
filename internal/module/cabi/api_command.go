//go:build cgo

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// cmdState is the Go side of a RedisModuleCommand handle.
type cmdState struct {
	cmd *module.Command
	mod *cModule
	ctx *module.Ctx // the context GetCommand ran in
}

//export goRM_SetModuleAttribs
func goRM_SetModuleAttribs(ctx *C.RedisModuleCtx, name *C.char, ver, apiver C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	stateOf(ctx).ctx.SetModuleAttribs(C.GoString(name), int(ver), int(apiver))
}

//export goRM_IsModuleNameBusy
func goRM_IsModuleNameBusy(name *C.char) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	e := lastEngine.Load()
	if loading != nil && loading.eng != nil {
		e = loading.eng
	}
	if e != nil && e.IsModuleNameBusy(C.GoString(name)) {
		return 1
	}
	return 0
}

//export goRM_SetModuleOptions
func goRM_SetModuleOptions(ctx *C.RedisModuleCtx, options C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	stateOf(ctx).ctx.SetModuleOptions(int(options))
}

// handler binds a C command function to the engine: each call gets a C
// context and a C argv (one reference per string, dropped afterwards, so
// a module keeps an argument only with RetainString/HoldString).
func (m *cModule) handler(fn unsafe.Pointer) module.CmdFunc {
	return func(gctx *module.Ctx, argv []*module.String) int {
		cctx := newCtx(gctx, m)
		cargv, n := newArgv(argv)
		ret := C.rmb_call_cmd(fn, cctx, cargv, n)
		freeCtx(cctx)
		C.rmb_argv_free(cargv, n)
		return int(ret)
	}
}

//export goRM_CreateCommand
func goRM_CreateCommand(ctx *C.RedisModuleCtx, parent *C.RedisModuleCommand, name *C.char, fn unsafe.Pointer, flags *C.char, first, last, step C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	var h module.RawCmdFunc
	var fl string
	if flags != nil {
		fl = C.GoString(flags)
	}
	if parent != nil {
		ps := cgo.Handle(parent.h).Value().(*cmdState)
		if fn != nil {
			h = ps.mod.rawHandler(fn)
		}
		// CreateSubcommand has no context argument: use the one GetCommand
		// was called with (the engine only needs its server).
		return C.int(ps.ctx.CreateRawSubcommand(ps.cmd, C.GoString(name), h, fl, int(first), int(last), int(step)))
	}
	st := stateOf(ctx)
	if fn != nil {
		h = st.mod.rawHandler(fn)
	}
	return C.int(st.ctx.CreateRawCommand(C.GoString(name), h, fl, int(first), int(last), int(step)))
}

//export goRM_GetCommand
func goRM_GetCommand(ctx *C.RedisModuleCtx, name *C.char) (ret *C.RedisModuleCommand) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := stateOf(ctx)
	cmd := st.ctx.GetCommand(C.GoString(name))
	if cmd == nil {
		return nil
	}
	if c, ok := st.mod.cmds[cmd]; ok {
		return c
	}
	c := (*C.RedisModuleCommand)(C.malloc(C.size_t(unsafe.Sizeof(C.RedisModuleCommand{}))))
	c.h = C.uintptr_t(newHandle(&cmdState{cmd: cmd, mod: st.mod, ctx: st.ctx}))
	st.mod.cmds[cmd] = c
	return c
}

//export goRM_GetCurrentCommandName
func goRM_GetCurrentCommandName(ctx *C.RedisModuleCtx) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := stateOf(ctx)
	name := st.ctx.GetCurrentCommandName()
	if name == "" {
		return nil
	}
	// PoolAlloc'd: valid for the callback, as Redis's sds is.
	b := C.rm_PoolAlloc(ctx, C.size_t(len(name)+1))
	dst := unsafe.Slice((*byte)(b), len(name)+1)
	copy(dst, name)
	dst[len(name)] = 0
	return (*C.char)(b)
}
