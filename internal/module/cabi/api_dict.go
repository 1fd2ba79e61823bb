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

// dictVal is a module's opaque value pointer stored in an engine dict.
type dictVal struct{ p unsafe.Pointer }

func dictOf(h C.uintptr_t) *module.Dict { return cgo.Handle(h).Value().(*module.Dict) }

func valPtr(v any) unsafe.Pointer {
	if dv, ok := v.(dictVal); ok {
		return dv.p
	}
	return nil
}

//export goRM_DictNew
func goRM_DictNew() C.uintptr_t {
	return C.uintptr_t(newHandle((*module.Ctx)(nil).CreateDict()))
}

//export goRM_HandleDelete
func goRM_HandleDelete(h C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	deleteHandle(cgo.Handle(h))
}

//export goRM_DictSize
func goRM_DictSize(h C.uintptr_t) (ret C.uint64_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	return C.uint64_t(dictOf(h).DictSize())
}

//export goRM_DictSet
func goRM_DictSet(h C.uintptr_t, key unsafe.Pointer, n C.size_t, val unsafe.Pointer, replace C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := append([]byte(nil), cBytes((*C.char)(key), n)...)
	if replace != 0 {
		return C.int(dictOf(h).DictReplace(k, dictVal{val}))
	}
	return C.int(dictOf(h).DictSet(k, dictVal{val}))
}

//export goRM_DictGet
func goRM_DictGet(h C.uintptr_t, key unsafe.Pointer, n C.size_t, nokey *C.int) (ret unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	v, missing := dictOf(h).DictGet(cBytes((*C.char)(key), n))
	if nokey != nil {
		*nokey = 0
		if missing {
			*nokey = 1
		}
	}
	return valPtr(v)
}

//export goRM_DictDel
func goRM_DictDel(h C.uintptr_t, key unsafe.Pointer, n C.size_t, oldval unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	old, rc := dictOf(h).DictDel(cBytes((*C.char)(key), n))
	if rc == module.OK && oldval != nil {
		*(*unsafe.Pointer)(oldval) = valPtr(old)
	}
	return C.int(rc)
}

//export goRM_DictIterStart
func goRM_DictIterStart(h C.uintptr_t, op *C.char, key unsafe.Pointer, n C.size_t) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	it := dictOf(h).DictIteratorStart(C.GoString(op), append([]byte(nil), cBytes((*C.char)(key), n)...))
	if it == nil {
		return 0
	}
	return C.uintptr_t(newHandle(it))
}

// goRM_DictIterOp: cmp 0 Reseek, 1 Compare.
//
//export goRM_DictIterOp
func goRM_DictIterOp(h C.uintptr_t, op *C.char, key unsafe.Pointer, n C.size_t, cmp C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	it := cgo.Handle(h).Value().(*module.DictIter)
	k := append([]byte(nil), cBytes((*C.char)(key), n)...)
	if cmp != 0 {
		return C.int(it.DictCompare(C.GoString(op), k))
	}
	return C.int(it.DictIteratorReseek(C.GoString(op), k))
}

// goRM_DictStep moves the iterator and copies the key into *buf (grown
// with rm_Realloc as needed, owned by the C iterator).
//
//export goRM_DictStep
func goRM_DictStep(h C.uintptr_t, forward C.int, buf **C.char, bufcap *C.size_t, n *C.size_t, data *unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	it := cgo.Handle(h).Value().(*module.DictIter)
	var k []byte
	var v any
	var ok bool
	if forward != 0 {
		k, v, ok = it.DictNext()
	} else {
		k, v, ok = it.DictPrev()
	}
	if !ok {
		return 0
	}
	if *buf == nil || int(*bufcap) < len(k)+1 {
		*buf = (*C.char)(C.rm_Realloc(unsafe.Pointer(*buf), C.size_t(len(k)+1)))
		*bufcap = C.size_t(len(k) + 1)
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(*buf)), len(k)+1)
	copy(dst, k)
	dst[len(k)] = 0
	*n = C.size_t(len(k))
	*data = valPtr(v)
	return 1
}
