package module

import engine "github.com/modis/modis/internal/module"

// Key open modes and types.
const (
	Read           = engine.Read
	Write          = engine.Write
	OpenKeyNoTouch = engine.OpenKeyNoTouch

	KeyTypeEmpty  = engine.KeyTypeEmpty
	KeyTypeString = engine.KeyTypeString
	KeyTypeList   = engine.KeyTypeList
	KeyTypeHash   = engine.KeyTypeHash
	KeyTypeSet    = engine.KeyTypeSet
	KeyTypeZset   = engine.KeyTypeZset
	KeyTypeModule = engine.KeyTypeModule
	KeyTypeStream = engine.KeyTypeStream

	// NoExpire is REDISMODULE_NO_EXPIRE.
	NoExpire = engine.NoExpire
)

// Key is RedisModuleKey.
type Key struct {
	ctx *Ctx
	k   *engine.Key
}

// OpenKey is RedisModule_OpenKey. A Read open of a missing key returns
// nil; Write always returns a key.
func (ctx *Ctx) OpenKey(name []byte, mode int) *Key {
	k := ctx.c.OpenKeyBytes(name, mode)
	if k == nil {
		return nil
	}
	// The engine reuses key handles of command contexts; so is their
	// wrapper.
	if w, ok := k.Ext.(*Key); ok {
		w.ctx, w.k = ctx, k
		return w
	}
	w := &Key{ctx: ctx, k: k}
	k.Ext = w
	return w
}

func (k *Key) raw() *engine.Key {
	if k == nil {
		return nil
	}
	return k.k
}

// Close is RedisModule_CloseKey (nil is fine).
func (k *Key) Close() {
	if k != nil {
		k.ctx.c.CloseKey(k.k)
	}
}

// Type is RedisModule_KeyType.
func (k *Key) Type() int { return engine.KeyType(k.raw()) }

// ValueLength is RedisModule_ValueLength.
func (k *Key) ValueLength() int64 { return engine.ValueLength(k.raw()) }

// Delete is RedisModule_DeleteKey.
func (k *Key) Delete() error { return status(engine.DeleteKey(k.raw())) }

// Unlink is RedisModule_UnlinkKey.
func (k *Key) Unlink() error { return status(engine.UnlinkKey(k.raw())) }

// Expire is RedisModule_GetExpire: remaining ms or NoExpire.
func (k *Key) Expire() int64 { return engine.GetExpire(k.raw()) }

// SetExpire is RedisModule_SetExpire.
func (k *Key) SetExpire(ms int64) error { return status(engine.SetExpire(k.raw(), ms)) }

// AbsExpire is RedisModule_GetAbsExpire.
func (k *Key) AbsExpire() int64 { return engine.GetAbsExpire(k.raw()) }

// SetAbsExpire is RedisModule_SetAbsExpire.
func (k *Key) SetAbsExpire(ms int64) error { return status(engine.SetAbsExpire(k.raw(), ms)) }

// StringSet is RedisModule_StringSet.
func (k *Key) StringSet(v []byte) error {
	return status(engine.StringSet(k.raw(), engine.NewString(v)))
}

// StringDMA is RedisModule_StringDMA: with Write the slice may be changed
// in place until the key is written otherwise or closed.
func (k *Key) StringDMA(mode int) []byte { return engine.StringDMA(k.raw(), mode) }

// StringTruncate is RedisModule_StringTruncate.
func (k *Key) StringTruncate(n int64) error { return status(engine.StringTruncate(k.raw(), n)) }

// KeyExists is RedisModule_KeyExists.
func (ctx *Ctx) KeyExists(name []byte) bool {
	return ctx.c.KeyExists(engine.NewString(name))
}

// DbSize is RedisModule_DbSize.
func (ctx *Ctx) DbSize() int64 { return ctx.c.DbSize() }

// RandomKey is RedisModule_RandomKey (nil when empty).
func (ctx *Ctx) RandomKey() []byte {
	s := ctx.c.RandomKey()
	if s == nil {
		return nil
	}
	return s.Bytes()
}

// ResetDataset is RedisModule_ResetDataset.
func (ctx *Ctx) ResetDataset(restartAOF, async bool) { ctx.c.ResetDataset(restartAOF, async) }

// SignalModifiedKey is RedisModule_SignalModifiedKey.
func (ctx *Ctx) SignalModifiedKey(name []byte) { ctx.c.SignalModifiedKey(engine.NewString(name)) }
