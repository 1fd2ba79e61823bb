package server

import (
	"github.com/modis/modis/internal/keyspace"
	engine "github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/types/set"
)

// RedisModule_ScanKey iterates hashes and sets with the same cursor their
// HSCAN and SSCAN use (sorted sets register theirs with their family).
func init() {
	engine.RegisterKeyScanner(keyspace.KindHash, func(o *keyspace.Object, cursor uint64, emit func(f, v []byte)) uint64 {
		return hashOf(o).Scan(cursor, emit)
	})
	engine.RegisterKeyScanner(keyspace.KindSet, func(o *keyspace.Object, cursor uint64, emit func(f, v []byte)) uint64 {
		var buf []byte
		return setOf(o).Scan(cursor, func(m set.Member) {
			buf = m.Append(buf[:0])
			emit(buf, nil)
		})
	})
}
