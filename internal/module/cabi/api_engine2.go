//go:build cgo

package cabi

/*
#include "bridge.h"
void rm_Yield(RedisModuleCtx *ctx, int flags, const char *busy_reply);
int rm_SetLRU(RedisModuleKey *key, mstime_t lru_idle);
int rm_GetLRU(RedisModuleKey *key, mstime_t *lru_idle);
int rm_SetLFU(RedisModuleKey *key, long long lfu_freq);
int rm_GetLFU(RedisModuleKey *key, long long *lfu_freq);
int rm_ScanKey(RedisModuleKey *key, RedisModuleScanCursor *cursor, RedisModuleScanKeyCB fn, void *privdata);
void rmb_call_scankey(void *fn, RedisModuleKey *key, const char *f, size_t flen, const char *v, size_t vlen,
                      int hasv, void *priv);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// The C side of Yield, the LRU/LFU APIs and ScanKey (kept in their own
// files; registered into bridgeAPI here).
func init() {
	bridgeAPI = append(bridgeAPI, []struct {
		name string
		fn   unsafe.Pointer
	}{
		{"RedisModule_Yield", C.rm_Yield},
		{"RedisModule_SetLRU", C.rm_SetLRU},
		{"RedisModule_GetLRU", C.rm_GetLRU},
		{"RedisModule_SetLFU", C.rm_SetLFU},
		{"RedisModule_GetLFU", C.rm_GetLFU},
		{"RedisModule_ScanKey", C.rm_ScanKey},
	}...)
}

//export goRM_Yield
func goRM_Yield(ctx *C.RedisModuleCtx, flags C.int, reply *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	msg := ""
	if reply != nil {
		msg = C.GoString(reply)
	}
	stateOf(ctx).ctx.Yield(int(flags), msg)
}

// goRM_KeyAccess: op 0 SetLRU(arg), 1 GetLRU, 2 SetLFU(arg), 3 GetLFU;
// the Get forms store the value in *out.
//
//export goRM_KeyAccess
func goRM_KeyAccess(h C.uintptr_t, op C.int, arg C.longlong, out *C.longlong) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(h).key
	var v int64
	var r int
	switch op {
	case 0:
		return C.int(k.SetLRU(int64(arg)))
	case 1:
		v, r = k.GetLRU()
	case 2:
		return C.int(k.SetLFU(int64(arg)))
	default:
		v, r = k.GetLFU()
	}
	if out != nil {
		*out = C.longlong(v)
	}
	return C.int(r)
}

//export goRM_ScanKey
func goRM_ScanKey(ck *C.RedisModuleKey, h, cur C.uintptr_t, fn, priv unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	k := keyOf(h).key
	c := cgo.Handle(cur).Value().(*module.ScanCursor)
	more, errno := k.ScanKey(c, func(_ *module.Key, f, v *module.String) {
		fb := f.Bytes()
		var vb []byte
		hasv := C.int(0)
		if v != nil {
			vb, hasv = v.Bytes(), 1
		}
		C.rmb_call_scankey(fn, ck, cptr(fb), C.size_t(len(fb)), cptr(vb), C.size_t(len(vb)), hasv, priv)
	})
	setErrno(int(errno))
	if more {
		return 1
	}
	return 0
}

// cptr is a C view of b (nil when empty), valid while b is alive and
// unmoved: the callee copies it.
func cptr(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}
