//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_call_scan(void *fn, RedisModuleCtx *ctx, uintptr_t kh, const char *name, size_t len, void *priv);
void rmb_set_errno(int e);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

//export goRM_ScanCursorNew
func goRM_ScanCursorNew() C.uintptr_t { return C.uintptr_t(newHandle(module.ScanCursorCreate())) }

// goRM_ScanCursorOp: 0 restart, 1 destroy (deletes the handle).
//
//export goRM_ScanCursorOp
func goRM_ScanCursorOp(h C.uintptr_t, op C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	c := cgo.Handle(h).Value().(*module.ScanCursor)
	if op == 0 {
		c.ScanCursorRestart()
		return
	}
	c.ScanCursorDestroy()
	deleteHandle(cgo.Handle(h))
}

//export goRM_Scan
func goRM_Scan(ctx *C.RedisModuleCtx, h C.uintptr_t, fn, priv unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	st := stateOf(ctx)
	cur := cgo.Handle(h).Value().(*module.ScanCursor)
	more := st.ctx.Scan(cur, func(g *module.Ctx, name *module.String, key *module.Key) {
		kh := keys.put(&keyState{key: key, st: st})
		b := name.Bytes()
		var p *C.char
		if len(b) > 0 {
			p = (*C.char)(unsafe.Pointer(&b[0]))
		}
		C.rmb_call_scan(fn, ctx, C.uintptr_t(kh), p, C.size_t(len(b)), priv)
		keys.release(kh, false)
	})
	if more {
		return 1
	}
	return 0
}

// goRM_GetCommandKeys returns the key positions in rm_Alloc memory (the
// module frees them), and the flags too when outFlags is not NULL; NULL
// (with errno) when the command is unknown or has no keys.
//
//export goRM_GetCommandKeys
func goRM_GetCommandKeys(ctx *C.RedisModuleCtx, ptrs **C.char, lens *C.size_t, argc C.int, num *C.int, outFlags **C.int) (ret *C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	n := int(argc)
	ps := unsafe.Slice(ptrs, n)
	ls := unsafe.Slice(lens, n)
	argv := make([][]byte, n)
	for i := range argv {
		argv[i] = append([]byte(nil), cBytes(ps[i], ls[i])...)
	}
	pos, flags, errno := stateOf(ctx).ctx.GetCommandKeysWithFlags(argv)
	if errno != 0 || len(pos) == 0 {
		if num != nil {
			*num = 0
		}
		if errno != 0 {
			setErrno(int(errno))
		}
		return nil
	}
	keys := (*C.int)(C.rm_Alloc(C.size_t(len(pos)) * C.size_t(unsafe.Sizeof(C.int(0)))))
	ks := unsafe.Slice(keys, len(pos))
	for i, p := range pos {
		ks[i] = C.int(p)
	}
	if outFlags != nil {
		f := (*C.int)(C.rm_Alloc(C.size_t(len(pos)) * C.size_t(unsafe.Sizeof(C.int(0)))))
		fs := unsafe.Slice(f, len(pos))
		for i := range fs {
			if i < len(flags) {
				fs[i] = C.int(flags[i])
			}
		}
		*outFlags = f
	}
	*num = C.int(len(pos))
	return keys
}

func setErrno(e int) { C.rmb_set_errno(C.int(e)) }
