//go:build cgo

package cabi

/*
#include <stdlib.h>
#include <string.h>
#include "bridge.h"
size_t rm_GetClusterSize(void);
const char *rm_GetMyClusterID(void);
char **rm_GetClusterNodesList(RedisModuleCtx *ctx, size_t *numnodes);
void rm_FreeClusterNodesList(char **ids);
int rm_GetClusterNodeInfo(RedisModuleCtx *ctx, const char *id, char *ip, char *master_id, int *port, int *flags);
int rm_SendClusterMessage(RedisModuleCtx *ctx, const char *target_id, uint8_t type, const char *msg, uint32_t len);
void rm_RegisterClusterMessageReceiver(RedisModuleCtx *ctx, uint8_t type, RedisModuleClusterMessageReceiver callback);
void rm_SetClusterFlags(RedisModuleCtx *ctx, uint64_t flags);
void rmb_call_cluster_receiver(void *fn, RedisModuleCtx *ctx, const char *sender, uint8_t type, const char *payload, uint32_t len);
int rm_RegisterDefragFunc(RedisModuleCtx *ctx, RedisModuleDefragFunc func);
void *rm_DefragAlloc(RedisModuleDefragCtx *ctx, void *ptr);
RedisModuleString *rm_DefragRedisModuleString(RedisModuleDefragCtx *ctx, RedisModuleString *str);
int rm_DefragShouldStop(RedisModuleDefragCtx *ctx);
int rm_DefragCursorSet(RedisModuleDefragCtx *ctx, unsigned long cursor);
int rm_DefragCursorGet(RedisModuleDefragCtx *ctx, unsigned long *cursor);
int rm_GetDbIdFromDefragCtx(RedisModuleDefragCtx *ctx);
const RedisModuleString *rm_GetKeyNameFromDefragCtx(RedisModuleDefragCtx *ctx);
int rmb_call_defrag(void *fn, RedisModuleDefragCtx *dctx);
*/
import "C"

import (
	"runtime/cgo"
	"sync"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

func init() {
	bridgeAPI = append(bridgeAPI, []struct {
		name string
		fn   unsafe.Pointer
	}{
		{"RedisModule_GetClusterSize", C.rm_GetClusterSize},
		{"RedisModule_GetMyClusterID", C.rm_GetMyClusterID},
		{"RedisModule_GetClusterNodesList", C.rm_GetClusterNodesList},
		{"RedisModule_FreeClusterNodesList", C.rm_FreeClusterNodesList},
		{"RedisModule_GetClusterNodeInfo", C.rm_GetClusterNodeInfo},
		{"RedisModule_SendClusterMessage", C.rm_SendClusterMessage},
		{"RedisModule_RegisterClusterMessageReceiver", C.rm_RegisterClusterMessageReceiver},
		{"RedisModule_SetClusterFlags", C.rm_SetClusterFlags},
		{"RedisModule_RegisterDefragFunc", C.rm_RegisterDefragFunc},
		{"RedisModule_DefragShouldStop", C.rm_DefragShouldStop},
		{"RedisModule_DefragCursorSet", C.rm_DefragCursorSet},
		{"RedisModule_DefragCursorGet", C.rm_DefragCursorGet},
		{"RedisModule_GetDbIdFromDefragCtx", C.rm_GetDbIdFromDefragCtx},
		{"RedisModule_GetKeyNameFromDefragCtx", C.rm_GetKeyNameFromDefragCtx},
		// Bridge-native: moving C allocations is the allocator's business.
		{"RedisModule_DefragAlloc", C.rm_DefragAlloc},
		{"RedisModule_DefragRedisModuleString", C.rm_DefragRedisModuleString},
	}...)
	bridgeNative["RedisModule_DefragAlloc"] = true
	bridgeNative["RedisModule_DefragRedisModuleString"] = true
}

// goRM_Cluster: op 0 GetClusterSize, 1 SendClusterMessage(target, typ,
// p, n), 2 RegisterClusterMessageReceiver(typ, callback p), 3
// SetClusterFlags(flags).
//
//export goRM_Cluster
func goRM_Cluster(ctx *C.RedisModuleCtx, op C.int, target *C.char, typ C.uint8_t, p *C.char, n C.uint32_t, flags C.uint64_t) (ret C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	if op == 0 {
		return C.longlong(module.GetClusterSize())
	}
	st := stateOf(ctx)
	if st == nil {
		return module.ERR
	}
	switch op {
	case 1:
		id := ""
		if target != nil {
			id = C.GoStringN(target, module.NodeIDLen)
		}
		return C.longlong(st.ctx.SendClusterMessage(id, uint8(typ), C.GoBytes(unsafe.Pointer(p), C.int(n))))
	case 2:
		fn, m := unsafe.Pointer(p), st.mod
		var cb module.ClusterMessageReceiver
		if fn != nil {
			cb = func(gctx *module.Ctx, sender string, t uint8, payload []byte) {
				cctx := newCtx(gctx, m)
				cs := C.CString(sender)
				var cp *C.char
				if len(payload) > 0 {
					cp = (*C.char)(C.CBytes(payload))
				}
				C.rmb_call_cluster_receiver(fn, cctx, cs, C.uint8_t(t), cp, C.uint32_t(len(payload)))
				C.free(unsafe.Pointer(cp))
				C.free(unsafe.Pointer(cs))
				freeCtx(cctx)
			}
		}
		st.ctx.RegisterClusterMessageReceiver(uint8(typ), cb)
	case 3:
		st.ctx.SetClusterFlags(uint64(flags))
	}
	return module.OK
}

// myClusterID keeps the C copy of this node's id GetMyClusterID returns
// (Redis hands out memory that stays valid).
var myClusterID struct {
	sync.Mutex
	id string
	c  *C.char
}

//export goRM_ClusterID
func goRM_ClusterID() (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	id, ok := module.GetMyClusterID()
	if !ok {
		return nil
	}
	myClusterID.Lock()
	defer myClusterID.Unlock()
	if myClusterID.c == nil || myClusterID.id != id {
		myClusterID.id, myClusterID.c = id, C.CString(id) // the old copy may still be held: not freed
	}
	return myClusterID.c
}

// goRM_ClusterNodes builds the NULL-terminated C array of node ids (each
// NodeIDLen bytes, not NUL-terminated, as Redis's) that
// FreeClusterNodesList frees.
//
//export goRM_ClusterNodes
func goRM_ClusterNodes(ctx *C.RedisModuleCtx, numnodes *C.size_t) (ret **C.char) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	st := stateOf(ctx)
	if st == nil {
		return nil
	}
	ids, ok := st.ctx.GetClusterNodesList()
	if !ok {
		return nil
	}
	ptrSize := unsafe.Sizeof((*C.char)(nil))
	arr := (**C.char)(C.rm_Alloc(C.size_t(uintptr(len(ids)+1) * ptrSize)))
	out := unsafe.Slice(arr, len(ids)+1)
	for j, id := range ids {
		out[j] = (*C.char)(C.rm_Alloc(module.NodeIDLen))
		b := unsafe.Slice((*byte)(unsafe.Pointer(out[j])), module.NodeIDLen)
		clear(b)
		copy(b, id)
	}
	out[len(ids)] = nil
	if numnodes != nil {
		*numnodes = C.size_t(len(ids))
	}
	return arr
}

//export goRM_ClusterNodeInfo
func goRM_ClusterNodeInfo(ctx *C.RedisModuleCtx, id *C.char, ip, masterID *C.char, port, flags *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	st := stateOf(ctx)
	if st == nil || id == nil {
		return module.ERR
	}
	info, rc := st.ctx.GetClusterNodeInfo(C.GoString(id))
	if rc != module.OK {
		return C.int(rc)
	}
	if ip != nil {
		// NET_IP_STR_LEN (46) bytes, NUL-padded as strncpy leaves them.
		b := unsafe.Slice((*byte)(unsafe.Pointer(ip)), 46)
		clear(b)
		copy(b[:45], info.IP)
	}
	if masterID != nil {
		b := unsafe.Slice((*byte)(unsafe.Pointer(masterID)), module.NodeIDLen)
		clear(b)
		copy(b, info.MasterID)
	}
	if port != nil {
		*port = C.int(info.Port)
	}
	if flags != nil {
		*flags = C.int(info.Flags)
	}
	return module.OK
}

//export goRM_RegisterDefragFunc
func goRM_RegisterDefragFunc(ctx *C.RedisModuleCtx, fn unsafe.Pointer) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	st := stateOf(ctx)
	if st == nil {
		return module.ERR
	}
	var cb module.DefragFunc
	if fn != nil {
		cb = func(d *module.DefragCtx) { callDefrag(fn, d) }
	}
	return C.int(st.ctx.RegisterDefragFunc(cb))
}

// callDefrag runs a C defrag callback (global or a type's) on a C view of
// the engine's defrag context; its result (1: more work) is returned.
func callDefrag(fn unsafe.Pointer, d *module.DefragCtx) int {
	c := (*C.RedisModuleDefragCtx)(C.rm_Calloc(1, C.size_t(unsafe.Sizeof(C.RedisModuleDefragCtx{}))))
	h := newHandle(d)
	c.h = C.uintptr_t(h)
	c.key, c.dbid = keyArg(module.GetKeyNameFromDefragCtx(d)), C.int(module.GetDbIdFromDefragCtx(d))
	rc := C.rmb_call_defrag(fn, c)
	dropKey(c.key)
	deleteHandle(h)
	C.rm_Free(unsafe.Pointer(c))
	return int(rc)
}

// goRM_Defrag: op 0 DefragShouldStop, 1 DefragCursorSet(*cursor), 2
// DefragCursorGet(into *cursor).
//
//export goRM_Defrag
func goRM_Defrag(h C.uintptr_t, op C.int, cursor *C.ulong) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	d := cgo.Handle(h).Value().(*module.DefragCtx)
	switch op {
	case 0:
		if module.DefragShouldStop(d) {
			return 1
		}
		return 0
	case 1:
		return C.int(module.DefragCursorSet(d, uint64(*cursor)))
	default:
		v, rc := module.DefragCursorGet(d)
		if rc == module.OK && cursor != nil {
			*cursor = C.ulong(v)
		}
		return C.int(rc)
	}
}
