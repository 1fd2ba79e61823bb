//go:build cgo

package cabi

/*
#include "bridge.h"
void rmb_key_sync(RedisModuleKey *k);
*/
import "C"

import (
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// keyState is the Go side of a RedisModuleKey.
type keyState struct {
	key *module.Key
	st  *ctxState
}

func keyOf(h C.uintptr_t) *keyState { return keys.get(uintptr(h)) }

func init() {
	// Any module write makes the C key handles forget what they cached.
	module.WriteHook = func() { C.rmb_epoch++ }
}

// closeDeferred releases what a command context queued for the end of
// the command: READ keys rm_CloseKey closed and call replies
// rm_FreeCallReply freed (rmb_defer_release).
func closeDeferred(c *C.RedisModuleCtx) {
	n := int(c.nclosed)
	if n == 0 {
		return
	}
	for _, tagged := range unsafe.Slice(c.closed, n) {
		h := tagged >> 2
		switch tagged & 3 {
		case C.RMB_DEFER_KEY:
			if ks := keyOf(h); ks != nil {
				ks.st.ctx.CloseKey(ks.key)
				ks.key, ks.st = nil, nil
				keys.release(uintptr(h), true)
			}
		case C.RMB_DEFER_REPLY:
			if r := replyOf(h); r != nil {
				(*module.Ctx)(nil).FreeCallReply(r)
			}
			replies.release(uintptr(h), false)
		case C.RMB_DEFER_CHILD:
			replies.release(uintptr(h), false)
		}
	}
	c.nclosed = 0
}

//export goRM_CtxInt
func goRM_CtxInt(ctx *C.RedisModuleCtx, op, arg C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	switch op {
	case 0:
		return C.int(g.GetSelectedDb())
	case 1:
		return C.int(g.SelectDb(int(arg)))
	}
	return module.ERR
}

//export goRM_KeyExists
func goRM_KeyExists(ctx *C.RedisModuleCtx, p *C.char, n C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	if stateOf(ctx).ctx.KeyExists(module.NewString(cBytes(p, n))) {
		return 1
	}
	return 0
}

// goRM_OpenKey returns the handle of the opened Go key, 0 for none.
//
//export goRM_OpenKey
func goRM_OpenKey(ctx *C.RedisModuleCtx, p *C.char, n C.size_t, mode C.int, info *C.rmbKeyInfo) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	st := stateOf(ctx)
	k := st.ctx.OpenKeyBytes(cBytes(p, n), int(mode))
	if k == nil {
		return 0
	}
	h, ks := keys.alloc()
	ks.key, ks.st = k, st
	info._type = C.int(module.KeyType(k))
	if b, ok := module.StringBytes(k); ok {
		// The C key keeps a pointer to the value's bytes for READ
		// StringDMA (rmb_epoch tells it when they may have changed); the
		// keyspace keeps them alive, and the garbage collector does not
		// move heap memory.
		info.hasv, info.len = 1, C.size_t(len(b))
		if len(b) > 0 {
			info.ptr = C.uintptr_t(uintptr(unsafe.Pointer(&b[0])))
		}
	}
	return C.uintptr_t(h)
}

//export goRM_CloseKey
func goRM_CloseKey(h C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	ks := keyOf(h)
	ks.st.ctx.CloseKey(ks.key)
	ks.key, ks.st = nil, nil
	keys.release(uintptr(h), true)
}

// goRM_KeyOp runs the key APIs that take and return integers.
//
//export goRM_KeyOp
func goRM_KeyOp(h C.uintptr_t, op C.int, arg C.longlong) (ret C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(h).key
	switch op {
	case 0:
		return C.longlong(module.KeyType(k))
	case 1:
		return C.longlong(module.ValueLength(k))
	case 2:
		return C.longlong(module.DeleteKey(k))
	case 3:
		return C.longlong(module.UnlinkKey(k))
	case 4:
		return C.longlong(module.GetExpire(k))
	case 5:
		return C.longlong(module.SetExpire(k, int64(arg)))
	case 6:
		return C.longlong(module.GetDbIdFromModuleKey(k))
	case 7:
		return C.longlong(module.StringTruncate(k, int64(arg)))
	case 8:
		return C.longlong(module.GetAbsExpire(k))
	case 9:
		return C.longlong(module.SetAbsExpire(k, int64(arg)))
	}
	return module.ERR
}

//export goRM_StringSet
func goRM_StringSet(h C.uintptr_t, p *C.char, n C.size_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	return C.int(module.StringSet(keyOf(h).key, module.NewString(cBytes(p, n))))
}

// goRM_StringDMA returns a C copy of the string value (owned by the key),
// nil for a value that is not a string.
//
//export goRM_StringDMA
func goRM_StringDMA(h C.uintptr_t, mode C.int, n *C.size_t) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	b := module.StringDMA(keyOf(h).key, int(mode))
	if b == nil {
		return nil
	}
	buf := C.rm_Alloc(C.size_t(len(b) + 1))
	dst := unsafe.Slice((*byte)(buf), len(b)+1)
	copy(dst, b)
	dst[len(b)] = 0
	*n = C.size_t(len(b))
	return (*C.char)(buf)
}

// goRM_DMAWriteBack copies a module-modified DMA buffer into the value.
//
//export goRM_DMAWriteBack
func goRM_DMAWriteBack(h C.uintptr_t, p *C.char, n C.size_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	dst := module.StringDMA(keyOf(h).key, module.Write)
	if len(dst) == int(n) {
		copy(dst, cBytes(p, n))
	}
}

// goRM_DMATrack records (on=1) or forgets the keys of ctx with a writable
// DMA buffer, which are written back before a Call.
//
//export goRM_DMATrack
func goRM_DMATrack(ctx *C.RedisModuleCtx, k *C.RedisModuleKey, on C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	st := stateOf(ctx)
	if st == nil {
		return
	}
	if on != 0 {
		if st.dmaKeys == nil {
			st.dmaKeys = map[*C.RedisModuleKey]bool{}
		}
		st.dmaKeys[k] = true
	} else {
		delete(st.dmaKeys, k)
	}
}

// syncDMA writes back every writable DMA buffer of the context.
func (st *ctxState) syncDMA() {
	for k := range st.dmaKeys {
		C.rmb_key_sync(k)
	}
}
