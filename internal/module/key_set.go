package module

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/set"
)

// RedisModule_ValueLength of a set is its cardinality (Redis has no other
// key API for sets).
func init() {
	prev := collectionLen
	collectionLen = func(o *keyspace.Object) int64 {
		if o.Kind() == keyspace.KindSet {
			return int64((*set.Set)(o.Ptr()).Len())
		}
		if prev != nil {
			return prev(o)
		}
		return 0
	}
}
