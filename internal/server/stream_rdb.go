package server

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/lzf"
	"github.com/modis/modis/internal/types/stream"
)

// The RDB size of a stream (RDB_TYPE_STREAM_LISTPACKS_2), for DEBUG OBJECT
// serializedlength: the nodes as raw listpacks, the stream metadata, and
// the groups with their PELs and consumers.

func init() {
	serializedLenHooks[keyspace.KindStream] = func(o *keyspace.Object) int {
		return streamSerializedLen(streamOf(o))
	}
}

// rdbULenSize is rdbSaveLen's size for a 64-bit unsigned value.
func rdbULenSize(n uint64) int {
	switch {
	case n < 1<<6:
		return 1
	case n < 1<<14:
		return 2
	case n <= 0xffffffff:
		return 5
	}
	return 9
}

// rdbRawStringLen is rdbSaveRawString's size: small integers encoded,
// LZF for more than 20 bytes when it saves space, else length and bytes.
func rdbRawStringLen(b []byte) int {
	if len(b) <= 11 {
		if v, ok := keyspace.ParseCanonicalInt(b); ok {
			if n := rdbIntSize(v); n > 0 {
				return n
			}
		}
	}
	if len(b) > 20 {
		if c := lzf.Compress(b, len(b)-4); c != nil {
			return 1 + rdbLenSize(len(c)) + rdbLenSize(len(b)) + len(c)
		}
	}
	return rdbLenSize(len(b)) + len(b)
}

func streamSerializedLen(s *stream.Stream) int {
	n := rdbULenSize(uint64(s.NodeCount()))
	s.EachListpack(func(key, lp []byte) {
		n += rdbRawStringLen(key) + rdbRawStringLen(lp)
	})
	for _, v := range []uint64{s.Len(), s.LastID.Ms, s.LastID.Seq, s.FirstID.Ms, s.FirstID.Seq,
		s.MaxDeletedID.Ms, s.MaxDeletedID.Seq, s.EntriesAdded} {
		n += rdbULenSize(v)
	}
	n += rdbULenSize(uint64(s.GroupCount()))
	if s.GroupCount() == 0 {
		return n
	}
	git := s.Groups().Iterator()
	git.Seek("^", nil)
	for name, g, ok := git.Next(); ok; name, g, ok = git.Next() {
		n += rdbRawStringLen(name) + rdbULenSize(g.LastID.Ms) + rdbULenSize(g.LastID.Seq) +
			rdbULenSize(uint64(g.EntriesRead))
		// Group PEL: ID (16 raw bytes), delivery time (8), delivery count.
		n += rdbULenSize(uint64(g.PEL.Len()))
		pit := g.PEL.Iterator()
		pit.Seek("^", nil)
		for _, nack, ok := pit.Next(); ok; _, nack, ok = pit.Next() {
			n += 16 + 8 + rdbULenSize(uint64(nack.DeliveryCount))
		}
		// Consumers: name, seen time (8), their PEL as bare IDs.
		n += rdbULenSize(uint64(g.Consumers.Len()))
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for cname, cons, ok := cit.Next(); ok; cname, cons, ok = cit.Next() {
			n += rdbRawStringLen(cname) + 8 + rdbULenSize(uint64(cons.PEL.Len())) + 16*cons.PEL.Len()
		}
	}
	return n
}
