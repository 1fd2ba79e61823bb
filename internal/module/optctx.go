package module

import "github.com/modis/modis/internal/keyspace"

// KeyOptCtx is RedisModuleKeyOptCtx: the key (and, for copy, the
// destination key) and database a v4 type method works on. To is nil and
// ToDB -1 where the method has no destination.
type KeyOptCtx struct {
	from, to     *String
	fromDB, toDB int
}

// TypeMethods4 are the v4 forms of the type methods (mem_usage2,
// free_effort2, unlink2, copy2), which get a KeyOptCtx. A type sets them
// through SetTypeMethods4; each wins over its older form.
type TypeMethods4 struct {
	MemUsage2   func(o *KeyOptCtx, value any, samples int) uint64
	FreeEffort2 func(o *KeyOptCtx, value any) uint64
	Unlink2     func(o *KeyOptCtx, value any)
	Copy2       func(o *KeyOptCtx, value any) any
}

// SetTypeMethods4 installs the v4 methods of t.
func (t *DataType) SetTypeMethods4(m TypeMethods4) { t.v4 = &m }

// GetKeyNameFromOptCtx is RedisModule_GetKeyNameFromOptCtx.
func GetKeyNameFromOptCtx(o *KeyOptCtx) *String { return o.from }

// GetToKeyNameFromOptCtx is RedisModule_GetToKeyNameFromOptCtx.
func GetToKeyNameFromOptCtx(o *KeyOptCtx) *String { return o.to }

// GetDbIdFromOptCtx is RedisModule_GetDbIdFromOptCtx.
func GetDbIdFromOptCtx(o *KeyOptCtx) int { return o.fromDB }

// GetToDbIdFromOptCtx is RedisModule_GetToDbIdFromOptCtx.
func GetToDbIdFromOptCtx(o *KeyOptCtx) int { return o.toDB }

// GetKeyNameFromDigest is RedisModule_GetKeyNameFromDigest.
func GetKeyNameFromDigest(d *Digest) *String { return d.key }

// GetDbIdFromDigest is RedisModule_GetDbIdFromDigest.
func GetDbIdFromDigest(d *Digest) int { return d.db }

// newOptCtx builds the context of one v4 call; end drops its strings.
func newOptCtx(from, to []byte, fromDB, toDB int) *KeyOptCtx {
	o := &KeyOptCtx{fromDB: fromDB, toDB: toDB}
	if from != nil {
		o.from = NewString(from)
	}
	if to != nil {
		o.to = NewString(to)
	}
	return o
}

func (o *KeyOptCtx) end() {
	if o.from != nil {
		o.from.decr()
	}
	if o.to != nil {
		o.to.decr()
	}
}

// MemUsageValue is the module part of MEMORY USAGE (Redis's
// moduleGetMemUsage) for the value of key in db; ok is false when the
// type has no memory method.
func MemUsageValue(obj *keyspace.Object, key []byte, db, samples int) (n uint64, ok bool) {
	t, v := ValueOf(obj)
	if t == nil {
		return 0, false
	}
	if t.v4 != nil && t.v4.MemUsage2 != nil {
		o := newOptCtx(key, nil, db, -1)
		defer o.end()
		return t.v4.MemUsage2(o, v, samples), true
	}
	if t.Methods.MemUsage != nil {
		return t.Methods.MemUsage(v), true
	}
	return 0, false
}

// FreeEffortValue is Redis's moduleGetFreeEffort for the value of key in
// db: 1 when the type has no free_effort method.
func FreeEffortValue(obj *keyspace.Object, key []byte, db int) uint64 {
	t, v := ValueOf(obj)
	if t == nil {
		return 1
	}
	if t.v4 != nil && t.v4.FreeEffort2 != nil {
		o := newOptCtx(key, nil, db, -1)
		defer o.end()
		return t.v4.FreeEffort2(o, v)
	}
	if t.Methods.FreeEffort != nil {
		k := NewString(key)
		defer k.decr()
		return t.Methods.FreeEffort(k, v)
	}
	return 1
}

// UnlinkValue is Redis's moduleNotifyKeyUnlink: the value of key in db
// is leaving the keyspace.
func UnlinkValue(obj *keyspace.Object, key []byte, db int) {
	t, v := ValueOf(obj)
	if t == nil {
		return
	}
	if t.v4 != nil && t.v4.Unlink2 != nil {
		o := newOptCtx(key, nil, db, -1)
		defer o.end()
		t.v4.Unlink2(o, v)
		return
	}
	if t.Methods.Unlink != nil {
		k := NewString(key)
		defer k.decr()
		t.Methods.Unlink(k, v)
	}
}

// DigestValueKey is DigestValue for the value of key in db, which the
// digest method can ask for (GetKeyNameFromDigest, GetDbIdFromDigest).
func DigestValueKey(obj *keyspace.Object, key []byte, db int) (x [20]byte, ok bool) {
	t, v := ValueOf(obj)
	if t == nil || t.Methods.Digest == nil {
		return x, false
	}
	d := &Digest{db: db}
	if key != nil {
		d.key = NewString(key)
		defer d.key.decr()
	}
	t.Methods.Digest(d, v)
	return d.x, true
}
