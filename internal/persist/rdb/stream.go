package rdb

import (
	"encoding/binary"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/stream"
)

// Stream loading: RDB_TYPE_STREAM_LISTPACKS (7.0 reads the 5.0 form) and
// _2. Node listpacks are parsed entry by entry and rebuilt as Modis
// nodes; the metadata, groups, PELs and consumers follow.

func idFromKey(b []byte) stream.ID {
	return stream.ID{Ms: binary.BigEndian.Uint64(b), Seq: binary.BigEndian.Uint64(b[8:])}
}

// parseNode decodes a node listpack (master entry, then entries) and
// checks its structure: counts, field counts, each entry's element count,
// and IDs strictly increasing from after prev (or from the master ID).
func parseNode(lp []byte, master stream.ID) (fields [][]byte, entries []stream.LoadedEntry, err error) {
	var els []elem
	if walkListpack(lp, func(e elem) error {
		els = append(els, e)
		return nil
	}) != nil {
		return nil, nil, errBlob
	}
	i := 0
	nextInt := func() (int64, bool) {
		if i >= len(els) {
			return 0, false
		}
		v, ok := els[i].int()
		i++
		return v, ok
	}
	nextStr := func() ([]byte, bool) {
		if i >= len(els) {
			return nil, false
		}
		e := els[i]
		i++
		if e.isInt {
			return e.bytes(nil), true
		}
		return e.s, true
	}
	live, ok1 := nextInt()
	deleted, ok2 := nextInt()
	nf, ok3 := nextInt()
	if !ok1 || !ok2 || !ok3 || live < 0 || deleted < 0 || nf < 0 || nf > int64(len(els)) {
		return nil, nil, errBlob
	}
	for j := int64(0); j < nf; j++ {
		f, ok := nextStr()
		if !ok {
			return nil, nil, errBlob
		}
		fields = append(fields, f)
	}
	if z, ok := nextInt(); !ok || z != 0 {
		return nil, nil, errBlob
	}
	var gotLive, gotDeleted int64
	prev := stream.ID{}
	for i < len(els) {
		flags, ok := nextInt()
		if !ok || flags < 0 || flags > 3 {
			return nil, nil, errBlob
		}
		msd, ok1 := nextInt()
		seqd, ok2 := nextInt()
		if !ok1 || !ok2 {
			return nil, nil, errBlob
		}
		e := stream.LoadedEntry{
			ID:      stream.ID{Ms: master.Ms + uint64(msd), Seq: master.Seq + uint64(seqd)},
			Deleted: flags&1 != 0,
		}
		if e.ID.Cmp(master) < 0 || (len(entries) > 0 && e.ID.Cmp(prev) <= 0) {
			return nil, nil, errBlob
		}
		prev = e.ID
		n := int64(len(fields))
		lpCount := n + 3
		if flags&2 == 0 {
			if n, ok = nextInt(); !ok || n < 0 || n > int64(len(els)) {
				return nil, nil, errBlob
			}
			lpCount = 2*n + 4
			e.Fields = make([][]byte, 0, n)
		}
		e.Values = make([][]byte, 0, n)
		for j := int64(0); j < n; j++ {
			if e.Fields != nil {
				f, ok := nextStr()
				if !ok {
					return nil, nil, errBlob
				}
				e.Fields = append(e.Fields, f)
			}
			v, ok := nextStr()
			if !ok {
				return nil, nil, errBlob
			}
			e.Values = append(e.Values, v)
		}
		if c, ok := nextInt(); !ok || c != lpCount {
			return nil, nil, errBlob
		}
		if e.Deleted {
			gotDeleted++
		} else {
			gotLive++
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 || gotLive != live || gotDeleted != deleted {
		return nil, nil, errBlob
	}
	return fields, entries, nil
}

func (l *loader) stream(v2 bool) (keyspace.Object, error) {
	r := l.r
	s := stream.New()
	obj := keyspace.NewValue(keyspace.KindStream, keyspace.EncStream, unsafe.Pointer(s))
	nodes, err := r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	var last stream.ID
	var live uint64
	for ; nodes > 0; nodes-- {
		key, err := r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		if len(key) != 16 {
			return keyspace.Object{}, r.corrupt("Stream node key entry is not the size of a stream ID")
		}
		lp, err := r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		if len(lp) <= 7 {
			return keyspace.Object{}, r.corrupt("Empty listpack inside stream")
		}
		master := idFromKey(key)
		if s.NodeCount() > 0 && master.Cmp(last) <= 0 {
			return keyspace.Object{}, r.corrupt("Listpack re-added with existing key")
		}
		l.sanitized()
		fields, entries, err := parseNode(lp, master)
		if err != nil {
			return keyspace.Object{}, r.corrupt("Stream listpack integrity check failed.")
		}
		if s.NodeCount() > 0 && entries[0].ID.Cmp(last) <= 0 {
			return keyspace.Object{}, r.corrupt("Stream listpack integrity check failed.")
		}
		for _, e := range entries {
			if !e.Deleted {
				live++
			}
		}
		last = entries[len(entries)-1].ID
		s.AppendLoadedNode(master, fields, entries)
	}
	var meta [8]uint64
	n := 3
	if v2 {
		n = 8
	}
	for i := 0; i < n; i++ {
		if meta[i], err = r.length(); err != nil {
			return keyspace.Object{}, err
		}
	}
	s.SetLoadedLength(meta[0])
	s.LastID = stream.ID{Ms: meta[1], Seq: meta[2]}
	if v2 {
		s.FirstID = stream.ID{Ms: meta[3], Seq: meta[4]}
		s.MaxDeletedID = stream.ID{Ms: meta[5], Seq: meta[6]}
		s.EntriesAdded = meta[7]
	} else {
		s.EntriesAdded = meta[0]
		s.FirstID = s.FirstEntryID()
	}
	if meta[0] != live {
		return keyspace.Object{}, r.corrupt("Stream length inconsistent with rax entries")
	}
	if s.NodeCount() > 0 && s.LastID.Cmp(last) < 0 {
		return keyspace.Object{}, r.corrupt("Stream last_id smaller than the last entry")
	}
	groups, err := r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	for ; groups > 0; groups-- {
		name, err := r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		var gid stream.ID
		if gid.Ms, err = r.length(); err != nil {
			return keyspace.Object{}, err
		}
		if gid.Seq, err = r.length(); err != nil {
			return keyspace.Object{}, err
		}
		var read int64
		if v2 {
			u, err := r.length()
			if err != nil {
				return keyspace.Object{}, err
			}
			read = int64(u)
		} else {
			read = s.EstimateDistance(gid)
		}
		g := s.CreateGroup(name, gid, read)
		if g == nil {
			return keyspace.Object{}, r.corrupt("Duplicated consumer group name %s", name)
		}
		pel, err := r.count()
		if err != nil {
			return keyspace.Object{}, err
		}
		var raw [16]byte
		for ; pel > 0; pel-- {
			if err := r.full(raw[:]); err != nil {
				return keyspace.Object{}, err
			}
			t, err := r.u64le()
			if err != nil {
				return keyspace.Object{}, err
			}
			cnt, err := r.length()
			if err != nil {
				return keyspace.Object{}, err
			}
			if !s.AddLoadedNACK(g, idFromKey(raw[:]), int64(t), int64(cnt)) {
				return keyspace.Object{}, r.corrupt("Duplicated global PEL entry loading stream consumer group")
			}
		}
		consumers, err := r.count()
		if err != nil {
			return keyspace.Object{}, err
		}
		for ; consumers > 0; consumers-- {
			cname, err := r.str()
			if err != nil {
				return keyspace.Object{}, err
			}
			seen, err := r.u64le()
			if err != nil {
				return keyspace.Object{}, err
			}
			c := s.CreateConsumer(g, cname, int64(seen))
			if c == nil {
				return keyspace.Object{}, r.corrupt("Duplicate stream consumer detected.")
			}
			cpel, err := r.count()
			if err != nil {
				return keyspace.Object{}, err
			}
			for ; cpel > 0; cpel-- {
				if err := r.full(raw[:]); err != nil {
					return keyspace.Object{}, err
				}
				if !s.OwnLoaded(g, c, idFromKey(raw[:])) {
					return keyspace.Object{}, r.corrupt("Consumer entry not found in group global PEL")
				}
			}
		}
		if stream.UnownedPending(g) {
			return keyspace.Object{}, r.corrupt("Stream CG PEL entry without consumer")
		}
	}
	return obj, nil
}
