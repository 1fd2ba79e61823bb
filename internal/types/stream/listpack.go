package stream

import "github.com/modis/modis/internal/listpack"

// Listpack encoding of nodes: the exact bytes Redis keeps for a node (and
// writes to RDB files as they are), built on demand from the node. Sizes
// matter beyond that: stream-node-max-bytes limits a node's listpack size,
// so node split points (and with them XINFO's radix-tree-keys and
// approximate trimming) follow the exact byte counts kept in node.lpBytes.

// Listpack returns the node's listpack as Redis has it: the master entry
// (count, deleted, field count, fields, 0) then each entry (flags, ID
// deltas, [field count, fields and] values, element count).
func (n *node) listpack() []byte {
	lp := listpack.AppendHeader(make([]byte, 0, n.lpBytes()))
	elems := 0
	lp = listpack.AppendIntEntry(lp, int64(n.live))
	lp = listpack.AppendIntEntry(lp, int64(n.deleted))
	lp = listpack.AppendIntEntry(lp, int64(n.nfields))
	for off, i := 0, 0; i < n.nfields; i++ {
		var f []byte
		f, off = getStr(n.fields, off)
		lp = listpack.AppendEntry(lp, f)
	}
	lp = listpack.AppendIntEntry(lp, 0)
	elems += 4 + n.nfields
	for off := 0; off < len(n.buf); {
		e := n.decode(off)
		lp = listpack.AppendIntEntry(lp, int64(e.flags))
		lp = listpack.AppendIntEntry(lp, int64(e.id.Ms-n.master.Ms))
		lp = listpack.AppendIntEntry(lp, int64(e.id.Seq-n.master.Seq))
		cnt := e.nf + 3
		strs := e.nf
		if e.flags&flagSameFields == 0 {
			lp = listpack.AppendIntEntry(lp, int64(e.nf))
			cnt += e.nf + 1
			strs *= 2
		}
		p := e.data
		for i := 0; i < strs; i++ {
			var s []byte
			s, p = getStr(n.buf, p)
			lp = listpack.AppendEntry(lp, s)
		}
		lp = listpack.AppendIntEntry(lp, int64(cnt))
		elems += cnt + 1
		off = p
	}
	return listpack.Finish(lp, 0, elems)
}

// EachListpack calls fn with each node's rax key (its master ID) and
// listpack, in order, as RDB serializes a stream.
func (s *Stream) EachListpack(fn func(key []byte, lp []byte)) {
	it := s.rax.Iterator()
	it.Seek("^", nil)
	for k, n, ok := it.Next(); ok; k, n, ok = it.Next() {
		fn(k, n.listpack())
	}
}
