//go:build cgo

package cabi

/*
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
*/
import "C"

import (
	"sync"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

func replyOf(h C.uintptr_t) *module.CallReply { return replies.get(uintptr(h)) }

// goRM_Call runs a formatted RM_Call. argv points at borrowed C memory;
// the reply is a new root C reply owned by the module (FreeCallReply or
// auto memory). *errp receives the errno when there is no reply.
//
//export goRM_Call
func goRM_Call(ctx *C.RedisModuleCtx, cmd *C.char, ptrs **C.char, lens *C.size_t, argc C.int, opts *C.char, errp *C.int, proto *C.uintptr_t, protolen *C.size_t) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			*errp = C.int(module.EINVAL)
			ret = 0
		}
	}()
	st := stateOf(ctx)
	st.syncDMA()
	n := int(argc)
	ps := unsafe.Slice(ptrs, n)
	ls := unsafe.Slice(lens, n)
	argv := st.callArgv[:0]
	for i := 0; i < n; i++ {
		argv = append(argv, cBytes(ps[i], ls[i]))
	}
	st.callArgv = argv
	defer clear(argv) // C memory: no reference may outlive the call
	r, errno := st.ctx.Call(goStr(cmd), argv, goStr(opts))
	if r == nil {
		*errp = C.int(errno)
		return 0
	}
	if b := r.Proto(); len(b) > 0 && ctx.deferclose != 0 {
		// The reply (and so its bytes) stays in the handle table until
		// released after the command (rmb_defer_release).
		*proto, *protolen = C.uintptr_t(uintptr(unsafe.Pointer(&b[0]))), C.size_t(len(b))
	}
	return C.uintptr_t(replies.put(r))
}

//export goRM_Replicate
func goRM_Replicate(ctx *C.RedisModuleCtx, cmd *C.char, ptrs **C.char, lens *C.size_t, argc C.int, opts *C.char) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	n := int(argc)
	ps := unsafe.Slice(ptrs, n)
	ls := unsafe.Slice(lens, n)
	argv := make([][]byte, n)
	for i := range argv {
		argv[i] = cBytes(ps[i], ls[i]) // Replicate copies
	}
	return C.int(stateOf(ctx).ctx.Replicate(C.GoString(cmd), argv, C.GoString(opts)))
}

//export goRM_ReplyRelease
func goRM_ReplyRelease(h C.uintptr_t, child C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	if child == 0 {
		(*module.Ctx)(nil).FreeCallReply(replyOf(h))
	}
	replies.release(uintptr(h), false)
}

// goRM_ReplyInt: 0 type, 1 length, 2 integer, 3 bool, 4 element slots.
//
//export goRM_ReplyInt
func goRM_ReplyInt(h C.uintptr_t, op C.int) (ret C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	r := replyOf(h)
	switch op {
	case 0:
		return C.longlong(module.CallReplyType(r))
	case 1:
		return C.longlong(module.CallReplyLength(r))
	case 2:
		return C.longlong(module.CallReplyInteger(r))
	case 3:
		if module.CallReplyBool(r) {
			return 1
		}
		return 0
	case 4:
		switch module.CallReplyType(r) {
		case module.ReplyArray, module.ReplySet:
			return C.longlong(module.CallReplyLength(r))
		case module.ReplyMap, module.ReplyAttribute:
			return C.longlong(2 * module.CallReplyLength(r))
		}
	}
	return 0
}

//export goRM_ReplyAttr
func goRM_ReplyAttr(h C.uintptr_t) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	a := module.CallReplyAttribute(replyOf(h))
	if a == nil {
		return 0
	}
	return C.uintptr_t(replies.put(a))
}

//export goRM_ReplyDouble
func goRM_ReplyDouble(h C.uintptr_t) (ret C.double) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	return C.double(module.CallReplyDouble(replyOf(h)))
}

// goRM_ReplyElem returns a handle to element slot i (map slots alternate
// key, value), 0 if none.
//
//export goRM_ReplyElem
func goRM_ReplyElem(h C.uintptr_t, i C.size_t) (ret C.uintptr_t) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	r := replyOf(h)
	var e *module.CallReply
	switch module.CallReplyType(r) {
	case module.ReplyArray:
		e = module.CallReplyArrayElement(r, int(i))
	case module.ReplySet:
		e = module.CallReplySetElement(r, int(i))
	case module.ReplyMap, module.ReplyAttribute:
		var k, v *module.CallReply
		if module.CallReplyType(r) == module.ReplyMap {
			k, v, _ = module.CallReplyMapElement(r, int(i/2))
		} else {
			k, v, _ = module.CallReplyAttributeElement(r, int(i/2))
		}
		e = k
		if i%2 == 1 {
			e = v
		}
	}
	if e == nil {
		return 0
	}
	return C.uintptr_t(replies.put(e))
}

// goRM_CallReplyText copies a reply's text into new C memory (*out, owned by
// the C reply): kind 0 string/error, 1 big number, 2 verbatim (with
// *format), 3 the protocol. 0 when the reply has no such text.
//
//export goRM_CallReplyText
func goRM_CallReplyText(h C.uintptr_t, kind C.int, out **C.char, n *C.size_t, format **C.char) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	r := replyOf(h)
	var b []byte
	switch kind {
	case 0:
		b = module.CallReplyStringPtr(r)
	case 1:
		b = module.CallReplyBigNumber(r)
	case 2:
		var f string
		b, f = module.CallReplyVerbatim(r)
		if b != nil && *format == nil {
			*format = cAllocString(f)
		}
	case 3:
		b = r.Proto()
	}
	if b == nil {
		return 0
	}
	*out = cAllocBytes(b)
	*n = C.size_t(len(b))
	return 1
}

// goStr converts a C string for Call: the command names and option
// strings modules use are interned instead of allocated on every call.
func goStr(p *C.char) string {
	if p == nil {
		return ""
	}
	// Find the NUL in Go: a C.strlen here would be a nested cgo call.
	n := 0
	for ; n <= 32; n++ {
		if *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) == 0 {
			break
		}
	}
	if n == 0 {
		return ""
	}
	if n > 32 {
		return C.GoString(p)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
	interned.mu.Lock()
	defer interned.mu.Unlock()
	if s, ok := interned.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(interned.m) < 1024 {
		if interned.m == nil {
			interned.m = map[string]string{}
		}
		interned.m[s] = s
	}
	return s
}

var interned struct {
	mu sync.Mutex
	m  map[string]string
}

// cAllocBytes copies b into rm_Alloc memory, NUL terminated.
func cAllocBytes(b []byte) *C.char {
	p := C.rm_Alloc(C.size_t(len(b) + 1))
	dst := unsafe.Slice((*byte)(p), len(b)+1)
	copy(dst, b)
	dst[len(b)] = 0
	return (*C.char)(p)
}

func cAllocString(s string) *C.char { return cAllocBytes([]byte(s)) }
