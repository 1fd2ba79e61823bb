package stream

import "github.com/modis/modis/internal/rax"

// Iterator walks the live entries of a stream between two IDs (both
// inclusive), forward or in reverse, like Redis's streamIterator. Use:
//
//	it := s.Iter(start, end, false)
//	for id, nf, ok := it.Next(); ok; id, nf, ok = it.Next() {
//		for i := 0; i < nf; i++ {
//			f, v := it.Field()
//		}
//	}
//
// Field slices point into the stream and stay valid until the stream is
// written. Remove deletes the current entry and keeps iterating.
type Iterator struct {
	s          *Stream
	start, end ID
	rev        bool
	tombstones bool // also return deleted entries
	ri         *rax.Iterator[*node]
	n          *node
	offs       []int // reverse: entry offsets of n
	idx        int   // reverse: index in offs of the next entry to look at
	pos        int   // forward: offset of the next entry in n.buf
	cur        entry
	fpos, mpos int // field cursors: entry data and master fields
	done       bool
}

// Iter starts an iterator over [start, end].
func (s *Stream) Iter(start, end ID, rev bool) *Iterator {
	it := &Iterator{s: s, start: start, end: end, rev: rev}
	it.seek()
	return it
}

func (it *Iterator) seek() {
	it.ri = it.s.rax.Iterator()
	it.n = nil
	if !it.rev {
		if !it.start.IsZero() {
			k := it.start.Key()
			it.ri.Seek("<=", k[:])
			if it.ri.EOF() {
				it.ri.Seek("^", nil)
			}
		} else {
			it.ri.Seek("^", nil)
		}
	} else {
		if !it.end.IsZero() {
			k := it.end.Key()
			it.ri.Seek("<=", k[:])
			if it.ri.EOF() {
				it.ri.Seek("$", nil)
			}
		} else {
			it.ri.Seek("$", nil)
		}
	}
}

// Next moves to the next entry in range and returns its ID and number of
// fields; ok is false when the iteration is over.
func (it *Iterator) Next() (id ID, nfields int, ok bool) {
	if it.done {
		return ID{}, 0, false
	}
	for {
		if it.n == nil {
			var n *node
			var found bool
			if it.rev {
				_, n, found = it.ri.Prev()
			} else {
				_, n, found = it.ri.Next()
			}
			if !found {
				it.done = true
				return ID{}, 0, false
			}
			it.n = n
			if it.rev {
				it.offs = n.offsets(it.offs)
				it.idx = len(it.offs) - 1
			} else {
				it.pos = 0
			}
		}
		n := it.n
		for {
			var e entry
			if it.rev {
				if it.idx < 0 {
					break
				}
				e = n.decode(it.offs[it.idx])
				it.idx--
			} else {
				if it.pos >= len(n.buf) {
					break
				}
				e = n.decode(it.pos)
				it.pos = n.end(e)
			}
			if !it.tombstones && e.flags&flagDeleted != 0 {
				continue
			}
			if !it.rev {
				if e.id.Cmp(it.start) < 0 {
					continue
				}
				if e.id.Cmp(it.end) > 0 {
					it.done = true
					return ID{}, 0, false
				}
			} else {
				if e.id.Cmp(it.end) > 0 {
					continue
				}
				if e.id.Cmp(it.start) < 0 {
					it.done = true
					return ID{}, 0, false
				}
			}
			it.cur = e
			it.fpos, it.mpos = e.data, 0
			return e.id, e.nf, true
		}
		it.n = nil
	}
}

// Field returns the next field and value of the current entry.
func (it *Iterator) Field() (field, value []byte) {
	n := it.n
	if it.cur.flags&flagSameFields != 0 {
		field, it.mpos = getStr(n.fields, it.mpos)
	} else {
		field, it.fpos = getStr(n.buf, it.fpos)
	}
	value, it.fpos = getStr(n.buf, it.fpos)
	return field, value
}

// Deleted reports whether the current entry is a tombstone (only seen
// with tombstones enabled).
func (it *Iterator) Deleted() bool { return it.cur.flags&flagDeleted != 0 }

// Remove deletes the current entry (streamIteratorRemoveEntry): the entry is
// flagged, or its node dropped if it was the node's last live entry. The
// iteration continues after it. FirstID and MaxDeletedID are the caller's.
func (it *Iterator) Remove() {
	n, s := it.n, it.s
	if n.live == 1 {
		s.removeNode(n)
	} else {
		n.markDeleted(it.cur.off)
	}
	s.length--
	// Re-seek from the current entry, as Redis does.
	if it.rev {
		it.end = it.cur.id
	} else {
		it.start = it.cur.id
	}
	it.seek()
}
