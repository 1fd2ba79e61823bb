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
