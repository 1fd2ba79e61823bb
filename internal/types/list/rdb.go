package list

// Constructors for the RDB loader. Redis appends every serialized quicklist
// node as its own node (no merging), so node boundaries, and with them
// MEMORY USAGE and DEBUG OBJECT numbers, survive a save and load.

// AppendNode adds a node holding elems (copied) after the tail. An empty
// elems adds nothing.
func (l *List) AppendNode(elems [][]byte) {
	if len(elems) == 0 {
		return
	}
	m := newNode()
	for _, e := range elems {
		m.insert(m.count(), e)
	}
	l.link(l.tail, m, true)
	l.count += len(elems)
}

// SetCompressDepth records list-compress-depth for the list, as Redis fixes
// it when it creates a quicklist. Modis does not compress nodes, but Redis
// saves its compressed interior nodes compressed, so RDB writing needs it.
func (l *List) SetCompressDepth(d int) {
	if d < 0 {
		d = 0
	}
	l.depth = d
}

// CompressDepth is the list-compress-depth the list was created with.
func (l *List) CompressDepth() int { return l.depth }
