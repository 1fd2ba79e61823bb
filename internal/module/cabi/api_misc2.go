//go:build cgo

package cabi

/*
#include "bridge.h"
float rm_GetUsedMemoryRatio(void);
void rm_LatencyAddSample(const char *event, mstime_t latency);
int rm_PublishMessageShard(RedisModuleCtx *ctx, RedisModuleString *channel, RedisModuleString *message);
RedisModuleString *rm_GetClientCertificate(RedisModuleCtx *ctx, unsigned long long client_id);
int rm_RedactClientCommandArgument(RedisModuleCtx *ctx, int pos);
int rm_IsChannelsPositionRequest(RedisModuleCtx *ctx);
void rm_ChannelAtPosWithFlags(RedisModuleCtx *ctx, int pos, int flags);
int rm_BlockedClientMeasureTimeStart(RedisModuleBlockedClient *bc);
int rm_BlockedClientMeasureTimeEnd(RedisModuleBlockedClient *bc);
int rm_EventLoopAddOneShot(RedisModuleEventLoopOneShotFunc func, void *user_data);
int rm_EventLoopAdd(int fd, int mask, RedisModuleEventLoopFunc func, void *user_data);
int rm_EventLoopDel(int fd, int mask);
size_t rm_MallocSize(void *ptr);
size_t rm_MallocUsableSize(void *ptr);
size_t rm_MallocSizeString(RedisModuleString *str);
size_t rm_MallocSizeDict(RedisModuleDict *dict);
void rm__Assert(const char *estr, const char *file, int line);
void rmb_call_oneshot(void *fn, void *data);
void rmb_call_fdfunc(void *fn, int fd, void *data, int mask);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

func init() {
	bridgeAPI = append(bridgeAPI, []struct {
		name string
		fn   unsafe.Pointer
	}{
		{"RedisModule_GetUsedMemoryRatio", C.rm_GetUsedMemoryRatio},
		{"RedisModule_LatencyAddSample", C.rm_LatencyAddSample},
		{"RedisModule_PublishMessageShard", C.rm_PublishMessageShard},
		{"RedisModule_GetClientCertificate", C.rm_GetClientCertificate},
		{"RedisModule_RedactClientCommandArgument", C.rm_RedactClientCommandArgument},
		{"RedisModule_IsChannelsPositionRequest", C.rm_IsChannelsPositionRequest},
		{"RedisModule_ChannelAtPosWithFlags", C.rm_ChannelAtPosWithFlags},
		{"RedisModule_BlockedClientMeasureTimeStart", C.rm_BlockedClientMeasureTimeStart},
		{"RedisModule_BlockedClientMeasureTimeEnd", C.rm_BlockedClientMeasureTimeEnd},
		{"RedisModule_EventLoopAddOneShot", C.rm_EventLoopAddOneShot},
		{"RedisModule_EventLoopAdd", C.rm_EventLoopAdd},
		{"RedisModule_EventLoopDel", C.rm_EventLoopDel},
		// Bridge-native (the C allocator, the C assertion).
		{"RedisModule_MallocSize", C.rm_MallocSize},
		{"RedisModule_MallocUsableSize", C.rm_MallocUsableSize},
		{"RedisModule_MallocSizeString", C.rm_MallocSizeString},
		{"RedisModule_MallocSizeDict", C.rm_MallocSizeDict},
		{"RedisModule__Assert", C.rm__Assert},
	}...)
	for _, n := range []string{"RedisModule_MallocSize", "RedisModule_MallocUsableSize", "RedisModule_MallocSizeString",
		"RedisModule_MallocSizeDict", "RedisModule__Assert"} {
		bridgeNative[n] = true
	}
}

// anyEngine serves the APIs that take no context in C.
func anyEngine() *module.Engine { return lastEngine.Load() }

func bcHandle(h C.uintptr_t) *module.BlockedClient { return cgo.Handle(h).Value().(*bcState).bc }

//export goRM_UsedMemoryRatio
func goRM_UsedMemoryRatio() (r C.float) {
	defer func() {
		if x := recover(); x != nil {
			recovered(x)
			r = 0
		}
	}()
	e := anyEngine()
	if e == nil {
		return 0
	}
	return C.float(e.UsedMemoryRatio())
}

//export goRM_LatencyAddSample
func goRM_LatencyAddSample(event *C.char, ms C.longlong) {
	defer func() {
		if x := recover(); x != nil {
			recovered(x)
		}
	}()
	if e := anyEngine(); e != nil {
		e.LatencyAddSample(C.GoString(event), int64(ms))
	}
}

//export goRM_PublishShard
func goRM_PublishShard(ctx *C.RedisModuleCtx, ch *C.char, chl C.size_t, msg *C.char, msgl C.size_t) (r C.int) {
	defer func() {
		if x := recover(); x != nil {
			recovered(x)
			r = 0
		}
	}()
	g := stateOf(ctx).ctx
	return C.int(g.PublishMessageShard(module.NewString(cBytes(ch, chl)), module.NewString(cBytes(msg, msgl))))
}

//export goRM_GetClientCertificate
func goRM_GetClientCertificate(ctx *C.RedisModuleCtx, id C.ulonglong) (ret *C.RedisModuleString) {
	defer func() {
		if x := recover(); x != nil {
			recovered(x)
			ret = nil
		}
	}()
	s := stateOf(ctx).ctx.GetClientCertificate(uint64(id))
	if s == nil {
		return nil
	}
	return newCString(ctx, s.Bytes())
}

// goRM_CtxPos: op 0 RedactClientCommandArgument(pos), 1
// IsChannelsPositionRequest, 2 ChannelAtPosWithFlags(pos, flags).
//
//export goRM_CtxPos
func goRM_CtxPos(ctx *C.RedisModuleCtx, op, pos, flags C.int) (r C.int) {
	defer func() {
		if x := recover(); x != nil {
			recovered(x)
			r = module.ERR
		}
	}()
	g := stateOf(ctx).ctx
	switch op {
	case 0:
		return C.int(g.RedactClientCommandArgument(int(pos)))
	case 1:
		if g.IsChannelsPositionRequest() {
			return 1
		}
		return 0
	}
	g.ChannelAtPosWithFlags(int(pos), int(flags))
	return 0
}

//export goRM_BCMeasure
func goRM_BCMeasure(h C.uintptr_t, end C.int) (r C.int) {
	defer func() {
		if x := recover(); x != nil {
			recovered(x)
			r = module.ERR
		}
	}()
	bc := bcHandle(h)
	if end != 0 {
		return C.int(bc.BlockedClientMeasureTimeEnd())
	}
	return C.int(bc.BlockedClientMeasureTimeStart())
}

//export goRM_EventLoopOneShot
func goRM_EventLoopOneShot(fn, data unsafe.Pointer) C.int {
	e := anyEngine()
	if e == nil {
		return module.ERR
	}
	return C.int(e.EventLoopAddOneShot(func() { C.rmb_call_oneshot(fn, data) }))
}

//export goRM_EventLoopAdd
func goRM_EventLoopAdd(fd, mask C.int, fn, data unsafe.Pointer, errno *C.int) C.int {
	e := anyEngine()
	if e == nil {
		return module.ERR
	}
	var cb func(fd, mask int)
	if fn != nil {
		cb = func(fd, mask int) { C.rmb_call_fdfunc(fn, C.int(fd), data, C.int(mask)) }
	}
	r, en := e.EventLoopAdd(int(fd), int(mask), cb)
	*errno = C.int(en)
	return C.int(r)
}

//export goRM_EventLoopDel
func goRM_EventLoopDel(fd, mask C.int, errno *C.int) C.int {
	e := anyEngine()
	if e == nil {
		return module.ERR
	}
	r, en := e.EventLoopDel(int(fd), int(mask))
	*errno = C.int(en)
	return C.int(r)
}

//export goRM_DictMemory
func goRM_DictMemory(h C.uintptr_t) C.size_t { return C.size_t(dictOf(h).MallocSize()) }
