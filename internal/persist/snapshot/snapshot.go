// Package snapshot takes a point-in-time view of every database without
// fork, for BGSAVE (and later AOF rewrite). Redis forks and lets the kernel
// copy pages on write; a Go runtime cannot fork, so Modis does the same per
// key instead:
//
//   - The saver walks each database's main table bucket by bucket in short
//     slices under the execution lock (Step), serializing every key it
//     meets. While a table is walked it is frozen (no rehash, no resize), so
//     every key keeps its bucket and "has the walk passed this key?" is a
//     comparison of bucket positions.
//   - Before any change to a key the walk has not reached yet (the keyspace
//     calls the tracker from every Lookup, Set, Delete, expiry, eviction,
//     Rename, TTL change, and before a whole database is flushed), the old
//     value is serialized first and the key remembered as done, so the walk
//     skips it later.
//   - A key created after the snapshot started is remembered as done too
//     (unless the walk already passed its bucket), so it is never saved.
//
// Each key is therefore serialized exactly once, with the value and TTL it
// had when the snapshot started. Databases are followed by the table they
// held at the start (SWAPDB moves tables between databases; the file keeps
// the start-time numbering), and records for a database not yet started
// are held back until the file reaches that database, so the output is
// grouped by database as the RDB format needs.
//
// Everything here runs under the execution lock; the caller writes the
// messages Step returns to the file outside of it.
package snapshot

import (
	"time"
	"unsafe"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// SerializeFunc appends the record of one key (value, TTL in absolute ms
// or -1) to dst. db is the database number the key is saved under.
type SerializeFunc func(dst []byte, db int, key []byte, o *keyspace.Object, expireMs int64) ([]byte, error)

// Msg is one piece of output, in file order: either the start of a
// database (SelectDB set, with the key and TTL counts of the start) or a
// run of serialized records.
type Msg struct {
	SelectDB      bool
	DB            int
	Keys, Expires uint64
	Records       []byte
}

// chunkSize is roughly how many bytes of records one Msg carries.
const chunkSize = 64 << 10

// slot is one database as it was at the start: the tables it held then.
type slot struct {
	db      int
	main    *dict.Dict[keyspace.Object]
	expires *dict.Dict[int64]
	keys    uint64 // at the start
	volat   uint64 // keys with a TTL at the start

	started bool                // SelectDB emitted; the walk is on it
	walked  bool                // every start-time key serialized
	frozen  bool                // main frozen by us
	total   uint64              // bucket positions of the frozen table
	cursor  uint64              // next position to walk
	done    map[string]struct{} // keys saved out of order or created later
	pending []byte              // records made before the slot started
}

// Snapshot is one point-in-time view being written.
type Snapshot struct {
	ks    *keyspace.Keyspace
	ser   SerializeFunc
	slots []*slot
	cur   int // slot being walked; len(slots) when finished

	out  []Msg  // output not yet taken by Step
	buf  []byte // records being gathered into the last Msg
	err  error
	over bool // detached from the keyspace

	// KeysTotal is the number of keys at the start; KeysProcessed how many
	// were serialized so far (INFO current_save_keys_*).
	KeysTotal, KeysProcessed uint64
}

// Start begins a snapshot of ks and installs it as the keyspace's
// tracker. Call with the execution lock held; only one snapshot may track
// a keyspace at a time.
func Start(ks *keyspace.Keyspace, ser SerializeFunc) *Snapshot {
	s := &Snapshot{ks: ks, ser: ser}
	for i, db := range ks.DBs {
		sl := &slot{db: i, main: db.Main(), expires: db.Expires(),
			keys: uint64(db.Len()), volat: uint64(db.ExpiresLen())}
		if sl.keys == 0 {
			sl.walked = true // nothing to save, nothing to track
		} else {
			sl.done = make(map[string]struct{})
		}
		s.KeysTotal += sl.keys
		s.slots = append(s.slots, sl)
	}
	ks.Snapshot = s
	return s
}

// Err is the first serialization error, if any.
func (s *Snapshot) Err() error { return s.err }

// Done reports whether every database has been walked.
func (s *Snapshot) Done() bool { return s.cur >= len(s.slots) || s.err != nil }

// Step walks for at most maxKeys keys (0: no limit) or until deadline
// (zero: none) and returns the output produced since the last call, in
// file order. done is true once everything has been produced; the
// snapshot has then detached itself from the keyspace. Call with the
// execution lock held.
func (s *Snapshot) Step(maxKeys int, deadline time.Time) (out []Msg, done bool, err error) {
	n, buckets := 0, 0
	for s.cur < len(s.slots) && s.err == nil {
		sl := s.slots[s.cur]
		if sl.keys == 0 {
			s.cur++
			continue
		}
		if !sl.started {
			s.emit(Msg{SelectDB: true, DB: sl.db, Keys: sl.keys, Expires: sl.volat})
			s.buf = append(s.buf, sl.pending...)
			sl.pending = nil
			sl.started = true
			if !sl.walked {
				sl.main.Freeze()
				sl.frozen = true
				sl.total = sl.main.Positions()
			}
		}
		budget := false
		for !sl.walked && s.err == nil {
			if maxKeys > 0 && n >= maxKeys {
				budget = true
				break
			}
			if buckets++; buckets&15 == 0 && !deadline.IsZero() && time.Now().After(deadline) {
				budget = true
				break
			}
			n += s.walkBucket(sl)
		}
		if budget {
			break
		}
		s.finishSlot(sl)
		s.cur++
	}
	s.flushBuf()
	out, s.out = s.out, nil
	if s.err != nil {
		s.Abort()
		return out, true, s.err
	}
	if s.cur >= len(s.slots) {
		s.detach()
		return out, true, nil
	}
	return out, false, nil
}

// walkBucket serializes the keys of the slot's next bucket that are not
// done yet and returns how many it serialized. The slot is the one being
// walked, so records go to the output.
func (s *Snapshot) walkBucket(sl *slot) int {
	if sl.cursor >= sl.total {
		sl.walked = true
		return 0
	}
	n := 0
	sl.main.VisitPosition(sl.cursor, func(nd *dict.Node[keyspace.Object]) {
		if _, ok := sl.done[nd.Key]; ok || s.err != nil {
			return
		}
		s.serialize(sl, nd)
		n++
	})
	sl.cursor++
	if sl.cursor >= sl.total {
		sl.walked = true
	}
	return n
}

// serialize appends one key's record to the output if its slot has
// started (it is the one being walked), else to the slot's pending
// records, which follow its SELECTDB.
func (s *Snapshot) serialize(sl *slot, nd *dict.Node[keyspace.Object]) {
	key := unsafe.Slice(unsafe.StringData(nd.Key), len(nd.Key)) // read only
	exp := int64(-1)
	if sl.expires.Len() > 0 {
		if e := sl.expires.Peek(key); e != nil {
			exp = e.Val
		}
	}
	dst := &sl.pending
	if sl.started {
		dst = &s.buf
	}
	b, err := s.ser(*dst, sl.db, key, &nd.Val, exp)
	if err != nil {
		s.err = err
		return
	}
	*dst = b
	s.KeysProcessed++
	if sl.started && len(s.buf) >= chunkSize {
		s.flushBuf()
	}
}

func (s *Snapshot) emit(m Msg) {
	s.flushBuf()
	s.out = append(s.out, m)
}

func (s *Snapshot) flushBuf() {
	if len(s.buf) > 0 {
		s.out = append(s.out, Msg{Records: s.buf})
		s.buf = nil
	}
}

// finishSlot releases what a fully walked slot held.
func (s *Snapshot) finishSlot(sl *slot) {
	sl.walked = true
	if sl.frozen {
		sl.main.Unfreeze()
		sl.frozen = false
	}
	sl.done = nil
	sl.pending = nil
}

// Abort stops the snapshot: the tables are thawed and the keyspace no
// longer reports to it. Call with the execution lock held.
func (s *Snapshot) Abort() {
	for _, sl := range s.slots {
		s.finishSlot(sl)
	}
	s.cur = len(s.slots)
	s.detach()
}

func (s *Snapshot) detach() {
	if !s.over {
		s.over = true
		if s.ks.Snapshot == keyspace.SnapshotTracker(s) {
			s.ks.Snapshot = nil
		}
	}
}

// slotOf finds the slot still tracking the table db holds now.
func (s *Snapshot) slotOf(db *keyspace.DB) *slot {
	m := db.Main()
	for _, sl := range s.slots {
		if sl.main == m {
			if sl.walked {
				return nil
			}
			return sl
		}
	}
	return nil
}

// reached reports whether the walk of a started slot passed key's bucket.
func (sl *slot) reached(key []byte) bool {
	return sl.started && sl.main.PositionOf(key) < sl.cursor
}

// BeforeChange implements keyspace.SnapshotTracker: copy-on-write.
func (s *Snapshot) BeforeChange(db *keyspace.DB, key []byte) {
	sl := s.slotOf(db)
	if sl == nil || s.err != nil {
		return
	}
	if _, ok := sl.done[string(key)]; ok || sl.reached(key) {
		return
	}
	nd := sl.main.Peek(key)
	if nd == nil {
		// Absent now, so absent at the start too: a key that existed
		// then was marked done before it went away.
		return
	}
	s.serialize(sl, nd)
	sl.done[nd.Key] = struct{}{}
}

// Added implements keyspace.SnapshotTracker: a key created after the start
// must not be saved.
func (s *Snapshot) Added(db *keyspace.DB, key []byte) {
	sl := s.slotOf(db)
	if sl == nil || sl.reached(key) {
		return
	}
	sl.done[string(key)] = struct{}{}
}

// BeforeFlush implements keyspace.SnapshotTracker: every key of the table
// not saved yet is saved now, as the table is about to go.
func (s *Snapshot) BeforeFlush(db *keyspace.DB) {
	sl := s.slotOf(db)
	if sl == nil {
		return
	}
	if sl.started {
		for !sl.walked && s.err == nil {
			s.walkBucket(sl)
		}
		s.flushBuf()
	} else {
		sl.main.Each(func(nd *dict.Node[keyspace.Object]) bool {
			if _, ok := sl.done[nd.Key]; !ok {
				s.serialize(sl, nd)
			}
			return s.err == nil
		})
	}
	// The walk has nothing left; Step emits the slot when it gets there.
	sl.walked = true
	if sl.frozen {
		sl.main.Unfreeze()
		sl.frozen = false
	}
	sl.done = nil
}
