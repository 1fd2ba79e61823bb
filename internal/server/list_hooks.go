package server

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/lzf"
)

// Value hooks of the list type: used-memory estimate, MEMORY USAGE, DEBUG
// DIGEST(-VALUE) and COPY.

// Sizes of Redis's quicklist structs, for MEMORY USAGE.
const (
	quicklistSize     = 40 // struct quicklist
	quicklistNodeSize = 40 // struct quicklistNode
)

func init() {
	keyspace.ValueSizers[keyspace.KindList] = func(o *keyspace.Object) int64 {
		return asList(o).HeapBytes()
	}
	memoryUsageHooks[keyspace.KindList] = listMemoryUsage
	digestValueHooks[keyspace.KindList] = func(d *digest, o *keyspace.Object) {
		// Redis mixes every element in order.
		asList(o).Each(func(v []byte) bool {
			d.mix(v)
			return true
		})
	}
	serializedLenHooks[keyspace.KindList] = listSerializedLen
	registerDup(keyspace.KindList, func(o *keyspace.Object) keyspace.Object {
		return keyspace.NewValue(keyspace.KindList, keyspace.EncQuicklist,
			unsafe.Pointer(asList(o).Dup()))
	})
}

// listMemoryUsage is Redis's objectComputeSize for a quicklist: the object
// and quicklist headers plus the average size of the sampled nodes (node
// struct and listpack allocation) times the node count.
func listMemoryUsage(o *keyspace.Object, samples int) int {
	l := asList(o)
	elesize, n := 0, 0
	l.EachNode(func(lp int) bool {
		elesize += quicklistNodeSize + mallocSize(lp)
		n++
		return samples == 0 || n < samples
	})
	size := robjSize + quicklistSize
	if n == 0 {
		return size
	}
	// As in C: the sum is taken in double precision, then truncated.
	return int(float64(size) + float64(elesize)/float64(n)*float64(l.Nodes()))
}

// ListMaxListpackSize lets the module engine create lists with the
// configured fill (RedisModule_ListPush on an empty key).
func (h *moduleHost) ListMaxListpackSize() int { return h.s.cfg.ListMaxListpackSize }

// ListCompressDepth is list-compress-depth for such lists.
func (h *moduleHost) ListCompressDepth() int { return h.s.cfg.ListCompressDepth }

// quicklistContainerPacked is Redis's QUICKLIST_NODE_CONTAINER_PACKED, the
// container type saved before each node.
const quicklistContainerPacked = 2

// listSerializedLen is rdbSavedObjectLen for a list (RDB_TYPE_LIST_QUICKLIST_2):
// the node count, then per node its container type and its listpack as an
// RDB string (LZF-compressed when over 20 bytes and it saves 4 or more).
func listSerializedLen(o *keyspace.Object) int {
	l := asList(o)
	n := rdbLenSize(l.Nodes())
	l.EachListpack(func(lp []byte) {
		n += rdbLenSize(quicklistContainerPacked)
		if len(lp) > 20 {
			if c := lzf.Compress(lp, len(lp)-4); c != nil {
				n += 1 + rdbLenSize(len(c)) + rdbLenSize(len(lp)) + len(c)
				return
			}
		}
		n += rdbLenSize(len(lp)) + len(lp)
	})
	return n
}
