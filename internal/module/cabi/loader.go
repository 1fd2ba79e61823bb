//go:build cgo

package cabi

/*
#cgo CFLAGS: -I${SRCDIR}/../../../include -O2
#cgo LDFLAGS: -ldl
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime/cgo"
	"sort"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

func init() {
	module.SharedLoader = Open
}

// cModule is one dlopened module: the engine's Loader and Unloader.
type cModule struct {
	path     string
	handle   unsafe.Pointer // dlopen handle; nil once closed
	onLoad   unsafe.Pointer
	onUnload unsafe.Pointer // nil when the module has none
	eng      *module.Engine
	missing  map[string]bool // API names asked for and not served
	cmds     map[*module.Command]*C.RedisModuleCommand
	types    []*C.RedisModuleType                 // freed on close: a module with types is never unloaded, so only a failed OnLoad gets here with some
	filters  map[*C.RedisModuleCommandFilter]bool // registered, freed on close (the engine drops the module's filters)
	ctxPool  []cmdCtx                             // command contexts for reuse (takeCmdCtx)
}

// loading is the module whose OnLoad runs (GetApi has no context
// argument). Loads run one at a time under the server lock.
var loading *cModule

// lastEngine serves APIs called without a context (Log(NULL, ...),
// IsModuleNameBusy): the engine of the last C module loaded.
var lastEngine atomic.Pointer[module.Engine]

// Open is module.SharedLoader: dlopen path and find its entry points. The
// module is not initialised until the engine calls OnLoad.
func Open(path string) (module.Loader, error) {
	if st, err := os.Stat(path); err == nil && st.Mode()&0o111 == 0 {
		return nil, errors.New("It does not have execute permissions.")
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var cerr *C.char
	h := C.rmb_dlopen(cpath, &cerr)
	if h == nil {
		msg := C.GoString(cerr)
		C.free(unsafe.Pointer(cerr))
		return nil, fmt.Errorf("%s", msg)
	}
	m := &cModule{path: path, handle: h, missing: map[string]bool{}, cmds: map[*module.Command]*C.RedisModuleCommand{},
		filters: map[*C.RedisModuleCommandFilter]bool{}}
	m.onLoad = m.sym("RedisModule_OnLoad", "ValkeyModule_OnLoad")
	if m.onLoad == nil {
		m.close()
		return nil, fmt.Errorf("it does not export RedisModule_OnLoad() symbol")
	}
	m.onUnload = m.sym("RedisModule_OnUnload", "ValkeyModule_OnUnload")
	return m, nil
}

func (m *cModule) sym(names ...string) unsafe.Pointer {
	for _, n := range names {
		cn := C.CString(n)
		p := C.rmb_dlsym(m.handle, cn)
		C.free(unsafe.Pointer(cn))
		if p != nil {
			return p
		}
	}
	return nil
}

// close dlcloses the module and frees its command and type handles.
func (m *cModule) close() {
	m.freeCtxPool()
	for _, c := range m.cmds {
		deleteHandle(cgo.Handle(c.h))
		C.free(unsafe.Pointer(c))
	}
	m.cmds = nil
	for _, t := range m.types {
		deleteHandle(cgo.Handle(t.h))
		C.rm_Free(unsafe.Pointer(t))
	}
	m.types = nil
	for f := range m.filters {
		freeFilter(f)
	}
	m.filters = nil
	if m.handle != nil {
		C.rmb_dlclose(m.handle)
		m.handle = nil
	}
}

// OnLoad runs RedisModule_OnLoad with the load arguments. On failure the
// module is dlclosed here (the engine then drops what it registered; it
// never calls into the module again).
func (m *cModule) OnLoad(gctx *module.Ctx, argv []*module.String) int {
	m.eng = gctx.Engine()
	lastEngine.Store(m.eng)
	prev := loading
	loading = m
	defer func() { loading = prev }()

	cctx := newCtx(gctx, m)
	cargv, n := newArgv(argv)
	ret := int(C.rmb_call_onload(m.onLoad, cctx, cargv, n))
	freeCtx(cctx)
	C.rmb_argv_free(cargv, n)
	m.logMissing(gctx)
	if ret != module.OK || gctx.Module() == nil {
		m.close()
		if ret == module.OK {
			ret = module.ERR
		}
	}
	return ret
}

// logMissing logs once which API names the module asked for and did not
// get (they stay NULL in the module).
func (m *cModule) logMissing(gctx *module.Ctx) {
	if len(m.missing) == 0 {
		return
	}
	names := make([]string, 0, len(m.missing))
	for n := range m.missing {
		names = append(names, n)
	}
	sort.Strings(names)
	who := m.path
	if gm := gctx.Module(); gm != nil {
		who = gm.Name
	}
	m.eng.Host().Logf(module.LogNotice, "Module %s asked for %d APIs this server does not provide (left NULL): %s", who, len(names), strings.Join(names, " "))
}

// OnUnload runs RedisModule_OnUnload (if exported) and dlcloses the
// module unless it cancelled the unload.
func (m *cModule) OnUnload(gctx *module.Ctx) int {
	if m.onUnload != nil {
		cctx := newCtx(gctx, m)
		ret := int(C.rmb_call_onunload(m.onUnload, cctx))
		freeCtx(cctx)
		if ret == module.ERR {
			return ret
		}
	}
	// User-changed callbacks point into the module: revoke them first.
	gctx.Engine().RevokeAuthenticatedClients(gctx.Module())
	m.close()
	return module.OK
}

// ctxState is the Go side of one C RedisModuleCtx.
type ctxState struct {
	ctx      *module.Ctx
	mod      *cModule
	dmaKeys  map[*C.RedisModuleKey]bool // keys with a writable DMA buffer
	owned    []*C.RedisModuleString     // strings the context owns (GetBlockedClientReadyKey)
	callArgv [][]byte                   // Call's argv, reused (api_call.go)
}

// ctxs, keys and replies hold the Go side of the C handles every module
// command touches (handles.go).
var (
	ctxs    table[ctxState]
	keys    table[keyState]
	replies table[module.CallReply]
)

func init() {
	registerTable(&ctxs)
	registerTable(&keys)
	registerTable(&replies)
}

// newCtx makes the C context for one callback; freeCtx ends it.
func newCtx(gctx *module.Ctx, m *cModule) *C.RedisModuleCtx {
	h := ctxs.put(&ctxState{ctx: gctx, mod: m})
	return C.rmb_ctx_new(C.uintptr_t(h))
}

// freeCtx runs auto memory, frees PoolAlloc memory and the C struct.
func freeCtx(c *C.RedisModuleCtx) {
	h := uintptr(c.h)
	C.rmb_ctx_free(c)
	if st := ctxs.get(h); st != nil {
		for _, s := range st.owned {
			C.rmb_str_decr(s)
		}
	}
	ctxs.release(h, false)
}

// stateOf maps a C context back to Go; nil for a NULL ctx.
func stateOf(c *C.RedisModuleCtx) *ctxState {
	if c == nil {
		return nil
	}
	return ctxs.get(uintptr(c.h))
}

// cmdCtx is a C context kept for reuse by command calls (the C struct,
// its handle and Go state live as long as the module).
type cmdCtx struct {
	c  *C.RedisModuleCtx
	st *ctxState
}

// takeCmdCtx returns a command context bound to gctx, from the module's
// pool (commands nest through Call, so each call takes its own).
func (m *cModule) takeCmdCtx(gctx *module.Ctx) cmdCtx {
	var cc cmdCtx
	if n := len(m.ctxPool); n > 0 {
		cc = m.ctxPool[n-1]
		m.ctxPool = m.ctxPool[:n-1]
	} else {
		st := &ctxState{mod: m}
		cc = cmdCtx{c: C.rmb_ctx_new(C.uintptr_t(ctxs.put(st))), st: st}
		cc.c.deferclose = 1
	}
	cc.st.ctx = gctx
	return cc
}

// putCmdCtx ends a command's use of a pooled context (rmb_run_cmd has
// already run auto memory and freed PoolAlloc memory).
func (m *cModule) putCmdCtx(cc cmdCtx) {
	st := cc.st
	for _, s := range st.owned {
		C.rmb_str_decr(s)
	}
	clear(st.owned)
	st.owned = st.owned[:0]
	clear(st.dmaKeys)
	st.ctx = nil
	if len(m.ctxPool) < 8 && m.handle != nil {
		m.ctxPool = append(m.ctxPool, cc)
		return
	}
	freeCtx(cc.c)
}

// freeCtxPool frees the pooled contexts (module unload).
func (m *cModule) freeCtxPool() {
	for _, cc := range m.ctxPool {
		freeCtx(cc.c)
	}
	m.ctxPool = nil
}

// rawHandler binds a C command function to the engine for top-level
// commands: the arguments go straight from the client's argv into the
// pooled context's scratch area (C memory), and one cgo call builds the C
// argv (reusing the previous command's strings the module did not keep),
// runs the command and releases auto memory.
func (m *cModule) rawHandler(fn unsafe.Pointer) module.RawCmdFunc {
	return func(gctx *module.Ctx, argv [][]byte) int {
		cc := m.takeCmdCtx(gctx)
		c := cc.c
		total := 0
		for _, a := range argv {
			total += len(a)
		}
		if uintptr(total) > uintptr(c.scratchcap) || len(argv) > int(c.lenscap) {
			C.rmb_ctx_scratch(c, C.size_t(total), C.int(len(argv)))
		}
		buf := unsafe.Slice((*byte)(unsafe.Pointer(c.scratch)), int(c.scratchcap))
		lens := unsafe.Slice(c.lens, int(c.lenscap))
		off := 0
		for i, a := range argv {
			off += copy(buf[off:], a)
			lens[i] = C.size_t(len(a))
		}
		c.rproto = C.int(gctx.DirectReplyProto())
		// uintptr arguments: C pointers, so cgo's pointer checks are moot.
		ret := C.rmb_run_cmd(C.uintptr_t(uintptr(fn)), C.uintptr_t(uintptr(unsafe.Pointer(c))), C.int(len(argv)))
		c.rproto = 0
		if c.rlen > 0 {
			gctx.AppendReply(unsafe.Slice((*byte)(unsafe.Pointer(c.rbuf)), int(c.rlen)))
			c.rlen = 0
		}
		closeDeferred(c)
		m.putCmdCtx(cc)
		return int(ret)
	}
}

// newArgv builds a C argv of strings (one reference each) from Go
// strings; rmb_argv_free drops them.
func newArgv(argv []*module.String) (**C.RedisModuleString, C.int) {
	total := 0
	for _, s := range argv {
		total += len(s.Bytes())
	}
	buf := make([]byte, 0, total+1)
	lens := make([]C.size_t, len(argv)+1)
	for i, s := range argv {
		buf = append(buf, s.Bytes()...)
		lens[i] = C.size_t(len(s.Bytes()))
	}
	buf = append(buf, 0)
	return C.rmb_argv_new((*C.char)(unsafe.Pointer(&buf[0])), &lens[0], C.int(len(argv))), C.int(len(argv))
}

// recovered turns a panic in an export into a log line; the caller's
// deferred assignment then returns REDISMODULE_ERR.
func recovered(r any) {
	if e := lastEngine.Load(); e != nil {
		e.Host().Logf(module.LogWarning, "panic in the C module bridge: %v", r)
	}
}

//export goRM_GetApi
func goRM_GetApi(name *C.char) (fn unsafe.Pointer) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			fn = nil
		}
	}()
	n := C.GoString(name)
	if rest, ok := strings.CutPrefix(n, "ValkeyModule_"); ok {
		n = "RedisModule_" + rest
	}
	if p, ok := apiTable()[n]; ok {
		return p
	}
	if loading != nil {
		loading.missing[n] = true
	}
	return nil
}
