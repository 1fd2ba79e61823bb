// Package set is the SET data type: an intset (sorted packed integers)
// while every member is a canonical 64-bit integer and there are at most
// set-max-intset-entries of them, else a hash table (internal/dict), with
// the conversion rules of Redis 7.0 (which has no listpack sets). Nothing
// here knows about clients or the keyspace.
package set

import (
	"math/rand/v2"
	"strconv"
	"unsafe"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// Set is one set value. The zero value is an empty intset.
type Set struct {
	ints    intset
	ht      *dict.Dict[struct{}] // non-nil once converted
	htBytes int64                // heap bytes of the table's nodes and keys
}

// New returns an empty intset-encoded set (Redis's createIntsetObject).
func New() *Set { return &Set{ints: intset{width: 2}} }

// NewFor returns the empty set Redis creates to hold first as its first
// member (setTypeCreate): an intset when first is an integer, else a hash
// table.
func NewFor(first []byte) *Set {
	if _, ok := keyspace.ParseCanonicalInt(first); ok {
		return New()
	}
	return &Set{ht: dict.New[struct{}]()}
}

// IsIntset reports whether the set is intset-encoded.
func (s *Set) IsIntset() bool { return s.ht == nil }

// Encoding is the encoding OBJECT ENCODING reports.
func (s *Set) Encoding() keyspace.Encoding {
	if s.ht == nil {
		return keyspace.EncIntset
	}
	return keyspace.EncHashtable
}

// Len returns the number of members.
func (s *Set) Len() int {
	if s.ht == nil {
		return s.ints.Len()
	}
	return s.ht.Len()
}

// Table returns the hash table of a hashtable-encoded set (nil for an
// intset), for statistics. Callers must not modify it.
func (s *Set) Table() *dict.Dict[struct{}] { return s.ht }

// nodeCost is the heap cost of a table node holding a key of n bytes.
func nodeCost(n int) int64 {
	node, key := dict.NodeBytes[struct{}](n)
	return keyspace.AllocSize(int64(node)) + keyspace.AllocSize(int64(key))
}

// convert moves an intset's members into a hash table presized for them
// (Redis's setTypeConvert).
func (s *Set) convert() {
	d := dict.New[struct{}]()
	d.Expand(s.ints.Len())
	var buf [24]byte
	for i, n := 0, s.ints.Len(); i < n; i++ {
		b := strconv.AppendInt(buf[:0], s.ints.get(i), 10)
		d.Add(b, struct{}{})
		s.htBytes += nodeCost(len(b))
	}
	s.ht, s.ints = d, intset{}
}

// Add inserts member; it reports whether it was new. maxIntset is
// set-max-intset-entries: an intset growing past it, or receiving a
// member that is not an integer, becomes a hash table for good.
func (s *Set) Add(member []byte, maxIntset int64) bool {
	if s.ht == nil {
		if v, ok := keyspace.ParseCanonicalInt(member); ok {
			if !s.ints.Add(v) {
				return false
			}
			if int64(s.ints.Len()) > maxIntset {
				s.convert()
			}
			return true
		}
		s.convert()
	}
	if _, added := s.ht.Add(member, struct{}{}); !added {
		return false
	}
	s.htBytes += nodeCost(len(member))
	return true
}

// AddInt is Add for an integer member.
func (s *Set) AddInt(v int64, maxIntset int64) bool {
	if s.ht == nil {
		if !s.ints.Add(v) {
			return false
		}
		if int64(s.ints.Len()) > maxIntset {
			s.convert()
		}
		return true
	}
	var buf [24]byte
	return s.Add(strconv.AppendInt(buf[:0], v, 10), maxIntset)
}

// Remove deletes member; it reports whether it was present. A hash table
// that becomes less than 10% full is shrunk, as Redis does on removal.
func (s *Set) Remove(member []byte) bool {
	if s.ht == nil {
		v, ok := keyspace.ParseCanonicalInt(member)
		return ok && s.ints.Remove(v)
	}
	if s.ht.Delete(member) == nil {
		return false
	}
	s.htBytes -= nodeCost(len(member))
	s.ht.ShrinkIfNeeded()
	return true
}

// Has reports whether member is in the set.
func (s *Set) Has(member []byte) bool {
	if s.ht == nil {
		v, ok := keyspace.ParseCanonicalInt(member)
		return ok && s.ints.Has(v)
	}
	return s.ht.Find(member) != nil
}

// HasInt is Has for an integer member.
func (s *Set) HasInt(v int64) bool {
	if s.ht == nil {
		return s.ints.Has(v)
	}
	var buf [24]byte
	return s.ht.Find(strconv.AppendInt(buf[:0], v, 10)) != nil
}

// Member is one element handed out by iteration or random picks: an
// integer (IsInt, from an intset) or a string.
type Member struct {
	Str   string
	Int   int64
	IsInt bool
}

// Append appends the member's string form to dst.
func (m Member) Append(dst []byte) []byte {
	if m.IsInt {
		return strconv.AppendInt(dst, m.Int, 10)
	}
	return append(dst, m.Str...)
}

// Bytes returns the member's string form. For a string member it aliases
// the set's storage: valid until the member is removed.
func (m Member) Bytes() []byte {
	if m.IsInt {
		return strconv.AppendInt(nil, m.Int, 10)
	}
	return unsafe.Slice(unsafe.StringData(m.Str), len(m.Str))
}

// Each calls fn for every member (intsets in ascending order) until fn
// returns false. fn must not modify the set.
func (s *Set) Each(fn func(m Member) bool) {
	if s.ht == nil {
		for i, n := 0, s.ints.Len(); i < n; i++ {
			if !fn(Member{Int: s.ints.get(i), IsInt: true}) {
				return
			}
		}
		return
	}
	s.ht.Each(func(n *dict.Node[struct{}]) bool { return fn(Member{Str: n.Key}) })
}

// Random returns a random member; the set must not be empty.
func (s *Set) Random() Member {
	if s.ht == nil {
		return Member{Int: s.ints.get(rand.IntN(s.ints.Len())), IsInt: true}
	}
	return Member{Str: s.ht.FairRandom().Key}
}

// RemoveMember removes a member obtained from Random or Each.
func (s *Set) RemoveMember(m Member) bool {
	if m.IsInt && s.ht == nil {
		return s.ints.Remove(m.Int)
	}
	if m.IsInt {
		var buf [24]byte
		return s.Remove(strconv.AppendInt(buf[:0], m.Int, 10))
	}
	// The key string belongs to the node being removed: copy it first.
	return s.Remove([]byte(m.Str))
}

// Scan visits the members of the bucket(s) at cursor of a hashtable set
// and returns the next cursor (see dict.Scan). For an intset it visits
// everything and returns 0, as Redis does for compact encodings.
func (s *Set) Scan(cursor uint64, fn func(m Member)) uint64 {
	if s.ht == nil {
		s.Each(func(m Member) bool { fn(m); return true })
		return 0
	}
	return s.ht.Scan(cursor, func(n *dict.Node[struct{}]) { fn(Member{Str: n.Key}) })
}

// Dup returns an independent copy (Redis's setTypeDup: a hash table copy
// is presized for all the members).
func (s *Set) Dup() *Set {
	if s.ht == nil {
		return &Set{ints: s.ints.clone()}
	}
	d := &Set{ht: dict.New[struct{}]()}
	d.ht.Expand(s.ht.Len())
	s.ht.Each(func(n *dict.Node[struct{}]) bool {
		d.ht.Add(unsafe.Slice(unsafe.StringData(n.Key), len(n.Key)), struct{}{})
		d.htBytes += nodeCost(len(n.Key))
		return true
	})
	return d
}

// IntsetBlobLen is the size of Redis's intset structure for this set's
// members (MEMORY USAGE); only meaningful for an intset.
func (s *Set) IntsetBlobLen() int { return s.ints.blobLen() }

// IntsetBlob returns the members in Redis's serialized intset layout.
func (s *Set) IntsetBlob() []byte { return s.ints.blob() }

// setStructSize is the Set header plus, for a table, the Dict header.
var (
	setStructSize  = int64(unsafe.Sizeof(Set{}))
	dictStructSize = int64(unsafe.Sizeof(dict.Dict[struct{}]{}))
)

// MemBytes estimates the heap bytes the set holds, cheaply (running
// totals, no walk).
func (s *Set) MemBytes() int64 {
	n := keyspace.AllocSize(setStructSize)
	if s.ht == nil {
		return n + keyspace.AllocSize(int64(cap(s.ints.data)))
	}
	return n + keyspace.AllocSize(dictStructSize) + s.htBytes +
		int64(s.ht.Buckets())*int64(unsafe.Sizeof(uintptr(0)))
}
