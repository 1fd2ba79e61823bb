package module

import (
	"sync"
	"time"
)

// BlockedClient is RedisModuleBlockedClient: a client parked by
// BlockClient until UnblockClient (callable from any goroutine), its
// timeout, or its disconnection.
type BlockedClient struct {
	e        *Engine
	module   *Module
	client   Client // nil once timed out, disconnected, or when blocking was refused
	db       int
	proto    int
	argv     []*String
	reply    CmdFunc
	timeout  CmdFunc
	freePriv func(ctx *Ctx, privdata any)
	disconn  func(ctx *Ctx, bc *BlockedClient)
	stop     func() bool
	keys     [][]byte // BlockClientOnKeys: the keys it waits for
	onKeys   bool

	mu        sync.Mutex // guards the fields below (any goroutine)
	privdata  any
	unblocked bool
	replies   []byte   // thread-safe context replies, sent after reply_cb
	errors    []string // error replies among them (statistics)

	bgStart    int64     // BlockedClientMeasureTimeStart (monotonic us), 0 when not measuring
	serveStart time.Time // when the unblocking callbacks began (statistics)
	bgDuration int64     // measured background time, us

	// Owner is free for the front-end that created the handle (the C
	// bridge keeps its RedisModuleBlockedClient here).
	Owner any
	// OnDone, when set, runs once when the engine is finished with the
	// handle (its reply, timeout and free callbacks have run), so a
	// front-end can free what it handed to the module only then.
	OnDone func()
}

func (bc *BlockedClient) finished() {
	if bc.OnDone != nil {
		bc.OnDone()
	}
}

func (bc *BlockedClient) addReply(b []byte) {
	bc.mu.Lock()
	bc.replies = append(bc.replies, b...)
	bc.mu.Unlock()
}

func (bc *BlockedClient) noteError(msg string) {
	bc.mu.Lock()
	bc.errors = append(bc.errors, msg)
	bc.mu.Unlock()
}

const errBlockInMulti = "ERR Blocking module command called from transaction"

// BlockClient is RedisModule_BlockClient: park the calling client until
// UnblockClient; reply runs then (with IsBlockedReplyRequest true),
// timeout after timeoutMs ms (0: never), freePriv releases the private
// data. Inside MULTI (or RM_Call) the client cannot block: it gets an
// error now and the returned handle must still be unblocked or aborted.
func (ctx *Ctx) BlockClient(reply, timeout CmdFunc, freePriv func(ctx *Ctx, privdata any), timeoutMs int64) *BlockedClient {
	e := ctx.eng
	bc := &BlockedClient{e: e, module: ctx.module, db: ctx.dbID(), proto: 2,
		reply: reply, timeout: timeout, freePriv: freePriv, argv: ctx.Argv()}
	if ctx.module != nil {
		ctx.module.blocked++
	}
	ctx.argvKept = true
	c := ctx.client
	if c == nil || !c.ModCanBlock() {
		if c != nil {
			ctx.ReplyWithError(errBlockInMulti)
		}
		return bc
	}
	bc.client = c
	bc.proto = c.ModProto()
	e.blockedBy[c] = bc
	e.host.ParkClient(c)
	if timeoutMs > 0 {
		bc.stop = e.host.AfterFunc(timeoutMs, func() { e.timeoutBlocked(bc) })
	}
	return bc
}

// SetDisconnectCallback is RedisModule_SetDisconnectCallback.
func (bc *BlockedClient) SetDisconnectCallback(cb func(ctx *Ctx, bc *BlockedClient)) {
	bc.disconn = cb
}

// UnblockClient is RedisModule_UnblockClient: callable from any goroutine
// without the execution lock. The reply callback runs soon on the server
// side with privdata.
func (bc *BlockedClient) UnblockClient(privdata any) int {
	if bc.onKeys && bc.timeout == nil {
		return ERR
	}
	bc.mu.Lock()
	if bc.unblocked {
		bc.mu.Unlock()
		return ERR
	}
	bc.unblocked = true
	if !bc.onKeys {
		bc.privdata = privdata
	}
	bc.mu.Unlock()
	e := bc.e
	e.tsMu.Lock()
	e.unblocked = append(e.unblocked, bc)
	first := len(e.unblocked) == 1
	e.tsMu.Unlock()
	if first {
		e.host.RunSoon(e.HandleUnblockedClients)
	}
	return OK
}

// AbortBlock is RedisModule_AbortBlock: unblock without calling the reply
// or disconnect callbacks.
func (bc *BlockedClient) AbortBlock() int {
	bc.reply, bc.disconn = nil, nil
	return bc.UnblockClient(nil)
}

// HandleUnblockedClients serves the handles queued by UnblockClient
// (Redis's moduleHandleBlockedClients). Call with the lock held.
func (e *Engine) HandleUnblockedClients() {
	e.tsMu.Lock()
	q := e.unblocked
	e.unblocked = nil
	e.tsMu.Unlock()
	for _, bc := range q {
		e.serveUnblocked(bc)
	}
}

func (e *Engine) serveUnblocked(bc *BlockedClient) {
	c := bc.client
	bc.serveStart = time.Now()
	if c != nil && bc.onKeys && bc.timeout != nil {
		// 7.0: unblocking a key-blocked client replies through the
		// timeout callback.
		ctx := e.newCtx(bc.module, c, ctxBlockedTimeout)
		ctx.blockedPriv = bc.privdata
		ctx.argv = bc.argv
		ctx.blocked = bc
		bc.timeout(ctx, bc.argv)
		ctx.free()
	} else if c != nil && bc.reply != nil {
		ctx := e.newCtx(bc.module, c, ctxBlockedReply)
		ctx.blockedPriv = bc.privdata
		ctx.argv = bc.argv
		ctx.blocked = bc
		bc.reply(ctx, bc.argv)
		ctx.free()
	}
	if bc.freePriv != nil && bc.privdata != nil {
		flags := 0
		if c == nil {
			flags = ctxBlockedDisconnected
		}
		ctx := e.newCtx(bc.module, c, flags)
		bc.freePriv(ctx, bc.privdata)
		ctx.out = nil
		ctx.free()
	}
	bc.mu.Lock()
	replies, errs := bc.replies, bc.errors
	bc.replies, bc.errors = nil, nil
	bc.mu.Unlock()
	if c != nil {
		for _, msg := range errs {
			c.ModNoteError(msg)
		}
		if len(replies) > 0 {
			c.ModWrite(replies)
		}
		e.releaseClient(bc)
	}
	if bc.module != nil {
		bc.module.blocked--
	}
	bc.finished()
}

// releaseClient lets the parked client go on.
func (e *Engine) releaseClient(bc *BlockedClient) {
	c := bc.client
	if c == nil {
		return
	}
	if bc.stop != nil {
		bc.stop()
	}
	delete(e.blockedBy, c)
	e.unwatchKeys(bc)
	bc.client = nil
	if sh, ok := e.host.(UnblockStatsHost); ok {
		var replyUs int64
		if !bc.serveStart.IsZero() {
			replyUs = time.Since(bc.serveStart).Microseconds()
		}
		bc.mu.Lock()
		bg := bc.bgDuration
		bc.mu.Unlock()
		sh.ModUnblockStats(c, bg, replyUs)
	}
	e.host.UnparkClient(c)
}

// UnblockStatsHost is implemented by a host that completes a blocked
// command's statistics when its client is unblocked, as Redis's
// updateStatsOnUnblock: the slow log entry and the command's time then
// include the background time the module measured
// (BlockedClientMeasureTime) and the time of the unblocking callbacks.
type UnblockStatsHost interface {
	ModUnblockStats(c Client, backgroundUs, replyUs int64)
}

// timeoutBlocked runs the timeout callback of a handle still blocked.
func (e *Engine) timeoutBlocked(bc *BlockedClient) {
	bc.mu.Lock()
	done := bc.unblocked
	bc.mu.Unlock()
	c := bc.client
	if done || c == nil {
		return
	}
	bc.serveStart = time.Now()
	if bc.timeout != nil {
		ctx := e.newCtx(bc.module, c, ctxBlockedTimeout)
		ctx.argv = bc.argv
		// As Redis: the timeout callback sees the handle and, for a
		// key-blocked client, its private data.
		ctx.blocked = bc
		bc.mu.Lock()
		ctx.blockedPriv = bc.privdata
		bc.mu.Unlock()
		bc.timeout(ctx, bc.argv)
		ctx.free()
	}
	bc.stop = nil
	e.releaseClient(bc)
	if bc.onKeys {
		e.finishKeyBlocked(bc, c)
	}
}

// finishKeyBlocked frees a key-blocked handle nobody else will unblock
// (after its timeout or disconnection).
func (e *Engine) finishKeyBlocked(bc *BlockedClient, c Client) {
	bc.mu.Lock()
	done := bc.unblocked
	bc.unblocked = true
	bc.mu.Unlock()
	if done {
		return
	}
	if bc.freePriv != nil && bc.privdata != nil {
		flags := 0
		if c == nil {
			flags = ctxBlockedDisconnected
		}
		ctx := e.newCtx(bc.module, c, flags)
		bc.freePriv(ctx, bc.privdata)
		ctx.out = nil
		ctx.free()
	}
	if bc.module != nil {
		bc.module.blocked--
	}
	bc.finished()
}

// ClientGone tells the engine a client disconnected: a module blocking it
// gets its disconnect callback (the module still has to unblock the
// handle).
func (e *Engine) ClientGone(c Client) {
	bc := e.blockedBy[c]
	if bc == nil {
		return
	}
	delete(e.blockedBy, c)
	if bc.stop != nil {
		bc.stop()
	}
	e.unwatchKeys(bc)
	bc.client = nil
	if bc.disconn != nil {
		ctx := e.newCtx(bc.module, nil, 0)
		bc.mu.Lock()
		ctx.blockedPriv = bc.privdata // as Redis
		bc.mu.Unlock()
		bc.disconn(ctx, bc)
		ctx.free()
	}
	if bc.onKeys {
		e.finishKeyBlocked(bc, nil)
	}
}

// IsBlockedReplyRequest is RedisModule_IsBlockedReplyRequest.
func (ctx *Ctx) IsBlockedReplyRequest() bool { return ctx.flags&ctxBlockedReply != 0 }

// IsBlockedTimeoutRequest is RedisModule_IsBlockedTimeoutRequest.
func (ctx *Ctx) IsBlockedTimeoutRequest() bool { return ctx.flags&ctxBlockedTimeout != 0 }

// BlockedClientDisconnected is RedisModule_BlockedClientDisconnected.
func (ctx *Ctx) BlockedClientDisconnected() bool { return ctx.flags&ctxBlockedDisconnected != 0 }

// GetBlockedClientPrivateData is RedisModule_GetBlockedClientPrivateData.
func (ctx *Ctx) GetBlockedClientPrivateData() any { return ctx.blockedPriv }

// Thread-safe contexts.

// GetThreadSafeContext is RedisModule_GetThreadSafeContext. Bound to bc,
// replies are buffered and reach the client when bc is unblocked; with a
// nil bc the context has no module (as in Redis 7.0) and replies go
// nowhere. Callable without the lock.
func (e *Engine) GetThreadSafeContext(bc *BlockedClient) *Ctx {
	ctx := &Ctx{eng: e, flags: ctxThreadSafe | ctxTempClient}
	if bc != nil {
		ctx.module = bc.module
		ctx.blocked = bc
		ctx.db = bc.db
	}
	return ctx
}

// GetThreadSafeContext on a context is the registry's spelling.
func (ctx *Ctx) GetThreadSafeContext(bc *BlockedClient) *Ctx { return ctx.eng.GetThreadSafeContext(bc) }

// GetDetachedThreadSafeContext is RedisModule_GetDetachedThreadSafeContext:
// a long-lived context of ctx's module.
func (ctx *Ctx) GetDetachedThreadSafeContext() *Ctx {
	return &Ctx{eng: ctx.eng, module: ctx.module, flags: ctxThreadSafe | ctxTempClient}
}

// FreeThreadSafeContext is RedisModule_FreeThreadSafeContext: auto-memory
// collection and reply flush; safe without the lock.
func (ctx *Ctx) FreeThreadSafeContext() {
	ctx.autoMemoryCollect()
	ctx.flushReplies()
}

// ThreadSafeContextLock is RedisModule_ThreadSafeContextLock: take the
// execution lock.
func (ctx *Ctx) ThreadSafeContextLock() { ctx.eng.host.Lock() }

// ThreadSafeContextTryLock is RedisModule_ThreadSafeContextTryLock.
func (ctx *Ctx) ThreadSafeContextTryLock() int {
	if ctx.eng.host.TryLock() {
		return OK
	}
	return ERR
}

// ThreadSafeContextUnlock is RedisModule_ThreadSafeContextUnlock: release
// the lock (the host ends the execution unit the lock opened, sending what
// was replicated under it).
func (ctx *Ctx) ThreadSafeContextUnlock() {
	ctx.eng.host.Unlock()
}

// Blocking on keys.

// readyKey identifies a key in a database.
type readyKey struct {
	db  int
	key string
}

// BlockClientOnKeys is RedisModule_BlockClientOnKeys: block until one of
// keys is signalled ready (SignalKeyAsReady, or a write to it); reply
// then runs with GetBlockedClientReadyKey set, and returning OK serves the
// client while ERR keeps it blocked. privdata is available to every call.
func (ctx *Ctx) BlockClientOnKeys(reply, timeout CmdFunc, freePriv func(ctx *Ctx, privdata any), timeoutMs int64, keys []*String, privdata any) *BlockedClient {
	bc := ctx.BlockClient(reply, timeout, freePriv, timeoutMs)
	bc.onKeys = true
	bc.privdata = privdata
	if bc.client == nil {
		return bc
	}
	e := ctx.eng
	if e.keyWaiters == nil {
		e.keyWaiters = make(map[readyKey][]*BlockedClient)
	}
	for _, k := range keys {
		kb := append([]byte(nil), k.Bytes()...)
		bc.keys = append(bc.keys, kb)
		rk := readyKey{bc.db, string(kb)}
		e.keyWaiters[rk] = append(e.keyWaiters[rk], bc)
	}
	return bc
}

func (e *Engine) unwatchKeys(bc *BlockedClient) {
	for _, k := range bc.keys {
		rk := readyKey{bc.db, string(k)}
		ws := e.keyWaiters[rk]
		for i, w := range ws {
			if w == bc {
				ws = append(ws[:i], ws[i+1:]...)
				break
			}
		}
		if len(ws) == 0 {
			delete(e.keyWaiters, rk)
		} else {
			e.keyWaiters[rk] = ws
		}
	}
	bc.keys = nil
}

// SignalKeyAsReady is RedisModule_SignalKeyAsReady.
func (ctx *Ctx) SignalKeyAsReady(key *String) { ctx.eng.KeyReady(ctx.dbID(), key.Bytes()) }

// KeyReady notes that a key may serve clients blocked on it; they are
// served after the current command. The server calls it for writes.
func (e *Engine) KeyReady(db int, key []byte) {
	if len(e.keyWaiters) == 0 {
		return
	}
	rk := readyKey{db, string(key)}
	if e.keyWaiters[rk] == nil {
		return
	}
	for _, r := range e.readyKeys {
		if r == rk {
			return
		}
	}
	e.readyKeys = append(e.readyKeys, rk)
	if len(e.readyKeys) == 1 {
		e.host.RunSoon(e.HandleReadyKeys)
	}
}

// HandleReadyKeys tries to serve clients blocked on keys signalled ready
// (Redis's handleClientsBlockedOnKeys). Call with the lock held.
func (e *Engine) HandleReadyKeys() {
	for len(e.readyKeys) > 0 {
		rk := e.readyKeys[0]
		e.readyKeys = e.readyKeys[1:]
		for _, bc := range append([]*BlockedClient(nil), e.keyWaiters[rk]...) {
			c := bc.client
			bc.mu.Lock()
			done := bc.unblocked
			bc.mu.Unlock()
			if c == nil || done || bc.reply == nil {
				continue
			}
			bc.serveStart = time.Now()
			ctx := e.newCtx(bc.module, c, ctxBlockedReply)
			ctx.blockedPriv = bc.privdata
			ctx.readyKey = NewString([]byte(rk.key))
			ctx.argv = bc.argv
			ctx.blocked = bc
			ctx.db = rk.db
			served := bc.reply(ctx, bc.argv) == OK
			ctx.free()
			if !served {
				continue
			}
			bc.mu.Lock()
			bc.unblocked = true
			bc.mu.Unlock()
			if bc.freePriv != nil && bc.privdata != nil {
				fctx := e.newCtx(bc.module, c, 0)
				bc.freePriv(fctx, bc.privdata)
				fctx.out = nil
				fctx.free()
			}
			e.releaseClient(bc)
			if bc.module != nil {
				bc.module.blocked--
			}
			bc.finished()
		}
	}
}

// GetBlockedClientReadyKey is RedisModule_GetBlockedClientReadyKey.
func (ctx *Ctx) GetBlockedClientReadyKey() *String { return ctx.readyKey }

// GetBlockedClientHandle is RedisModule_GetBlockedClientHandle: the
// handle of the blocked client a reply, timeout or free callback serves.
func (ctx *Ctx) GetBlockedClientHandle() *BlockedClient {
	if ctx.flags&ctxThreadSafe != 0 {
		return nil
	}
	return ctx.blocked
}
