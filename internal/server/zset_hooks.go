package server

import (
	"encoding/binary"
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
	lp := make([]byte, 6, 64)
	var buf []byte
	z.Range(0, z.Len(), false, func(m []byte, s float64) bool {
		lp = lpAppendEntry(lp, m)
		buf = redisD2String(buf[:0], s)
		lp = lpAppendEntry(lp, buf)
		return true
	})
	lp = append(lp, 0xff)
	binary.LittleEndian.PutUint32(lp, uint32(len(lp)))
	binary.LittleEndian.PutUint16(lp[4:], uint16(min(2*z.Len(), 65535)))
	return lp
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

// lpAppendEntry appends a Redis listpack entry holding s: an integer
// encoding when s is a canonical int64, a string encoding otherwise, then
// the back-length of the entry.
func lpAppendEntry(lp []byte, s []byte) []byte {
	start := len(lp)
	if v, ok := keyspace.ParseCanonicalInt(s); ok && len(s) <= 20 {
		u := uint64(v)
		switch {
		case v >= 0 && v <= 127:
			lp = append(lp, byte(v))
		case v >= -4096 && v <= 4095:
			u &= 1<<13 - 1
			lp = append(lp, 0xc0|byte(u>>8), byte(u))
		case v >= math.MinInt16 && v <= math.MaxInt16:
			lp = append(lp, 0xf1, byte(u), byte(u>>8))
		case v >= -(1<<23) && v < 1<<23:
			lp = append(lp, 0xf2, byte(u), byte(u>>8), byte(u>>16))
		case v >= math.MinInt32 && v <= math.MaxInt32:
			lp = append(lp, 0xf3, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		default:
			lp = append(lp, 0xf4)
			lp = binary.LittleEndian.AppendUint64(lp, u)
		}
	} else {
		switch n := len(s); {
		case n < 64:
			lp = append(lp, 0x80|byte(n))
		case n < 4096:
			lp = append(lp, 0xe0|byte(n>>8), byte(n))
		default:
			lp = append(lp, 0xf0)
			lp = binary.LittleEndian.AppendUint32(lp, uint32(n))
		}
		lp = append(lp, s...)
	}
	l := uint64(len(lp) - start)
	switch {
	case l <= 127:
		lp = append(lp, byte(l))
	case l < 16383:
		lp = append(lp, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		lp = append(lp, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		lp = append(lp, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	default:
		lp = append(lp, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return lp
}
