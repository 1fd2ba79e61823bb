package module

import (
	"time"
)

// Ctx is RedisModuleCtx: the context every API call and callback gets. A
// context is valid only for the duration of the callback it was made for,
// except thread-safe contexts (GetThreadSafeContext), which live until
// FreeThreadSafeContext.
type Ctx struct {
	eng    *Engine
	module *Module
	client Client // the client replies go to; nil for temporary contexts
	db     int    // selected database when client is nil
	flags  int    // ctxFlag* bits
	impl   Loader // the loading module's implementation (OnLoad only)

	auto      []autoEntry // auto-memory queue, FIFO
	out       []byte      // replies, flushed to client when the ctx is freed
	postponed []postponed // open postponed aggregates, innermost last

	cmd       *Command     // the command being run, nil outside a command
	argv      []*String    // its arguments
	rawArgv   [][]byte     // the client's arguments for a RawCmdFunc (valid during the call)
	argvKept  bool         // argv escaped the call (BlockClient keeps it)
	keysPos   []keyPos     // IsKeysPositionRequest answer
	propagate []Propagated // what the context replicated (tests)
	inUnit    bool         // the context opened an execution unit (UnitHost)
	start     int64        // creation time, ms (the host's cached clock)
	nextYield int64        // ms time before which Yield does nothing
	redact    []int        // RedactClientCommandArgument positions
	chanPos   []keyPos     // ChannelAtPosWithFlags answer

	user        *User          // SetContextUser: whose permissions Call's 'C' checks
	blocked     *BlockedClient // blocked client this ctx serves (replies/thread-safe)
	blockedPriv any            // GetBlockedClientPrivateData
	readyKey    *String        // GetBlockedClientReadyKey

	// Ext is free for the API layer above the engine (the Go API keeps its
	// wrapper here): it lives as long as the context, which command
	// contexts are reused, so the wrapper is made once.
	Ext any
	// keySlots serve the first OpenKeyBytes calls of a command context:
	// reused with the context instead of allocated (keySlotsUsed of them).
	keySlots     [2]*keySlot
	keySlotsUsed int

	gen      uint64   // bumped each time the pooled context is reused (key.go)
	callCmd  []byte   // Call's command name (reused)
	callArgv [][]byte // Call's argv (reused)
}

// Internal context flags (REDISMODULE_CTX_* in module.c).
const (
	ctxAutoMemory          = 1 << 0
	ctxKeysPosRequest      = 1 << 1
	ctxBlockedReply        = 1 << 2
	ctxBlockedTimeout      = 1 << 3
	ctxThreadSafe          = 1 << 4
	ctxBlockedDisconnected = 1 << 5
	ctxTempClient          = 1 << 6
	ctxChannelsPosRequest  = 1 << 7
)

// Context flags GetContextFlags reports (REDISMODULE_CTX_FLAGS_*).
const (
	CtxFlagsLua          = 1 << 0
	CtxFlagsMulti        = 1 << 1
	CtxFlagsMaster       = 1 << 2
	CtxFlagsSlave        = 1 << 3
	CtxFlagsReadonly     = 1 << 4
	CtxFlagsCluster      = 1 << 5
	CtxFlagsAOF          = 1 << 6
	CtxFlagsRDB          = 1 << 7
	CtxFlagsMaxmemory    = 1 << 8
	CtxFlagsEvict        = 1 << 9
	CtxFlagsOOM          = 1 << 10
	CtxFlagsOOMWarning   = 1 << 11
	CtxFlagsReplicated   = 1 << 12
	CtxFlagsLoading      = 1 << 13
	CtxFlagsDenyBlocking = 1 << 21
	CtxFlagsRESP3        = 1 << 22
	CtxFlagsAsyncLoading = 1 << 23
	ctxFlagsNext         = 1 << 24
)

// Replica link states (REDISMODULE_CTX_FLAGS_REPLICA_IS_*).
const (
	CtxFlagsReplicaIsStale        = 1 << 14
	CtxFlagsReplicaIsConnecting   = 1 << 15
	CtxFlagsReplicaIsTransferring = 1 << 16
	CtxFlagsReplicaIsOnline       = 1 << 17
)

// GetContextFlagsAll is RedisModule_GetContextFlagsAll.
func GetContextFlagsAll() int { return ctxFlagsNext - 1 }

func (e *Engine) newCtx(m *Module, c Client, flags int) *Ctx {
	ctx := &Ctx{eng: e, module: m, client: c, flags: flags, start: e.host.Now()}
	if c == nil {
		ctx.flags |= ctxTempClient
	}
	if u, ok := e.host.(UnitHost); ok && flags&ctxThreadSafe == 0 {
		u.EnterUnit()
		ctx.inUnit = true
	}
	return ctx
}

// takeCmdCtx returns a command context for client c, reusing one from the
// pool (command contexts are released by endDispatch; nested commands,
// run by Call, take their own).
func (e *Engine) takeCmdCtx(m *Module, c Client) *Ctx {
	n := len(e.ctxPool)
	if n == 0 {
		return e.newCtx(m, c, 0)
	}
	ctx := e.ctxPool[n-1]
	e.ctxPool = e.ctxPool[:n-1]
	ctx.module, ctx.client = m, c
	ctx.start = e.host.Now() // Yield measures from here
	return ctx
}

// putCmdCtx clears a freed command context into the pool, keeping its Ext
// wrapper and the buffers of its slices. A context a module still refers
// to after its callback (which Redis forbids) at worst sees the state of a
// later command; no memory is shared with the caller's data.
func (e *Engine) putCmdCtx(ctx *Ctx) {
	if ctx.flags&(ctxThreadSafe|ctxTempClient) != 0 || len(e.ctxPool) >= 8 {
		return
	}
	for i, ks := range ctx.keySlots[:ctx.keySlotsUsed] {
		if !ks.release() {
			ctx.keySlots[i] = nil // still referenced by the module: let it keep it
		}
	}
	// Field by field, not *ctx = Ctx{...}: most are already zero, and a
	// whole-struct copy costs write barriers for every pointer field.
	ctx.module, ctx.client, ctx.cmd = nil, nil, nil
	ctx.db, ctx.flags, ctx.keySlotsUsed = 0, 0, 0
	if ctx.impl != nil {
		ctx.impl = nil
	}
	ctx.auto = ctx.auto[:0]
	if ctx.out != nil {
		ctx.out = nil
	}
	if ctx.postponed != nil {
		ctx.postponed = nil
	}
	if ctx.argv != nil {
		ctx.argv = nil
	}
	if ctx.rawArgv != nil {
		ctx.rawArgv = nil
	}
	ctx.argvKept = false
	if ctx.keysPos != nil {
		ctx.keysPos = nil
	}
	if ctx.propagate != nil {
		ctx.propagate = nil
	}
	ctx.nextYield = 0
	if ctx.redact != nil || ctx.chanPos != nil {
		ctx.redact, ctx.chanPos = nil, nil
	}
	if ctx.blocked != nil || ctx.blockedPriv != nil || ctx.readyKey != nil {
		ctx.blocked, ctx.blockedPriv, ctx.readyKey = nil, nil, nil
	}
	if ctx.user != nil {
		ctx.user = nil
	}
	e.ctxPool = append(e.ctxPool, ctx)
}

// Engine returns the engine the context belongs to.
func (ctx *Ctx) Engine() *Engine { return ctx.eng }

// Module returns the context's module, nil before Init.
func (ctx *Ctx) Module() *Module { return ctx.module }

// free ends the context (Redis's moduleFreeContext): auto-memory
// collection, reply flush, propagation.
func (ctx *Ctx) free() {
	ctx.autoMemoryCollect()
	if len(ctx.postponed) > 0 {
		ctx.eng.host.Logf(LogWarning, "API misuse detected in module %s: %d postponed aggregate replies were not closed", ctx.moduleName(), len(ctx.postponed))
		ctx.postponed = nil
	}
	ctx.flushReplies()
	if len(ctx.redact) > 0 {
		ctx.applyRedactions()
	}
	if ctx.inUnit {
		// The end of a context outside a command ends an execution unit:
		// what it replicated is sent now (wrapped in MULTI/EXEC when
		// several commands).
		ctx.inUnit = false
		ctx.eng.host.(UnitHost).ExitUnit()
	}
	if ctx.flags&ctxThreadSafe == 0 && ctx.out != nil {
		ctx.eng.putReplyBuf(ctx.out)
		ctx.out = nil
	}
	ctx.gen++ // keys still referring to this context stop trusting their cache
}

func (ctx *Ctx) moduleName() string {
	if ctx.module == nil {
		return "<unknown>"
	}
	return ctx.module.Name
}

// flushReplies hands buffered reply bytes to the client.
func (ctx *Ctx) flushReplies() {
	if len(ctx.out) == 0 || len(ctx.postponed) > 0 {
		return
	}
	if ctx.blocked != nil && ctx.flags&ctxThreadSafe != 0 {
		ctx.blocked.addReply(ctx.out)
	} else if ctx.client != nil {
		ctx.client.ModWrite(ctx.out)
	}
	ctx.out = ctx.out[:0]
}

// takeReplyBuf hands a command context the engine's spare reply buffer
// (commands run one at a time under the lock), saving an allocation per
// call; free gives it back.
func (e *Engine) takeReplyBuf() []byte {
	b := e.replyBuf
	e.replyBuf = nil
	return b[:0]
}

func (e *Engine) putReplyBuf(b []byte) {
	if cap(b) <= 64<<10 && e.replyBuf == nil {
		e.replyBuf = b[:0]
	}
}

// dbID is the selected database.
func (ctx *Ctx) dbID() int {
	if ctx.client != nil {
		return ctx.client.ModDB()
	}
	return ctx.db
}

// GetSelectedDb is RedisModule_GetSelectedDb.
func (ctx *Ctx) GetSelectedDb() int { return ctx.dbID() }

// SelectDb is RedisModule_SelectDb: ERR for an out of range index.
func (ctx *Ctx) SelectDb(id int) int {
	if id < 0 || id >= len(ctx.eng.host.Keyspace().DBs) {
		return ERR
	}
	if ctx.client != nil {
		if !ctx.client.ModSelectDB(id) {
			return ERR
		}
		return OK
	}
	ctx.db = id
	return OK
}

// GetClientId is RedisModule_GetClientId: 0 without a client.
func (ctx *Ctx) GetClientId() uint64 {
	if ctx.client == nil {
		return 0
	}
	return ctx.client.ModClientID()
}

// GetClientInfoById is RedisModule_GetClientInfoById.
func (ctx *Ctx) GetClientInfoById(id uint64) (ClientInfo, int) {
	ci, ok := ctx.eng.host.ClientInfo(id)
	if !ok {
		return ClientInfo{}, ERR
	}
	return ci, OK
}

// GetContextFlags is RedisModule_GetContextFlags (the subset of the flags
// Modis can have: no replication, cluster or scripting yet).
func (ctx *Ctx) GetContextFlags() int {
	flags := CtxFlagsMaster
	if ctx.eng != nil && ctx.eng.ReplicationFlags != nil {
		flags = ctx.eng.ReplicationFlags(ctx.client)
	}
	if ctx.client != nil {
		if ctx.client.ModInMulti() {
			flags |= CtxFlagsMulti | CtxFlagsDenyBlocking
		}
		if ctx.client.ModProto() == 3 {
			flags |= CtxFlagsRESP3
		}
		// Commands a Lua script calls (an optional method of the client).
		if sc, ok := ctx.client.(interface{ ModInScript() bool }); ok && sc.ModInScript() {
			flags |= CtxFlagsLua | CtxFlagsDenyBlocking
		}
	}
	return flags
}

// Milliseconds is RedisModule_Milliseconds: the Unix time in ms.
func Milliseconds() int64 { return time.Now().UnixMilli() }

// MonotonicMicroseconds is RedisModule_MonotonicMicroseconds.
func MonotonicMicroseconds() uint64 { return uint64(time.Since(monoStart).Microseconds()) }

var monoStart = time.Now()

// Log is RedisModule_Log; level is "debug", "verbose", "notice" or
// "warning" (anything else counts as verbose, as Redis does). The line is
// prefixed with the module name. Callable without the lock.
func (ctx *Ctx) Log(level string, msg string) {
	name := "module"
	if ctx != nil && ctx.module != nil {
		name = ctx.module.Name
	}
	var e *Engine
	if ctx != nil {
		e = ctx.eng
	}
	if e == nil {
		return
	}
	e.host.Logf(parseLogLevel(level), "<%s> %s", name, msg)
}

func parseLogLevel(level string) LogLevel {
	switch level {
	case "debug":
		return LogDebug
	case "notice":
		return LogNotice
	case "warning":
		return LogWarning
	}
	return LogVerbose
}

// autoEntry is one object tracked by auto memory.
type autoEntry struct {
	str   *String
	key   *Key
	reply *CallReply
}

// AutoMemory is RedisModule_AutoMemory: objects created through this
// context from now on are released when the callback returns.
func (ctx *Ctx) AutoMemory() { ctx.flags |= ctxAutoMemory }

func (ctx *Ctx) autoAdd(a autoEntry) {
	if ctx != nil && ctx.flags&ctxAutoMemory != 0 {
		ctx.auto = append(ctx.auto, a)
	}
}

// autoRemove drops an object freed by hand from the queue; it reports
// whether it was there.
func (ctx *Ctx) autoRemove(a autoEntry) bool {
	if ctx == nil || ctx.flags&ctxAutoMemory == 0 {
		return false
	}
	for i := len(ctx.auto) - 1; i >= 0; i-- {
		if ctx.auto[i] == a {
			last := len(ctx.auto) - 1
			ctx.auto[i] = ctx.auto[last]
			ctx.auto = ctx.auto[:last]
			return true
		}
	}
	return false
}

// autoMemoryCollect frees tracked objects in creation order.
func (ctx *Ctx) autoMemoryCollect() {
	if ctx.flags&ctxAutoMemory == 0 {
		return
	}
	ctx.flags &^= ctxAutoMemory
	for i, a := range ctx.auto {
		switch {
		case a.str != nil:
			a.str.decr()
		case a.key != nil:
			a.key.close()
		case a.reply != nil:
			a.reply.free()
		}
		ctx.auto[i] = autoEntry{}
	}
	ctx.auto = ctx.auto[:0]
	ctx.flags |= ctxAutoMemory
}
