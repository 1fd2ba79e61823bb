//go:build cgo

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
RedisModuleString *rmb_cfg_get_string(void *fn, const char *name, void *priv);
long long rmb_cfg_get_numeric(void *fn, const char *name, void *priv);
int rmb_cfg_get_bool(void *fn, const char *name, void *priv);
int rmb_cfg_get_enum(void *fn, const char *name, void *priv);
int rmb_cfg_set_string(void *fn, const char *name, RedisModuleString *v, void *priv, RedisModuleString **err);
int rmb_cfg_set_numeric(void *fn, const char *name, long long v, void *priv, RedisModuleString **err);
int rmb_cfg_set_bool(void *fn, const char *name, int v, void *priv, RedisModuleString **err);
int rmb_cfg_set_enum(void *fn, const char *name, int v, void *priv, RedisModuleString **err);
int rmb_cfg_apply(void *fn, RedisModuleCtx *ctx, void *priv, RedisModuleString **err);
*/
import "C"

import (
	"errors"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// errSetConfig is the error of a setter or apply callback that failed
// without an error string.
var errSetConfig = errors.New("Error setting the module config")

// cfgErr turns a callback's result and error string into a Go error,
// taking ownership of (and freeing) the error string.
func cfgErr(rc C.int, e *C.RedisModuleString) error {
	var err error
	if rc != module.OK {
		err = errSetConfig
		if e != nil {
			err = errors.New(string(cBytes(e.ptr, e.len)))
		}
	}
	if e != nil {
		C.rmb_str_decr(e)
	}
	return err
}

// goRM_RegisterConfig: kind 0 string (sdef), 1 bool, 2 numeric
// (min/max), 3 enum (names/vals/n); def is the integer default.
//
//export goRM_RegisterConfig
func goRM_RegisterConfig(ctx *C.RedisModuleCtx, kind C.int, name *C.char, sdef *C.char, def C.longlong, flags C.uint,
	min, max C.longlong, names **C.char, vals *C.int, n C.int, getfn, setfn, applyfn, priv unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	if getfn == nil || setfn == nil {
		return module.ERR
	}
	st := stateOf(ctx)
	m := st.mod
	nm := C.GoString(name)
	var apply module.ConfigApplyFunc
	if applyfn != nil {
		apply = func(g *module.Ctx) error {
			cctx := newCtx(g, m)
			defer freeCtx(cctx)
			var e *C.RedisModuleString
			return cfgErr(C.rmb_cfg_apply(applyfn, cctx, priv, &e), e)
		}
	}
	cname := func(full string) (*C.char, func()) {
		c := C.CString(full)
		return c, func() { C.free(unsafe.Pointer(c)) }
	}
	g := st.ctx
	// CONFIG SET runs an apply callback shared by several configs once:
	// it is known by its C function and private data, as in Redis.
	defer func() {
		if ret == module.OK && applyfn != nil && g.Module() != nil {
			if mc := g.Engine().LookupConfig(g.Module().Name + "." + nm); mc != nil {
				mc.SetApplyKey([2]uintptr{uintptr(applyfn), uintptr(priv)})
			}
		}
	}()
	switch kind {
	case 0:
		get := func(full string) string {
			c, done := cname(full)
			defer done()
			s := C.rmb_cfg_get_string(getfn, c, priv)
			if s == nil {
				return ""
			}
			return string(cBytes(s.ptr, s.len))
		}
		set := func(full, v string) error {
			c, done := cname(full)
			defer done()
			cs := newCString(nil, []byte(v))
			defer C.rmb_str_decr(cs)
			var e *C.RedisModuleString
			return cfgErr(C.rmb_cfg_set_string(setfn, c, cs, priv, &e), e)
		}
		var d string
		if sdef != nil {
			d = C.GoString(sdef)
		}
		return C.int(g.RegisterStringConfig(nm, d, int(flags), get, set, apply))
	case 1:
		get := func(full string) bool {
			c, done := cname(full)
			defer done()
			return C.rmb_cfg_get_bool(getfn, c, priv) != 0
		}
		set := func(full string, v bool) error {
			c, done := cname(full)
			defer done()
			var iv C.int
			if v {
				iv = 1
			}
			var e *C.RedisModuleString
			return cfgErr(C.rmb_cfg_set_bool(setfn, c, iv, priv, &e), e)
		}
		return C.int(g.RegisterBoolConfig(nm, def != 0, int(flags), get, set, apply))
	case 2:
		get := func(full string) int64 {
			c, done := cname(full)
			defer done()
			return int64(C.rmb_cfg_get_numeric(getfn, c, priv))
		}
		set := func(full string, v int64) error {
			c, done := cname(full)
			defer done()
			var e *C.RedisModuleString
			return cfgErr(C.rmb_cfg_set_numeric(setfn, c, C.longlong(v), priv, &e), e)
		}
		return C.int(g.RegisterNumericConfig(nm, int64(def), int(flags), int64(min), int64(max), get, set, apply))
	case 3:
		if n <= 0 || names == nil || vals == nil {
			return module.ERR
		}
		cn := unsafe.Slice(names, int(n))
		cv := unsafe.Slice(vals, int(n))
		gn := make([]string, n)
		gv := make([]int, n)
		for i := range gn {
			gn[i] = C.GoString(cn[i])
			gv[i] = int(cv[i])
		}
		get := func(full string) int {
			c, done := cname(full)
			defer done()
			return int(C.rmb_cfg_get_enum(getfn, c, priv))
		}
		set := func(full string, v int) error {
			c, done := cname(full)
			defer done()
			var e *C.RedisModuleString
			return cfgErr(C.rmb_cfg_set_enum(setfn, c, C.int(v), priv, &e), e)
		}
		return C.int(g.RegisterEnumConfig(nm, int(def), int(flags), gn, gv, get, set, apply))
	}
	return module.ERR
}
