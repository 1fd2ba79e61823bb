package list

import "github.com/modis/modis/internal/listpack"

// Redis's listpack byte format, for what Redis serializes node by node
// (RDB's quicklist encoding, DEBUG OBJECT serializedlength). Modis does not
// store listpacks, but Redis decides where quicklist nodes end, and MEMORY
// USAGE reports node allocations, from listpack byte counts (node.lp).

// appendListpack appends node n as a Redis listpack.
func (n *node) appendListpack(dst []byte) []byte {
	start := len(dst)
	dst = listpack.AppendHeader(dst)
	for i := 0; i < n.count(); i++ {
		dst = listpack.AppendEntry(dst, n.entry(i))
	}
	return listpack.Finish(dst, start, n.count())
}

// EachListpack calls fn with each node encoded as a Redis listpack, head
// first; the slice is reused between calls.
func (l *List) EachListpack(fn func(lp []byte)) {
	var buf []byte
	for n := l.head; n != nil; n = n.next {
		buf = n.appendListpack(buf[:0])
		fn(buf)
	}
}
