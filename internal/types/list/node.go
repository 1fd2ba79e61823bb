package list

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/listpack"
)

// node is one quicklist node: its elements' bytes back to back in buf, the
// start of element i at offs[i] (element i ends where i+1 starts, the last
// at len(buf)).
type node struct {
	prev, next *node
	buf        []byte
	offs       []uint32
	lp         uint32 // bytes of the equivalent Redis listpack
}

// nodeStructSize is the allocation of a node struct (72 B in class 80).
const nodeStructSize = 80

func newNode() *node { return &node{lp: listpack.Overhead} }

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

// insert puts v before element i (i == count appends).
func (n *node) insert(i int, v []byte) {
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
	n.lp += uint32(listpack.EntrySize(v))
}

// remove deletes cnt elements starting at i.
func (n *node) remove(i, cnt int) {
	if cnt <= 0 {
		return
	}
	for j := i; j < i+cnt; j++ {
		n.lp -= uint32(listpack.EntrySize(n.entry(j)))
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
	if cap(n.buf) > 256 && len(n.buf) < cap(n.buf)/4 {
		n.buf = append(make([]byte, 0, 2*len(n.buf)), n.buf...)
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
	base := uint32(len(n.buf))
	n.buf = append(n.buf, b.buf...)
	for _, o := range b.offs {
		n.offs = append(n.offs, base+o)
	}
	n.lp += b.lp - listpack.Overhead
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
