package module

import engine "github.com/modis/modis/internal/module"

// InfoCtx is RedisModuleInfoCtx.
type InfoCtx struct{ ic *engine.InfoCtx }

// RegisterInfoFunc is RedisModule_RegisterInfoFunc: fn adds this module's
// sections to INFO (shown by INFO everything, INFO modules, or INFO
// <module> / INFO <module>_<section>).
func (ctx *Ctx) RegisterInfoFunc(fn func(ic *InfoCtx, forCrashReport bool)) error {
	return status(ctx.c.RegisterInfoFunc(func(ic *engine.InfoCtx, crash bool) { fn(&InfoCtx{ic: ic}, crash) }))
}

// AddSection is RedisModule_InfoAddSection ("" for the module's own
// section); fields added while it is not requested are dropped.
func (ic *InfoCtx) AddSection(name string) error { return status(ic.ic.InfoAddSection(name)) }

// BeginDictField is RedisModule_InfoBeginDictField.
func (ic *InfoCtx) BeginDictField(name string) error { return status(ic.ic.InfoBeginDictField(name)) }

// EndDictField is RedisModule_InfoEndDictField.
func (ic *InfoCtx) EndDictField() error { return status(ic.ic.InfoEndDictField()) }

// AddFieldString is RedisModule_InfoAddFieldString / CString.
func (ic *InfoCtx) AddFieldString(field, value string) error {
	return status(ic.ic.InfoAddFieldCString(field, value))
}

// AddFieldLongLong is RedisModule_InfoAddFieldLongLong.
func (ic *InfoCtx) AddFieldLongLong(field string, v int64) error {
	return status(ic.ic.InfoAddFieldLongLong(field, v))
}

// AddFieldULongLong is RedisModule_InfoAddFieldULongLong.
func (ic *InfoCtx) AddFieldULongLong(field string, v uint64) error {
	return status(ic.ic.InfoAddFieldULongLong(field, v))
}

// AddFieldDouble is RedisModule_InfoAddFieldDouble.
func (ic *InfoCtx) AddFieldDouble(field string, v float64) error {
	return status(ic.ic.InfoAddFieldDouble(field, v))
}

// Server events (REDISMODULE_EVENT_*) and the data they carry.
const (
	EventFlushDB      = engine.EventFlushDB
	EventClientChange = engine.EventClientChange
	EventShutdown     = engine.EventShutdown
	EventCronLoop     = engine.EventCronLoop
	EventModuleChange = engine.EventModuleChange
	EventSwapDB       = engine.EventSwapDB
)

type (
	FlushInfo        = engine.FlushInfo
	ModuleChangeInfo = engine.ModuleChangeInfo
	CronLoopInfo     = engine.CronLoopInfo
	SwapDBInfo       = engine.SwapDBInfo
)

// SubscribeToServerEvent is RedisModule_SubscribeToServerEvent (nil fn
// unsubscribes). data is *FlushInfo, *ClientInfo, *ModuleChangeInfo,
// *CronLoopInfo, *SwapDBInfo or nil, by event.
func (ctx *Ctx) SubscribeToServerEvent(event uint64, fn func(ctx *Ctx, event, subevent uint64, data any)) error {
	if fn == nil {
		return status(ctx.c.SubscribeToServerEvent(event, nil))
	}
	return status(ctx.c.SubscribeToServerEvent(event, func(ec *engine.Ctx, e, sub uint64, data any) {
		fn(&Ctx{c: ec}, e, sub, data)
	}))
}
