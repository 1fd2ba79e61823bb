package module

// Keyspace notification classes (REDISMODULE_NOTIFY_*), equal to the
// server's notify-keyspace-events bits.
const (
	NotifyKeyspace = 1 << 0
	NotifyKeyevent = 1 << 1
	NotifyGeneric  = 1 << 2
	NotifyString   = 1 << 3
	NotifyList     = 1 << 4
	NotifySet      = 1 << 5
	NotifyHash     = 1 << 6
	NotifyZset     = 1 << 7
	NotifyExpired  = 1 << 8
	NotifyEvicted  = 1 << 9
	NotifyStream   = 1 << 10
	NotifyKeyMiss  = 1 << 11
	NotifyLoaded   = 1 << 12
	NotifyModule   = 1 << 13
	NotifyNew      = 1 << 14
	NotifyAll      = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash | NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

// GetKeyspaceNotificationFlagsAll is
// RedisModule_GetKeyspaceNotificationFlagsAll.
func GetKeyspaceNotificationFlagsAll() int { return 1<<15 - 1 }

// NotifyFunc is a keyspace-event subscriber (RedisModuleNotificationFunc);
// its return value is ignored.
type NotifyFunc func(ctx *Ctx, class int, event string, key *String) int

// keyspaceSub is one SubscribeToKeyspaceEvents subscription.
type keyspaceSub struct {
	module *Module
	types  int
	cb     NotifyFunc
	active bool // running: not re-entered by events it causes
}

// SubscribeToKeyspaceEvents is RedisModule_SubscribeToKeyspaceEvents:
// cb runs synchronously whenever an event of one of the classes in types
// fires, whatever notify-keyspace-events says.
func (ctx *Ctx) SubscribeToKeyspaceEvents(types int, cb NotifyFunc) int {
	if ctx.module == nil || cb == nil {
		return ERR
	}
	sub := &keyspaceSub{module: ctx.module, types: types, cb: cb}
	ctx.eng.keyspaceSubs = append(ctx.eng.keyspaceSubs, sub)
	ctx.module.subs = append(ctx.module.subs, sub)
	return OK
}

// FireKeyspaceEvent delivers a keyspace event to module subscribers
// (Redis's moduleNotifyKeyspaceEvent). The server calls it for every
// event, before the pub/sub notification.
func (e *Engine) FireKeyspaceEvent(class int, event string, key []byte, db int) {
	if len(e.keyspaceSubs) == 0 {
		return
	}
	class &^= NotifyKeyspace | NotifyKeyevent
	var ks *String
	for _, sub := range e.keyspaceSubs {
		if sub.types&class == 0 || sub.active {
			continue
		}
		// LOADED is delivered only to explicit subscribers (it is outside
		// NotifyAll, so the class test already does that).
		if ks == nil {
			ks = NewString(key)
		}
		ctx := e.newCtx(sub.module, nil, 0)
		ctx.db = db
		sub.active = true
		sub.cb(ctx, class, event, ks)
		sub.active = false
		ctx.free()
	}
}

// NotifyKeyspaceEvent is RedisModule_NotifyKeyspaceEvent: fire an event
// for module subscribers and pub/sub.
func (ctx *Ctx) NotifyKeyspaceEvent(class int, event string, key *String) int {
	ctx.eng.host.Notify(class, event, key.Bytes(), ctx.dbID())
	return OK
}

// GetNotifyKeyspaceEvents is RedisModule_GetNotifyKeyspaceEvents.
func (ctx *Ctx) GetNotifyKeyspaceEvents() int { return ctx.eng.host.NotifyFlags() }
