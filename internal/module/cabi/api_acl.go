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

// userOf is the engine user behind a RedisModuleUser's handle.
func userOf(h C.uintptr_t) *module.User {
	if h == 0 {
		return nil
	}
	return cgo.Handle(h).Value().(*module.User)
}

//export goRM_CreateModuleUser
func goRM_CreateModuleUser(name *C.char) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	e := anyEngine()
	if e == nil || name == nil {
		return 0
	}
	return C.uintptr_t(newHandle(e.CreateModuleUser(C.GoString(name))))
}

//export goRM_FreeModuleUser
func goRM_FreeModuleUser(h C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	if e := anyEngine(); e != nil {
		e.FreeModuleUser(userOf(h))
	}
	deleteHandle(cgo.Handle(h))
}

//export goRM_SetModuleUserACL
func goRM_SetModuleUserACL(h C.uintptr_t, rule *C.char, perr *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	e := anyEngine()
	if e == nil || rule == nil {
		return module.ERR
	}
	rc, en := e.SetModuleUserACL(userOf(h), C.GoString(rule))
	*perr = C.int(en)
	return C.int(rc)
}

//export goRM_SetModuleUserACLString
func goRM_SetModuleUserACLString(ctx *C.RedisModuleCtx, h C.uintptr_t, rules *C.char, errOut **C.RedisModuleString) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	var mctx *module.Ctx
	if st := stateOf(ctx); st != nil {
		mctx = st.ctx
	}
	if rules == nil {
		return module.ERR
	}
	rc, msg := mctx.SetModuleUserACLString(userOf(h), C.GoString(rules))
	if rc != module.OK && msg != nil && errOut != nil {
		*errOut = newCString(ctx, msg.Bytes())
	}
	return C.int(rc)
}

//export goRM_GetModuleUserACLString
func goRM_GetModuleUserACLString(h C.uintptr_t) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	e := anyEngine()
	if e == nil {
		return nil
	}
	s := e.GetModuleUserACLString(userOf(h))
	if s == nil {
		return nil
	}
	return newCString(nil, s.Bytes())
}

//export goRM_GetCurrentUserName
func goRM_GetCurrentUserName(ctx *C.RedisModuleCtx) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	s := stateOf(ctx).ctx.GetCurrentUserName()
	if s == nil {
		return nil
	}
	return newCString(ctx, s.Bytes())
}

//export goRM_GetModuleUserFromUserName
func goRM_GetModuleUserFromUserName(name *C.char, n C.size_t) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	e := anyEngine()
	if e == nil {
		return 0
	}
	u := e.GetModuleUserFromUserName(module.NewString(cBytes(name, n)))
	if u == nil {
		return 0
	}
	return C.uintptr_t(newHandle(u))
}

// goRM_ACLCheck serves the three checks: kind 0 a command line, 1 a key,
// 2 a channel (argv[0] is the key or channel).
//
//export goRM_ACLCheck
func goRM_ACLCheck(h C.uintptr_t, kind C.int, argv **C.RedisModuleString, argc, flags C.int, perr *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	e := anyEngine()
	if e == nil || argc <= 0 || argv == nil {
		*perr = C.int(module.ENOENT)
		return module.ERR
	}
	cargs := unsafe.Slice(argv, int(argc))
	args := make([]*module.String, len(cargs))
	for i, a := range cargs {
		if a == nil {
			*perr = C.int(module.EINVAL)
			return module.ERR
		}
		args[i] = goString(a)
	}
	u := userOf(h)
	var rc int
	var en module.Errno
	switch kind {
	case 0:
		rc, en = e.ACLCheckCommandPermissions(u, args)
	case 1:
		rc, en = e.ACLCheckKeyPermissions(u, args[0], int(flags))
	default:
		rc, en = e.ACLCheckChannelPermissions(u, args[0], int(flags))
	}
	*perr = C.int(en)
	return C.int(rc)
}

//export goRM_ACLAddLogEntry
func goRM_ACLAddLogEntry(ctx *C.RedisModuleCtx, h C.uintptr_t, obj *C.char, n C.size_t, reason C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	stateOf(ctx).ctx.ACLAddLogEntry(userOf(h), module.NewString(cBytes(obj, n)), int(reason))
}

//export goRM_AuthenticateClient
func goRM_AuthenticateClient(ctx *C.RedisModuleCtx, h C.uintptr_t, name *C.char, n C.size_t, fn, priv unsafe.Pointer, clientID *C.uint64_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	var cb func(uint64)
	if fn != nil {
		cb = func(id uint64) { C.rmb_call_userchanged(fn, C.uint64_t(id), priv) }
	}
	mctx := stateOf(ctx).ctx
	var rc int
	var id uint64
	if h != 0 {
		rc, id = mctx.AuthenticateClientWithUser(userOf(h), cb)
	} else {
		rc, id = mctx.AuthenticateClientWithACLUser(append([]byte(nil), cBytes(name, n)...), cb)
	}
	if rc == module.OK && clientID != nil {
		*clientID = C.uint64_t(id)
	}
	return C.int(rc)
}

//export goRM_DeauthenticateAndCloseClient
func goRM_DeauthenticateAndCloseClient(ctx *C.RedisModuleCtx, id C.uint64_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(stateOf(ctx).ctx.DeauthenticateAndCloseClient(uint64(id)))
}

//export goRM_GetClientUserNameById
func goRM_GetClientUserNameById(ctx *C.RedisModuleCtx, id C.uint64_t, perr *C.int) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	s, en := stateOf(ctx).ctx.GetClientUserNameById(uint64(id))
	if s == nil {
		*perr = C.int(en)
		return nil
	}
	return newCString(ctx, s.Bytes())
}

//export goRM_SetContextUser
func goRM_SetContextUser(ctx *C.RedisModuleCtx, h C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	stateOf(ctx).ctx.SetContextUser(userOf(h))
}
