package set

import (
	"encoding/binary"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// Constructors for the RDB loader.

// FromIntsetBlob builds an intset-encoded set from Redis's intset layout
// (encoding and length as little-endian uint32, then the elements),
// keeping its element width. ok is false when the blob is malformed: a
// width other than 2, 4 or 8, a size that does not match the length, no
// elements, or elements not strictly ascending.
func FromIntsetBlob(b []byte) (s *Set, ok bool) {
	if len(b) < 8 {
		return nil, false
	}
	w := binary.LittleEndian.Uint32(b)
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if w != 2 && w != 4 && w != 8 {
		return nil, false
	}
	if n == 0 || uint64(len(b)-8) != n*uint64(w) {
		return nil, false
	}
	data := append([]byte(nil), b[8:]...)
	for i := 1; i < int(n); i++ {
		if getWidth(data, i-1, int(w)) >= getWidth(data, i, int(w)) {
			return nil, false
		}
	}
	return &Set{ints: intset{width: uint8(w), data: data}}, true
}

// NewTable returns an empty hashtable-encoded set sized for n members, as
// Redis creates a set it loads with more members than
// set-max-intset-entries.
func NewTable(n int) *Set {
	d := dict.New[struct{}]()
	if n > 4 {
		d.Expand(n)
	}
	return &Set{ht: d}
}

// ConvertToTable switches an intset to a hashtable presized for n members
// (Redis's setTypeConvert followed by dictExpand while loading).
func (s *Set) ConvertToTable(n int) {
	if s.ht != nil {
		return
	}
	s.convert()
	if n > s.ht.Len() {
		s.ht.Expand(n)
	}
}

// AddLoaded inserts a member of a set being loaded: into the intset while
// it is one and member is an integer, else (converting once) into the
// table. It reports false for a duplicate.
func (s *Set) AddLoaded(member []byte, sizeHint int) bool {
	if s.ht == nil {
		if v, ok := keyspace.ParseCanonicalInt(member); ok {
			return s.ints.Add(v)
		}
		s.ConvertToTable(sizeHint)
	}
	if _, added := s.ht.Add(member, struct{}{}); !added {
		return false
	}
	s.htBytes += nodeCost(len(member))
	return true
}
