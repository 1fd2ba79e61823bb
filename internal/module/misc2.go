package module

import (
	"time"

	"github.com/modis/modis/internal/command"
)

// Smaller APIs: memory and latency introspection, shard publishing,
// client certificates, argument redaction, channel positions, background
// time of blocked clients, one-shot event-loop callbacks. Host features
// they need come through optional interfaces (the server implements
// them), so other hosts (tests) need not.

// MemoryHost reports used memory against maxmemory.
type MemoryHost interface {
	// UsedMemoryRatio is used memory / maxmemory, 0 without a limit.
	UsedMemoryRatio() float64
}

// LatencyHost feeds the latency monitor.
type LatencyHost interface {
	LatencyAddSample(event string, ms int64)
}

// ShardPublisher publishes to shard channels (SPUBLISH).
type ShardPublisher interface {
	PublishShard(channel, message []byte) int
}

// Redactor is implemented by a client whose arguments can be hidden from
// SLOWLOG and MONITOR after the command ran.
type Redactor interface {
	ModRedactArg(pos int)
}

// GetUsedMemoryRatio is RedisModule_GetUsedMemoryRatio: used memory as a
// fraction of maxmemory (above 1 when over the limit), 0 without a limit.
func (ctx *Ctx) GetUsedMemoryRatio() float32 { return float32(ctx.eng.UsedMemoryRatio()) }

// UsedMemoryRatio is GetUsedMemoryRatio without a context.
func (e *Engine) UsedMemoryRatio() float64 {
	if mh, ok := e.host.(MemoryHost); ok {
		return mh.UsedMemoryRatio()
	}
	return 0
}

// LatencyAddSample is RedisModule_LatencyAddSample: record ms for event
// in the latency monitor (kept only at or above its threshold).
func (ctx *Ctx) LatencyAddSample(event string, ms int64) { ctx.eng.LatencyAddSample(event, ms) }

// LatencyAddSample without a context; call it under the execution lock.
func (e *Engine) LatencyAddSample(event string, ms int64) {
	if lh, ok := e.host.(LatencyHost); ok {
		lh.LatencyAddSample(event, ms)
	}
}

// PublishMessageShard is RedisModule_PublishMessageShard: publish to a
// shard channel; the number of receivers.
func (ctx *Ctx) PublishMessageShard(channel, message *String) int {
	if sp, ok := ctx.eng.host.(ShardPublisher); ok {
		return sp.PublishShard(channel.Bytes(), message.Bytes())
	}
	return 0
}

// CertHost gives a client's TLS peer certificate in PEM (nil when the
// client is unknown, not on TLS, or sent no certificate).
type CertHost interface {
	ClientCertificate(id uint64) []byte
}

// GetClientCertificate is RedisModule_GetClientCertificate: the client's
// TLS peer certificate in PEM form, or nil.
func (ctx *Ctx) GetClientCertificate(id uint64) *String {
	if ch, ok := ctx.eng.host.(CertHost); ok {
		if pem := ch.ClientCertificate(id); pem != nil {
			return ctx.newString(pem)
		}
	}
	return nil
}

// RedactClientCommandArgument is RedisModule_RedactClientCommandArgument:
// show argument pos of the current command as "(redacted)" in SLOWLOG and
// MONITOR (the command itself and ReplicateVerbatim see it unchanged). ERR
// without a client or for a position out of range (the command name
// included).
func (ctx *Ctx) RedactClientCommandArgument(pos int) int {
	if ctx.client == nil || ctx.flags&ctxTempClient != 0 || pos <= 0 || pos >= len(ctx.client.ModArgv()) {
		return ERR
	}
	ctx.redact = append(ctx.redact, pos)
	return OK
}

func (ctx *Ctx) applyRedactions() {
	if r, ok := ctx.client.(Redactor); ok {
		for _, pos := range ctx.redact {
			r.ModRedactArg(pos)
		}
	}
	ctx.redact = nil
}

// Channel flags (REDISMODULE_CMD_CHANNEL_*).
const (
	ChannelPattern     = 1 << 0
	ChannelPublish     = 1 << 1
	ChannelSubscribe   = 1 << 2
	ChannelUnsubscribe = 1 << 3
)

// IsChannelsPositionRequest is RedisModule_IsChannelsPositionRequest: the
// command runs to report its channel arguments (getchannels-api).
func (ctx *Ctx) IsChannelsPositionRequest() bool { return ctx.flags&ctxChannelsPosRequest != 0 }

// ChannelAtPosWithFlags is RedisModule_ChannelAtPosWithFlags: report the
// argument at pos as a channel, with ChannelPattern and the operation
// (ChannelPublish, ChannelSubscribe, ChannelUnsubscribe).
func (ctx *Ctx) ChannelAtPosWithFlags(pos int, flags int) {
	if ctx.flags&ctxChannelsPosRequest == 0 || pos <= 0 {
		return
	}
	ctx.chanPos = append(ctx.chanPos, keyPos{pos: pos, flags: flags})
}

// GetChannels runs a getchannels-api module command in channel-position
// mode and returns the channel positions and flags it reported (ACL
// checks of channels use it). ok is false when spec is not such a
// command.
func (e *Engine) GetChannels(spec *command.Spec, c Client, argv [][]byte) (pos, flags []int, ok bool) {
	cmd := e.commandBySpec(spec)
	if cmd == nil || !cmd.hasHandler() || cmd.extra&cmdGetChannelsAPI == 0 {
		return nil, nil, false
	}
	ctx := e.newCtx(cmd.module, c, ctxChannelsPosRequest)
	ctx.cmd = cmd
	if cmd.raw != nil {
		ctx.rawArgv = argv
		cmd.raw(ctx, argv)
	} else {
		ctx.argv = make([]*String, len(argv))
		for i, a := range argv {
			ctx.argv[i] = NewString(a)
		}
		cmd.handler(ctx, ctx.argv)
	}
	ctx.out = nil // replies in this mode are discarded
	ctx.postponed = nil
	for _, k := range ctx.chanPos {
		pos = append(pos, k.pos)
		flags = append(flags, k.flags)
	}
	ctx.free()
	return pos, flags, true
}

// BlockedClientMeasureTimeStart is
// RedisModule_BlockedClientMeasureTimeStart: (re)start measuring
// background work done for bc. Always OK, as in Redis 7.0.
func (bc *BlockedClient) BlockedClientMeasureTimeStart() int {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	bc.bgStart = int64(MonotonicMicroseconds()) + 1
	return OK
}

// BlockedClientMeasureTimeEnd is RedisModule_BlockedClientMeasureTimeEnd:
// add the time since the start to bc's background time; ERR if measuring
// never started. As in Redis 7.0 the start stays set, so a second End
// counts from the same start again.
func (bc *BlockedClient) BlockedClientMeasureTimeEnd() int {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.bgStart == 0 {
		return ERR
	}
	bc.bgDuration += int64(MonotonicMicroseconds()) + 1 - bc.bgStart
	return OK
}

// BackgroundDuration is the background time measured for bc (Redis adds
// it to the command's duration in the slow log and statistics).
func (bc *BlockedClient) BackgroundDuration() time.Duration {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	return time.Duration(bc.bgDuration) * time.Microsecond
}

// EventLoopAddOneShot is RedisModule_EventLoopAddOneShot: run fn once on
// the event loop, under the execution lock, soon. Callable from any
// goroutine or thread; fn nil is ERR.
func (e *Engine) EventLoopAddOneShot(fn func()) int {
	if fn == nil {
		return ERR
	}
	e.host.RunSoon(fn)
	return OK
}

// EventLoopAddOneShot on a context is the registry's spelling.
func (ctx *Ctx) EventLoopAddOneShot(fn func()) int { return ctx.eng.EventLoopAddOneShot(fn) }
