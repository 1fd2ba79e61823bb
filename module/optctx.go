package module

import engine "github.com/modis/modis/internal/module"

// KeyOptCtx is RedisModuleKeyOptCtx: what the v4 type methods
// (MemUsage2, FreeEffort2, Unlink2, Copy2) learn about the key they work on.
type KeyOptCtx struct{ o *engine.KeyOptCtx }

func keyBytes(s *engine.String) []byte {
	if s == nil {
		return nil
	}
	return s.Bytes()
}

// KeyName is RedisModule_GetKeyNameFromOptCtx: the key (the source key for
// Copy2), nil if unknown.
func (o *KeyOptCtx) KeyName() []byte { return keyBytes(engine.GetKeyNameFromOptCtx(o.o)) }

// ToKeyName is RedisModule_GetToKeyNameFromOptCtx: Copy2's destination
// key, nil for the other methods.
func (o *KeyOptCtx) ToKeyName() []byte { return keyBytes(engine.GetToKeyNameFromOptCtx(o.o)) }

// DbID is RedisModule_GetDbIdFromOptCtx: the key's database, -1 if unknown.
func (o *KeyOptCtx) DbID() int { return engine.GetDbIdFromOptCtx(o.o) }

// ToDbID is RedisModule_GetToDbIdFromOptCtx: Copy2's destination
// database, -1 for the other methods.
func (o *KeyOptCtx) ToDbID() int { return engine.GetToDbIdFromOptCtx(o.o) }

// KeyName is RedisModule_GetKeyNameFromDigest: the key being digested, nil
// if unknown.
func (d *Digest) KeyName() []byte { return keyBytes(engine.GetKeyNameFromDigest(d.d)) }

// DbID is RedisModule_GetDbIdFromDigest: the database of the key being
// digested.
func (d *Digest) DbID() int { return engine.GetDbIdFromDigest(d.d) }

// TypeMethods4 are the v4 type methods, which get a KeyOptCtx; each wins
// over its older form. Set them with DataType.SetTypeMethods4.
type TypeMethods4 struct {
	MemUsage2   func(o *KeyOptCtx, value any, samples int) uint64 // mem_usage2 (MEMORY USAGE)
	FreeEffort2 func(o *KeyOptCtx, value any) uint64              // free_effort2
	Unlink2     func(o *KeyOptCtx, value any)                     // unlink2
	Copy2       func(o *KeyOptCtx, value any) any                 // copy2 (COPY): nil fails the copy
}

// SetTypeMethods4 installs the v4 methods of t (RedisModuleTypeMethods
// version 4 fields).
func (t *DataType) SetTypeMethods4(m TypeMethods4) {
	var em engine.TypeMethods4
	if m.MemUsage2 != nil {
		em.MemUsage2 = func(o *engine.KeyOptCtx, v any, samples int) uint64 { return m.MemUsage2(&KeyOptCtx{o}, v, samples) }
	}
	if m.FreeEffort2 != nil {
		em.FreeEffort2 = func(o *engine.KeyOptCtx, v any) uint64 { return m.FreeEffort2(&KeyOptCtx{o}, v) }
	}
	if m.Unlink2 != nil {
		em.Unlink2 = func(o *engine.KeyOptCtx, v any) { m.Unlink2(&KeyOptCtx{o}, v) }
	}
	if m.Copy2 != nil {
		em.Copy2 = func(o *engine.KeyOptCtx, v any) any { return m.Copy2(&KeyOptCtx{o}, v) }
	}
	t.t.SetTypeMethods4(em)
}
