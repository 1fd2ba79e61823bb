package module

import "time"

// TimerID is RedisModuleTimerID.
type TimerID uint64

// TimerFunc is a timer callback (RedisModuleTimerProc).
type TimerFunc func(ctx *Ctx, data any)

type timer struct {
	id     TimerID
	module *Module
	db     int
	when   time.Time
	cb     TimerFunc
	data   any
	stop   func() bool
}

// timerTable holds pending module timers by id.
type timerTable struct {
	byID map[TimerID]*timer
	last TimerID
}

// CreateTimer is RedisModule_CreateTimer: call cb(ctx, data) once, ms
// milliseconds from now, on the server's event loop (under the execution
// lock, never during a command), with a context on the creator's module
// and database. Call it with the lock held.
func (ctx *Ctx) CreateTimer(ms int64, cb TimerFunc, data any) TimerID {
	e := ctx.eng
	if e.timers.byID == nil {
		e.timers.byID = make(map[TimerID]*timer)
	}
	if ms < 0 {
		ms = 0
	}
	when := time.Now().Add(time.Duration(ms) * time.Millisecond)
	// Redis's id is the expiry in microseconds, bumped on collision.
	id := TimerID(when.UnixMicro())
	if id <= e.timers.last {
		id = e.timers.last + 1
	}
	for e.timers.byID[id] != nil {
		id++
	}
	e.timers.last = id
	t := &timer{id: id, module: ctx.module, db: ctx.dbID(), when: when, cb: cb, data: data}
	e.timers.byID[id] = t
	if t.module != nil {
		t.module.timers++
	}
	t.stop = e.host.AfterFunc(ms, func() { e.fireTimer(t) })
	return id
}

func (e *Engine) fireTimer(t *timer) {
	if e.timers.byID[t.id] != t {
		return // stopped
	}
	e.removeTimer(t)
	ctx := e.newCtx(t.module, nil, 0)
	ctx.db = t.db
	defer ctx.free()
	t.cb(ctx, t.data)
}

func (e *Engine) removeTimer(t *timer) {
	delete(e.timers.byID, t.id)
	if t.module != nil {
		t.module.timers--
	}
}

// lookupTimer finds a timer of ctx's module.
func (ctx *Ctx) lookupTimer(id TimerID) *timer {
	t := ctx.eng.timers.byID[id]
	if t == nil || t.module != ctx.module {
		return nil
	}
	return t
}

// StopTimer is RedisModule_StopTimer: ERR for an unknown id or a timer of
// another module; the data is returned, not freed.
func (ctx *Ctx) StopTimer(id TimerID) (data any, ret int) {
	t := ctx.lookupTimer(id)
	if t == nil {
		return nil, ERR
	}
	t.stop()
	ctx.eng.removeTimer(t)
	return t.data, OK
}

// GetTimerInfo is RedisModule_GetTimerInfo: the ms left and the data.
func (ctx *Ctx) GetTimerInfo(id TimerID) (remaining int64, data any, ret int) {
	t := ctx.lookupTimer(id)
	if t == nil {
		return 0, nil, ERR
	}
	left := time.Until(t.when).Milliseconds()
	if left < 0 {
		left = 0
	}
	return left, t.data, OK
}
