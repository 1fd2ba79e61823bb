// Package dict is the hash table behind the keyspace: chained buckets in
// power-of-two tables, incremental rehashing spread over operations (like
// Redis's dict.c, so growing a big table never stalls the server), and a
// reverse-binary SCAN cursor that returns every element present for the whole
// scan at least once, even while the table grows or shrinks.
package dict

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"unsafe"
)

var seed = maphash.MakeSeed()

// Hash is the hash function of every Dict in the process.
func Hash(key []byte) uint64 { return maphash.Bytes(seed, key) }

// HashString is Hash for a string key.
func HashString(key string) uint64 { return maphash.String(seed, key) }

// Node is one element. Key is immutable once inserted; Val belongs to the
// caller and may be changed in place. A short Key shares the node's
// allocation: holding on to the string keeps the node (and what Val points
// to) alive, so code that keeps keys for long should strings.Clone them.
type Node[V any] struct {
	next *Node[V]
	// Val before Key: a zero-size V (sets) as the last field would be
	// padded, making every node 8 bytes larger.
	Val V
	Key string
}

type table[V any] struct {
	buckets []*Node[V]
	mask    uint64
	used    int
}

// Dict maps string keys to values of type V.
type Dict[V any] struct {
	t           [2]table[V]
	rehashIdx   int // -1 when not rehashing; else next bucket of t[0] to move
	pauseRehash int // >0 while a safe iterator or scan runs
	// NoResize disables growing past the 1:1 load factor (Redis sets this
	// while a child process exists; kept for snapshot support).
	NoResize bool
	frozen   int // >0 while a snapshot walks the table (freeze.go)
}

const initialSize = 4

// New returns an empty Dict.
func New[V any]() *Dict[V] { return &Dict[V]{rehashIdx: -1} }

// Len returns the number of elements.
func (d *Dict[V]) Len() int { return d.t[0].used + d.t[1].used }

// Buckets returns the total number of buckets (for INFO/DEBUG HTSTATS).
func (d *Dict[V]) Buckets() int { return len(d.t[0].buckets) + len(d.t[1].buckets) }

// IsRehashing reports whether an incremental rehash is in progress.
func (d *Dict[V]) IsRehashing() bool { return d.rehashIdx >= 0 }

// rehash moves up to n buckets from t[0] to t[1]. It visits at most 10*n
// empty buckets so one call stays short. Returns true if more work remains.
func (d *Dict[V]) rehash(n int) bool {
	if d.rehashIdx < 0 {
		return false
	}
	empty := n * 10
	t0, t1 := &d.t[0], &d.t[1]
	for ; n > 0 && t0.used > 0; n-- {
		for t0.buckets[d.rehashIdx] == nil {
			d.rehashIdx++
			empty--
			if empty == 0 {
				return true
			}
		}
		e := t0.buckets[d.rehashIdx]
		for e != nil {
			next := e.next
			h := HashString(e.Key) & t1.mask
			e.next = t1.buckets[h]
			t1.buckets[h] = e
			t0.used--
			t1.used++
			e = next
		}
		t0.buckets[d.rehashIdx] = nil
		d.rehashIdx++
	}
	if t0.used == 0 {
		d.t[0] = d.t[1]
		d.t[1] = table[V]{}
		d.rehashIdx = -1
		return false
	}
	return true
}

// RehashStep performs a small amount of rehashing unless paused. The
// keyspace also calls RehashFor from the server cron, as Redis does.
func (d *Dict[V]) rehashStep() {
	if d.pauseRehash == 0 {
		d.rehash(1)
	}
}

// RehashBuckets rehashes up to n buckets; it reports whether work remains.
func (d *Dict[V]) RehashBuckets(n int) bool {
	if d.pauseRehash > 0 {
		return d.rehashIdx >= 0
	}
	return d.rehash(n)
}

func (d *Dict[V]) expandIfNeeded() {
	if d.rehashIdx >= 0 {
		return
	}
	t0 := &d.t[0]
	if len(t0.buckets) == 0 {
		d.t[0] = newTable[V](initialSize)
		return
	}
	if d.frozen > 0 {
		return
	}
	if t0.used >= len(t0.buckets) && (!d.NoResize || t0.used/len(t0.buckets) > 5) {
		d.resize(t0.used + 1)
	}
}

func newTable[V any](size int) table[V] {
	return table[V]{buckets: make([]*Node[V], size), mask: uint64(size - 1)}
}

func nextPow2(n int) int {
	if n <= initialSize {
		return initialSize
	}
	return 1 << bits.Len(uint(n-1))
}

func (d *Dict[V]) resize(minSize int) {
	size := nextPow2(minSize)
	if size == len(d.t[0].buckets) || d.rehashIdx >= 0 || d.frozen > 0 && len(d.t[0].buckets) > 0 {
		return
	}
	if len(d.t[0].buckets) == 0 {
		d.t[0] = newTable[V](size)
		return
	}
	d.t[1] = newTable[V](size)
	d.rehashIdx = 0
}

// Expand sizes the table for n elements, starting a rehash if it has
// elements already (Redis's dictExpand); it does nothing while rehashing.
func (d *Dict[V]) Expand(n int) { d.resize(n) }

// ShrinkIfNeeded starts shrinking the table when it is less than 10% full,
// as Redis's htNeedsResize/dictResize do from the cron.
func (d *Dict[V]) ShrinkIfNeeded() {
	if d.rehashIdx >= 0 || d.NoResize || d.frozen > 0 {
		return
	}
	size, used := len(d.t[0].buckets), d.t[0].used
	if size > initialSize && used*100/size < 10 {
		d.resize(used)
	}
}

func (d *Dict[V]) find(key []byte, h uint64) *Node[V] {
	for i := 0; i < 2; i++ {
		t := &d.t[i]
		if len(t.buckets) == 0 {
			break
		}
		for e := t.buckets[h&t.mask]; e != nil; e = e.next {
			if e.Key == string(key) {
				return e
			}
		}
		if d.rehashIdx < 0 {
			break
		}
	}
	return nil
}

// Find returns the node for key, or nil.
func (d *Dict[V]) Find(key []byte) *Node[V] {
	if d.Len() == 0 {
		return nil
	}
	if d.rehashIdx >= 0 {
		d.rehashStep()
	}
	return d.find(key, Hash(key))
}

// FindString is Find for a string key.
func (d *Dict[V]) FindString(key string) *Node[V] {
	if d.Len() == 0 {
		return nil
	}
	if d.rehashIdx >= 0 {
		d.rehashStep()
	}
	return d.find([]byte(key), HashString(key))
}

// Insert adds key, which must not be present, and returns its node. The key
// is copied; short keys are stored in the node's own allocation (see
// newNode).
func (d *Dict[V]) Insert(key []byte, val V) *Node[V] {
	return d.link(newNode(key, val))
}

// InsertString adds key, which must not be present, and returns its node.
// The string is kept as is (strings are immutable; other dicts may share it).
func (d *Dict[V]) InsertString(key string, val V) *Node[V] {
	return d.link(&Node[V]{Key: key, Val: val})
}

// Nodes with the key's bytes right behind them, so a short key costs no
// allocation of its own and comparing it touches the node's cache lines
// rather than another random address. Node.Key points into the buffer.
type (
	nodeKey8[V any] struct {
		n Node[V]
		b [8]byte
	}
	nodeKey24[V any] struct {
		n Node[V]
		b [24]byte
	}
	nodeKey40[V any] struct {
		n Node[V]
		b [40]byte
	}
)

// newNode allocates a node holding a copy of key.
func newNode[V any](key []byte, val V) *Node[V] {
	var n *Node[V]
	var b []byte
	switch l := len(key); {
	case l == 0:
		return &Node[V]{Val: val}
	case l <= 8:
		x := &nodeKey8[V]{}
		n, b = &x.n, x.b[:l]
	case l <= 24:
		x := &nodeKey24[V]{}
		n, b = &x.n, x.b[:l]
	case l <= 40:
		x := &nodeKey40[V]{}
		n, b = &x.n, x.b[:l]
	default:
		return &Node[V]{Key: string(key), Val: val}
	}
	copy(b, key)
	n.Key = unsafe.String(&b[0], len(b))
	n.Val = val
	return n
}

func (d *Dict[V]) link(n *Node[V]) *Node[V] {
	if d.rehashIdx >= 0 {
		d.rehashStep()
	}
	d.expandIfNeeded()
	t := &d.t[0]
	if d.rehashIdx >= 0 {
		t = &d.t[1]
	}
	key := n.Key
	h := HashString(key) & t.mask
	n.next = t.buckets[h]
	t.buckets[h] = n
	t.used++
	return n
}

// Delete removes key and returns its node, or nil if absent.
func (d *Dict[V]) Delete(key []byte) *Node[V] {
	return d.delete(key, Hash(key))
}

// DeleteString is Delete for a string key.
func (d *Dict[V]) DeleteString(key string) *Node[V] {
	return d.delete([]byte(key), HashString(key))
}

func (d *Dict[V]) delete(key []byte, h uint64) *Node[V] {
	if d.Len() == 0 {
		return nil
	}
	if d.rehashIdx >= 0 {
		d.rehashStep()
	}
	for i := 0; i < 2; i++ {
		t := &d.t[i]
		if len(t.buckets) == 0 {
			break
		}
		idx := h & t.mask
		var prev *Node[V]
		for e := t.buckets[idx]; e != nil; e = e.next {
			if e.Key == string(key) {
				if prev == nil {
					t.buckets[idx] = e.next
				} else {
					prev.next = e.next
				}
				e.next = nil
				t.used--
				return e
			}
			prev = e
		}
		if d.rehashIdx < 0 {
			break
		}
	}
	return nil
}

// Clear removes everything.
func (d *Dict[V]) Clear() {
	d.t[0] = table[V]{}
	d.t[1] = table[V]{}
	d.rehashIdx = -1
}

// Random returns a random node, or nil when empty. Like dictGetFairRandomKey
// it is fair enough for eviction and RANDOMKEY.
func (d *Dict[V]) Random() *Node[V] {
	if d.Len() == 0 {
		return nil
	}
	if d.rehashIdx >= 0 {
		d.rehashStep()
	}
	return d.pick()
}

// pick returns a random node of a non-empty dict without rehashing.
func (d *Dict[V]) pick() *Node[V] {
	if d.Len() == 0 {
		return nil
	}
	for {
		var e *Node[V]
		if d.rehashIdx >= 0 {
			s0 := len(d.t[0].buckets)
			total := s0 + len(d.t[1].buckets)
			// Buckets of t[0] below rehashIdx are empty.
			i := d.rehashIdx + rand.IntN(total-d.rehashIdx)
			if i >= s0 {
				e = d.t[1].buckets[i-s0]
			} else {
				e = d.t[0].buckets[i]
			}
		} else {
			e = d.t[0].buckets[rand.Uint64()&d.t[0].mask]
		}
		if e == nil {
			continue
		}
		n := 0
		for x := e; x != nil; x = x.next {
			n++
		}
		k := rand.IntN(n)
		for ; k > 0; k-- {
			e = e.next
		}
		return e
	}
}

// FairRandom is Random as Redis's dictGetFairRandomKey does it: it first
// rehashes up to min(15, Len) buckets, like the sampling that function
// starts with, so a table's rehash progress after random picks (which
// MEMORY USAGE shows through the bucket count) follows Redis's.
func (d *Dict[V]) FairRandom() *Node[V] {
	for i := min(15, d.Len()); i > 0 && d.rehashIdx >= 0 && d.pauseRehash == 0; i-- {
		d.rehash(1)
	}
	return d.pick()
}

// Sample calls fn with up to count nodes taken from consecutive buckets
// starting at a random one (dictGetSomeKeys): cheap, not uniform, as the
// eviction and active-expire samplers need. fn returning false stops early.
func (d *Dict[V]) Sample(count int, fn func(*Node[V]) bool) {
	if d.Len() == 0 || count <= 0 {
		return
	}
	if count > d.Len() {
		count = d.Len()
	}
	for i := 0; i < count && d.rehashIdx >= 0; i++ {
		d.rehashStep()
	}
	// Like dictGetSomeKeys, bounded work; the floor keeps tiny samples from
	// coming back empty from a sparse run of buckets.
	maxSteps := max(count*10, 100)
	tables := 1
	if d.rehashIdx >= 0 {
		tables = 2
	}
	maxMask := d.t[0].mask
	if tables == 2 && d.t[1].mask > maxMask {
		maxMask = d.t[1].mask
	}
	i := rand.Uint64() & maxMask
	got := 0
	emptyRun := 0
	for got < count && maxSteps > 0 {
		maxSteps--
		for j := 0; j < tables; j++ {
			t := &d.t[j]
			if j == 0 && d.rehashIdx >= 0 && i < uint64(d.rehashIdx) {
				continue
			}
			if i > t.mask {
				continue
			}
			e := t.buckets[i]
			if e == nil {
				emptyRun++
				if emptyRun >= 5 && emptyRun > count {
					i = rand.Uint64() & maxMask
					emptyRun = 0
				}
				continue
			}
			emptyRun = 0
			for ; e != nil; e = e.next {
				if !fn(e) {
					return
				}
				got++
				if got >= count {
					return
				}
			}
		}
		i = (i + 1) & maxMask
	}
}

// Scan visits every node of the bucket(s) addressed by cursor and returns
// the next cursor (0 when the iteration is complete). The cursor advances by
// incrementing its reversed bits, so an element present for the whole scan
// is returned at least once even if the table is resized in between calls.
// fn must not insert or delete.
func (d *Dict[V]) Scan(cursor uint64, fn func(*Node[V])) uint64 {
	if d.Len() == 0 {
		return 0
	}
	d.pauseRehash++
	defer func() { d.pauseRehash-- }()
	if d.rehashIdx < 0 {
		t := &d.t[0]
		for e := t.buckets[cursor&t.mask]; e != nil; e = e.next {
			fn(e)
		}
		return nextCursor(cursor, t.mask)
	}
	small, large := &d.t[0], &d.t[1]
	if len(small.buckets) > len(large.buckets) {
		small, large = large, small
	}
	for e := small.buckets[cursor&small.mask]; e != nil; e = e.next {
		fn(e)
	}
	// Visit every bucket of the larger table that expands the small one.
	for {
		for e := large.buckets[cursor&large.mask]; e != nil; e = e.next {
			fn(e)
		}
		cursor = nextCursor(cursor, large.mask)
		if cursor&(small.mask^large.mask) == 0 {
			break
		}
	}
	return cursor
}

func nextCursor(v, mask uint64) uint64 {
	v |= ^mask
	v = bits.Reverse64(v)
	v++
	return bits.Reverse64(v)
}

// Each calls fn for every node; fn must not modify the dict. Rehashing is
// paused meanwhile.
func (d *Dict[V]) Each(fn func(*Node[V]) bool) {
	d.pauseRehash++
	defer func() { d.pauseRehash-- }()
	for i := 0; i < 2; i++ {
		for _, e := range d.t[i].buckets {
			for e != nil {
				next := e.next
				if !fn(e) {
					return
				}
				e = next
			}
		}
	}
}

// Add inserts key unless present, as Redis's dictAddRaw: one rehash step,
// the growth check (done even when the key exists), then the lookup. It
// returns the node and whether it was added; val is stored only then.
func (d *Dict[V]) Add(key []byte, val V) (*Node[V], bool) {
	if d.rehashIdx >= 0 {
		d.rehashStep()
	}
	d.expandIfNeeded()
	h := Hash(key)
	if n := d.find(key, h); n != nil {
		return n, false
	}
	n := newNode(key, val)
	t := &d.t[0]
	if d.rehashIdx >= 0 {
		t = &d.t[1]
	}
	i := h & t.mask
	n.next = t.buckets[i]
	t.buckets[i] = n
	t.used++
	return n, true
}

// NodeBytes returns the sizes (before rounding to a size class) of the
// allocations Insert and Add make for a key of keyLen bytes: the node, and
// the key's own allocation when it does not fit in the node (else 0).
func NodeBytes[V any](keyLen int) (node, key int) {
	switch {
	case keyLen == 0:
		return int(unsafe.Sizeof(Node[V]{})), 0
	case keyLen <= 8:
		return int(unsafe.Sizeof(nodeKey8[V]{})), 0
	case keyLen <= 24:
		return int(unsafe.Sizeof(nodeKey24[V]{})), 0
	case keyLen <= 40:
		return int(unsafe.Sizeof(nodeKey40[V]{})), 0
	}
	return int(unsafe.Sizeof(Node[V]{})), keyLen
}
