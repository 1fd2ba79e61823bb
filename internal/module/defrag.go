package module

import "time"

// Active defragmentation APIs. Modis has no active defragmentation: the Go
// heap is managed by its collector and C module memory by the C library's
// malloc, neither of which offers the per-allocation "would moving this
// help" hint Redis takes from its jemalloc. Modis therefore behaves as a
// Redis built without jemalloc: CONFIG SET activedefrag yes is refused
// with that build's error, so the defrag callbacks modules register (the
// global DefragFunc and the types' defrag method) are kept but never
// invoked, and the helpers a callback would use answer as that build does
// (nothing is moved). The APIs exist so that modules that register them
// load and run unchanged.

// DefragFunc is RedisModuleDefragFunc, a module's global defrag callback.
type DefragFunc func(dctx *DefragCtx)

// DefragCtx is RedisModuleDefragCtx: the state of one defrag callback.
type DefragCtx struct {
	deadline time.Time // zero: no time limit (the callback runs to the end)
	cursor   *uint64   // nil unless the callback may resume later
	key      *String
	db       int
}

// RegisterDefragFunc is RedisModule_RegisterDefragFunc: register the
// module's global defrag callback, for data not stored in keys.
func (ctx *Ctx) RegisterDefragFunc(fn DefragFunc) int {
	if ctx.module == nil {
		return ERR
	}
	ctx.module.defragFunc = fn
	return OK
}

// DefragShouldStop is RedisModule_DefragShouldStop: whether the callback
// has used up its time and should return (saving a cursor to resume).
func DefragShouldStop(dctx *DefragCtx) bool {
	return !dctx.deadline.IsZero() && time.Now().After(dctx.deadline)
}

// DefragCursorSet is RedisModule_DefragCursorSet: store where a key's
// defrag callback stopped. ERR when the callback cannot be resumed.
func DefragCursorSet(dctx *DefragCtx, cursor uint64) int {
	if dctx.cursor == nil {
		return ERR
	}
	*dctx.cursor = cursor
	return OK
}

// DefragCursorGet is RedisModule_DefragCursorGet: the cursor a resumed
// callback continues from; ERR when the callback is not resumable.
func DefragCursorGet(dctx *DefragCtx) (uint64, int) {
	if dctx.cursor == nil {
		return 0, ERR
	}
	return *dctx.cursor, OK
}

// GetKeyNameFromDefragCtx is RedisModule_GetKeyNameFromDefragCtx: the key
// whose value is being defragmented; nil in the global callback.
func GetKeyNameFromDefragCtx(dctx *DefragCtx) *String { return dctx.key }

// GetDbIdFromDefragCtx is RedisModule_GetDbIdFromDefragCtx: the db of that
// key.
func GetDbIdFromDefragCtx(dctx *DefragCtx) int { return dctx.db }
