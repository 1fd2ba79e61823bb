package module

import "github.com/modis/modis/internal/keyspace"

// RedisModule_ScanKey iterates the elements of a hash, set or sorted set.
// The engine does not know the collections' representations: each
// collection package registers a KeyScanFunc for its kind, and ScanKey
// works for every kind registered (others are EINVAL, as in Redis).

// KeyScanFunc visits elements of a collection value for ScanKey. Starting
// at cursor (0: the beginning) it calls emit for some elements, in the
// order and batches Redis's SCAN of the key would give, and returns the
// next cursor, 0 when the iteration is complete. A compact encoding
// (listpack, intset) emits everything in one call and returns 0. value is
// nil for set members; a sorted-set member's value is its score as Redis
// formats it ("%.17Lg"). emit copies what it gets: the function may pass
// views of its internal buffers.
type KeyScanFunc func(o *keyspace.Object, cursor uint64, emit func(field, value []byte)) (next uint64)

var keyScanners = map[keyspace.Kind]KeyScanFunc{}

// RegisterKeyScanner makes ScanKey iterate values of kind with f (the
// collection families call it from init). Registering a kind again
// replaces its function; nil removes it.
func RegisterKeyScanner(kind keyspace.Kind, f KeyScanFunc) {
	if f == nil {
		delete(keyScanners, kind)
		return
	}
	keyScanners[kind] = f
}

// KeyScanner returns the registered function for kind, or nil.
func KeyScanner(kind keyspace.Kind) KeyScanFunc { return keyScanners[kind] }

// ScanKeyFunc is RedisModuleScanKeyCB: one element; value is nil for set
// members. field and value are valid during the call only (Retain or Hold
// what you keep).
type ScanKeyFunc func(key *Key, field, value *String)

// ScanKey is RedisModule_ScanKey: call fn for a batch of the key's
// elements and report whether more remain. It returns false with EINVAL
// for an empty key or a type ScanKey does not iterate, ENOENT once the
// cursor is done, and errno 0 otherwise. The batch is collected before fn
// runs, so fn may modify the key (deleting the current element is the
// safe case in Redis; here any change is memory-safe, though elements may
// then be missed or repeated, as with SCAN).
func (k *Key) ScanKey(cursor *ScanCursor, fn ScanKeyFunc) (more bool, errno Errno) {
	o := k.value()
	if o == nil || cursor == nil {
		return false, EINVAL
	}
	scan := keyScanners[o.Kind()]
	switch o.Kind() {
	case keyspace.KindHash, keyspace.KindSet, keyspace.KindZSet:
	default:
		scan = nil
	}
	if scan == nil {
		return false, EINVAL
	}
	if cursor.done {
		return false, ENOENT
	}
	type elem struct {
		field, value []byte
		hasValue     bool
	}
	var batch []elem
	next := scan(o, cursor.cursor, func(field, value []byte) {
		e := elem{field: append([]byte(nil), field...)}
		if value != nil {
			e.value, e.hasValue = append([]byte(nil), value...), true
		}
		batch = append(batch, e)
	})
	for _, e := range batch {
		f := NewString(e.field)
		var v *String
		if e.hasValue {
			v = NewString(e.value)
		}
		fn(k, f, v)
		f.decr()
		if v != nil {
			v.decr()
		}
	}
	cursor.cursor = next
	if next == 0 {
		cursor.done = true
		return false, 0
	}
	return true, 0
}
