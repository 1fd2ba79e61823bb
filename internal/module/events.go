package module

// Server event ids (REDISMODULE_EVENT_*).
const (
	EventReplicationRoleChanged = 0
	EventPersistence            = 1
	EventFlushDB                = 2
	EventLoading                = 3
	EventClientChange           = 4
	EventShutdown               = 5
	EventReplicaChange          = 6
	EventMasterLinkChange       = 7
	EventCronLoop               = 8
	EventModuleChange           = 9
	EventLoadingProgress        = 10
	EventSwapDB                 = 11
	EventReplBackup             = 12
	EventForkChild              = 13
	EventReplAsyncLoad          = 14
	EventEventLoop              = 15
	EventConfig                 = 16
	eventNext                   = 17
)

// Sub-events used by the events Modis fires.
const (
	SubeventFlushDBStart           = 0
	SubeventFlushDBEnd             = 1
	SubeventClientChangeConnected  = 0
	SubeventClientChangeDisconnect = 1
	SubeventModuleLoaded           = 0
	SubeventModuleUnloaded         = 1
)

// subeventsNext is each event's _NEXT sub-event value.
var subeventsNext = [eventNext]uint64{2, 6, 2, 5, 2, 0, 2, 2, 0, 2, 2, 0, 3, 2, 3, 2, 1}

// IsSubEventSupported is RedisModule_IsSubEventSupported.
func IsSubEventSupported(event, subevent uint64) bool {
	return event < eventNext && subevent < subeventsNext[event]
}

// ServerEventFunc is a server-event callback
// (RedisModuleEventCallback); data is one of the *Info types below or nil.
type ServerEventFunc func(ctx *Ctx, event, subevent uint64, data any)

// FlushInfo is RedisModuleFlushInfoV1.
type FlushInfo struct {
	Sync  bool
	DBNum int // -1 for all databases
}

// ModuleChangeInfo is RedisModuleModuleChangeV1.
type ModuleChangeInfo struct {
	ModuleName    string
	ModuleVersion int
}

// CronLoopInfo is RedisModuleCronLoopV1.
type CronLoopInfo struct {
	HZ int
}

// SwapDBInfo is RedisModuleSwapDbInfoV1.
type SwapDBInfo struct {
	First, Second int
}

// SubscribeToServerEvent is RedisModule_SubscribeToServerEvent; a nil cb
// unsubscribes. ERR without a module or for an unknown event.
func (ctx *Ctx) SubscribeToServerEvent(event uint64, cb ServerEventFunc) int {
	if ctx.module == nil || event >= eventNext {
		return ERR
	}
	if cb == nil {
		delete(ctx.module.events, event)
		return OK
	}
	if ctx.module.events == nil {
		ctx.module.events = make(map[uint64]ServerEventFunc)
	}
	ctx.module.events[event] = cb
	return OK
}

// FireServerEvent calls the subscribers of an event (Redis's
// moduleFireServerEvent); c is the client the event is about, if any
// (ClientChange), db the database the context selects. Call it with the
// lock held.
func (e *Engine) FireServerEvent(event, subevent uint64, data any, c Client, db int) {
	for _, m := range e.Modules() {
		cb := m.events[event]
		if cb == nil {
			continue
		}
		// A module is not told about its own load/unload.
		if event == EventModuleChange {
			if mc, ok := data.(*ModuleChangeInfo); ok && mc.ModuleName == m.Name {
				continue
			}
		}
		ctx := e.newCtx(m, c, 0)
		ctx.db = db
		ctx.out = nil
		cb(ctx, event, subevent, data)
		ctx.out = nil // events have nobody to reply to
		ctx.free()
	}
}
