package module

import (
	"sync/atomic"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/stream"
)

// Key open modes (REDISMODULE_READ, REDISMODULE_WRITE,
// REDISMODULE_OPEN_KEY_NOTOUCH).
const (
	Read           = 1 << 0
	Write          = 1 << 1
	OpenKeyNoTouch = 1 << 16
)

// Key types (REDISMODULE_KEYTYPE_*).
const (
	KeyTypeEmpty  = 0
	KeyTypeString = 1
	KeyTypeList   = 2
	KeyTypeHash   = 3
	KeyTypeSet    = 4
	KeyTypeZset   = 5
	KeyTypeModule = 6
	KeyTypeStream = 7
)

// NoExpire is REDISMODULE_NO_EXPIRE.
const NoExpire = -1

// Key is RedisModuleKey, an open key. Unlike Redis, which caches the value
// pointer at open time (and can use it after another handle or a Call
// replaced the value), a Key looks its value up again on each access, so a
// stale handle sees the current value or an empty key, never freed memory.
// Per-handle iterator state of the collection APIs (lists, sorted-set
// ranges, streams) will live here as those types land.
type Key struct {
	ctx    *Ctx
	db     *keyspace.DB
	dbID   int
	name   *String
	mode   int
	closed bool

	// obj is the value found at open, trusted while no module write
	// happened since (epoch == writeEpoch) and the command context that
	// opened the key is still running the same command (gen): nothing
	// else changes the keyspace meanwhile. It saves a lookup per access.
	obj   *keyspace.Object
	epoch uint64
	gen   uint64

	stream *streamKeyState // open stream iterator (key_stream.go)
	zset   zsetIter        // sorted set range iterator (key_zset.go)

	// Ext is free for the API layer above the engine (the Go API keeps
	// its wrapper here; reused with the key's slot, see OpenKeyBytes).
	Ext any
}

// keySlot is a key handle and its name, owned by a command context and
// reused by its later commands (OpenKeyBytes).
type keySlot struct {
	key  Key
	name String
	buf  []byte
}

// release readies a slot for reuse; false when the module still holds
// the key (not closed) or its name (retained), so it must not be reused.
func (ks *keySlot) release() bool {
	if !ks.key.closed || ks.name.refs.Load() != 0 {
		return false
	}
	k := &ks.key // field by field, as in openKeyInto
	k.ctx, k.db, k.name, k.obj, k.stream = nil, nil, nil, nil, nil
	return true
}

// OpenKeyBytes is OpenKey for a name given as bytes (copied). In a command
// context the first handles come from the context's reusable slots, so
// the common open-read-close sequence allocates nothing.
func (ctx *Ctx) OpenKeyBytes(name []byte, mode int) *Key {
	if ctx.keySlotsUsed >= len(ctx.keySlots) || ctx.cmd == nil || ctx.flags&(ctxThreadSafe|ctxTempClient) != 0 {
		s := NewString(name)
		k := ctx.OpenKey(s, mode)
		s.decr()
		return k
	}
	ks := ctx.keySlots[ctx.keySlotsUsed]
	if ks == nil {
		ks = &keySlot{key: Key{closed: true}}
		ctx.keySlots[ctx.keySlotsUsed] = ks
	}
	ks.buf = append(ks.buf[:0], name...)
	ks.name.b = ks.buf
	ks.name.refs.Store(1) // the key's reference, handed over below
	k := ctx.openKeyInto(&ks.key, &ks.name, mode, true)
	if k == nil {
		ks.name.refs.Store(0)
		ks.name.b = nil
		return nil
	}
	ctx.keySlotsUsed++
	return k
}

// OpenKey is RedisModule_OpenKey. A READ open of a missing key returns
// nil; a WRITE open always returns a handle (empty until a writer creates
// the value).
func (ctx *Ctx) OpenKey(name *String, mode int) *Key {
	return ctx.openKeyInto(nil, name, mode, false)
}

// openKeyInto opens a key into k (a new handle when k is nil). With owned
// the caller's reference to name becomes the key's; otherwise the key
// takes one of its own.
func (ctx *Ctx) openKeyInto(k *Key, name *String, mode int, owned bool) *Key {
	h := ctx.eng.host
	dbID := ctx.dbID()
	var o *keyspace.Object
	if mode&Write != 0 {
		o = h.LookupWrite(dbID, name.Bytes())
	} else {
		o = h.LookupRead(dbID, name.Bytes(), mode&OpenKeyNoTouch != 0)
		if o == nil {
			return nil
		}
	}
	if !owned {
		name.incr()
	}
	if k == nil {
		k = &Key{}
	}
	// Field by field (a reused handle keeps Ext): a whole-struct store
	// costs a write barrier per pointer field while the GC runs.
	k.ctx, k.db, k.dbID, k.name, k.mode, k.closed = ctx, h.Keyspace().DBs[dbID], dbID, name, mode, false
	k.obj, k.epoch, k.gen = nil, 0, 0
	k.zset = zsetIter{} // a reused handle starts without a range
	if o != nil && ctx.cmd != nil && ctx.flags&(ctxThreadSafe|ctxTempClient) == 0 {
		k.obj, k.epoch, k.gen = o, writeEpoch.Load(), ctx.gen
	}
	ctx.autoAdd(autoEntry{key: k})
	return k
}

// value is the key's current value, nil when empty.
func (k *Key) value() *keyspace.Object {
	if k == nil || k.closed {
		return nil
	}
	if k.obj != nil && k.epoch == writeEpoch.Load() && k.gen == k.ctx.gen {
		return k.obj
	}
	return k.db.Lookup(k.name.Bytes())
}

// writable reports whether k may be written; every write through a key
// handle asks it first, so it also tells WriteHook a write may follow.
func (k *Key) writable() bool {
	if k != nil && !k.closed && k.mode&Write != 0 {
		noteWrite()
		return true
	}
	return false
}

// WriteHook, when set, is called before a module may change the keyspace:
// a write through a key handle, a Call, ResetDataset. The C bridge uses it
// to invalidate what its key handles cached at OpenKey (type, string
// value), as Redis's key handles cache the value they opened.
var WriteHook func()

// writeEpoch counts noteWrite calls (each under its server's execution
// lock; atomic because it is shared by every server of the process, as in
// tests that run several, where a write anywhere just invalidates more).
var writeEpoch atomic.Uint64

func noteWrite() {
	writeEpoch.Add(1)
	if WriteHook != nil {
		WriteHook()
	}
}

// CloseKey is RedisModule_CloseKey (nil is fine). Closing a WRITE handle
// signals the key as modified (WATCH) unless the module set
// OPTION_NO_IMPLICIT_SIGNAL_MODIFIED.
func (ctx *Ctx) CloseKey(k *Key) {
	if k == nil {
		return
	}
	ctx.autoRemove(autoEntry{key: k})
	k.close()
}

func (k *Key) close() {
	if k.closed {
		return
	}
	if k.mode&Write != 0 && (k.ctx.module == nil || k.ctx.module.options&OptionNoImplicitSignalModified == 0) {
		k.ctx.eng.host.KeyModified(k.dbID, k.name.Bytes())
	}
	k.closed = true
	k.name.decr()
}

// KeyType is RedisModule_KeyType (KeyTypeEmpty for nil).
func KeyType(k *Key) int {
	o := k.value()
	if o == nil {
		return KeyTypeEmpty
	}
	switch o.Kind() {
	case keyspace.KindString:
		return KeyTypeString
	case keyspace.KindList:
		return KeyTypeList
	case keyspace.KindHash:
		return KeyTypeHash
	case keyspace.KindSet:
		return KeyTypeSet
	case keyspace.KindZSet:
		return KeyTypeZset
	case keyspace.KindModule:
		return KeyTypeModule
	case keyspace.KindStream:
		return KeyTypeStream
	}
	return KeyTypeEmpty
}

// collectionLen reports the element count of collection values; the
// collection families register it as they land.
var collectionLen func(o *keyspace.Object) int64

// ValueLength is RedisModule_ValueLength: string length or element count,
// 0 for an empty key.
func ValueLength(k *Key) int64 {
	o := k.value()
	if o == nil {
		return 0
	}
	if o.Kind() == keyspace.KindString {
		return int64(o.StringLen())
	}
	if o.Kind() == keyspace.KindStream {
		return int64((*stream.Stream)(o.Ptr()).Len())
	}
	if collectionLen != nil {
		return collectionLen(o)
	}
	return 0
}

// DeleteKey is RedisModule_DeleteKey: ERR unless opened for writing.
func DeleteKey(k *Key) int {
	if !k.writable() {
		return ERR
	}
	if k.value() != nil {
		k.ctx.eng.deleteKey(k.db, k.name.Bytes())
	}
	return OK
}

// UnlinkKey is RedisModule_UnlinkKey (the same as DeleteKey: values are
// freed by the garbage collector, module values through their free
// method).
func UnlinkKey(k *Key) int { return DeleteKey(k) }

// deleteKey removes a key (the keyspace frees a module value through its
// type's free method).
func (e *Engine) deleteKey(db *keyspace.DB, key []byte) bool { return db.DeleteServer(key) }

// GetExpire is RedisModule_GetExpire: remaining ms, or NoExpire.
func GetExpire(k *Key) int64 {
	if k.value() == nil {
		return NoExpire
	}
	when := k.db.Expire(k.name.Bytes())
	if when < 0 {
		return NoExpire
	}
	left := when - k.ctx.eng.host.Now()
	if left < 0 {
		left = 0
	}
	return left
}

// SetExpire is RedisModule_SetExpire: a TTL relative to now, or NoExpire
// to persist. ERR unless writable and the key exists.
func SetExpire(k *Key, ms int64) int {
	if !k.writable() || k.value() == nil || (ms < 0 && ms != NoExpire) {
		return ERR
	}
	if ms == NoExpire {
		k.db.Persist(k.name.Bytes())
		return OK
	}
	k.db.SetExpire(k.name.Bytes(), k.ctx.eng.host.Now()+ms)
	return OK
}

// GetAbsExpire is RedisModule_GetAbsExpire: the Unix time in ms, or
// NoExpire.
func GetAbsExpire(k *Key) int64 {
	if k.value() == nil {
		return NoExpire
	}
	when := k.db.Expire(k.name.Bytes())
	if when < 0 {
		return NoExpire
	}
	return when
}

// SetAbsExpire is RedisModule_SetAbsExpire.
func SetAbsExpire(k *Key, when int64) int {
	if !k.writable() || k.value() == nil || (when < 0 && when != NoExpire) {
		return ERR
	}
	if when == NoExpire {
		k.db.Persist(k.name.Bytes())
		return OK
	}
	k.db.SetExpire(k.name.Bytes(), when)
	return OK
}

// StringSet is RedisModule_StringSet: replace the value with a copy of s
// (dropping any TTL, as SET does).
func StringSet(k *Key, s *String) int {
	if !k.writable() {
		return ERR
	}
	DeleteKey(k)
	k.db.Set(k.name.Bytes(), keyspace.NewString(s.Bytes()), false)
	return OK
}

// StringDMA is RedisModule_StringDMA: direct access to a string value's
// bytes. With Write the value is first made a private raw string, and the
// returned slice may be modified in place; it stays valid until the key
// is written through another API or closed. An empty key gives an empty
// slice, a non-string nil.
func StringDMA(k *Key, mode int) []byte {
	o := k.value()
	if o == nil {
		return []byte{}
	}
	if o.Kind() != keyspace.KindString {
		return nil
	}
	if mode&Write != 0 && k.writable() && o.Encoding() != keyspace.EncRaw {
		b := o.AppendString(nil)
		k.db.Set(k.name.Bytes(), keyspace.NewRawString(b), true)
		o = k.value()
	}
	if o.IsInt() {
		return o.AppendString(nil)
	}
	return o.Bytes()
}

// StringBytes returns the bytes of a string value without copying them
// (valid until the value changes); ok is false for an empty key, another
// type, or an integer-encoded string, which has no bytes to point at.
func StringBytes(k *Key) (b []byte, ok bool) {
	o := k.value()
	if o == nil || o.Kind() != keyspace.KindString || o.IsInt() {
		return nil, false
	}
	return o.Bytes(), true
}

// maxStringSize is proto-max-bulk-len's default, the largest string value.
const maxStringSize = 512 << 20

// StringTruncate is RedisModule_StringTruncate: resize a string value,
// padding with zero bytes; an empty key becomes a zero-filled string of
// newlen (nothing happens for 0).
func StringTruncate(k *Key, newlen int64) int {
	if !k.writable() || newlen < 0 || newlen > maxStringSize {
		return ERR
	}
	o := k.value()
	if o == nil {
		if newlen == 0 {
			return OK
		}
		k.db.Set(k.name.Bytes(), keyspace.NewRawString(make([]byte, newlen)), false)
		return OK
	}
	if o.Kind() != keyspace.KindString {
		return ERR
	}
	cur := o.AppendString(nil)
	var b []byte
	if int64(len(cur)) >= newlen {
		b = append([]byte(nil), cur[:newlen]...)
	} else {
		b = make([]byte, newlen)
		copy(b, cur)
	}
	k.db.Set(k.name.Bytes(), keyspace.NewRawString(b), true)
	return OK
}

// ResetDataset is RedisModule_ResetDataset: FLUSHALL without
// notifications (restartAOF and async are accepted for the signature).
func (ctx *Ctx) ResetDataset(restartAOF, async bool) {
	noteWrite()
	for _, db := range ctx.eng.host.Keyspace().DBs {
		ctx.eng.flushDB(db)
	}
}

// flushDB empties a database (module values are freed by the keyspace's
// FreeModule hook).
func (e *Engine) flushDB(db *keyspace.DB) { db.Flush() }

// DbSize is RedisModule_DbSize: keys in the selected database.
func (ctx *Ctx) DbSize() int64 {
	return int64(ctx.eng.host.Keyspace().DBs[ctx.dbID()].Len())
}

// RandomKey is RedisModule_RandomKey: nil when the database is empty.
func (ctx *Ctx) RandomKey() *String {
	k, ok := ctx.eng.host.Keyspace().DBs[ctx.dbID()].RandomKey()
	if !ok {
		return nil
	}
	return ctx.newString([]byte(k))
}

// KeyExists is RedisModule_KeyExists: no statistics, touch or events.
func (ctx *Ctx) KeyExists(name *String) bool {
	return ctx.eng.host.Keyspace().DBs[ctx.dbID()].Exists(name.Bytes())
}

// GetKeyNameFromModuleKey is RedisModule_GetKeyNameFromModuleKey.
func GetKeyNameFromModuleKey(k *Key) *String {
	if k == nil {
		return nil
	}
	return k.name
}

// GetDbIdFromModuleKey is RedisModule_GetDbIdFromModuleKey.
func GetDbIdFromModuleKey(k *Key) int {
	if k == nil {
		return -1
	}
	return k.dbID
}

// SignalModifiedKey is RedisModule_SignalModifiedKey.
func (ctx *Ctx) SignalModifiedKey(name *String) int {
	ctx.eng.host.KeyModified(ctx.dbID(), name.Bytes())
	return OK
}
