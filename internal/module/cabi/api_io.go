//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

func ioOf(h C.uintptr_t) *module.IO { return cgo.Handle(h).Value().(*module.IO) }

// goRM_IOInt: 0 IsIOError, 1 SaveUnsigned, 2 LoadUnsigned, 3 SaveSigned,
// 4 LoadSigned, 5 GetDbIdFromIO.
//
//export goRM_IOInt
func goRM_IOInt(h C.uintptr_t, op C.int, v C.longlong) (ret C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	io := ioOf(h)
	switch op {
	case 0:
		if module.IsIOError(io) {
			return 1
		}
	case 1:
		module.SaveUnsigned(io, uint64(v))
	case 2:
		return C.longlong(module.LoadUnsigned(io))
	case 3:
		module.SaveSigned(io, int64(v))
	case 4:
		return C.longlong(module.LoadSigned(io))
	case 5:
		return C.longlong(module.GetDbIdFromIO(io))
	}
	return 0
}

//export goRM_IOSaveBuffer
func goRM_IOSaveBuffer(h C.uintptr_t, p *C.char, n C.size_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	module.SaveStringBuffer(ioOf(h), cBytes(p, n))
}

// goRM_IOLoadBuffer returns a loaded string in rm_Alloc memory (the
// caller owns it), nil on error.
//
//export goRM_IOLoadBuffer
func goRM_IOLoadBuffer(h C.uintptr_t, n *C.size_t) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	io := ioOf(h)
	b := module.LoadStringBuffer(io)
	if module.IsIOError(io) {
		return nil
	}
	*n = C.size_t(len(b))
	return cAllocBytes(b)
}

// goRM_IODouble: 0 SaveDouble, 1 LoadDouble, 2 SaveFloat, 3 LoadFloat.
//
//export goRM_IODouble
func goRM_IODouble(h C.uintptr_t, op C.int, v C.double) (ret C.double) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	io := ioOf(h)
	switch op {
	case 0:
		module.SaveDouble(io, float64(v))
	case 1:
		return C.double(module.LoadDouble(io))
	case 2:
		module.SaveFloat(io, float32(v))
	case 3:
		return C.double(module.LoadFloat(io))
	}
	return 0
}

//export goRM_IOContext
func goRM_IOContext(h C.uintptr_t) (ret *C.RedisModuleCtx) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	return newCtx(module.GetContextFromIO(ioOf(h)), nil)
}

//export goRM_IOKeyName
func goRM_IOKeyName(h C.uintptr_t, n *C.size_t) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	k := module.GetKeyNameFromIO(ioOf(h))
	if k == nil {
		return nil
	}
	*n = C.size_t(len(k.Bytes()))
	return cAllocBytes(k.Bytes())
}

//export goRM_EmitAOF
func goRM_EmitAOF(h C.uintptr_t, cmd *C.char, ptrs **C.char, lens *C.size_t, argc C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	n := int(argc)
	ps := unsafe.Slice(ptrs, n)
	ls := unsafe.Slice(lens, n)
	argv := make([][]byte, n)
	for i := range argv {
		argv[i] = append([]byte(nil), cBytes(ps[i], ls[i])...)
	}
	module.EmitAOF(ioOf(h), C.GoString(cmd), argv)
}

// goRM_Digest: 0 AddStringBuffer, 1 AddLongLong, 2 EndSequence.
//
//export goRM_Digest
func goRM_Digest(h C.uintptr_t, op C.int, p *C.char, n C.size_t, v C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	d := cgo.Handle(h).Value().(*module.Digest)
	switch op {
	case 0:
		module.DigestAddStringBuffer(d, cBytes(p, n))
	case 1:
		module.DigestAddLongLong(d, int64(v))
	case 2:
		module.DigestEndSequence(d)
	}
}
