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

// siState is the Go side of a RedisModuleServerInfoData: the snapshot and
// the C strings GetFieldC handed out (freed with it).
type siState struct {
	si    *module.ServerInfo
	cstrs []*C.char
}

//export goRM_GetServerInfo
func goRM_GetServerInfo(ctx *C.RedisModuleCtx, section *C.char) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	var sec string
	if section != nil {
		sec = C.GoString(section)
	}
	si := stateOf(ctx).ctx.GetServerInfo(sec)
	if si == nil {
		return 0
	}
	return C.uintptr_t(newHandle(&siState{si: si}))
}

//export goRM_FreeServerInfo
func goRM_FreeServerInfo(h C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	st := cgo.Handle(h).Value().(*siState)
	for _, p := range st.cstrs {
		C.rm_Free(unsafe.Pointer(p))
	}
	deleteHandle(cgo.Handle(h))
}

//export goRM_ServerInfoGetFieldC
func goRM_ServerInfoGetFieldC(h C.uintptr_t, field *C.char) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := cgo.Handle(h).Value().(*siState)
	v, ok := st.si.ServerInfoGetFieldC(C.GoString(field))
	if !ok {
		return nil
	}
	p := cAllocString(v)
	st.cstrs = append(st.cstrs, p)
	return p
}

// goRM_ServerInfoNum: kind 0 signed, 1 unsigned (both in the first
// result), 2 double (second result). *errp is 1 on error.
//
//export goRM_ServerInfoNum
func goRM_ServerInfoNum(h C.uintptr_t, field *C.char, kind C.int, errp *C.int) (n C.longlong, d C.double) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			*errp = 1
		}
	}()
	si := cgo.Handle(h).Value().(*siState).si
	f := C.GoString(field)
	var rc int
	switch kind {
	case 0:
		var v int64
		v, rc = si.ServerInfoGetFieldSigned(f)
		n = C.longlong(v)
	case 1:
		var v uint64
		v, rc = si.ServerInfoGetFieldUnsigned(f)
		n = C.longlong(v)
	case 2:
		var v float64
		v, rc = si.ServerInfoGetFieldDouble(f)
		d = C.double(v)
	}
	if rc != module.OK {
		*errp = 1
	}
	return n, d
}
