package dict

// Freezing for point-in-time snapshots (internal/persist/snapshot).
//
// A snapshot walks a table bucket by bucket in short slices while commands
// keep changing it, and must be able to tell, for any key, whether the walk
// has already passed it. That is only decidable if a key never moves to
// another bucket during the walk: a frozen table neither rehashes nor
// resizes (Redis likewise avoids resizing while a child process holds a
// copy-on-write view). Inserts and deletes still work; chains grow longer
// if many keys are added meanwhile, and the table catches up once thawed.
//
// Positions number the buckets in walk order: first the buckets of the
// main table, then those of the table being rehashed into (a rehash in
// progress when the freeze starts stays half done; buckets of the main
// table below the rehash index are empty).

// Freeze stops rehashing and resizing until the matching Unfreeze. Freezes
// nest.
func (d *Dict[V]) Freeze() {
	d.frozen++
	d.pauseRehash++
}

// Unfreeze ends one Freeze.
func (d *Dict[V]) Unfreeze() {
	d.frozen--
	d.pauseRehash--
}

// Frozen reports whether the table is frozen.
func (d *Dict[V]) Frozen() bool { return d.frozen > 0 }

// Positions is the number of bucket positions a walk of the frozen table
// visits.
func (d *Dict[V]) Positions() uint64 {
	return uint64(len(d.t[0].buckets) + len(d.t[1].buckets))
}

// PositionOf returns the position of the bucket that holds key, or, for
// an absent key, the bucket an insert would put it in. It is stable only
// while the table is frozen.
func (d *Dict[V]) PositionOf(key []byte) uint64 {
	if len(d.t[0].buckets) == 0 {
		return 0
	}
	h := Hash(key)
	i := h & d.t[0].mask
	if d.rehashIdx < 0 {
		return i
	}
	// Mid-rehash a key is in the old table if its bucket was not moved
	// yet, but inserts always go to the new one.
	if i >= uint64(d.rehashIdx) {
		for e := d.t[0].buckets[i]; e != nil; e = e.next {
			if e.Key == string(key) {
				return i
			}
		}
	}
	return uint64(len(d.t[0].buckets)) + h&d.t[1].mask
}

// VisitPosition calls fn for every node in the bucket at position p. fn
// must not insert into or delete from the table.
func (d *Dict[V]) VisitPosition(p uint64, fn func(*Node[V])) {
	t := &d.t[0]
	if n := uint64(len(t.buckets)); p >= n {
		p -= n
		t = &d.t[1]
	}
	if p >= uint64(len(t.buckets)) {
		return
	}
	for e := t.buckets[p]; e != nil; {
		next := e.next
		fn(e)
		e = next
	}
}

// Peek is Find without the rehash step, for observers that must not change
// the table's layout.
func (d *Dict[V]) Peek(key []byte) *Node[V] {
	if d.Len() == 0 {
		return nil
	}
	return d.find(key, Hash(key))
}
