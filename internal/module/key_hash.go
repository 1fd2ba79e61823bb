package module

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hash"
)

// The hash key API (Redis's RM_HashSet / RM_HashGet). The C forms are
// variadic; the bridge's shim walks the va_list into the pair and field
// lists these functions take.

// Hash flags (REDISMODULE_HASH_*).
const (
	HashNone     = 0
	HashNX       = 1 << 0
	HashXX       = 1 << 1
	HashCFields  = 1 << 2 // C strings as field names (handled by the C shim)
	HashExists   = 1 << 3 // HashGet reports existence instead of values
	HashCountAll = 1 << 4 // HashSet counts inserted fields too
)

// HashPair is one field of a HashSet call.
type HashPair struct {
	Field  []byte
	Value  []byte
	Delete bool // REDISMODULE_HASH_DELETE: remove the field
}

// HashLimitsHost is implemented by hosts that configure the listpack
// thresholds of hashes (hash-max-listpack-entries and -value); without it
// Redis's defaults apply.
type HashLimitsHost interface {
	HashLimits() hash.Limits
}

var defaultHashLimits = hash.Limits{MaxEntries: 512, MaxValue: 64}

func (e *Engine) hashLimits() hash.Limits {
	if h, ok := e.host.(HashLimitsHost); ok {
		return h.HashLimits()
	}
	return defaultHashLimits
}

func init() {
	// ValueLength of a hash is its field count; chain whatever other
	// collection families registered.
	prev := collectionLen
	collectionLen = func(o *keyspace.Object) int64 {
		if o.Kind() == keyspace.KindHash {
			return int64((*hash.Hash)(o.Ptr()).Len())
		}
		if prev != nil {
			return prev(o)
		}
		return 0
	}
}

// HashSet is RedisModule_HashSet: set, or with Delete remove, each field.
// NX sets only missing fields and XX only existing ones. It returns the
// number of existing fields updated or deleted (with HashCountAll: of
// fields set or deleted) and, when that is 0, why: EINVAL (bad flags or
// nil key), ENOTSUP (not a hash), EBADF (not open for writing) or ENOENT
// (nothing counted). A missing key is created, and deleted again if it
// ends up empty. No keyspace event fires (modules notify themselves).
func HashSet(k *Key, flags int, pairs []HashPair) (int, Errno) {
	if k == nil || k.closed || flags&^(HashNX|HashXX|HashCFields|HashCountAll) != 0 {
		return 0, EINVAL
	}
	o := k.value()
	if o != nil && o.Kind() != keyspace.KindHash {
		return 0, ENOTSUP
	}
	if k.mode&Write == 0 {
		return 0, EBADF
	}
	name := k.name.Bytes()
	if o == nil {
		h := hash.New()
		o = k.db.Add(name, keyspace.NewValue(keyspace.KindHash, h.Encoding(), unsafe.Pointer(h)))
	}
	h := (*hash.Hash)(o.Ptr())
	lim := k.ctx.eng.hashLimits()
	count := 0
	for _, p := range pairs {
		if flags&(HashNX|HashXX) != 0 {
			exists := h.Exists(p.Field)
			if (flags&HashXX != 0 && !exists) || (flags&HashNX != 0 && exists) {
				continue
			}
		}
		if p.Delete {
			if h.Delete(p.Field) {
				count++
			}
			continue
		}
		h.TryConversion(lim, [][]byte{p.Field, p.Value})
		isNew := h.Set(p.Field, p.Value, lim)
		if flags&HashCountAll != 0 || !isNew {
			count++
		}
	}
	if h.Len() == 0 {
		k.db.Delete(name)
	} else {
		o.SetEncoding(h.Encoding())
		k.db.Reaccount(name)
	}
	if count == 0 {
		return 0, ENOENT
	}
	return count, 0
}

// hashOfKey returns the key's hash, nil when empty; ok is false when the
// key holds another type.
func hashOfKey(k *Key) (h *hash.Hash, ok bool) {
	o := k.value()
	if o == nil {
		return nil, true
	}
	if o.Kind() != keyspace.KindHash {
		return nil, false
	}
	return (*hash.Hash)(o.Ptr()), true
}

// HashGet is RedisModule_HashGet: the value of each field, nil for a
// missing field or an empty key. The strings are new (tracked by the key's
// context's auto memory). ERR when the key holds another type.
func HashGet(k *Key, fields [][]byte) ([]*String, int) {
	vals, rc := HashGetValues(k, fields)
	if rc != OK {
		return nil, rc
	}
	out := make([]*String, len(fields))
	for i, v := range vals {
		if v != nil {
			out[i] = k.ctx.newString(v)
		}
	}
	return out, OK
}

// HashGetValues is HashGet without creating strings, for front-ends that
// copy the bytes into their own strings (the C bridge). The slices alias
// the hash: valid until the next write to the key.
func HashGetValues(k *Key, fields [][]byte) ([][]byte, int) {
	if k == nil {
		return nil, ERR
	}
	h, ok := hashOfKey(k)
	if !ok {
		return nil, ERR
	}
	out := make([][]byte, len(fields))
	if h == nil {
		return out, OK
	}
	for i, f := range fields {
		if v, found := h.Get(f); found {
			if v == nil {
				v = []byte{}
			}
			out[i] = v
		}
	}
	return out, OK
}

// HashGetExists is RedisModule_HashGet with REDISMODULE_HASH_EXISTS:
// whether each field exists. ERR when the key holds another type.
func HashGetExists(k *Key, fields [][]byte) ([]bool, int) {
	if k == nil {
		return nil, ERR
	}
	h, ok := hashOfKey(k)
	if !ok {
		return nil, ERR
	}
	out := make([]bool, len(fields))
	if h != nil {
		for i, f := range fields {
			out[i] = h.Exists(f)
		}
	}
	return out, OK
}
