package module

import engine "github.com/modis/modis/internal/module"

// Yield flags.
const (
	YieldFlagNone    = engine.YieldFlagNone
	YieldFlagClients = engine.YieldFlagClients
)

// Yield is RedisModule_Yield: call it periodically from a long-running
// command. Once the command has run longer than busy-reply-threshold, the
// server processes pending events (at most hz times a second); with
// YieldFlagClients other clients are served too, getting "-BUSY
// busyReply" (or Redis's default text when busyReply is empty) for
// commands not flagged allow-busy.
func (ctx *Ctx) Yield(flags int, busyReply string) { ctx.c.Yield(flags, busyReply) }

// SetLRU is RedisModule_SetLRU: mark the key as last accessed idleMs ago
// (fails under an LFU maxmemory policy, or for an empty key).
func (k *Key) SetLRU(idleMs int64) error { return status(k.raw().SetLRU(idleMs)) }

// GetLRU is RedisModule_GetLRU: the idle time in ms, -1 under an LFU
// policy.
func (k *Key) GetLRU() (int64, error) {
	v, ret := k.raw().GetLRU()
	return v, status(ret)
}

// SetLFU is RedisModule_SetLFU: set the access frequency counter, 0-255
// (fails unless the maxmemory policy is an LFU one).
func (k *Key) SetLFU(freq int64) error { return status(k.raw().SetLFU(freq)) }

// GetLFU is RedisModule_GetLFU: the access frequency counter, -1 unless
// the maxmemory policy is an LFU one.
func (k *Key) GetLFU() (int64, error) {
	v, ret := k.raw().GetLFU()
	return v, status(ret)
}

// ScanKey is RedisModule_ScanKey: fn gets a batch of the hash, set or
// sorted set's elements (value nil for set members; a member's score for
// sorted sets); it reports whether more remain. err is a *CallError with
// EINVAL for a key of another type or empty, ENOENT when the cursor is
// already done.
func (k *Key) ScanKey(cursor *ScanCursor, fn func(key *Key, field, value []byte)) (bool, error) {
	more, errno := k.raw().ScanKey(cursor.c, func(_ *engine.Key, f, v *engine.String) {
		var vb []byte
		if v != nil {
			vb = v.Bytes()
		}
		fn(k, f.Bytes(), vb)
	})
	if errno != 0 {
		return false, &CallError{Errno: errno}
	}
	return more, nil
}

// GetUsedMemoryRatio is RedisModule_GetUsedMemoryRatio: used memory as a
// fraction of maxmemory, 0 without a limit.
func (ctx *Ctx) GetUsedMemoryRatio() float32 { return ctx.c.GetUsedMemoryRatio() }

// LatencyAddSample is RedisModule_LatencyAddSample.
func (ctx *Ctx) LatencyAddSample(event string, ms int64) { ctx.c.LatencyAddSample(event, ms) }

// PublishMessageShard is RedisModule_PublishMessageShard (SPUBLISH); the
// number of receivers.
func (ctx *Ctx) PublishMessageShard(channel, message []byte) int {
	return ctx.c.PublishMessageShard(engine.NewString(channel), engine.NewString(message))
}

// GetClientCertificate is RedisModule_GetClientCertificate: the TLS peer
// certificate of client id in PEM, nil for a client without one (plain
// connection, no certificate sent, unknown id).
func (ctx *Ctx) GetClientCertificate(id uint64) []byte {
	if s := ctx.c.GetClientCertificate(id); s != nil {
		return s.Bytes()
	}
	return nil
}

// RedactClientCommandArgument is RedisModule_RedactClientCommandArgument:
// show argument pos as "(redacted)" in SLOWLOG and MONITOR.
func (ctx *Ctx) RedactClientCommandArgument(pos int) error {
	return status(ctx.c.RedactClientCommandArgument(pos))
}

// Channel flags for ChannelAtPosWithFlags.
const (
	ChannelPattern     = engine.ChannelPattern
	ChannelPublish     = engine.ChannelPublish
	ChannelSubscribe   = engine.ChannelSubscribe
	ChannelUnsubscribe = engine.ChannelUnsubscribe
)

// IsChannelsPositionRequest is RedisModule_IsChannelsPositionRequest (a
// command created with "getchannels-api").
func (ctx *Ctx) IsChannelsPositionRequest() bool { return ctx.c.IsChannelsPositionRequest() }

// ChannelAtPosWithFlags is RedisModule_ChannelAtPosWithFlags.
func (ctx *Ctx) ChannelAtPosWithFlags(pos, flags int) { ctx.c.ChannelAtPosWithFlags(pos, flags) }

// MeasureTimeStart is RedisModule_BlockedClientMeasureTimeStart.
func (bc *BlockedClient) MeasureTimeStart() error {
	return status(bc.bc.BlockedClientMeasureTimeStart())
}

// MeasureTimeEnd is RedisModule_BlockedClientMeasureTimeEnd.
func (bc *BlockedClient) MeasureTimeEnd() error { return status(bc.bc.BlockedClientMeasureTimeEnd()) }

// Event-loop masks for EventLoopAdd.
const (
	EventLoopReadable = engine.EventLoopReadable
	EventLoopWritable = engine.EventLoopWritable
)

// EventLoopAddOneShot is RedisModule_EventLoopAddOneShot: run fn once on
// the event loop (under the execution lock); callable from any goroutine.
func (ctx *Ctx) EventLoopAddOneShot(fn func()) error { return status(ctx.c.EventLoopAddOneShot(fn)) }

// EventLoopAdd is RedisModule_EventLoopAdd: fn(fd, mask) runs on the event
// loop while fd is ready for mask.
func (ctx *Ctx) EventLoopAdd(fd, mask int, fn func(fd, mask int)) error {
	if r, errno := ctx.c.EventLoopAdd(fd, mask, fn); r != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// EventLoopDel is RedisModule_EventLoopDel.
func (ctx *Ctx) EventLoopDel(fd, mask int) error {
	if r, errno := ctx.c.EventLoopDel(fd, mask); r != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}
