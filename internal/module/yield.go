package module

import "time"

// Yield flags (REDISMODULE_YIELD_FLAG_*).
const (
	YieldFlagNone    = 1 << 0
	YieldFlagClients = 1 << 1
)

// YieldHost is implemented by a host that can serve other work while a
// module command runs long (RedisModule_Yield).
type YieldHost interface {
	// Yield serves pending events; with YieldFlagClients, other clients'
	// commands too, refused with "-BUSY <busyReply>" (a default text when
	// empty) unless allow-busy.
	Yield(flags int, busyReply string)
	// YieldTiming is the busy threshold in ms and the server hz.
	YieldTiming() (thresholdMs int64, hz int)
}

// Yield is RedisModule_Yield: called periodically from a long command (or
// while loading), it lets the server process events once the command has
// run longer than busy-reply-threshold, then at most hz times a second.
func (ctx *Ctx) Yield(flags int, busyReply string) {
	yh, ok := ctx.eng.host.(YieldHost)
	if !ok || ctx.eng.yielding {
		return
	}
	ctx.eng.yielding = true
	defer func() { ctx.eng.yielding = false }()
	threshold, hz := yh.YieldTiming()
	now := time.Now().UnixMilli()
	if ctx.nextYield == 0 {
		ctx.nextYield = ctx.start + threshold
	}
	if now < ctx.nextYield {
		return
	}
	yh.Yield(flags, busyReply)
	if hz <= 0 {
		hz = 10
	}
	ctx.nextYield = now + int64(1000/hz)
}
