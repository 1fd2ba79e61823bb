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

// cBytes views n bytes of C memory (borrowed: valid while the C object
// is; copy before keeping).
func cBytes(p *C.char, n C.size_t) []byte {
	if n == 0 || p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// goString returns a Go copy of a C module string, as the engine's
// *String (a NULL string reads as the engine's NULL text).
func goString(s *C.RedisModuleString) *module.String {
	if s == nil {
		return nil
	}
	return module.NewString(cBytes(s.ptr, s.len))
}

// newCString makes a C string (one reference) holding a copy of b,
// tracked by ctx's auto memory when enabled.
func newCString(ctx *C.RedisModuleCtx, b []byte) *C.RedisModuleString {
	var p *C.char
	if len(b) > 0 {
		p = (*C.char)(unsafe.Pointer(&b[0]))
	}
	return C.rm_CreateString(ctx, p, C.size_t(len(b)))
}

//export goRM_FormatDouble
func goRM_FormatDouble(d C.double, buf *C.char, size C.int) (n C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			n = 0
		}
	}()
	b := module.AppendD2String(nil, float64(d))
	if len(b) > int(size) {
		b = b[:size]
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(size)), b)
	return C.int(len(b))
}

//export goRM_StringToLongLong
func goRM_StringToLongLong(p *C.char, n C.size_t, out *C.longlong) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	v, rc := module.StringToLongLong(module.NewString(cBytes(p, n)))
	if rc == module.OK {
		*out = C.longlong(v)
	}
	return C.int(rc)
}

//export goRM_StringToULongLong
func goRM_StringToULongLong(p *C.char, n C.size_t, out *C.ulonglong) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	v, rc := module.StringToULongLong(module.NewString(cBytes(p, n)))
	if rc == module.OK {
		*out = C.ulonglong(v)
	}
	return C.int(rc)
}

//export goRM_StringToDouble
func goRM_StringToDouble(p *C.char, n C.size_t, out *C.double) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	v, rc := module.StringToDouble(module.NewString(cBytes(p, n)))
	if rc == module.OK {
		*out = C.double(v)
	}
	return C.int(rc)
}
