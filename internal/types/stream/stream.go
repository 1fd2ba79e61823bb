package stream

import (
	"encoding/binary"
	"errors"

	"github.com/modis/modis/internal/listpack"
	"github.com/modis/modis/internal/rax"
)

// Entry flags, as Redis stores them in each listpack entry.
const (
	flagDeleted    = 1 // the entry is a tombstone
	flagSameFields = 2 // the entry has the master entry's field names
)

// MaxNodeBytes is Redis's STREAM_LISTPACK_MAX_SIZE: the cap on a node's
// listpack size (also when stream-node-max-bytes is 0) and on the total
// size of one entry's fields and values.
const MaxNodeBytes = 1 << 30

var (
	// ErrIDTooSmall: the new ID is not greater than the stream's last ID.
	ErrIDTooSmall = errors.New("id too small")
	// ErrTooLarge: the entry's fields and values exceed MaxNodeBytes.
	ErrTooLarge = errors.New("elements too large")
)

// node is one rax element: a run of entries sharing a master ID (the rax
// key) and a master field list, like Redis's listpack nodes. Entries are
// encoded back to back in buf:
//
//	flags (1 byte), ms delta and seq delta (zigzag varints, wrapping
//	differences from the master ID), then unless flagSameFields the number
//	of fields (uvarint) and field/value pairs, else just the values; each
//	string is a uvarint length and its bytes.
//
// Deleted entries stay in place flagged, as in Redis, so node boundaries
// and the listpack size accounting match Redis's.
type node struct {
	master   ID
	fields   []byte // master field names: uvarint length + bytes each
	nfields  int
	buf      []byte
	live     int // entries not deleted
	deleted  int // entries flagged deleted
	lastOff  int // offset of the last entry in buf
	mfBytes  int // listpack bytes of num-fields, the names and the terminator
	entBytes int // listpack bytes of the entries
	alloc    int // the allocation Redis's listpack would have (MEMORY USAGE)
}

// lpBytes is the size the node's listpack has in Redis.
func (n *node) lpBytes() int {
	return listpack.Overhead + listpack.IntEntrySize(int64(n.live)) + listpack.IntEntrySize(int64(n.deleted)) + n.mfBytes + n.entBytes
}

// memSize estimates the node's heap footprint.
func (n *node) memSize() int64 {
	return int64(cap(n.buf) + cap(n.fields) + 96)
}

// Stream is a stream value.
type Stream struct {
	rax          *rax.Tree[*node]
	length       uint64
	LastID       ID     // last_id: the greatest ID ever added (or set)
	FirstID      ID     // first_id: the first live entry (0-0 if empty)
	MaxDeletedID ID     // max_deleted_entry_id
	EntriesAdded uint64 // entries_added: all entries ever added
	groups       *rax.Tree[*Group]
	mem          int64 // heap estimate of nodes and groups
	tail         *node // the last node, nil when unknown
}

// New returns an empty stream.
func New() *Stream { return &Stream{rax: rax.New[*node]()} }

// Len is the number of live entries.
func (s *Stream) Len() uint64 { return s.length }

// NodeCount is the number of nodes (XINFO radix-tree-keys).
func (s *Stream) NodeCount() int { return s.rax.Len() }

// MemSize estimates the heap memory the stream holds.
func (s *Stream) MemSize() int64 { return s.mem + 160 }

func putVarint(b []byte, v int64) []byte { return binary.AppendVarint(b, v) }

func putStr(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func getUvarint(b []byte, off int) (uint64, int) {
	v, n := binary.Uvarint(b[off:])
	return v, off + n
}

func getStr(b []byte, off int) ([]byte, int) {
	l, off := getUvarint(b, off)
	return b[off : off+int(l)], off + int(l)
}

// NextID is streamNextID: now if it is past the last ID's time, else the
// ID after the last one (carrying into the milliseconds; after the maximal
// ID it wraps to 0-0, which Add refuses).
func NextID(last ID, nowMs uint64) ID {
	if nowMs > last.Ms {
		return ID{nowMs, 0}
	}
	next, _ := last.Incr()
	return next
}

// Add appends an entry with the field/value pairs fv (field, value, ...),
// as streamAppendItem. With useID nil the ID is generated from nowMs; with
// useID and !seqGiven only its milliseconds are used and the sequence is
// generated. maxBytes and maxEntries are stream-node-max-bytes and
// stream-node-max-entries.
func (s *Stream) Add(fv [][]byte, useID *ID, seqGiven bool, nowMs uint64, maxBytes, maxEntries int64) (ID, error) {
	var id ID
	switch {
	case useID == nil:
		id = NextID(s.LastID, nowMs)
	case seqGiven:
		id = *useID
	case s.LastID.Ms == useID.Ms:
		if s.LastID.Seq == 1<<64-1 {
			return ID{}, ErrIDTooSmall
		}
		id = ID{s.LastID.Ms, s.LastID.Seq + 1}
	default:
		id = ID{useID.Ms, 0}
	}
	if id.Cmp(s.LastID) <= 0 {
		return ID{}, ErrIDTooSmall
	}
	tot := 0
	for _, b := range fv {
		tot += len(b)
	}
	if tot > MaxNodeBytes {
		return ID{}, ErrTooLarge
	}
	nf := len(fv) / 2

	var n *node
	if s.rax.Len() > 0 {
		if n = s.tail; n == nil {
			it := s.rax.Iterator()
			it.Seek("$", nil)
			_, n, _ = it.Next()
		}
		limit := maxBytes
		if limit <= 0 || limit > MaxNodeBytes {
			limit = MaxNodeBytes
		}
		if int64(n.lpBytes()+tot) >= limit ||
			(maxEntries > 0 && int64(n.live+n.deleted) >= maxEntries) {
			n.shrinkToFit()
			n = nil
		}
	}
	flags := byte(0)
	if n == nil {
		n = &node{master: id, nfields: nf}
		n.mfBytes = listpack.IntEntrySize(int64(nf)) + listpack.IntEntrySize(0)
		for i := 0; i < nf; i++ {
			n.fields = putStr(n.fields, fv[2*i])
			n.mfBytes += listpack.EntrySize(fv[2*i])
		}
		n.alloc = allocClass(max(lpPrealloc(maxBytes), listpack.Overhead))
		k := id.Key()
		s.rax.Insert(k[:], n)
		flags = flagSameFields
		s.tail = n
	} else {
		s.mem -= n.memSize()
		if nf == n.nfields {
			same, off := true, 0
			for i := 0; i < nf; i++ {
				var f []byte
				f, off = getStr(n.fields, off)
				if string(f) != string(fv[2*i]) {
					same = false
					break
				}
			}
			if same {
				flags = flagSameFields
			}
		}
	}
	msd := int64(id.Ms - n.master.Ms)
	seqd := int64(id.Seq - n.master.Seq)
	n.lastOff = len(n.buf)
	n.buf = append(n.buf, flags)
	n.buf = putVarint(n.buf, msd)
	n.buf = putVarint(n.buf, seqd)
	eb := listpack.IntEntrySize(int64(flags)) + listpack.IntEntrySize(msd) + listpack.IntEntrySize(seqd)
	lpCount := int64(nf + 3)
	if flags&flagSameFields == 0 {
		n.buf = binary.AppendUvarint(n.buf, uint64(nf))
		eb += listpack.IntEntrySize(int64(nf))
		lpCount += int64(nf + 1)
	}
	for i := 0; i < nf; i++ {
		if flags&flagSameFields == 0 {
			n.buf = putStr(n.buf, fv[2*i])
			eb += listpack.EntrySize(fv[2*i])
		}
		n.buf = putStr(n.buf, fv[2*i+1])
		eb += listpack.EntrySize(fv[2*i+1])
	}
	eb += listpack.IntEntrySize(lpCount)
	n.entBytes += eb
	n.live++
	n.grow()
	s.mem += n.memSize()
	s.tail = n

	s.length++
	s.EntriesAdded++
	s.LastID = id
	if s.length == 1 {
		s.FirstID = id
	}
	return id, nil
}

// entry is a decoded entry header.
type entry struct {
	id    ID
	flags byte
	nf    int
	off   int // start of the entry (its flags byte)
	data  int // start of the field/value (or value) strings
}

// decode reads the entry header at off.
func (n *node) decode(off int) entry {
	e := entry{off: off, flags: n.buf[off]}
	p := off + 1
	msd, k := binary.Varint(n.buf[p:])
	p += k
	seqd, k := binary.Varint(n.buf[p:])
	p += k
	e.id = ID{n.master.Ms + uint64(msd), n.master.Seq + uint64(seqd)}
	if e.flags&flagSameFields != 0 {
		e.nf = n.nfields
	} else {
		v, q := getUvarint(n.buf, p)
		e.nf, p = int(v), q
	}
	e.data = p
	return e
}

// end returns the offset after the entry.
func (n *node) end(e entry) int {
	p := e.data
	cnt := e.nf
	if e.flags&flagSameFields == 0 {
		cnt *= 2
	}
	for i := 0; i < cnt; i++ {
		_, p = getStr(n.buf, p)
	}
	return p
}

// offsets lists the entry offsets of the node in order.
func (n *node) offsets(dst []int) []int {
	dst = dst[:0]
	for off := 0; off < len(n.buf); {
		dst = append(dst, off)
		off = n.end(n.decode(off))
	}
	return dst
}

// lastEntryID is lpGetEdgeStreamID(last): the ID of the node's last entry,
// deleted or not.
func (n *node) lastEntryID() ID { return n.decode(n.lastOff).id }

// markDeleted flags the entry at off deleted.
func (n *node) markDeleted(off int) {
	n.buf[off] |= flagDeleted
	n.setCounts(n.live-1, n.deleted+1)
}

// setCounts updates the master entry's counters as Redis does, live count
// first, then deleted count, following the listpack's reallocations.
func (n *node) setCounts(live, deleted int) {
	before := n.lpBytes()
	n.live = live
	n.resized(before)
	before = n.lpBytes()
	n.deleted = deleted
	n.resized(before)
}

// resized follows a listpack element replacement: a listpack that grew
// past its allocation is reallocated to its new size, one that shrank is
// always reallocated (lpInsert).
func (n *node) resized(before int) {
	if b := n.lpBytes(); b < before {
		n.alloc = allocClass(b)
	} else {
		n.grow()
	}
}

// grow follows appends: the allocation only grows, to the size class of
// the listpack.
func (n *node) grow() { n.alloc = max(n.alloc, allocClass(n.lpBytes())) }

// shrinkToFit is lpShrinkToFit, done when a node stops being the tail.
func (n *node) shrinkToFit() {
	if b := n.lpBytes(); n.alloc > b {
		n.alloc = allocClass(b)
	}
}

// lpPrealloc is the capacity Redis gives a new node's listpack
// (STREAM_LISTPACK_MAX_PRE_ALLOCATE, or stream-node-max-bytes if smaller).
func lpPrealloc(maxBytes int64) int {
	if maxBytes > 0 && maxBytes < 4096 {
		return int(maxBytes)
	}
	return 4096
}

// allocClass is jemalloc's size class for n bytes: 16-byte steps up to 128,
// then four classes per doubling.
func allocClass(n int) int {
	if n <= 8 {
		return 8
	}
	if n <= 128 {
		return (n + 15) &^ 15
	}
	grp := 1
	for grp*2 < n {
		grp *= 2
	}
	step := grp / 4
	return (n + step - 1) / step * step
}

// removeNode drops a node from the rax.
func (s *Stream) removeNode(n *node) {
	k := n.master.Key()
	s.rax.Remove(k[:])
	s.mem -= n.memSize()
	if s.tail == n {
		s.tail = nil
	}
}

// Delete removes the live entry id (streamDeleteItem) and reports whether
// it existed. The caller updates FirstID and MaxDeletedID (DeleteEntries
// does both).
func (s *Stream) Delete(id ID) bool {
	it := s.Iter(id, id, false)
	if _, _, ok := it.Next(); !ok {
		return false
	}
	it.Remove()
	return true
}

// DeleteEntries is XDEL: it deletes each ID, updates the maximal deleted ID
// and the first ID, and returns the number deleted.
func (s *Stream) DeleteEntries(ids []ID) int {
	deleted, first := 0, false
	for _, id := range ids {
		if s.Delete(id) {
			if id == s.FirstID {
				first = true
			}
			if id.Cmp(s.MaxDeletedID) > 0 {
				s.MaxDeletedID = id
			}
			deleted++
		}
	}
	if deleted > 0 {
		if s.length == 0 {
			s.FirstID = ID{}
		} else if first {
			s.FirstID = s.edgeID(true)
		}
	}
	return deleted
}

// edgeID is the first (or last) live entry ID; with no entries it is the
// maximal (or minimal) ID, as streamGetEdgeID.
func (s *Stream) edgeID(first bool) ID {
	it := s.Iter(ID{}, MaxID, !first)
	if id, _, ok := it.Next(); ok {
		return id
	}
	if first {
		return MaxID
	}
	return ID{}
}

// LastValidID is the ID of the last live entry (0-0 if none).
func (s *Stream) LastValidID() ID { return s.edgeID(false) }

// FirstEntryID returns the first ID stored, tombstones included (the
// trimming rewrite uses it); MaxID when there is none.
func (s *Stream) FirstEntryID() ID {
	it := s.Iter(ID{}, MaxID, false)
	it.tombstones = true
	if id, _, ok := it.Next(); ok {
		return id
	}
	return MaxID
}

// Exists reports whether id is a live entry.
func (s *Stream) Exists(id ID) bool {
	it := s.Iter(id, id, false)
	_, _, ok := it.Next()
	return ok
}

// Trim strategies.
const (
	TrimNone = iota
	TrimMaxLen
	TrimMinID
)

// TrimArgs are the trimming options of XADD and XTRIM.
type TrimArgs struct {
	Strategy int
	Approx   bool
	Limit    int64 // 0 = unlimited
	MaxLen   int64
	MinID    ID
}

// Trim is streamTrim: it removes whole nodes from the head and, unless
// approximate, flags the entries of the first remaining node; it returns
// the number of entries removed.
func (s *Stream) Trim(a TrimArgs) int64 {
	if a.Strategy == TrimNone {
		return 0
	}
	var deleted int64
	it := s.rax.Iterator()
	it.Seek("^", nil)
	for {
		_, n, ok := it.Next()
		if !ok {
			break
		}
		if a.Strategy == TrimMaxLen && s.length <= uint64(a.MaxLen) {
			break
		}
		entries := int64(n.live)
		if a.Limit > 0 && deleted+entries > a.Limit {
			break
		}
		var remove bool
		if a.Strategy == TrimMaxLen {
			remove = int64(s.length)-entries >= a.MaxLen
		} else {
			remove = n.lastEntryID().Cmp(a.MinID) < 0
		}
		if remove {
			s.removeNode(n)
			s.length -= uint64(entries)
			deleted += entries
			continue
		}
		if a.Approx {
			break
		}
		fromNode := 0
		for off := 0; off < len(n.buf); {
			e := n.decode(off)
			if a.Strategy == TrimMaxLen {
				if s.length <= uint64(a.MaxLen) {
					break
				}
			} else if e.id.Cmp(a.MinID) >= 0 {
				break
			}
			off = n.end(e)
			if e.flags&flagDeleted == 0 {
				n.buf[e.off] |= flagDeleted
				s.length--
				deleted++
				fromNode++
			}
		}
		n.setCounts(n.live-fromNode, n.deleted+fromNode)
		break
	}
	if s.length == 0 {
		s.FirstID = ID{}
	} else if deleted > 0 {
		s.FirstID = s.edgeID(true)
	}
	return deleted
}

// NodeAllocs returns the listpack allocation sizes Redis would report for
// the first limit nodes (all if limit <= 0), the last node's, and the node
// count, for MEMORY USAGE's sampling.
func (s *Stream) NodeAllocs(limit int) (first []int, last, count int) {
	it := s.rax.Iterator()
	it.Seek("^", nil)
	for _, n, ok := it.Next(); ok && (limit <= 0 || len(first) < limit); _, n, ok = it.Next() {
		first = append(first, n.alloc)
	}
	if s.rax.Len() > 0 {
		it.Seek("$", nil)
		_, n, _ := it.Next()
		last = n.alloc
	}
	return first, last, s.rax.Len()
}
