package server

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/set"
)

// Sets as inputs of the sorted set algebra (ZUNION, ZINTER, ZDIFF and
// their STORE forms, ZINTERCARD): every member scores 1.
func init() {
	zsetSetInput = func(o *keyspace.Object) (int, func(m []byte) bool, func(fn func(m []byte))) {
		s := setOf(o)
		each := func(fn func(m []byte)) {
			var buf []byte
			s.Each(func(m set.Member) bool {
				buf = m.Append(buf[:0])
				fn(buf)
				return true
			})
		}
		return s.Len(), s.Has, each
	}
}
