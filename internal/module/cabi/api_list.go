//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import "github.com/modis/modis/internal/module"

// goRM_ListOp runs ListPush (op 0, arg = where), ListSet (1), ListInsert
// (2) and ListDelete (3, no value) on the Go key; on failure it stores the
// errno in *errOut.
//
//export goRM_ListOp
func goRM_ListOp(h C.uintptr_t, op C.int, arg C.long, p *C.char, n C.size_t, errOut *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(h).key
	var v *module.String
	if op <= 2 {
		v = module.NewString(cBytes(p, n))
	}
	var rc int
	var errno module.Errno
	switch op {
	case 0:
		rc, errno = module.ListPush(k, int(arg), v)
	case 1:
		rc, errno = module.ListSet(k, int64(arg), v)
	case 2:
		rc, errno = module.ListInsert(k, int64(arg), v)
	case 3:
		rc, errno = module.ListDelete(k, int64(arg))
	default:
		rc, errno = module.ERR, module.EINVAL
	}
	if rc != module.OK {
		*errOut = C.int(errno)
	}
	return C.int(rc)
}

// goRM_ListGet runs ListGet (pop 0, arg = index) or ListPop (pop 1, arg =
// where) and returns a new C string for ctx (auto memory applies), or
// NULL with the errno in *errOut.
//
//export goRM_ListGet
func goRM_ListGet(ctx *C.RedisModuleCtx, h C.uintptr_t, pop C.int, arg C.long, errOut *C.int) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	ks := keyOf(h)
	var s *module.String
	var errno module.Errno
	if pop != 0 {
		s, errno = module.ListPop(ks.key, int(arg))
	} else {
		s, errno = module.ListGet(ks.key, int64(arg))
	}
	if s == nil {
		*errOut = C.int(errno)
		return nil
	}
	b := s.Bytes()
	ks.st.ctx.FreeString(s)
	return newCString(ctx, b)
}
