package stream

import (
	"encoding/binary"

	"github.com/modis/modis/internal/listpack"
)

// Constructors for the RDB loader, which parses Redis's node listpacks
// and rebuilds the same nodes here.

// LoadedEntry is one entry of a node listpack being loaded.
type LoadedEntry struct {
	ID      ID
	Deleted bool
	// Fields are the entry's own field names; nil when it uses the
	// master fields (Redis's SAMEFIELDS flag).
	Fields [][]byte
	Values [][]byte
}

// AppendLoadedNode adds a node with master ID master (its rax key), master
// field names fields, and entries in ID order, after all existing nodes.
// The caller has checked the structure; the node's listpack accounting
// follows from the entries as Add computes it.
func (s *Stream) AppendLoadedNode(master ID, fields [][]byte, entries []LoadedEntry) {
	n := &node{master: master, nfields: len(fields)}
	n.mfBytes = listpack.IntEntrySize(int64(len(fields))) + listpack.IntEntrySize(0)
	for _, f := range fields {
		n.fields = putStr(n.fields, f)
		n.mfBytes += listpack.EntrySize(f)
	}
	for _, e := range entries {
		flags := byte(0)
		if e.Deleted {
			flags |= flagDeleted
			n.deleted++
		} else {
			n.live++
		}
		if e.Fields == nil {
			flags |= flagSameFields
		}
		msd := int64(e.ID.Ms - master.Ms)
		seqd := int64(e.ID.Seq - master.Seq)
		n.lastOff = len(n.buf)
		n.buf = append(n.buf, flags)
		n.buf = putVarint(n.buf, msd)
		n.buf = putVarint(n.buf, seqd)
		eb := listpack.IntEntrySize(int64(flags)) + listpack.IntEntrySize(msd) + listpack.IntEntrySize(seqd)
		nf := len(e.Values)
		lpCount := int64(nf + 3)
		if e.Fields != nil {
			n.buf = binary.AppendUvarint(n.buf, uint64(nf))
			eb += listpack.IntEntrySize(int64(nf))
			lpCount += int64(nf + 1)
		}
		for i, v := range e.Values {
			if e.Fields != nil {
				n.buf = putStr(n.buf, e.Fields[i])
				eb += listpack.EntrySize(e.Fields[i])
			}
			n.buf = putStr(n.buf, v)
			eb += listpack.EntrySize(v)
		}
		eb += listpack.IntEntrySize(lpCount)
		n.entBytes += eb
	}
	// A loaded listpack is allocated at its exact size.
	n.alloc = allocClass(n.lpBytes())
	k := master.Key()
	s.rax.Insert(k[:], n)
	s.mem += n.memSize()
	s.tail = n
}

// SetLoadedLength sets the number of live entries read from the file.
func (s *Stream) SetLoadedLength(n uint64) { s.length = n }

// LastNodeLastID returns the ID of the last entry (deleted or not) of the
// last node, ok false when there are no nodes.
func (s *Stream) LastNodeLastID() (ID, bool) {
	n := s.tail
	if n == nil {
		it := s.rax.Iterator()
		it.Seek("$", nil)
		_, n, _ = it.Next()
	}
	if n == nil || len(n.buf) == 0 {
		return ID{}, false
	}
	return n.lastEntryID(), true
}

// AddLoadedNACK adds an unowned pending entry to g's PEL; it reports false
// when id is already pending.
func (s *Stream) AddLoadedNACK(g *Group, id ID, deliveryTime, deliveryCount int64) bool {
	k := id.Key()
	if _, ok := g.PEL.Find(k[:]); ok {
		return false
	}
	g.PEL.Insert(k[:], &NACK{DeliveryTime: deliveryTime, DeliveryCount: deliveryCount})
	s.mem += 48
	return true
}

// OwnLoaded gives the pending entry id of g to consumer c, as a consumer's
// PEL is read; it reports false when id is not in the group PEL or already
// has an owner.
func (s *Stream) OwnLoaded(g *Group, c *Consumer, id ID) bool {
	k := id.Key()
	nack, ok := g.PEL.Find(k[:])
	if !ok || nack.Consumer != nil {
		return false
	}
	nack.Consumer = c
	c.PEL.Insert(k[:], nack)
	return true
}

// UnownedPending reports whether some pending entry of g has no consumer.
func UnownedPending(g *Group) bool {
	it := g.PEL.Iterator()
	it.Seek("^", nil)
	for _, nack, ok := it.Next(); ok; _, nack, ok = it.Next() {
		if nack.Consumer == nil {
			return true
		}
	}
	return false
}
