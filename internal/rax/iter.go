package rax

import "errors"

// ErrBadOp is returned by Iterator.Seek for an operator it does not know;
// RedisModule_DictIteratorReseek reports it as REDISMODULE_ERR.
var ErrBadOp = errors.New("rax: invalid seek operator")

// Iterator walks a Tree in key order in both directions, like a raxIterator
// behind RedisModule_DictIterator.
//
// An iterator is always in one of three states:
//   - EOF: there is no current element. A new iterator starts here (as after
//     raxStart), a Seek that finds nothing leaves it here, and so does
//     stepping past either end. Next and Prev keep returning false until the
//     next Seek, exactly as in Redis, where walking off the end is final.
//   - just sought: Seek found an element; the first Next or Prev returns that
//     element itself.
//   - positioned on the element last returned: Next returns its successor,
//     Prev its predecessor.
//
// Changing the tree does not invalidate an iterator (Redis requires a
// reseek after a change). The iterator remembers its current key and, when
// it notices that elements were added or removed, finds its place again by
// key: Next then returns the smallest key greater than the last one returned
// (or >= the sought element, if nothing was returned since Seek) and Prev the
// largest key below it. Overwriting a value is seen by the iterator without
// any reseek. Without changes, stepping costs no search at all.
type Iterator[V any] struct {
	t    *Tree[V]
	leaf *node[V] // current position: key idx of leaf, valid while gen matches
	idx  int
	gen  uint64
	cur  []byte // copy of the current key
	eof  bool
	// sought: the position came from Seek and has not been returned yet.
	sought bool
	out    []byte // what Next and Prev return, so callers cannot alter cur
}

// Iterator returns an iterator over t in the EOF state (raxStart); call Seek
// to position it.
func (t *Tree[V]) Iterator() *Iterator[V] {
	return &Iterator[V]{t: t, eof: true}
}

// opByte returns op[i], or 0 past the end, as reading a NUL-terminated C
// operator string would.
func opByte(op string, i int) byte {
	if i < len(op) {
		return op[i]
	}
	return 0
}

// Seek positions the iterator (raxSeek). Operators, decided like Redis by the
// first one or two bytes only:
//
//	"^"   first element; key is ignored
//	"$"   last element; key is ignored
//	"=="  the element equal to key (any op starting with '=' works)
//	">="  smallest element >= key
//	">"   smallest element > key (any op starting with '>' but not ">=")
//	"<="  greatest element <= key
//	"<"   greatest element < key
//
// If no element qualifies, or the tree is empty, the iterator is at EOF and
// Seek still returns nil. Any other operator returns ErrBadOp and leaves the
// iterator at EOF. (Redis's raxSeek leaves a half-reset iterator there whose
// next step yields an empty key with a NULL value; EOF is the sane
// rendition of "no element".)
func (it *Iterator[V]) Seek(op string, key []byte) error {
	it.eof, it.sought, it.leaf, it.cur = true, false, nil, it.cur[:0]
	c0, c1 := opByte(op, 0), opByte(op, 1)
	switch c0 {
	case '>', '<', '=', '^', '$':
	default:
		return ErrBadOp
	}
	t := it.t
	it.gen = t.gen
	if t.n == 0 {
		return nil
	}
	var leaf *node[V]
	var idx int
	switch c0 {
	case '^':
		leaf, idx = t.first()
	case '$':
		leaf, idx = t.last()
	case '=':
		leaf, idx = t.lowerBound(key)
		if leaf != nil && string(leaf.keys.at(idx)) != string(key) {
			leaf = nil
		}
	case '>':
		if c1 == '=' {
			leaf, idx = t.lowerBound(key)
		} else {
			leaf, idx = t.upperBound(key)
		}
	case '<':
		if c1 == '=' {
			leaf, idx = t.upperBound(key)
		} else {
			leaf, idx = t.lowerBound(key)
		}
		leaf, idx = t.before(leaf, idx)
	}
	if leaf != nil {
		it.set(leaf, idx)
		it.sought = true
	}
	return nil
}

// set makes leaf.keys[idx] the current element.
func (it *Iterator[V]) set(leaf *node[V], idx int) {
	it.leaf, it.idx, it.eof = leaf, idx, false
	it.cur = append(it.cur[:0], leaf.keys.at(idx)...)
}

// Next moves to the following element and returns it (raxNext). ok is false
// at EOF. key is valid until the iterator's next Seek, Next or Prev.
func (it *Iterator[V]) Next() (key []byte, val V, ok bool) {
	return it.step(true)
}

// Prev moves to the preceding element and returns it (raxPrev), like Next.
func (it *Iterator[V]) Prev() (key []byte, val V, ok bool) {
	return it.step(false)
}

func (it *Iterator[V]) step(forward bool) (key []byte, val V, ok bool) {
	if it.eof {
		return nil, val, false
	}
	t := it.t
	var leaf *node[V]
	var idx int
	switch {
	case it.gen != t.gen:
		// The tree changed: find our place again by key.
		it.gen = t.gen
		cur := it.cur
		if forward {
			if it.sought {
				leaf, idx = t.lowerBound(cur)
			} else {
				leaf, idx = t.upperBound(cur)
			}
		} else {
			if it.sought {
				leaf, idx = t.upperBound(cur)
			} else {
				leaf, idx = t.lowerBound(cur)
			}
			leaf, idx = t.before(leaf, idx)
		}
	case it.sought:
		leaf, idx = it.leaf, it.idx
	case forward:
		leaf, idx = it.leaf, it.idx+1
		if idx == leaf.keys.len() {
			leaf, idx = leaf.next, 0
		}
	default:
		leaf, idx = t.before(it.leaf, it.idx)
	}
	it.sought = false
	if leaf == nil {
		it.eof, it.leaf, it.cur = true, nil, it.cur[:0]
		return nil, val, false
	}
	it.set(leaf, idx)
	it.out = append(it.out[:0], it.cur...)
	return it.out, leaf.vals[idx], true
}

// EOF reports whether the iterator has no current element (raxEOF).
func (it *Iterator[V]) EOF() bool { return it.eof }

// Compare compares the current element with key (raxCompare,
// RedisModule_DictCompare): op is one of ">", ">=", "<", "<=", "==" and the
// result says whether "current op key" holds. At EOF (no current element)
// it returns false. The current element is the one last returned by Next or
// Prev, or the one Seek found if no step was taken since.
//
// The operator is decoded the way Redis does, from its first two bytes: a
// leading '>' or '<' decides the direction whatever follows unless it is
// '=', and an operator starting with neither must have '=' as its second
// byte to mean equality ("==", but also e.g. "!="), anything else is false.
func (it *Iterator[V]) Compare(op string, key []byte) bool {
	if it.eof {
		return false
	}
	c0, c1 := opByte(op, 0), opByte(op, 1)
	eq := c0 == '=' || c1 == '='
	gt, lt := c0 == '>', c0 == '<'
	if !gt && !lt && c1 != '=' {
		return false
	}
	cur := it.cur
	m := min(len(cur), len(key))
	var cmp int
	switch {
	case string(cur[:m]) < string(key[:m]):
		cmp = -1
	case string(cur[:m]) > string(key[:m]):
		cmp = 1
	}
	if !gt && !lt {
		return cmp == 0 && len(cur) == len(key)
	}
	switch {
	case cmp > 0:
		return gt
	case cmp < 0:
		return lt
	case eq && len(cur) == len(key):
		return true
	case lt:
		return len(cur) < len(key)
	default:
		return len(cur) > len(key)
	}
}

// first returns the position of the smallest element (the tree is not
// empty).
func (t *Tree[V]) first() (*node[V], int) {
	n := t.root
	for !n.leaf() {
		n = n.kids[0]
	}
	return n, 0
}

// last returns the position of the greatest element (the tree is not
// empty).
func (t *Tree[V]) last() (*node[V], int) {
	n := t.root
	for !n.leaf() {
		n = n.kids[len(n.kids)-1]
	}
	return n, n.keys.len() - 1
}

// lowerBound returns the position of the smallest element >= key, or nil.
func (t *Tree[V]) lowerBound(key []byte) (*node[V], int) {
	n := t.findLeaf(key)
	i, _ := n.keys.lowerBound(key)
	return after(n, i)
}

// upperBound returns the position of the smallest element > key, or nil.
func (t *Tree[V]) upperBound(key []byte) (*node[V], int) {
	n := t.findLeaf(key)
	i, found := n.keys.lowerBound(key)
	if found {
		i++
	}
	return after(n, i)
}

// after normalises a position that may sit just past the end of its leaf.
func after[V any](n *node[V], i int) (*node[V], int) {
	if i < n.keys.len() {
		return n, i
	}
	if n.next == nil {
		return nil, 0
	}
	return n.next, 0
}

// before returns the position preceding (n, i), where n == nil stands for
// "past the last element".
func (t *Tree[V]) before(n *node[V], i int) (*node[V], int) {
	if n == nil {
		if t.n == 0 {
			return nil, 0
		}
		return t.last()
	}
	if i > 0 {
		return n, i - 1
	}
	if n.prev == nil {
		return nil, 0
	}
	return n.prev, n.prev.keys.len() - 1
}
