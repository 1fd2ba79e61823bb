package list

// Fill limits of Redis's quicklist.
const (
	fillMax         = 1<<15 - 1 // largest element-count fill
	sizeSafetyLimit = 8192      // node byte limit when fill counts elements
	sizeEstimate    = 8         // per-element overhead assumed on insert
)

// optimizationLevel are the node byte limits of fill -1 .. -5.
var optimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// listStructSize is the allocation of a List struct.
const listStructSize = 48

// List is a quicklist. The zero value is not usable: create lists with New.
// Slices returned by its methods alias its nodes and stay valid only until
// the next modification.
type List struct {
	head, tail *node
	count      int   // elements
	nodes      int   // nodes
	fill       int   // list-max-listpack-size when the list was created
	depth      int   // list-compress-depth when created (rdb.go)
	mem        int64 // heap estimate, maintained incrementally
}

// New returns an empty list whose nodes follow fill (list-max-listpack-size),
// clamped as Redis does to -5 .. 32767.
func New(fill int) *List {
	if fill > fillMax {
		fill = fillMax
	} else if fill < -5 {
		fill = -5
	}
	return &List{fill: fill, mem: listStructSize}
}

// Len is the number of elements.
func (l *List) Len() int { return l.count }

// Nodes is the number of nodes.
func (l *List) Nodes() int { return l.nodes }

// HeapBytes estimates the heap memory the list holds (0 for nil).
func (l *List) HeapBytes() int64 {
	if l == nil {
		return 0
	}
	return l.mem
}

// EachNode calls fn with the Redis listpack size of each node, head first,
// until fn returns false (MEMORY USAGE samples nodes this way).
func (l *List) EachNode(fn func(lpBytes int) bool) {
	for n := l.head; n != nil; n = n.next {
		if !fn(int(n.lp)) {
			return
		}
	}
}

// sizeMeetsOptimization is Redis's byte limit test for negative fills.
func sizeMeetsOptimization(sz, fill int) bool {
	if fill >= 0 {
		return false
	}
	off := -fill - 1
	return off < len(optimizationLevel) && sz <= optimizationLevel[off]
}

// allowInsert reports whether n may take one more element of sz bytes.
func (l *List) allowInsert(n *node, sz int) bool {
	if n == nil {
		return false
	}
	newSz := int(n.lp) + sz + sizeEstimate
	if sizeMeetsOptimization(newSz, l.fill) {
		return true
	}
	if newSz > sizeSafetyLimit {
		return false
	}
	return n.count() < l.fill
}

// allowMerge reports whether a and b may be merged into one node.
func (l *List) allowMerge(a, b *node) bool {
	if a == nil || b == nil {
		return false
	}
	sz := int(a.lp) + int(b.lp) - 11
	if sizeMeetsOptimization(sz, l.fill) {
		return true
	}
	if sz > sizeSafetyLimit {
		return false
	}
	return a.count()+b.count() <= l.fill
}

// modify runs fn on n keeping the memory estimate current.
func (l *List) modify(n *node, fn func()) {
	l.mem -= n.cost()
	fn()
	l.mem += n.cost()
}

// link inserts m next to old (after it if after, else before); old nil
// means the list is empty.
func (l *List) link(old, m *node, after bool) {
	if old == nil {
		l.head, l.tail = m, m
	} else if after {
		m.prev, m.next = old, old.next
		if old.next != nil {
			old.next.prev = m
		} else {
			l.tail = m
		}
		old.next = m
	} else {
		m.prev, m.next = old.prev, old
		if old.prev != nil {
			old.prev.next = m
		} else {
			l.head = m
		}
		old.prev = m
	}
	l.nodes++
	l.mem += m.cost()
}

// unlink removes node n.
func (l *List) unlink(n *node) {
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		l.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		l.tail = n.prev
	}
	n.prev, n.next = nil, nil
	l.nodes--
	l.mem -= n.cost()
}

// PushHead adds v (copied) before the first element.
func (l *List) PushHead(v []byte) {
	if l.allowInsert(l.head, len(v)) {
		l.modify(l.head, func() { l.head.insert(0, v) })
	} else {
		m := newNode()
		m.insert(0, v)
		l.link(l.head, m, false)
	}
	l.count++
}

// PushTail adds v (copied) after the last element.
func (l *List) PushTail(v []byte) {
	if l.allowInsert(l.tail, len(v)) {
		l.modify(l.tail, func() { l.tail.insert(l.tail.count(), v) })
	} else {
		m := newNode()
		m.insert(0, v)
		l.link(l.tail, m, true)
	}
	l.count++
}

// Push adds v at the head if head, else at the tail.
func (l *List) Push(v []byte, head bool) {
	if head {
		l.PushHead(v)
	} else {
		l.PushTail(v)
	}
}

// Pop removes and returns (a copy of) the first element if head, else the
// last; ok is false when the list is empty.
func (l *List) Pop(head bool) (v []byte, ok bool) {
	n, i := l.tail, 0
	if head {
		n = l.head
	}
	if n == nil {
		return nil, false
	}
	if !head {
		i = n.count() - 1
	}
	v = append([]byte(nil), n.entry(i)...)
	l.deleteAt(n, i, 1)
	return v, true
}

// deleteAt removes cnt elements of n from index i, dropping n when it
// empties; it reports whether n was dropped.
func (l *List) deleteAt(n *node, i, cnt int) bool {
	l.count -= cnt
	if cnt == n.count() {
		l.unlink(n)
		return true
	}
	l.modify(n, func() { n.remove(i, cnt) })
	return false
}

// locate finds the node and offset of element idx (negative counts from
// the tail); n is nil when idx is out of range.
func (l *List) locate(idx int) (n *node, off int) {
	if idx < 0 {
		idx += l.count
	}
	if idx < 0 || idx >= l.count {
		return nil, 0
	}
	if idx < l.count/2 {
		for n = l.head; idx >= n.count(); n = n.next {
			idx -= n.count()
		}
		return n, idx
	}
	back := l.count - 1 - idx // elements after idx
	for n = l.tail; back >= n.count(); n = n.prev {
		back -= n.count()
	}
	return n, n.count() - 1 - back
}

// Index returns element idx (negative counts from the tail).
func (l *List) Index(idx int) ([]byte, bool) {
	n, off := l.locate(idx)
	if n == nil {
		return nil, false
	}
	return n.entry(off), true
}

// Set replaces element idx with v; it reports false when idx is out of
// range. As in Redis 7.0 the node keeps the element whatever its size.
func (l *List) Set(idx int, v []byte) bool {
	n, off := l.locate(idx)
	if n == nil {
		return false
	}
	l.modify(n, func() { n.replace(off, v) })
	return true
}

// Insert adds v before (or after, if after) element idx, splitting and
// merging nodes as Redis's quicklist insert does. It reports false when
// idx is out of range.
func (l *List) Insert(idx int, v []byte, after bool) bool {
	n, off := l.locate(idx)
	if n == nil {
		return false
	}
	l.insertAt(n, off, v, after)
	return true
}

func (l *List) insertAt(n *node, off int, v []byte, after bool) {
	sz := len(v)
	full := !l.allowInsert(n, sz)
	atTail := after && off == n.count()-1
	atHead := !after && off == 0
	availNext := atTail && l.allowInsert(n.next, sz)
	availPrev := atHead && l.allowInsert(n.prev, sz)
	l.count++
	switch {
	case !full && after:
		l.modify(n, func() { n.insert(off+1, v) })
	case !full:
		l.modify(n, func() { n.insert(off, v) })
	case atTail && availNext:
		l.modify(n.next, func() { n.next.insert(0, v) })
	case atHead && availPrev:
		l.modify(n.prev, func() { n.prev.insert(n.prev.count(), v) })
	case atTail || atHead:
		m := newNode()
		m.insert(0, v)
		l.link(n, m, after)
	default:
		// Split n at the pivot: the part past the pivot (after) or before
		// it (before) moves to a new node that takes v next to the pivot;
		// then neighbours are merged where they fit.
		var m *node
		if after {
			l.modify(n, func() { m = n.split(off + 1) })
			m.insert(0, v)
		} else {
			l.modify(n, func() {
				m = n.split(off)
				n.buf, m.buf = m.buf, n.buf
				n.offs, m.offs = m.offs, n.offs
				n.lp, m.lp = m.lp, n.lp
			})
			m.insert(m.count(), v)
		}
		l.link(n, m, after)
		l.mergeAround(n)
	}
}

// merge joins b (right of a) into a and returns a.
func (l *List) merge(a, b *node) *node {
	l.unlink(b)
	l.modify(a, func() { a.appendNode(b) })
	return a
}

// mergeAround is Redis's _quicklistMergeNodes: it tries to merge the two
// nodes before center, the two after it, then center with each neighbour.
func (l *List) mergeAround(center *node) {
	var prev, prevPrev, next, nextNext *node
	if prev = center.prev; prev != nil {
		prevPrev = prev.prev
	}
	if next = center.next; next != nil {
		nextNext = next.next
	}
	if l.allowMerge(prev, prevPrev) {
		l.merge(prevPrev, prev)
	}
	if l.allowMerge(next, nextNext) {
		l.merge(next, nextNext)
	}
	target := center
	if l.allowMerge(center, center.prev) {
		target = l.merge(center.prev, center)
	}
	if l.allowMerge(target, target.next) {
		l.merge(target, target.next)
	}
}

// DeleteRange removes up to cnt elements starting at index start (negative
// counts from the tail), as Redis's quicklistDelRange: a range past the end
// is cut at the end. Nodes are not merged afterwards.
func (l *List) DeleteRange(start, cnt int) {
	if cnt <= 0 {
		return
	}
	if start < 0 {
		start += l.count
		if start < 0 {
			// Redis seeks from the tail and fails for an index before
			// the head: nothing is deleted.
			return
		}
	}
	if start >= l.count {
		return
	}
	if cnt > l.count-start {
		cnt = l.count - start
	}
	n, off := l.locate(start)
	for cnt > 0 {
		next := n.next
		del := min(n.count()-off, cnt)
		l.deleteAt(n, off, del)
		cnt -= del
		n, off = next, 0
	}
}

// Clear removes every element.
func (l *List) Clear() {
	l.DeleteRange(0, l.count)
}

// Dup returns a deep copy with the same nodes.
func (l *List) Dup() *List {
	d := &List{fill: l.fill, depth: l.depth, mem: listStructSize}
	for n := l.head; n != nil; n = n.next {
		m := &node{
			buf:  append([]byte(nil), n.buf...),
			offs: append([]uint32(nil), n.offs...),
			lp:   n.lp,
		}
		d.link(d.tail, m, true)
		d.count += m.count()
	}
	return d
}
