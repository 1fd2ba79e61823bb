package list

// Iter walks a list from a start index towards the tail (or the head when
// reverse). It may delete the element it last returned (LREM); any other
// modification of the list invalidates it.
type Iter struct {
	l       *List
	n       *node // node of the next element (nil: done)
	i       int   // index in n of the next element
	ln      *node // node of the element last returned
	li      int   // its index
	reverse bool
}

// Iterator returns an iterator starting at element start (negative counts
// from the tail); it yields nothing when start is out of range.
func (l *List) Iterator(start int, reverse bool) *Iter {
	n, off := l.locate(start)
	return &Iter{l: l, n: n, i: off, reverse: reverse}
}

// Next returns the next element; the slice is valid until the list is
// modified.
func (it *Iter) Next() ([]byte, bool) {
	for it.n != nil && (it.i < 0 || it.i >= it.n.count()) {
		if it.reverse {
			if it.n = it.n.prev; it.n != nil {
				it.i = it.n.count() - 1
			}
		} else {
			it.n, it.i = it.n.next, 0
		}
	}
	if it.n == nil {
		return nil, false
	}
	e := it.n.entry(it.i)
	it.ln, it.li = it.n, it.i
	if it.reverse {
		it.i--
	} else {
		it.i++
	}
	return e, true
}

// Delete removes the element Next returned last; iteration goes on with
// the element after it.
func (it *Iter) Delete() {
	n, i := it.ln, it.li
	if n == nil {
		return
	}
	it.ln = nil
	prev, next := n.prev, n.next
	if it.l.deleteAt(n, i, 1) {
		if it.reverse {
			it.n = prev
			if prev != nil {
				it.i = prev.count() - 1
			}
		} else {
			it.n, it.i = next, 0
		}
		return
	}
	if !it.reverse {
		it.i = i // the following element moved into slot i
	}
}

// Each calls fn with every element from the head until fn returns false.
func (l *List) Each(fn func(v []byte) bool) {
	for n := l.head; n != nil; n = n.next {
		for i := 0; i < n.count(); i++ {
			if !fn(n.entry(i)) {
				return
			}
		}
	}
}
