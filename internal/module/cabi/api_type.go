//go:build cgo

package cabi

/*
#include "bridge.h"
void *rmb_call_rdb_load(void *fn, RedisModuleIO *io, int encver);
void rmb_call_rdb_save(void *fn, RedisModuleIO *io, void *v);
void rmb_call_aof_rewrite(void *fn, RedisModuleIO *io, RedisModuleString *key, void *v);
size_t rmb_call_mem_usage(void *fn, void *v);
void rmb_call_digest(void *fn, RedisModuleDigest *d, void *v);
void rmb_call_type_free(void *fn, void *v);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// typeVal is a C module value kept by the engine.
type typeVal struct{ p unsafe.Pointer }

func valOf(v any) unsafe.Pointer {
	if tv, ok := v.(typeVal); ok {
		return tv.p
	}
	return nil
}

// typeState is the Go side of a RedisModuleType.
type typeState struct {
	t   *module.DataType
	mod *cModule
}

// newIO wraps an engine IO for one callback; freeIO ends it.
func newIO(io *module.IO) *C.RedisModuleIO {
	c := (*C.RedisModuleIO)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleIO{}))))
	c.h = C.uintptr_t(cgo.NewHandle(io))
	return c
}

func freeIO(c *C.RedisModuleIO) {
	if c.ctx != nil {
		freeCtx(c.ctx)
	}
	if c.key != nil {
		C.rmb_str_decr(c.key)
	}
	cgo.Handle(c.h).Delete()
	C.rm_Free(unsafe.Pointer(c))
}

// goRM_CreateDataType: m holds rdb_load, rdb_save, aof_rewrite,
// mem_usage, digest, free (the version-1 methods; later ones are not
// bridged yet).
//
//export goRM_CreateDataType
func goRM_CreateDataType(ctx *C.RedisModuleCtx, name *C.char, encver C.int, version C.longlong, m *unsafe.Pointer) (ret *C.RedisModuleType) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := stateOf(ctx)
	fns := unsafe.Slice(m, 6)
	load, save, rewrite, mem, digest, free := fns[0], fns[1], fns[2], fns[3], fns[4], fns[5]
	tm := &module.TypeMethods{}
	if load != nil {
		tm.RdbLoad = func(io *module.IO, encver int) any {
			c := newIO(io)
			defer freeIO(c)
			if p := C.rmb_call_rdb_load(load, c, C.int(encver)); p != nil {
				return typeVal{p}
			}
			return nil
		}
	}
	if save != nil {
		tm.RdbSave = func(io *module.IO, v any) {
			c := newIO(io)
			defer freeIO(c)
			C.rmb_call_rdb_save(save, c, valOf(v))
		}
	}
	if rewrite != nil {
		tm.AofRewrite = func(io *module.IO, key *module.String, v any) {
			c := newIO(io)
			defer freeIO(c)
			k := newCString(nil, key.Bytes())
			C.rmb_call_aof_rewrite(rewrite, c, k, valOf(v))
			C.rmb_str_decr(k)
		}
	}
	if mem != nil {
		tm.MemUsage = func(v any) uint64 { return uint64(C.rmb_call_mem_usage(mem, valOf(v))) }
	}
	if digest != nil {
		tm.Digest = func(d *module.Digest, v any) {
			c := (*C.RedisModuleDigest)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleDigest{}))))
			h := cgo.NewHandle(d)
			c.h = C.uintptr_t(h)
			C.rmb_call_digest(digest, c, valOf(v))
			h.Delete()
			C.rm_Free(unsafe.Pointer(c))
		}
	}
	if free != nil {
		tm.Free = func(v any) { C.rmb_call_type_free(free, valOf(v)) }
	}
	t := st.ctx.CreateDataType(C.GoString(name), int(encver), tm)
	if t == nil {
		return nil
	}
	c := (*C.RedisModuleType)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleType{}))))
	c.h = C.uintptr_t(cgo.NewHandle(&typeState{t: t, mod: st.mod}))
	t.Owner = unsafe.Pointer(c)
	return c
}

// goRM_TypeValue: replace=0 ModuleTypeSetValue, 1 ModuleTypeReplaceValue
// (*old receives the previous value).
//
//export goRM_TypeValue
func goRM_TypeValue(kh, th C.uintptr_t, v unsafe.Pointer, old *unsafe.Pointer, replace C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(kh).key
	t := cgo.Handle(th).Value().(*typeState).t
	if replace == 0 {
		return C.int(module.ModuleTypeSetValue(k, t, typeVal{v}))
	}
	prev, rc := module.ModuleTypeReplaceValue(k, t, typeVal{v})
	if rc == module.OK && old != nil {
		*old = valOf(prev)
	}
	return C.int(rc)
}

//export goRM_TypeGetType
func goRM_TypeGetType(kh C.uintptr_t) (ret *C.RedisModuleType) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	t := module.ModuleTypeGetType(keyOf(kh).key)
	if t == nil {
		return nil
	}
	p, _ := t.Owner.(unsafe.Pointer)
	return (*C.RedisModuleType)(p) // nil for a Go module's type
}

//export goRM_TypeGetValue
func goRM_TypeGetValue(kh C.uintptr_t) (ret unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	return valOf(module.ModuleTypeGetValue(keyOf(kh).key))
}
