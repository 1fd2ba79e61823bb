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
int rmb_call_aux_load(void *fn, RedisModuleIO *io, int encver, int when);
void rmb_call_aux_save(void *fn, RedisModuleIO *io, int when);
size_t rmb_call_free_effort(void *fn, RedisModuleString *key, void *v);
void rmb_call_unlink(void *fn, RedisModuleString *key, void *v);
void *rmb_call_copy(void *fn, RedisModuleString *from, RedisModuleString *to, void *v);
size_t rmb_call_mem_usage2(void *fn, RedisModuleKeyOptCtx *o, void *v, size_t samples);
size_t rmb_call_free_effort2(void *fn, RedisModuleKeyOptCtx *o, void *v);
void rmb_call_unlink2(void *fn, RedisModuleKeyOptCtx *o, void *v);
void *rmb_call_copy2(void *fn, RedisModuleKeyOptCtx *o, void *v);
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
	c.h = C.uintptr_t(newHandle(io))
	return c
}

func freeIO(c *C.RedisModuleIO) {
	if c.ctx != nil {
		freeCtx(c.ctx)
	}
	if c.key != nil {
		C.rmb_str_decr(c.key)
	}
	deleteHandle(cgo.Handle(c.h))
	C.rm_Free(unsafe.Pointer(c))
}

// keyArg is a C copy of a key name for one type callback (nil for nil);
// drop it with dropKey.
func keyArg(k *module.String) *C.RedisModuleString {
	if k == nil {
		return nil
	}
	return newCString(nil, k.Bytes())
}

func dropKey(s *C.RedisModuleString) {
	if s != nil {
		C.rmb_str_decr(s)
	}
}

// optCtx is a RedisModuleKeyOptCtx for one v4 type callback; freeOptCtx
// ends it.
func optCtx(from, to *module.String) *C.RedisModuleKeyOptCtx {
	o := (*C.RedisModuleKeyOptCtx)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleKeyOptCtx{}))))
	o.from_key, o.to_key = keyArg(from), keyArg(to)
	o.from_dbid, o.to_dbid = -1, -1
	return o
}

// optCtxOf is the C RedisModuleKeyOptCtx of an engine one (key names
// and db ids); freeOptCtx ends it.
func optCtxOf(k *module.KeyOptCtx) *C.RedisModuleKeyOptCtx {
	o := optCtx(module.GetKeyNameFromOptCtx(k), module.GetToKeyNameFromOptCtx(k))
	o.from_dbid, o.to_dbid = C.int(module.GetDbIdFromOptCtx(k)), C.int(module.GetToDbIdFromOptCtx(k))
	return o
}

func freeOptCtx(o *C.RedisModuleKeyOptCtx) {
	dropKey(o.from_key)
	dropKey(o.to_key)
	C.rm_Free(unsafe.Pointer(o))
}

// memUsageSamples is what mem_usage2 gets as sample_size: MEMORY USAGE's
// default (the engine's hook has no sample count).
const memUsageSamples = 5

// goRM_CreateDataType: m holds the RMB_TYPE_METHODS slots rm_CreateDataType
// read for the module's declared version (rdb_load, rdb_save, aof_rewrite,
// mem_usage, digest, free; v2 aux_load, aux_save; v3 free_effort, unlink,
// copy, defrag; v4 mem_usage2, free_effort2, unlink2, copy2), NULL beyond
// it. A v4 method wins over its older form, as in Redis. defrag is kept
// by nobody: the server has no active defragmentation.
//
//export goRM_CreateDataType
func goRM_CreateDataType(ctx *C.RedisModuleCtx, name *C.char, encver C.int, version C.longlong, m *unsafe.Pointer, triggers C.int) (ret *C.RedisModuleType) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := stateOf(ctx)
	fns := unsafe.Slice(m, C.RMB_TYPE_METHODS)
	load, save, rewrite, mem, digest, free := fns[0], fns[1], fns[2], fns[3], fns[4], fns[5]
	auxLoad, auxSave := fns[6], fns[7]
	effort, unlink, cp := fns[8], fns[9], fns[10]
	mem2, effort2, unlink2, cp2 := fns[12], fns[13], fns[14], fns[15]
	tm := &module.TypeMethods{AuxSaveTriggers: int(triggers)}
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
	if mem2 != nil {
		tm.MemUsage = func(v any) uint64 {
			o := optCtx(nil, nil)
			defer freeOptCtx(o)
			return uint64(C.rmb_call_mem_usage2(mem2, o, valOf(v), memUsageSamples))
		}
	} else if mem != nil {
		tm.MemUsage = func(v any) uint64 { return uint64(C.rmb_call_mem_usage(mem, valOf(v))) }
	}
	if digest != nil {
		tm.Digest = func(d *module.Digest, v any) {
			c := (*C.RedisModuleDigest)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleDigest{}))))
			h := newHandle(d)
			c.h = C.uintptr_t(h)
			c.key, c.dbid = keyArg(module.GetKeyNameFromDigest(d)), C.int(module.GetDbIdFromDigest(d))
			C.rmb_call_digest(digest, c, valOf(v))
			dropKey(c.key)
			deleteHandle(h)
			C.rm_Free(unsafe.Pointer(c))
		}
	}
	if free != nil {
		tm.Free = func(v any) { C.rmb_call_type_free(free, valOf(v)) }
	}
	if auxLoad != nil {
		tm.AuxLoad = func(io *module.IO, encver, when int) int {
			c := newIO(io)
			defer freeIO(c)
			return int(C.rmb_call_aux_load(auxLoad, c, C.int(encver), C.int(when)))
		}
	}
	if auxSave != nil {
		tm.AuxSave = func(io *module.IO, when int) {
			c := newIO(io)
			defer freeIO(c)
			C.rmb_call_aux_save(auxSave, c, C.int(when))
		}
	}
	if effort2 != nil {
		tm.FreeEffort = func(key *module.String, v any) uint64 {
			o := optCtx(key, nil)
			defer freeOptCtx(o)
			return uint64(C.rmb_call_free_effort2(effort2, o, valOf(v)))
		}
	} else if effort != nil {
		tm.FreeEffort = func(key *module.String, v any) uint64 {
			k := keyArg(key)
			defer dropKey(k)
			return uint64(C.rmb_call_free_effort(effort, k, valOf(v)))
		}
	}
	if unlink2 != nil {
		tm.Unlink = func(key *module.String, v any) {
			o := optCtx(key, nil)
			defer freeOptCtx(o)
			C.rmb_call_unlink2(unlink2, o, valOf(v))
		}
	} else if unlink != nil {
		tm.Unlink = func(key *module.String, v any) {
			k := keyArg(key)
			defer dropKey(k)
			C.rmb_call_unlink(unlink, k, valOf(v))
		}
	}
	if cp2 != nil || cp != nil {
		tm.Copy = func(from, to *module.String, v any) any {
			var p unsafe.Pointer
			if cp2 != nil {
				o := optCtx(from, to)
				p = C.rmb_call_copy2(cp2, o, valOf(v))
				freeOptCtx(o)
			} else {
				f, t := keyArg(from), keyArg(to)
				p = C.rmb_call_copy(cp, f, t, valOf(v))
				dropKey(f)
				dropKey(t)
			}
			if p == nil {
				return nil
			}
			return typeVal{p}
		}
	}
	t := st.ctx.CreateDataType(C.GoString(name), int(encver), tm)
	if t == nil {
		return nil
	}
	t.SetTypeMethods4(typeMethods4(mem2, effort2, unlink2, cp2))
	c := (*C.RedisModuleType)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleType{}))))
	c.h = C.uintptr_t(newHandle(&typeState{t: t, mod: st.mod}))
	t.Owner = unsafe.Pointer(c)
	if st.mod != nil {
		st.mod.types = append(st.mod.types, c)
	}
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

// typeMethods4 wraps the v4 C methods (any may be NULL) so they get the
// engine's key names and db ids.
func typeMethods4(mem2, effort2, unlink2, cp2 unsafe.Pointer) module.TypeMethods4 {
	var m module.TypeMethods4
	if mem2 != nil {
		m.MemUsage2 = func(k *module.KeyOptCtx, v any, samples int) uint64 {
			o := optCtxOf(k)
			defer freeOptCtx(o)
			return uint64(C.rmb_call_mem_usage2(mem2, o, valOf(v), C.size_t(samples)))
		}
	}
	if effort2 != nil {
		m.FreeEffort2 = func(k *module.KeyOptCtx, v any) uint64 {
			o := optCtxOf(k)
			defer freeOptCtx(o)
			return uint64(C.rmb_call_free_effort2(effort2, o, valOf(v)))
		}
	}
	if unlink2 != nil {
		m.Unlink2 = func(k *module.KeyOptCtx, v any) {
			o := optCtxOf(k)
			defer freeOptCtx(o)
			C.rmb_call_unlink2(unlink2, o, valOf(v))
		}
	}
	if cp2 != nil {
		m.Copy2 = func(k *module.KeyOptCtx, v any) any {
			o := optCtxOf(k)
			p := C.rmb_call_copy2(cp2, o, valOf(v))
			freeOptCtx(o)
			if p == nil {
				return nil
			}
			return typeVal{p}
		}
	}
	return m
}
