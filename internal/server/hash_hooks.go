package server

import (
	"strings"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hash"
)

// Per-kind hooks of the hash type: used-memory estimate, MEMORY USAGE,
// DEBUG DIGEST(-VALUE), COPY, DEBUG HTSTATS-KEY and DEBUG OBJECT.

func init() {
	keyspace.ValueSizers[keyspace.KindHash] = func(o *keyspace.Object) int64 { return hashOf(o).MemSize() }
	memoryUsageHooks[keyspace.KindHash] = hashMemoryUsage
	digestValueHooks[keyspace.KindHash] = hashDigest
	registerDup(keyspace.KindHash, func(o *keyspace.Object) keyspace.Object {
		d := hashOf(o).Dup()
		return keyspace.NewValue(keyspace.KindHash, d.Encoding(), unsafe.Pointer(d))
	})
	htStatsKeyHooks[keyspace.KindHash] = func(b *strings.Builder, o *keyspace.Object) bool {
		d := hashOf(o).Dict()
		if d == nil {
			return false
		}
		htStatsText(b, d)
		return true
	}
	serializedLenHooks[keyspace.KindHash] = hashSerializedLen
}

// Sizes of Redis's structures that MEMORY USAGE counts for a hashtable.
const hashDictStructSize = 56

// hashMemoryUsage is Redis's objectComputeSize for a hash: the listpack's
// allocation, or the table, its buckets and the average of the first
// samples entries (field and value SDS plus the entry) times the size.
func hashMemoryUsage(o *keyspace.Object, samples int) int {
	h := hashOf(o)
	if h.IsListpack() {
		return robjSize + mallocSize(h.ListpackSize())
	}
	d := h.Dict()
	size := robjSize + hashDictStructSize + 8*d.Buckets()
	elesize, n := 0, 0
	h.Each(func(f, v []byte) bool {
		if samples != 0 && n >= samples {
			return false
		}
		elesize += sdsAllocSize(len(f)) + sdsAllocSize(len(v)) + dictEntrySize
		n++
		return true
	})
	if n > 0 {
		// As C's size_t += double: the sum is rounded as a double first.
		size = int(float64(size) + float64(elesize)/float64(n)*float64(h.Len()))
	}
	return size
}

// hashDigest mixes the pairs order-independently, as xorObjectDigest does:
// each pair's digest is built by mixing field then value, and the pair
// digests are xored together.
func hashDigest(d *digest, o *keyspace.Object) {
	hashOf(o).Each(func(f, v []byte) bool {
		var e digest
		e.mix(f)
		e.mix(v)
		d.xor(e[:])
		return true
	})
}

// hashSerializedLen is rdbSavedObjectLen for a hash: a listpack is saved
// as one string blob, a hashtable as a count and every field and value.
func hashSerializedLen(o *keyspace.Object) int {
	h := hashOf(o)
	if h.IsListpack() {
		blob := keyspace.NewRawString(h.AppendListpack(nil))
		return serializedStringLen(&blob)
	}
	n := rdbLenSize(h.Len())
	h.Each(func(f, v []byte) bool {
		fo, vo := keyspace.NewRawString(append([]byte(nil), f...)), keyspace.NewRawString(append([]byte(nil), v...))
		n += serializedStringLen(&fo) + serializedStringLen(&vo)
		return true
	})
	return n
}

// HashLimits gives the module engine the configured listpack thresholds
// (module.HashLimitsHost), so RedisModule_HashSet converts as HSET does.
func (h *moduleHost) HashLimits() hash.Limits { return h.s.hashLimits() }
