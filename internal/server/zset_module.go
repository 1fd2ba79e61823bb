package server

import (
	"github.com/modis/modis/internal/keyspace"
	engine "github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/types/zset"
)

// ZsetLimits gives the module engine the zset-max-listpack-* settings for
// the sorted sets that module APIs create and grow.
func (h *moduleHost) ZsetLimits() (entries, value int64) {
	return h.s.cfg.ZsetMaxListpackEntries, h.s.cfg.ZsetMaxListpackValue
}

// The engine finds ZsetLimits by a type assertion; keep it implemented.
var _ interface{ ZsetLimits() (int64, int64) } = (*moduleHost)(nil)

// RedisModule_ScanKey over a sorted set: a listpack in one call, a
// skiplist by its member dict's SCAN cursor; scores as Redis formats them.
func init() {
	engine.RegisterKeyScanner(keyspace.KindZSet, func(o *keyspace.Object, cursor uint64, emit func(f, v []byte)) uint64 {
		z := zsetOf(o)
		var buf []byte
		if z.IsListpack() {
			z.Range(0, z.Len(), false, func(m []byte, s float64) bool {
				buf = zset.FormatScore(buf[:0], s)
				emit(m, buf)
				return true
			})
			return 0
		}
		return z.Scan(cursor, func(m string, s float64) {
			buf = zset.FormatScore(buf[:0], s)
			emit([]byte(m), buf)
		})
	})
}
