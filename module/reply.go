package module

import engine "github.com/modis/modis/internal/module"

// PostponedLen is REDISMODULE_POSTPONED_LEN, for ReplyWith{Array,Map,Set,
// Attribute}; close with the matching ReplySet*Length (innermost first).
const PostponedLen = engine.PostponedLen

// ErrWrongType is REDISMODULE_ERRORMSG_WRONGTYPE.
const ErrWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

// ReplyWithLongLong is RedisModule_ReplyWithLongLong.
func (ctx *Ctx) ReplyWithLongLong(v int64) error { return status(ctx.c.ReplyWithLongLong(v)) }

// ReplyWithError is RedisModule_ReplyWithError: msg is sent as given, so
// it should start with an error code ("ERR ...").
func (ctx *Ctx) ReplyWithError(msg string) error { return status(ctx.c.ReplyWithError(msg)) }

// ReplyWithSimpleString is RedisModule_ReplyWithSimpleString.
func (ctx *Ctx) ReplyWithSimpleString(s string) error { return status(ctx.c.ReplyWithSimpleString(s)) }

// ReplyWithArray is RedisModule_ReplyWithArray.
func (ctx *Ctx) ReplyWithArray(n int64) error { return status(ctx.c.ReplyWithArray(n)) }

// ReplyWithMap is RedisModule_ReplyWithMap (n pairs).
func (ctx *Ctx) ReplyWithMap(n int64) error { return status(ctx.c.ReplyWithMap(n)) }

// ReplyWithSet is RedisModule_ReplyWithSet.
func (ctx *Ctx) ReplyWithSet(n int64) error { return status(ctx.c.ReplyWithSet(n)) }

// ReplyWithAttribute is RedisModule_ReplyWithAttribute (fails in RESP2).
func (ctx *Ctx) ReplyWithAttribute(n int64) error { return status(ctx.c.ReplyWithAttribute(n)) }

// ReplySetArrayLength is RedisModule_ReplySetArrayLength.
func (ctx *Ctx) ReplySetArrayLength(n int64) { ctx.c.ReplySetArrayLength(n) }

// ReplySetMapLength is RedisModule_ReplySetMapLength.
func (ctx *Ctx) ReplySetMapLength(n int64) { ctx.c.ReplySetMapLength(n) }

// ReplySetSetLength is RedisModule_ReplySetSetLength.
func (ctx *Ctx) ReplySetSetLength(n int64) { ctx.c.ReplySetSetLength(n) }

// ReplySetAttributeLength is RedisModule_ReplySetAttributeLength.
func (ctx *Ctx) ReplySetAttributeLength(n int64) { ctx.c.ReplySetAttributeLength(n) }

// ReplyWithNullArray is RedisModule_ReplyWithNullArray.
func (ctx *Ctx) ReplyWithNullArray() error { return status(ctx.c.ReplyWithNullArray()) }

// ReplyWithEmptyArray is RedisModule_ReplyWithEmptyArray.
func (ctx *Ctx) ReplyWithEmptyArray() error { return status(ctx.c.ReplyWithEmptyArray()) }

// ReplyWithStringBuffer is RedisModule_ReplyWithStringBuffer (and
// ReplyWithString, ReplyWithCString: Go has one string form).
func (ctx *Ctx) ReplyWithStringBuffer(b []byte) error { return status(ctx.c.ReplyWithStringBuffer(b)) }

// ReplyWithCString is RedisModule_ReplyWithCString.
func (ctx *Ctx) ReplyWithCString(s string) error { return status(ctx.c.ReplyWithCString(s)) }

// ReplyWithEmptyString is RedisModule_ReplyWithEmptyString.
func (ctx *Ctx) ReplyWithEmptyString() error { return status(ctx.c.ReplyWithEmptyString()) }

// ReplyWithVerbatimStringType is RedisModule_ReplyWithVerbatimStringType
// (ext "txt" is RedisModule_ReplyWithVerbatimString).
func (ctx *Ctx) ReplyWithVerbatimStringType(b []byte, ext string) error {
	return status(ctx.c.ReplyWithVerbatimStringType(b, ext))
}

// ReplyWithNull is RedisModule_ReplyWithNull.
func (ctx *Ctx) ReplyWithNull() error { return status(ctx.c.ReplyWithNull()) }

// ReplyWithBool is RedisModule_ReplyWithBool.
func (ctx *Ctx) ReplyWithBool(v bool) error { return status(ctx.c.ReplyWithBool(v)) }

// ReplyWithDouble is RedisModule_ReplyWithDouble.
func (ctx *Ctx) ReplyWithDouble(d float64) error { return status(ctx.c.ReplyWithDouble(d)) }

// ReplyWithBigNumber is RedisModule_ReplyWithBigNumber.
func (ctx *Ctx) ReplyWithBigNumber(num string) error {
	return status(ctx.c.ReplyWithBigNumber([]byte(num)))
}

// ReplyWithLongDouble is RedisModule_ReplyWithLongDouble.
func (ctx *Ctx) ReplyWithLongDouble(ld LongDouble) error {
	return status(ctx.c.ReplyWithLongDouble(ld))
}

// ReplyWithCallReply is RedisModule_ReplyWithCallReply.
func (ctx *Ctx) ReplyWithCallReply(r *CallReply) error {
	if r == nil {
		return ErrFailed
	}
	return status(ctx.c.ReplyWithCallReply(r.r))
}
