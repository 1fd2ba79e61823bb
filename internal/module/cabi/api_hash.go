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

// goRM_HashSet is RedisModule_HashSet after the C shim walked its va_list:
// n fields (borrowed C bytes) with their values, dels[i] set for
// REDISMODULE_HASH_DELETE. It returns the count and stores the errno the
// shim sets when the count is 0.
//
//export goRM_HashSet
func goRM_HashSet(h C.uintptr_t, flags C.int, fptrs **C.char, flens *C.size_t, vptrs **C.char, vlens *C.size_t, dels *C.char, n C.int, errOut *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			*errOut = C.int(module.EINVAL)
			ret = 0
		}
	}()
	cnt := int(n)
	fp, fl := unsafe.Slice(fptrs, cnt), unsafe.Slice(flens, cnt)
	vp, vl := unsafe.Slice(vptrs, cnt), unsafe.Slice(vlens, cnt)
	del := unsafe.Slice(dels, cnt)
	pairs := make([]module.HashPair, cnt)
	for i := range pairs {
		pairs[i] = module.HashPair{Field: cBytes(fp[i], fl[i]), Value: cBytes(vp[i], vl[i]), Delete: del[i] != 0}
	}
	var k *module.Key
	if h != 0 {
		k = keyOf(h).key
	}
	// The engine reads C strings as field names already converted by the
	// shim, so CFIELDS is only passed on for the flag check.
	count, errno := module.HashSet(k, int(flags), pairs)
	if count == 0 {
		*errOut = C.int(errno)
	}
	return C.int(count)
}

// goRM_HashGet is RedisModule_HashGet after the C shim walked its va_list:
// outs[i] is the module's RedisModuleString** (or int* with
// REDISMODULE_HASH_EXISTS) for field i. New strings belong to the module
// (auto memory of ctx when enabled).
//
//export goRM_HashGet
func goRM_HashGet(h C.uintptr_t, ctx *C.RedisModuleCtx, flags C.int, fptrs **C.char, flens *C.size_t, outs *unsafe.Pointer, n C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	cnt := int(n)
	fp, fl, out := unsafe.Slice(fptrs, cnt), unsafe.Slice(flens, cnt), unsafe.Slice(outs, cnt)
	fields := make([][]byte, cnt)
	for i := range fields {
		fields[i] = cBytes(fp[i], fl[i])
	}
	k := keyOf(h).key
	if flags&module.HashExists != 0 {
		ex, rc := module.HashGetExists(k, fields)
		if rc != module.OK {
			return C.int(rc)
		}
		for i, e := range ex {
			v := C.int(0)
			if e {
				v = 1
			}
			*(*C.int)(out[i]) = v
		}
		return module.OK
	}
	vals, rc := module.HashGetValues(k, fields)
	if rc != module.OK {
		return C.int(rc)
	}
	for i, v := range vals {
		var s *C.RedisModuleString
		if v != nil {
			s = newCString(ctx, v)
		}
		*(**C.RedisModuleString)(out[i]) = s
	}
	return module.OK
}
