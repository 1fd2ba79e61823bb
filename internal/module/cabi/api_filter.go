//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_call_filter(void *fn, RedisModuleCommandFilterCtx *f);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// filterState is the Go side of a RedisModuleCommandFilterCtx.
type filterState struct {
	f    *module.CommandFilterCtx
	strs []*C.RedisModuleString // ArgGet results, freed after the callback
}

//export goRM_RegisterCommandFilter
func goRM_RegisterCommandFilter(ctx *C.RedisModuleCtx, fn unsafe.Pointer, flags C.int) (ret *C.RedisModuleCommandFilter) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	if fn == nil {
		return nil
	}
	cb := func(f *module.CommandFilterCtx) {
		fs := &filterState{f: f}
		h := newHandle(fs)
		c := (*C.RedisModuleCommandFilterCtx)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleCommandFilterCtx{}))))
		c.h = C.uintptr_t(h)
		C.rmb_call_filter(fn, c)
		for _, s := range fs.strs {
			C.rmb_str_decr(s)
		}
		deleteHandle(h)
		C.rm_Free(unsafe.Pointer(c))
	}
	st := stateOf(ctx)
	f := st.ctx.RegisterCommandFilter(cb, int(flags))
	if f == nil {
		return nil
	}
	c := (*C.RedisModuleCommandFilter)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleCommandFilter{}))))
	c.h = C.uintptr_t(newHandle(f))
	if st.mod != nil {
		st.mod.filters[c] = true
	}
	return c
}

// freeFilter frees a filter's C struct and handle.
func freeFilter(c *C.RedisModuleCommandFilter) {
	deleteHandle(cgo.Handle(c.h))
	C.rm_Free(unsafe.Pointer(c))
}

//export goRM_UnregisterCommandFilter
func goRM_UnregisterCommandFilter(ctx *C.RedisModuleCtx, c *C.RedisModuleCommandFilter) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	st := stateOf(ctx)
	rc := st.ctx.UnregisterCommandFilter(cgo.Handle(c.h).Value().(*module.CommandFilter))
	if rc == module.OK {
		if st.mod != nil {
			delete(st.mod.filters, c)
		}
		freeFilter(c)
	}
	return C.int(rc)
}

// goRM_FilterOp: 0 ArgsCount, 1 ArgInsert, 2 ArgReplace, 3 ArgDelete.
//
//export goRM_FilterOp
func goRM_FilterOp(h C.uintptr_t, op, pos C.int, p *C.char, n C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	f := cgo.Handle(h).Value().(*filterState).f
	switch op {
	case 0:
		return C.int(f.CommandFilterArgsCount())
	case 1:
		return C.int(f.CommandFilterArgInsert(int(pos), module.NewString(cBytes(p, n))))
	case 2:
		return C.int(f.CommandFilterArgReplace(int(pos), module.NewString(cBytes(p, n))))
	case 3:
		return C.int(f.CommandFilterArgDelete(int(pos)))
	}
	return module.ERR
}

//export goRM_FilterArgGet
func goRM_FilterArgGet(h C.uintptr_t, pos C.int) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	fs := cgo.Handle(h).Value().(*filterState)
	s := fs.f.CommandFilterArgGet(int(pos))
	if s == nil {
		return nil
	}
	c := newCString(nil, s.Bytes())
	fs.strs = append(fs.strs, c)
	return c
}
