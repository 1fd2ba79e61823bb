package module

import (
	"errors"

	engine "github.com/modis/modis/internal/module"
)

// TimerID is RedisModuleTimerID.
type TimerID = engine.TimerID

// CreateTimer is RedisModule_CreateTimer: fn(ctx, data) runs once, ms
// milliseconds from now, on the server's event loop (never during a
// command), with a context of this module on the current database.
func (ctx *Ctx) CreateTimer(ms int64, fn func(ctx *Ctx, data any), data any) TimerID {
	return ctx.c.CreateTimer(ms, func(ec *engine.Ctx, d any) { fn(&Ctx{c: ec}, d) }, data)
}

// StopTimer is RedisModule_StopTimer: the timer's data, or an error for an
// unknown timer or one of another module.
func (ctx *Ctx) StopTimer(id TimerID) (any, error) {
	d, ret := ctx.c.StopTimer(id)
	return d, status(ret)
}

// GetTimerInfo is RedisModule_GetTimerInfo: ms left and data.
func (ctx *Ctx) GetTimerInfo(id TimerID) (remaining int64, data any, err error) {
	r, d, ret := ctx.c.GetTimerInfo(id)
	return r, d, status(ret)
}

// Keyspace event classes (REDISMODULE_NOTIFY_*).
const (
	NotifyGeneric = engine.NotifyGeneric
	NotifyString  = engine.NotifyString
	NotifyList    = engine.NotifyList
	NotifySet     = engine.NotifySet
	NotifyHash    = engine.NotifyHash
	NotifyZset    = engine.NotifyZset
	NotifyExpired = engine.NotifyExpired
	NotifyEvicted = engine.NotifyEvicted
	NotifyStream  = engine.NotifyStream
	NotifyKeyMiss = engine.NotifyKeyMiss
	NotifyLoaded  = engine.NotifyLoaded
	NotifyModule  = engine.NotifyModule
	NotifyNew     = engine.NotifyNew
	NotifyAll     = engine.NotifyAll
)

// SubscribeToKeyspaceEvents is RedisModule_SubscribeToKeyspaceEvents: fn
// runs synchronously for every event of the given classes (whatever
// notify-keyspace-events says); it is not re-entered by events it causes.
func (ctx *Ctx) SubscribeToKeyspaceEvents(classes int, fn func(ctx *Ctx, class int, event string, key []byte)) error {
	return status(ctx.c.SubscribeToKeyspaceEvents(classes, func(ec *engine.Ctx, class int, event string, key *engine.String) int {
		fn(&Ctx{c: ec}, class, event, key.Bytes())
		return engine.OK
	}))
}

// NotifyKeyspaceEvent is RedisModule_NotifyKeyspaceEvent.
func (ctx *Ctx) NotifyKeyspaceEvent(class int, event string, key []byte) error {
	return status(ctx.c.NotifyKeyspaceEvent(class, event, engine.NewString(key)))
}

// BlockedClient is RedisModuleBlockedClient.
type BlockedClient struct{ bc *engine.BlockedClient }

// BlockClient is RedisModule_BlockClient: the client waits (its further
// commands too) until UnblockClient. reply runs then, with
// GetBlockedClientPrivateData giving the data passed to UnblockClient;
// timeout runs after timeoutMs (0: none); free releases the data. Inside
// MULTI the client gets an error instead and the handle must still be
// unblocked or aborted.
func (ctx *Ctx) BlockClient(reply, timeout CommandFunc, free func(ctx *Ctx, data any), timeoutMs int64) *BlockedClient {
	var ef func(*engine.Ctx, any)
	if free != nil {
		ef = func(ec *engine.Ctx, d any) { free(&Ctx{c: ec}, d) }
	}
	return &BlockedClient{bc: ctx.c.BlockClient(wrap(reply), wrap(timeout), ef, timeoutMs)}
}

// UnblockClient is RedisModule_UnblockClient: callable from any goroutine
// without locking.
func (bc *BlockedClient) UnblockClient(data any) error { return status(bc.bc.UnblockClient(data)) }

// AbortBlock is RedisModule_AbortBlock.
func (bc *BlockedClient) AbortBlock() error { return status(bc.bc.AbortBlock()) }

// SetDisconnectCallback is RedisModule_SetDisconnectCallback: fn runs on
// the server side if the client disconnects while blocked (UnblockClient
// must still be called).
func (bc *BlockedClient) SetDisconnectCallback(fn func(ctx *Ctx, bc *BlockedClient)) {
	bc.bc.SetDisconnectCallback(func(ec *engine.Ctx, _ *engine.BlockedClient) { fn(&Ctx{c: ec}, bc) })
}

// GetBlockedClientPrivateData is RedisModule_GetBlockedClientPrivateData.
func (ctx *Ctx) GetBlockedClientPrivateData() any { return ctx.c.GetBlockedClientPrivateData() }

// IsBlockedReplyRequest is RedisModule_IsBlockedReplyRequest.
func (ctx *Ctx) IsBlockedReplyRequest() bool { return ctx.c.IsBlockedReplyRequest() }

// IsBlockedTimeoutRequest is RedisModule_IsBlockedTimeoutRequest.
func (ctx *Ctx) IsBlockedTimeoutRequest() bool { return ctx.c.IsBlockedTimeoutRequest() }

// GetThreadSafeContext is RedisModule_GetThreadSafeContext: a context for
// use from another goroutine. Bound to bc, its replies reach the client
// when bc is unblocked. Take ThreadSafeContextLock before touching keys or
// calling commands.
func (ctx *Ctx) GetThreadSafeContext(bc *BlockedClient) *Ctx {
	var ebc *engine.BlockedClient
	if bc != nil {
		ebc = bc.bc
	}
	return &Ctx{c: ctx.c.GetThreadSafeContext(ebc)}
}

// GetDetachedThreadSafeContext is RedisModule_GetDetachedThreadSafeContext.
func (ctx *Ctx) GetDetachedThreadSafeContext() *Ctx {
	return &Ctx{c: ctx.c.GetDetachedThreadSafeContext()}
}

// FreeThreadSafeContext is RedisModule_FreeThreadSafeContext.
func (ctx *Ctx) FreeThreadSafeContext() { ctx.c.FreeThreadSafeContext() }

// ThreadSafeContextLock is RedisModule_ThreadSafeContextLock: take the
// server's execution lock.
func (ctx *Ctx) ThreadSafeContextLock() { ctx.c.ThreadSafeContextLock() }

// ThreadSafeContextTryLock is RedisModule_ThreadSafeContextTryLock.
func (ctx *Ctx) ThreadSafeContextTryLock() error { return status(ctx.c.ThreadSafeContextTryLock()) }

// ThreadSafeContextUnlock is RedisModule_ThreadSafeContextUnlock.
func (ctx *Ctx) ThreadSafeContextUnlock() { ctx.c.ThreadSafeContextUnlock() }

// ErrKeepBlocked, returned by the reply callback of BlockClientOnKeys,
// keeps the client blocked (RedisModule's REDISMODULE_ERR there) without
// replying.
var ErrKeepBlocked = errors.New("module: keep the client blocked")

// BlockClientOnKeys is RedisModule_BlockClientOnKeys: block until one of
// keys is signalled ready. reply then runs with GetBlockedClientReadyKey
// set; returning ErrKeepBlocked keeps waiting. data is available to every
// callback through GetBlockedClientPrivateData.
func (ctx *Ctx) BlockClientOnKeys(reply, timeout CommandFunc, free func(ctx *Ctx, data any), timeoutMs int64, keys [][]byte, data any) *BlockedClient {
	var ef func(*engine.Ctx, any)
	if free != nil {
		ef = func(ec *engine.Ctx, d any) { free(&Ctx{c: ec}, d) }
	}
	ks := make([]*engine.String, len(keys))
	for i, k := range keys {
		ks[i] = engine.NewString(k)
	}
	return &BlockedClient{bc: ctx.c.BlockClientOnKeys(wrap(reply), wrap(timeout), ef, timeoutMs, ks, data)}
}

// SignalKeyAsReady is RedisModule_SignalKeyAsReady.
func (ctx *Ctx) SignalKeyAsReady(key []byte) { ctx.c.SignalKeyAsReady(engine.NewString(key)) }

// GetBlockedClientReadyKey is RedisModule_GetBlockedClientReadyKey.
func (ctx *Ctx) GetBlockedClientReadyKey() []byte {
	if k := ctx.c.GetBlockedClientReadyKey(); k != nil {
		return k.Bytes()
	}
	return nil
}
