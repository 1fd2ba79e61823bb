package server

import (
	"math"
	"strings"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/listpack"
	"github.com/modis/modis/internal/types/zset"
)

// Per-kind hooks of the sorted set type: memory estimates, DEBUG DIGEST,
// COPY and DEBUG HTSTATS-KEY.

func init() {
	keyspace.ValueSizers[keyspace.KindZSet] = func(o *keyspace.Object) int64 { return zsetOf(o).MemBytes() }
	memoryUsageHooks[keyspace.KindZSet] = zsetMemoryUsage
	serializedLenHooks[keyspace.KindZSet] = zsetSerializedLen
	digestValueHooks[keyspace.KindZSet] = func(d *digest, o *keyspace.Object) {
		var buf []byte
		zsetOf(o).EachUnordered(func(m []byte, s float64) {
			var e digest
			e.mix(m)
			buf = zset.FormatScore(buf[:0], s)
			e.mix(buf)
			d.xor(e[:])
		})
	}
	registerDup(keyspace.KindZSet, func(o *keyspace.Object) keyspace.Object {
		return newZsetObject(zsetOf(o).Clone())
	})
	htStatsKeyHooks[keyspace.KindZSet] = func(b *strings.Builder, o *keyspace.Object) bool {
		z := zsetOf(o)
		if z.IsListpack() {
			return false
		}
		htStatsText(b, z.Dict())
		return true
	}
}

// zsetMemoryUsage is Redis's objectComputeSize for a sorted set: the
// listpack bytes Redis would hold, or the skiplist and dict overheads plus
// the average sampled element times the length.
func zsetMemoryUsage(o *keyspace.Object, samples int) int {
	z := zsetOf(o)
	if z.IsListpack() {
		return robjSize + mallocSize(len(zsetListpackBytes(z)))
	}
	const zsetStruct, skiplistStruct, dictStruct = 16, 32, 56
	headerNode := mallocSize(24 + 32*16)
	size := robjSize + zsetStruct + skiplistStruct + dictStruct + 8*z.Buckets() + headerNode
	if samples == 0 {
		samples = z.Len()
	}
	elesize, n := 0, 0
	z.Range(0, min(samples, z.Len()), false, func(m []byte, _ float64) bool {
		lvl := 1
		elesize += sdsAllocSize(len(m)) + dictEntrySize + mallocSize(24+16*lvl)
		n++
		return true
	})
	if n > 0 {
		size += int(float64(elesize) / float64(n) * float64(z.Len()))
	}
	return size
}

// zsetSerializedLen is rdbSavedObjectLen for a sorted set: the listpack
// blob as one RDB string, or the length and every member (from the top)
// with an 8-byte binary score.
func zsetSerializedLen(o *keyspace.Object) int {
	z := zsetOf(o)
	if z.IsListpack() {
		blob := keyspace.NewEmbstrOrRaw(zsetListpackBytes(z))
		return serializedStringLen(&blob)
	}
	n := rdbLenSize(z.Len())
	z.Range(0, z.Len(), true, func(m []byte, _ float64) bool {
		s := keyspace.NewEmbstrOrRaw(m)
		n += serializedStringLen(&s) + 8
		return true
	})
	return n
}

// zsetListpackBytes is the listpack Redis would hold for a listpack set:
// header, member and score entries (scores as d2string text, integers
// compactly encoded), end byte.
func zsetListpackBytes(z *zset.ZSet) []byte {
	lp := listpack.AppendHeader(make([]byte, 0, 64))
	var buf []byte
	z.Range(0, z.Len(), false, func(m []byte, s float64) bool {
		lp = listpack.AppendEntry(lp, m)
		buf = redisD2String(buf[:0], s)
		lp = listpack.AppendEntry(lp, buf)
		return true
	})
	return listpack.Finish(lp, 0, 2*z.Len())
}

// redisD2String formats a score as Redis's d2string stores it in a
// listpack: integral values in range as integers, others with %.17g.
func redisD2String(dst []byte, s float64) []byte {
	if s == math.Trunc(s) && s >= -(1<<62) && s <= 1<<62 {
		return appendInt(dst, int64(s))
	}
	return zset.FormatScore(dst, s)
}

func appendInt(dst []byte, v int64) []byte {
	var tmp [20]byte
	i := len(tmp)
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	for {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		dst = append(dst, '-')
	}
	return append(dst, tmp[i:]...)
}
