package module

import (
	"github.com/modis/modis/internal/resp"
	"github.com/modis/modis/internal/types/str"
)

// PostponedLen is REDISMODULE_POSTPONED_LEN: the aggregate's length is set
// later with ReplySet*Length.
const PostponedLen = -1

// Aggregate kinds for postponed replies.
const (
	aggArray = iota
	aggMap
	aggSet
	aggAttribute
)

// postponed is an aggregate whose header is inserted when its length is
// known: pos is where the header goes in ctx.out.
type postponed struct {
	pos  int
	kind int
}

// replyProto returns the protocol of the reply target, and false when the
// context has no target (timers, notifications): replies are then
// silently dropped, as in Redis.
func (ctx *Ctx) replyProto() (int, bool) {
	if ctx.blocked != nil && ctx.flags&ctxThreadSafe != 0 {
		return ctx.blocked.proto, true
	}
	if ctx.client == nil {
		return 2, false
	}
	return ctx.client.ModProto(), true
}

// reply appends encoded bytes built by fn.
func (ctx *Ctx) reply(fn func(dst []byte, proto int) []byte) int {
	proto, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = fn(ctx.out, proto)
	ctx.flushThreadSafe()
	return OK
}

// flushThreadSafe moves the replies of a thread-safe context bound to a
// blocked client into its buffer as soon as no postponed aggregate is
// open, so they survive until the client is unblocked.
func (ctx *Ctx) flushThreadSafe() {
	if ctx.flags&ctxThreadSafe != 0 && ctx.blocked != nil && len(ctx.postponed) == 0 {
		ctx.flushReplies()
	}
}

// ReplyWithLongLong is RedisModule_ReplyWithLongLong.
func (ctx *Ctx) ReplyWithLongLong(v int64) int {
	_, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendInt(ctx.out, v)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithError is RedisModule_ReplyWithError: "-" followed by msg as
// given (the module supplies the error code; none is added). It counts in
// the error statistics.
func (ctx *Ctx) ReplyWithError(msg string) int {
	if _, ok := ctx.replyProto(); !ok {
		return OK
	}
	ctx.noteError(msg)
	ctx.out = appendModuleError(ctx.out, msg)
	ctx.flushThreadSafe()
	return OK
}

func (ctx *Ctx) noteError(msg string) {
	if ctx.blocked != nil && ctx.flags&ctxThreadSafe != 0 {
		ctx.blocked.noteError(msg)
		return
	}
	if ctx.client != nil {
		ctx.client.ModNoteError(msg)
	}
}

// ReplyWithSimpleString is RedisModule_ReplyWithSimpleString.
func (ctx *Ctx) ReplyWithSimpleString(msg string) int {
	if _, ok := ctx.replyProto(); !ok {
		return OK
	}
	ctx.out = append(ctx.out, '+')
	ctx.out = append(ctx.out, msg...)
	ctx.out = append(ctx.out, '\r', '\n')
	ctx.flushThreadSafe()
	return OK
}

func (ctx *Ctx) replyAggregate(kind int, n int64) int {
	proto, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	if kind == aggAttribute && proto < 3 {
		return ERR
	}
	if n == PostponedLen {
		ctx.postponed = append(ctx.postponed, postponed{pos: len(ctx.out), kind: kind})
		return OK
	}
	ctx.out = appendAggregateLen(ctx.out, kind, n, proto)
	return OK
}

func appendAggregateLen(dst []byte, kind int, n int64, proto int) []byte {
	switch kind {
	case aggMap:
		return resp.AppendMapLen(dst, int(n), proto)
	case aggSet:
		return resp.AppendSetLen(dst, int(n), proto)
	case aggAttribute:
		return resp.AppendAttributeLen(dst, int(n))
	}
	return resp.AppendArrayLen(dst, int(n))
}

// ReplyWithArray is RedisModule_ReplyWithArray; n may be PostponedLen.
func (ctx *Ctx) ReplyWithArray(n int64) int { return ctx.replyAggregate(aggArray, n) }

// ReplyWithMap is RedisModule_ReplyWithMap (n pairs; a flat array of 2n
// in RESP2).
func (ctx *Ctx) ReplyWithMap(n int64) int { return ctx.replyAggregate(aggMap, n) }

// ReplyWithSet is RedisModule_ReplyWithSet (an array in RESP2).
func (ctx *Ctx) ReplyWithSet(n int64) int { return ctx.replyAggregate(aggSet, n) }

// ReplyWithAttribute is RedisModule_ReplyWithAttribute: ERR in RESP2.
func (ctx *Ctx) ReplyWithAttribute(n int64) int { return ctx.replyAggregate(aggAttribute, n) }

func (ctx *Ctx) setPostponedLen(kind int, n int64) {
	proto, ok := ctx.replyProto()
	if !ok {
		return
	}
	if len(ctx.postponed) == 0 {
		ctx.eng.host.Logf(LogWarning, "API misuse detected in module %s: ReplySet*Length called without any postponed reply.", ctx.moduleName())
		return
	}
	p := ctx.postponed[len(ctx.postponed)-1]
	ctx.postponed = ctx.postponed[:len(ctx.postponed)-1]
	hdr := appendAggregateLen(nil, kind, n, proto)
	ctx.out = append(ctx.out, hdr...)
	copy(ctx.out[p.pos+len(hdr):], ctx.out[p.pos:len(ctx.out)-len(hdr)])
	copy(ctx.out[p.pos:], hdr)
	ctx.flushThreadSafe()
}

// ReplySetArrayLength is RedisModule_ReplySetArrayLength: it closes the
// most recently opened postponed aggregate.
func (ctx *Ctx) ReplySetArrayLength(n int64) { ctx.setPostponedLen(aggArray, n) }

// ReplySetMapLength is RedisModule_ReplySetMapLength.
func (ctx *Ctx) ReplySetMapLength(n int64) { ctx.setPostponedLen(aggMap, n) }

// ReplySetSetLength is RedisModule_ReplySetSetLength.
func (ctx *Ctx) ReplySetSetLength(n int64) { ctx.setPostponedLen(aggSet, n) }

// ReplySetAttributeLength is RedisModule_ReplySetAttributeLength.
func (ctx *Ctx) ReplySetAttributeLength(n int64) { ctx.setPostponedLen(aggAttribute, n) }

// ReplyWithNullArray is RedisModule_ReplyWithNullArray (*-1 / _).
func (ctx *Ctx) ReplyWithNullArray() int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendNullArray(ctx.out, p)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithEmptyArray is RedisModule_ReplyWithEmptyArray.
func (ctx *Ctx) ReplyWithEmptyArray() int {
	_, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = append(ctx.out, "*0\r\n"...)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithStringBuffer is RedisModule_ReplyWithStringBuffer.
func (ctx *Ctx) ReplyWithStringBuffer(b []byte) int {
	_, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendBulk(ctx.out, b)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithCString is RedisModule_ReplyWithCString.
func (ctx *Ctx) ReplyWithCString(s string) int {
	_, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendBulkString(ctx.out, s)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithString is RedisModule_ReplyWithString.
func (ctx *Ctx) ReplyWithString(s *String) int { return ctx.ReplyWithStringBuffer(s.Bytes()) }

// ReplyWithEmptyString is RedisModule_ReplyWithEmptyString.
func (ctx *Ctx) ReplyWithEmptyString() int {
	_, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = append(ctx.out, "$0\r\n\r\n"...)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithVerbatimString is RedisModule_ReplyWithVerbatimString (type
// "txt").
func (ctx *Ctx) ReplyWithVerbatimString(b []byte) int {
	return ctx.ReplyWithVerbatimStringType(b, "txt")
}

// ReplyWithVerbatimStringType is RedisModule_ReplyWithVerbatimStringType;
// ext is the 3-character type.
func (ctx *Ctx) ReplyWithVerbatimStringType(b []byte, ext string) int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendVerbatim(ctx.out, b, ext, p)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithNull is RedisModule_ReplyWithNull ($-1 / _).
func (ctx *Ctx) ReplyWithNull() int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendNull(ctx.out, p)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithBool is RedisModule_ReplyWithBool (:1/:0 in RESP2).
func (ctx *Ctx) ReplyWithBool(v bool) int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendBool(ctx.out, v, p)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithDouble is RedisModule_ReplyWithDouble (a bulk string in RESP2).
func (ctx *Ctx) ReplyWithDouble(v float64) int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendDouble(ctx.out, v, p)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithBigNumber is RedisModule_ReplyWithBigNumber (a bulk string in
// RESP2).
func (ctx *Ctx) ReplyWithBigNumber(num []byte) int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	ctx.out = resp.AppendBigNumber(ctx.out, num, p)
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithLongDouble is RedisModule_ReplyWithLongDouble: the human
// friendly long double format, as a bulk string in RESP2 and a double in
// RESP3.
func (ctx *Ctx) ReplyWithLongDouble(ld str.LongDouble) int {
	p, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	s := ld.AppendHuman(nil)
	if p < 3 {
		ctx.out = resp.AppendBulk(ctx.out, s)
	} else {
		ctx.out = append(ctx.out, ',')
		ctx.out = append(ctx.out, s...)
		ctx.out = append(ctx.out, '\r', '\n')
	}
	ctx.flushThreadSafe()
	return OK
}

// ReplyWithCallReply is RedisModule_ReplyWithCallReply: the reply's raw
// protocol, whatever protocol the client speaks (as redis-server 7.0.15).
func (ctx *Ctx) ReplyWithCallReply(r *CallReply) int {
	proto, ok := ctx.replyProto()
	if !ok {
		return OK
	}
	if r == nil {
		return ERR
	}
	// Redis 7.0.15 refuses a RESP3 reply for a RESP2 client only once the
	// reply has been parsed (by an accessor such as CallReplyType); an
	// unparsed one is copied as is.
	if proto == 2 && r.isRESP3() {
		return ERR
	}
	r.countErrors(ctx)
	ctx.out = append(ctx.out, r.Proto()...)
	ctx.flushThreadSafe()
	return OK
}

// WrongArity is RedisModule_WrongArity.
func (ctx *Ctx) WrongArity() int {
	name := ""
	if ctx.cmd != nil {
		name = ctx.cmd.spec.Name
	}
	return ctx.ReplyWithError("ERR wrong number of arguments for '" + name + "' command")
}

// appendModuleError writes "-" + msg + CRLF with newlines replaced by
// spaces (Redis formats "-%s", so a leading '-' in msg is kept).
func appendModuleError(d []byte, msg string) []byte {
	d = append(d, '-')
	start := len(d)
	d = append(d, msg...)
	for i := start; i < len(d); i++ {
		if d[i] == '\r' || d[i] == '\n' {
			d[i] = ' '
		}
	}
	return append(d, '\r', '\n')
}

// DirectReplyProto returns the protocol of a command context whose
// replies go to its client's output in order (0 for any other context:
// thread-safe, blocked-client, key-position, no client). For such a
// context the C bridge encodes simple replies itself and hands them over
// with AppendReply, saving a call into Go per reply.
func (ctx *Ctx) DirectReplyProto() int {
	if ctx.cmd == nil || ctx.client == nil || ctx.blocked != nil ||
		ctx.flags&(ctxThreadSafe|ctxKeysPosRequest|ctxBlockedReply|ctxBlockedTimeout|ctxTempClient) != 0 {
		return 0
	}
	return ctx.client.ModProto()
}

// AppendReply appends replies encoded by the caller (see
// DirectReplyProto).
func (ctx *Ctx) AppendReply(b []byte) { ctx.out = append(ctx.out, b...) }
