package rax

// Node capacities. A leaf holds up to maxLeaf elements and an inner node up
// to maxKids children. With 64, a 1M-key tree is 4 levels high and a search
// inside a node takes six comparisons; larger nodes would mean fewer levels
// but longer shifts on insert and remove.
const (
	maxLeaf = 64
	maxKids = 64
	// A node that falls below half full after a removal is refilled from or
	// merged with a sibling, so a tree that shrinks gives memory back.
	minLeaf = maxLeaf / 2
	minKids = maxKids / 2
)

// node is a leaf (kids == nil) or an inner node of the B+ tree. One type for
// both keeps the walk free of interface dispatch.
//
// Leaf: key i holds vals[i]; prev/next link the leaves in key order. Only
// the root leaf of an empty tree is ever empty.
// Inner: keys.len() == len(kids)-1 and every key under kids[i] is < key i
// <= every key under kids[i+1].
type node[V any] struct {
	keys       keyset
	vals       []V
	kids       []*node[V]
	prev, next *node[V]
}

func (n *node[V]) leaf() bool { return n.kids == nil }

// full reports whether n must split before taking one more key or child.
//
// Huge keys make a node full early (nodeBytesLimit), but an inner node
// needs four children to split into two halves of at least two once the
// new child is in: inner nodes with a single child would break the
// rebalancing rules. Its at most three keys of at most 512 MB stay within
// the uint32 offsets.
func (n *node[V]) full() bool {
	if n.leaf() {
		return n.keys.len() >= maxLeaf || len(n.keys.data) >= nodeBytesLimit
	}
	return len(n.kids) >= maxKids || len(n.keys.data) >= nodeBytesLimit && len(n.kids) >= 4
}

// Tree is an ordered dictionary of byte-string keys, the Go counterpart of
// Redis's rax as used by RedisModule_Dict. Keys compare as memcmp does
// (bytewise unsigned, a proper prefix sorts first); the empty key is a valid
// key. The zero Tree is an empty tree ready to use. A Tree is not safe for
// concurrent use.
type Tree[V any] struct {
	root *node[V] // nil until the first insert
	n    int
	// gen changes whenever an element is added or removed, so iterators
	// notice that their cached position may be stale.
	gen uint64
}

// New returns an empty tree.
func New[V any]() *Tree[V] {
	return &Tree[V]{}
}

func newLeaf[V any]() *node[V] {
	return &node[V]{keys: keyset{ends: make([]uint32, 0, maxLeaf), heads: make([]uint64, 0, maxLeaf)}, vals: make([]V, 0, maxLeaf)}
}

func newInner[V any]() *node[V] {
	return &node[V]{keys: keyset{ends: make([]uint32, 0, maxKids-1), heads: make([]uint64, 0, maxKids-1)}, kids: make([]*node[V], 0, maxKids)}
}

// Len returns the number of elements (raxSize).
func (t *Tree[V]) Len() int { return t.n }

// findLeaf returns the leaf that holds key if it is present.
func (t *Tree[V]) findLeaf(key []byte) *node[V] {
	n := t.root
	for !n.leaf() {
		n = n.kids[n.keys.upperBound(key)]
	}
	return n
}

// Find returns the value of key and whether key is present (raxFind).
func (t *Tree[V]) Find(key []byte) (V, bool) {
	if t.root == nil {
		var zero V
		return zero, false
	}
	n := t.findLeaf(key)
	if i, ok := n.keys.lowerBound(key); ok {
		return n.vals[i], true
	}
	var zero V
	return zero, false
}

// Insert sets key to v, overwriting a previous value (raxInsert,
// RedisModule_DictReplace). It returns the previous value and whether key is
// new. The tree keeps its own copy of key.
func (t *Tree[V]) Insert(key []byte, v V) (old V, isNew bool) {
	return t.insert(key, v, true)
}

// TryInsert sets key to v only if key is absent (raxTryInsert,
// RedisModule_DictSet). It returns the value already there, if any, and
// whether v was inserted.
func (t *Tree[V]) TryInsert(key []byte, v V) (existing V, inserted bool) {
	return t.insert(key, v, false)
}

func (t *Tree[V]) insert(key []byte, v V, overwrite bool) (V, bool) {
	if t.root == nil {
		t.root = newLeaf[V]()
	}
	old, isNew, right, sep := t.insertAt(t.root, key, v, overwrite, true)
	if right != nil {
		root := newInner[V]()
		root.keys.insert(0, sep)
		root.kids = append(root.kids, t.root, right)
		t.root = root
	}
	if isNew {
		t.n++
		t.gen++
	}
	return old, isNew
}

// insertAt inserts below n. If n had to split, it returns the new right
// sibling and the separator between them (which may alias right's keys;
// the caller copies it). rightmost says that n is the last node of its level: a split
// there for a key going to the very end leaves n full and starts the new
// node with just that key, so keys added in ascending order (stream IDs,
// counters) fill nodes completely instead of half.
func (t *Tree[V]) insertAt(n *node[V], key []byte, v V, overwrite, rightmost bool) (old V, isNew bool, right *node[V], sep []byte) {
	if n.leaf() {
		i, found := n.keys.lowerBound(key)
		if found {
			old = n.vals[i]
			if overwrite {
				n.vals[i] = v
			}
			return old, false, nil, nil
		}
		if !n.full() {
			n.keys.insert(i, key)
			n.vals = insertAt(n.vals, i, v)
			return old, true, nil, nil
		}
		appending := rightmost && i == n.keys.len()
		var mid int
		right, mid = t.splitLeaf(n, i, appending)
		// The new key goes right if it sorts after the keys that moved
		// there, or when nothing moved (only then can i == mid go right).
		if i > mid || right.keys.len() == 0 {
			i -= mid
			right.keys.insert(i, key)
			right.vals = insertAt(right.vals, i, v)
		} else {
			n.keys.insert(i, key)
			n.vals = insertAt(n.vals, i, v)
		}
		return old, true, right, right.keys.at(0)
	}
	i := n.keys.upperBound(key)
	last := i == len(n.kids)-1
	old, isNew, kr, ksep := t.insertAt(n.kids[i], key, v, overwrite, rightmost && last)
	if kr == nil {
		return old, isNew, nil, nil
	}
	if !n.full() {
		n.keys.insert(i, ksep)
		n.kids = insertAt(n.kids, i+1, kr)
		return old, isNew, nil, nil
	}
	// Split this inner node, then place the new child in the proper half.
	right = newInner[V]()
	mid := len(n.kids) / 2
	if rightmost && last {
		mid = len(n.kids) - 1 // keep n full; right starts with its last child
	}
	// Children [0,mid) stay and [mid,len) move; key mid-1 goes up (copied:
	// it leaves n).
	sep = append([]byte(nil), n.keys.at(mid-1)...)
	right.keys.appendRange(&n.keys, mid, n.keys.len())
	right.kids = append(right.kids, n.kids[mid:]...)
	n.keys.truncate(mid - 1)
	clear(n.kids[mid:])
	n.kids = n.kids[:mid]
	if rightmost && last {
		n.keys.clip()
	}
	if i < mid {
		n.keys.insert(i, ksep)
		n.kids = insertAt(n.kids, i+1, kr)
	} else {
		j := i - mid
		right.keys.insert(j, ksep)
		right.kids = insertAt(right.kids, j+1, kr)
	}
	return old, isNew, right, sep
}

// splitLeaf moves the upper half of a full leaf to a new right sibling, or
// nothing when appending (the caller then inserts into the empty sibling).
// i is where the new key goes; a leaf full of bytes with a single key keeps
// it on the side that leaves room for the new one, so neither half ends up
// empty. It returns the new sibling and the split point.
func (t *Tree[V]) splitLeaf(n *node[V], i int, appending bool) (*node[V], int) {
	right := newLeaf[V]()
	mid := n.keys.len() / 2
	if appending || n.keys.len() == 1 {
		mid = i
	}
	right.keys.appendRange(&n.keys, mid, n.keys.len())
	right.vals = append(right.vals, n.vals[mid:]...)
	n.keys.truncate(mid)
	clear(n.vals[mid:])
	n.vals = n.vals[:mid]
	if appending {
		n.keys.clip()
	}
	right.next = n.next
	if n.next != nil {
		n.next.prev = right
	}
	right.prev = n
	n.next = right
	return right, mid
}

// insertAt inserts x at s[i], growing s within its capacity when possible.
func insertAt[T any](s []T, i int, x T) []T {
	var zero T
	s = append(s, zero)
	copy(s[i+1:], s[i:])
	s[i] = x
	return s
}

// removeAt deletes s[i], clearing the vacated slot so the GC can free what
// it referenced.
func removeAt[T any](s []T, i int) []T {
	copy(s[i:], s[i+1:])
	var zero T
	s[len(s)-1] = zero
	return s[:len(s)-1]
}

// Remove deletes key and returns its value and whether it was present
// (raxRemove, RedisModule_DictDel with oldval).
func (t *Tree[V]) Remove(key []byte) (old V, ok bool) {
	if t.root == nil {
		return old, false
	}
	old, ok = t.removeAt(t.root, key)
	if !ok {
		return old, false
	}
	t.n--
	t.gen++
	for !t.root.leaf() && len(t.root.kids) == 1 {
		t.root = t.root.kids[0]
	}
	return old, true
}

// removeAt deletes key below n and rebalances the child it descended into
// if that child became underfull.
func (t *Tree[V]) removeAt(n *node[V], key []byte) (old V, ok bool) {
	if n.leaf() {
		i, found := n.keys.lowerBound(key)
		if !found {
			return old, false
		}
		old = n.vals[i]
		n.keys.remove(i)
		n.vals = removeAt(n.vals, i)
		return old, true
	}
	i := n.keys.upperBound(key)
	old, ok = t.removeAt(n.kids[i], key)
	if ok {
		k := n.kids[i]
		if (k.leaf() && k.keys.len() < minLeaf) || (!k.leaf() && len(k.kids) < minKids) {
			t.rebalance(n, i)
		}
	}
	return old, ok
}

// rebalance fixes the underfull child i of n by merging it with a sibling
// when both fit in one node, or else by moving elements over from the
// sibling until the two are even. Huge keys (nodeBytesLimit) can prevent
// both; the child then stays underfull, which costs only space, unless it
// is empty (a leaf) or has a single child (an inner node): those always
// merge.
func (t *Tree[V]) rebalance(n *node[V], i int) {
	if len(n.kids) < 2 {
		return // cannot happen: only the root may have one child
	}
	l := max(i-1, 0) // pair (l, l+1), preferring the left sibling
	a, b := n.kids[l], n.kids[l+1]
	c := n.kids[i]
	bytes := len(a.keys.data) + len(b.keys.data)
	if a.leaf() {
		must := c.keys.len() == 0
		if a.keys.len()+b.keys.len() <= maxLeaf && (bytes <= nodeBytesLimit || must) {
			a.keys.appendRange(&b.keys, 0, b.keys.len())
			a.vals = append(a.vals, b.vals...)
			a.next = b.next
			if b.next != nil {
				b.next.prev = a
			}
			n.keys.remove(l)
			n.kids = removeAt(n.kids, l+1)
			return
		}
		if bytes > 2*nodeBytesLimit && !must {
			return
		}
		want := (a.keys.len() + b.keys.len()) / 2
		if a.keys.len() < want { // move b's head to a's tail
			m := want - a.keys.len()
			a.keys.appendRange(&b.keys, 0, m)
			a.vals = append(a.vals, b.vals[:m]...)
			b.keys.dropFront(m)
			b.vals = shiftLeft(b.vals, m)
		} else { // move a's tail to b's head
			b.keys.prependRange(&a.keys, want, a.keys.len())
			b.vals = prepend(b.vals, a.vals[want:])
			a.keys.truncate(want)
			clear(a.vals[want:])
			a.vals = a.vals[:want]
		}
		n.keys.remove(l)
		n.keys.insert(l, b.keys.at(0))
		return
	}
	// Inner nodes: the separator between a and b comes down between them.
	must := len(c.kids) < 2
	if len(a.kids)+len(b.kids) <= maxKids && (bytes <= nodeBytesLimit || must) {
		a.keys.appendRange(&n.keys, l, l+1)
		a.keys.appendRange(&b.keys, 0, b.keys.len())
		a.kids = append(a.kids, b.kids...)
		n.keys.remove(l)
		n.kids = removeAt(n.kids, l+1)
		return
	}
	if bytes > 2*nodeBytesLimit && !must {
		return
	}
	want := (len(a.kids) + len(b.kids)) / 2
	if len(a.kids) == want {
		return // already even (a merge refused for bytes)
	}
	var up keyset // the new separator between a and b
	if len(a.kids) < want {
		m := want - len(a.kids) // children moving from b to a
		a.keys.appendRange(&n.keys, l, l+1)
		a.keys.appendRange(&b.keys, 0, m-1)
		a.kids = append(a.kids, b.kids[:m]...)
		up.appendRange(&b.keys, m-1, m)
		b.keys.dropFront(m)
		b.kids = shiftLeft(b.kids, m)
	} else {
		// Children a.kids[want:] move to the front of b, with the keys
		// between them and, last, the old separator.
		b.keys.prependRange(&n.keys, l, l+1)
		b.keys.prependRange(&a.keys, want, a.keys.len())
		b.kids = prepend(b.kids, a.kids[want:])
		up.appendRange(&a.keys, want-1, want)
		a.keys.truncate(want - 1)
		clear(a.kids[want:])
		a.kids = a.kids[:want]
	}
	n.keys.remove(l)
	n.keys.insert(l, up.at(0))
}

// shiftLeft drops the first m elements of s in place.
func shiftLeft[T any](s []T, m int) []T {
	copy(s, s[m:])
	clear(s[len(s)-m:])
	return s[:len(s)-m]
}

// prepend inserts xs before s's elements, within s's capacity.
func prepend[T any](s, xs []T) []T {
	n := len(s)
	s = append(s, xs...) // grow by len(xs)
	copy(s[len(xs):], s[:n])
	copy(s, xs)
	return s
}
