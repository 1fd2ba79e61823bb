package server

import (
	"math"
	"strings"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/zset"
)

// Per-kind hooks of the sorted set type: memory estimates, DEBUG DIGEST,
// COPY and DEBUG HTSTATS-KEY.

func init() {
	keyspace.ValueSizers[keyspace.KindZSet] = func(o *keyspace.Object) int64 { return zsetOf(o).MemBytes() }
	memoryUsageHooks[keyspace.KindZSet] = zsetMemoryUsage
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
		size := 6 + 1 // header and end byte
		var buf []byte
		z.Range(0, z.Len(), false, func(m []byte, s float64) bool {
			size += lpRedisEntrySize(m)
			buf = redisD2String(buf[:0], s)
			size += lpRedisEntrySize(buf)
			return true
		})
		return robjSize + mallocSize(size)
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

// redisD2String formats a score as Redis's d2string stores it in a
// listpack: integral values in range as integers, others with %.17g.
func redisD2String(dst []byte, s float64) []byte {
	if s == math.Trunc(s) && s > -(1<<62) && s < 1<<62 {
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

// lpRedisEntrySize is the size of a Redis listpack entry holding s: an
// integer encoding when s is a canonical int64, a string otherwise, plus
// the back-length bytes.
func lpRedisEntrySize(s []byte) int {
	l := 0
	if v, ok := keyspace.ParseCanonicalInt(s); ok && len(s) <= 20 {
		switch {
		case v >= 0 && v <= 127:
			l = 1
		case v >= -4096 && v <= 4095:
			l = 2
		case v >= math.MinInt16 && v <= math.MaxInt16:
			l = 3
		case v >= -(1<<23) && v < 1<<23:
			l = 4
		case v >= math.MinInt32 && v <= math.MaxInt32:
			l = 5
		default:
			l = 9
		}
	} else {
		switch n := len(s); {
		case n < 64:
			l = 1 + n
		case n < 4096:
			l = 2 + n
		default:
			l = 5 + n
		}
	}
	switch {
	case l <= 127:
		return l + 1
	case l < 16383:
		return l + 2
	case l < 2097151:
		return l + 3
	case l < 268435455:
		return l + 4
	}
	return l + 5
}

// ZsetLimits gives the module engine the zset-max-listpack-* settings for
// the sorted sets that module APIs create and grow.
func (h *moduleHost) ZsetLimits() (entries, value int64) {
	return h.s.cfg.ZsetMaxListpackEntries, h.s.cfg.ZsetMaxListpackValue
}
