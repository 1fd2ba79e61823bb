package rax

// Node capacities. A leaf holds up to maxLeaf elements and an inner node up
// to maxKids children. 64 keeps a leaf's key array (16 bytes a key) at 1 KiB
// and a search inside a node at six string comparisons; fewer levels mean
// fewer cache misses on a 1M-key tree (height 4), more mean cheaper shifts on
// insert and remove.
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
// Leaf: keys[i] holds vals[i]; prev/next link the leaves in key order.
// Inner: len(keys) == len(kids)-1 and every key under kids[i] is < keys[i]
// <= every key under kids[i+1].
type node[V any] struct {
	keys       []string
	vals       []V
	kids       []*node[V]
	prev, next *node[V]
}

func (n *node[V]) leaf() bool { return n.kids == nil }

// Tree is an ordered dictionary of byte-string keys, the Go counterpart of
// Redis's rax as used by RedisModule_Dict. Keys compare as memcmp does
// (bytewise unsigned, a proper prefix sorts first); the empty key is a valid
// key. The zero Tree is not usable: call New. A Tree is not safe for
// concurrent use.
type Tree[V any] struct {
	root *node[V]
	n    int
	// gen changes whenever an element is added or removed, so iterators
	// notice that their cached position may be stale.
	gen uint64
}

// New returns an empty tree.
func New[V any]() *Tree[V] {
	return &Tree[V]{root: newLeaf[V]()}
}

func newLeaf[V any]() *node[V] {
	return &node[V]{keys: make([]string, 0, maxLeaf), vals: make([]V, 0, maxLeaf)}
}

func newInner[V any]() *node[V] {
	return &node[V]{keys: make([]string, 0, maxKids-1), kids: make([]*node[V], 0, maxKids)}
}

// Len returns the number of elements (raxSize).
func (t *Tree[V]) Len() int { return t.n }

// leafSearch returns the index of the first key >= key in a leaf and whether
// it is equal. The string(key) conversions inside comparisons do not
// allocate.
func leafSearch(keys []string, key []byte) (int, bool) {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] < string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(keys) && keys[lo] == string(key)
}

// kidSearch returns which child of an inner node may hold key: the number
// of separators <= key.
func kidSearch(keys []string, key []byte) int {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] <= string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// findLeaf returns the leaf that holds key if it is present.
func (t *Tree[V]) findLeaf(key []byte) *node[V] {
	n := t.root
	for !n.leaf() {
		n = n.kids[kidSearch(n.keys, key)]
	}
	return n
}

// Find returns the value of key and whether key is present (raxFind).
func (t *Tree[V]) Find(key []byte) (V, bool) {
	n := t.findLeaf(key)
	if i, ok := leafSearch(n.keys, key); ok {
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
	old, isNew, right, sep := t.insertAt(t.root, key, v, overwrite, true)
	if right != nil {
		root := newInner[V]()
		root.keys = append(root.keys, sep)
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
// sibling and the separator between them. rightmost says that n is the last
// node of its level: a split there leaves n full and starts the new node
// with just the overflow, so keys added in ascending order (stream IDs,
// counters) fill nodes completely instead of half.
func (t *Tree[V]) insertAt(n *node[V], key []byte, v V, overwrite, rightmost bool) (old V, isNew bool, right *node[V], sep string) {
	if n.leaf() {
		i, found := leafSearch(n.keys, key)
		if found {
			old = n.vals[i]
			if overwrite {
				n.vals[i] = v
			}
			return old, false, nil, ""
		}
		k := string(key)
		if len(n.keys) < maxLeaf {
			n.keys = insertAt(n.keys, i, k)
			n.vals = insertAt(n.vals, i, v)
			return old, true, nil, ""
		}
		appending := rightmost && i == len(n.keys)
		right = t.splitLeaf(n, appending)
		if appending || i > len(n.keys) {
			i -= len(n.keys)
			right.keys = insertAt(right.keys, i, k)
			right.vals = insertAt(right.vals, i, v)
		} else {
			n.keys = insertAt(n.keys, i, k)
			n.vals = insertAt(n.vals, i, v)
		}
		return old, true, right, right.keys[0]
	}
	i := kidSearch(n.keys, key)
	old, isNew, kr, ksep := t.insertAt(n.kids[i], key, v, overwrite, rightmost && i == len(n.kids)-1)
	if kr == nil {
		return old, isNew, nil, ""
	}
	if len(n.kids) < maxKids {
		n.keys = insertAt(n.keys, i, ksep)
		n.kids = insertAt(n.kids, i+1, kr)
		return old, isNew, nil, ""
	}
	// Split this inner node, then place the new child in the proper half.
	right = newInner[V]()
	var mid int
	if rightmost && i == len(n.kids)-1 {
		mid = len(n.kids) - 1 // keep n full; right starts with its last child
	} else {
		mid = len(n.kids) / 2
	}
	// Children [0,mid) stay, [mid,len) move; keys[mid-1] goes up.
	sep = n.keys[mid-1]
	right.keys = append(right.keys, n.keys[mid:]...)
	right.kids = append(right.kids, n.kids[mid:]...)
	clear(n.keys[mid-1:])
	clear(n.kids[mid:])
	n.keys = n.keys[:mid-1]
	n.kids = n.kids[:mid]
	if i < mid {
		n.keys = insertAt(n.keys, i, ksep)
		n.kids = insertAt(n.kids, i+1, kr)
	} else {
		j := i - mid
		right.keys = insertAt(right.keys, j, ksep)
		right.kids = insertAt(right.kids, j+1, kr)
	}
	return old, isNew, right, sep
}

// splitLeaf moves the upper part of a full leaf to a new right sibling, or
// nothing when appending (the caller then inserts into the empty sibling).
func (t *Tree[V]) splitLeaf(n *node[V], appending bool) *node[V] {
	right := newLeaf[V]()
	mid := len(n.keys) / 2
	if appending {
		mid = len(n.keys)
	}
	right.keys = append(right.keys, n.keys[mid:]...)
	right.vals = append(right.vals, n.vals[mid:]...)
	clear(n.keys[mid:])
	clear(n.vals[mid:])
	n.keys = n.keys[:mid]
	n.vals = n.vals[:mid]
	right.next = n.next
	if n.next != nil {
		n.next.prev = right
	}
	right.prev = n
	n.next = right
	return right
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
	old, ok = t.removeAt(t.root, key)
	if !ok {
		return old, false
	}
	t.n--
	t.gen++
	if !t.root.leaf() && len(t.root.kids) == 1 {
		t.root = t.root.kids[0]
	}
	return old, true
}

// removeAt deletes key below n and rebalances the child it descended into
// if that child became underfull.
func (t *Tree[V]) removeAt(n *node[V], key []byte) (old V, ok bool) {
	if n.leaf() {
		i, found := leafSearch(n.keys, key)
		if !found {
			return old, false
		}
		old = n.vals[i]
		n.keys = removeAt(n.keys, i)
		n.vals = removeAt(n.vals, i)
		return old, true
	}
	i := kidSearch(n.keys, key)
	old, ok = t.removeAt(n.kids[i], key)
	if ok {
		k := n.kids[i]
		if (k.leaf() && len(k.keys) < minLeaf) || (!k.leaf() && len(k.kids) < minKids) {
			t.rebalance(n, i)
		}
	}
	return old, ok
}

// rebalance fixes the underfull child i of n by merging it with a sibling
// when both fit in one node, or else by moving elements over from the
// sibling until the two are even.
func (t *Tree[V]) rebalance(n *node[V], i int) {
	if len(n.kids) < 2 {
		return
	}
	l := i - 1 // pair (l, l+1), preferring the left sibling
	if l < 0 {
		l = 0
	}
	a, b := n.kids[l], n.kids[l+1]
	if a.leaf() {
		if len(a.keys)+len(b.keys) <= maxLeaf {
			a.keys = append(a.keys, b.keys...)
			a.vals = append(a.vals, b.vals...)
			a.next = b.next
			if b.next != nil {
				b.next.prev = a
			}
			n.keys = removeAt(n.keys, l)
			n.kids = removeAt(n.kids, l+1)
			return
		}
		total := len(a.keys) + len(b.keys)
		want := total / 2
		if len(a.keys) < want { // move b's head to a's tail
			m := want - len(a.keys)
			a.keys = append(a.keys, b.keys[:m]...)
			a.vals = append(a.vals, b.vals[:m]...)
			b.keys = shiftLeft(b.keys, m)
			b.vals = shiftLeft(b.vals, m)
		} else { // move a's tail to b's head
			b.keys = prepend(b.keys, a.keys[want:])
			b.vals = prepend(b.vals, a.vals[want:])
			clear(a.keys[want:])
			clear(a.vals[want:])
			a.keys = a.keys[:want]
			a.vals = a.vals[:want]
		}
		n.keys[l] = b.keys[0]
		return
	}
	// Inner nodes: the separator between a and b comes down between them.
	sep := n.keys[l]
	if len(a.kids)+len(b.kids) <= maxKids {
		a.keys = append(a.keys, sep)
		a.keys = append(a.keys, b.keys...)
		a.kids = append(a.kids, b.kids...)
		n.keys = removeAt(n.keys, l)
		n.kids = removeAt(n.kids, l+1)
		return
	}
	total := len(a.kids) + len(b.kids)
	want := total / 2
	if len(a.kids) < want {
		m := want - len(a.kids) // children moving from b to a
		a.keys = append(a.keys, sep)
		a.keys = append(a.keys, b.keys[:m-1]...)
		a.kids = append(a.kids, b.kids[:m]...)
		n.keys[l] = b.keys[m-1]
		b.keys = shiftLeft(b.keys, m)
		b.kids = shiftLeft(b.kids, m)
	} else {
		// children a.kids[want:] move to the front of b.
		moved := a.kids[want:]
		mk := make([]string, 0, len(moved))
		mk = append(mk, a.keys[want:]...) // separators between moved kids, then sep
		mk = append(mk, sep)
		n.keys[l] = a.keys[want-1]
		b.keys = prepend(b.keys, mk)
		b.kids = prepend(b.kids, moved)
		clear(a.keys[want-1:])
		clear(a.kids[want:])
		a.keys = a.keys[:want-1]
		a.kids = a.kids[:want]
	}
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
