package list

import "github.com/modis/modis/internal/keyspace"

// node is one quicklist node: its elements' bytes back to back in buf, the
// start of element i at offs[i] (element i ends where i+1 starts, the last
// at len(buf)). The bytes before offs[0] are free room, so that pushes and
// pops at the head, like those at the tail, move no other element and
// rewrite no other offset.
type node struct {
	prev, next *node
	buf        []byte
	offs       []uint32
	lp         uint32 // bytes of the equivalent Redis listpack
}

// nodeStructSize is the allocation of a node struct (72 B in class 80).
const nodeStructSize = 80

func newNode() *node { return &node{lp: lpOverhead} }

func (n *node) count() int { return len(n.offs) }

// entry returns element i; the slice aliases the node (capacity clipped).
func (n *node) entry(i int) []byte {
	end := len(n.buf)
	if i+1 < len(n.offs) {
		end = int(n.offs[i+1])
	}
	return n.buf[n.offs[i]:end:end]
}

// cost is the heap memory of the node.
func (n *node) cost() int64 {
	return nodeStructSize + keyspace.AllocSize(int64(cap(n.buf))) + keyspace.AllocSize(int64(4*cap(n.offs)))
}

// start is where the elements' bytes begin (the room before is free).
func (n *node) start() int {
	if len(n.offs) == 0 {
		return len(n.buf)
	}
	return int(n.offs[0])
}

// insert puts v before element i (i == count appends).
func (n *node) insert(i int, v []byte) {
	if i == 0 && len(n.offs) > 0 {
		n.pushFront(v)
		return
	}
	pos := len(n.buf)
	if i < len(n.offs) {
		pos = int(n.offs[i])
	}
	old := len(n.buf)
	n.buf = append(n.buf, v...)
	if pos < old {
		copy(n.buf[pos+len(v):], n.buf[pos:old])
		copy(n.buf[pos:], v)
	}
	n.offs = append(n.offs, 0)
	copy(n.offs[i+1:], n.offs[i:])
	n.offs[i] = uint32(pos)
	for j := i + 1; j < len(n.offs); j++ {
		n.offs[j] += uint32(len(v))
	}
	n.lp += uint32(lpEntrySize(v))
}

// pushFront puts v before the first element, into the free room at the
// front, which grows (by a quarter of the data at least) when short.
func (n *node) pushFront(v []byte) {
	start := n.start()
	if start < len(v) {
		data := n.buf[start:]
		room := max(len(v), len(data)/4, 16)
		nb := make([]byte, room+len(data), room+len(data)+len(data)/8)
		copy(nb[room:], data)
		shift := uint32(room - start)
		for j := range n.offs {
			n.offs[j] += shift
		}
		n.buf, start = nb, room
	}
	start -= len(v)
	copy(n.buf[start:], v)
	n.offs = append(n.offs, 0)
	copy(n.offs[1:], n.offs)
	n.offs[0] = uint32(start)
	n.lp += uint32(lpEntrySize(v))
}

// remove deletes cnt elements starting at i.
func (n *node) remove(i, cnt int) {
	if cnt <= 0 {
		return
	}
	for j := i; j < i+cnt; j++ {
		n.lp -= uint32(lpEntrySize(n.entry(j)))
	}
	if i == 0 && cnt < len(n.offs) {
		// From the head: the bytes become free room at the front.
		n.offs = append(n.offs[:0], n.offs[cnt:]...)
		n.compact()
		return
	}
	start := int(n.offs[i])
	end := len(n.buf)
	if i+cnt < len(n.offs) {
		end = int(n.offs[i+cnt])
	}
	gap := end - start
	n.buf = append(n.buf[:start], n.buf[end:]...)
	n.offs = append(n.offs[:i], n.offs[i+cnt:]...)
	for j := i; j < len(n.offs); j++ {
		n.offs[j] -= uint32(gap)
	}
	if len(n.offs) == 0 {
		n.buf = n.buf[:0]
	}
	n.compact()
}

// compact gives back memory when the elements use under a quarter of it.
func (n *node) compact() {
	start := n.start()
	if data := len(n.buf) - start; cap(n.buf) > 256 && data < cap(n.buf)/4 {
		nb := make([]byte, data, 2*data)
		copy(nb, n.buf[start:])
		for j := range n.offs {
			n.offs[j] -= uint32(start)
		}
		n.buf = nb
	}
	if cap(n.offs) > 64 && len(n.offs) < cap(n.offs)/4 {
		n.offs = append(make([]uint32, 0, 2*len(n.offs)), n.offs...)
	}
}

// replace sets element i to v.
func (n *node) replace(i int, v []byte) {
	n.remove(i, 1)
	n.insert(i, v)
}

// appendNode moves all of b's elements to the end of n.
func (n *node) appendNode(b *node) {
	bstart := uint32(b.start())
	base := uint32(len(n.buf))
	n.buf = append(n.buf, b.buf[bstart:]...)
	for _, o := range b.offs {
		n.offs = append(n.offs, base+o-bstart)
	}
	n.lp += b.lp - lpOverhead
}

// split moves elements [i, count) to a new node and returns it.
func (n *node) split(i int) *node {
	m := newNode()
	for j := i; j < n.count(); j++ {
		m.insert(m.count(), n.entry(j))
	}
	n.remove(i, n.count()-i)
	return m
}
