package module

import engine "github.com/modis/modis/internal/module"

// Flags of Key.HashSet (REDISMODULE_HASH_*). C field names (CFIELDS) have
// no Go counterpart; HashExists replaces REDISMODULE_HASH_EXISTS.
const (
	HashNone     = engine.HashNone
	HashNX       = engine.HashNX       // set only fields that do not exist
	HashXX       = engine.HashXX       // set only fields that exist
	HashCountAll = engine.HashCountAll // count inserted fields too
)

// HashField is one field of Key.HashSet: Value is stored under Field, or
// the field is removed when Delete is set (REDISMODULE_HASH_DELETE).
type HashField struct {
	Field  []byte
	Value  []byte
	Delete bool
}

// HashSet is RedisModule_HashSet. It returns how many existing fields were
// updated or deleted (with HashCountAll: how many were set or deleted). A
// missing key becomes a hash; a hash left empty is deleted. When nothing
// was counted the error is a *CallError whose Errno says why: EINVAL (bad
// flags or nil key), ENOTSUP (not a hash), EBADF (not opened for Write)
// or ENOENT (no field counted).
func (k *Key) HashSet(flags int, fields ...HashField) (int, error) {
	pairs := make([]engine.HashPair, len(fields))
	for i, f := range fields {
		pairs[i] = engine.HashPair{Field: f.Field, Value: f.Value, Delete: f.Delete}
	}
	n, errno := engine.HashSet(k.raw(), flags, pairs)
	if n == 0 {
		return 0, &CallError{Errno: errno}
	}
	return n, nil
}

// HashGet is RedisModule_HashGet: the value of each field (nil when the
// field or the key is missing; a nil Key, as OpenKey returns for a missing
// key opened for Read, reads as empty). It fails when the key is not a
// hash.
func (k *Key) HashGet(fields ...[]byte) ([][]byte, error) {
	if k == nil {
		return make([][]byte, len(fields)), nil
	}
	vals, ret := engine.HashGet(k.raw(), fields)
	if ret != engine.OK {
		return nil, ErrFailed
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		if v != nil {
			out[i] = append([]byte(nil), v.Bytes()...)
			k.ctx.c.FreeString(v)
		}
	}
	return out, nil
}

// HashExists is RedisModule_HashGet with REDISMODULE_HASH_EXISTS: whether
// each field exists (none for a nil Key). It fails when the key is not a
// hash.
func (k *Key) HashExists(fields ...[]byte) ([]bool, error) {
	if k == nil {
		return make([]bool, len(fields)), nil
	}
	out, ret := engine.HashGetExists(k.raw(), fields)
	if ret != engine.OK {
		return nil, ErrFailed
	}
	return out, nil
}
