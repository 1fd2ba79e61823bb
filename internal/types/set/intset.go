package set

import (
	"encoding/binary"
	"math"
	"sort"
)

// intset is a sorted array of distinct integers stored in the narrowest of
// 2, 4 or 8 bytes per element that fits them all, little-endian, like
// Redis's intset. Small sets of small integers thus cost two bytes per
// member. The width only grows: removing the wide members keeps it, as in
// Redis (the size MEMORY USAGE reports depends on it).
type intset struct {
	width uint8  // bytes per element: 0 (never written), 2, 4 or 8
	data  []byte // len(data)/width elements, ascending
}

// widthFor is the narrowest element width that holds v.
func widthFor(v int64) uint8 {
	switch {
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 2
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 4
	}
	return 8
}

// w is the effective width (an empty intset starts at 2 bytes).
func (s *intset) w() int {
	if s.width == 0 {
		return 2
	}
	return int(s.width)
}

// Len returns the number of elements.
func (s *intset) Len() int { return len(s.data) / s.w() }

// get returns element i.
func (s *intset) get(i int) int64 {
	return getWidth(s.data, i, s.w())
}

func getWidth(b []byte, i, w int) int64 {
	switch w {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(b[i*2:])))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(b[i*4:])))
	}
	return int64(binary.LittleEndian.Uint64(b[i*8:]))
}

func putWidth(b []byte, i, w int, v int64) {
	switch w {
	case 2:
		binary.LittleEndian.PutUint16(b[i*2:], uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b[i*4:], uint32(v))
	default:
		binary.LittleEndian.PutUint64(b[i*8:], uint64(v))
	}
}

// search returns the index of v, or where it would be inserted and false.
func (s *intset) search(v int64) (int, bool) {
	n := s.Len()
	if n == 0 || widthFor(v) > uint8(s.w()) {
		// Wider than every element: it goes at one end.
		if v < 0 {
			return 0, false
		}
		return n, false
	}
	i := sort.Search(n, func(i int) bool { return s.get(i) >= v })
	return i, i < n && s.get(i) == v
}

// Has reports whether v is an element.
func (s *intset) Has(v int64) bool {
	_, ok := s.search(v)
	return ok
}

// grow makes room for one more element. Capacity grows by half while the
// set is small and by an eighth past 4 KiB: a big intset stays within 12%
// of Redis's exact-size allocation, and since every insertion moves the
// elements after it anyway, the extra copies cost little.
func (s *intset) grow(extra int) {
	need := len(s.data) + extra
	if need <= cap(s.data) {
		s.data = s.data[:need]
		return
	}
	c := need + need/2
	switch {
	case need < 64:
		c = need + 8
	case need >= 4096:
		c = need + need/8
	}
	nd := make([]byte, need, c)
	copy(nd, s.data)
	s.data = nd
}

// Add inserts v; it reports whether v was new.
func (s *intset) Add(v int64) bool {
	if wv := widthFor(v); wv > uint8(s.w()) {
		s.upgradeAndAdd(v, int(wv))
		return true
	}
	if s.width == 0 {
		s.width = 2
	}
	i, ok := s.search(v)
	if ok {
		return false
	}
	w := s.w()
	s.grow(w)
	copy(s.data[(i+1)*w:], s.data[i*w:len(s.data)-w])
	putWidth(s.data, i, w, v)
	return true
}

// upgradeAndAdd re-encodes every element at width nw and adds v, which
// needs that width and so is smaller or larger than all of them.
func (s *intset) upgradeAndAdd(v int64, nw int) {
	n, ow := s.Len(), s.w()
	nd := make([]byte, (n+1)*nw)
	off := 0
	if v < 0 {
		off = 1
		putWidth(nd, 0, nw, v)
	} else {
		putWidth(nd, n, nw, v)
	}
	for i := 0; i < n; i++ {
		putWidth(nd, i+off, nw, getWidth(s.data, i, ow))
	}
	s.data, s.width = nd, uint8(nw)
}

// Remove deletes v; it reports whether v was present.
func (s *intset) Remove(v int64) bool {
	i, ok := s.search(v)
	if !ok {
		return false
	}
	w := s.w()
	copy(s.data[i*w:], s.data[(i+1)*w:])
	s.data = s.data[:len(s.data)-w]
	if cap(s.data) > 64 && len(s.data) < cap(s.data)/4 {
		s.data = append([]byte(nil), s.data...)
	}
	return true
}

// removeAt deletes element i.
func (s *intset) removeAt(i int) {
	s.Remove(s.get(i))
}

// blobLen is the size of Redis's intset for these elements: an 8-byte
// header (encoding, length) and the packed elements.
func (s *intset) blobLen() int { return 8 + len(s.data) }

// blob returns the elements in Redis's intset layout (the form RDB files
// store): encoding and length as little-endian uint32, then the elements.
func (s *intset) blob() []byte {
	b := make([]byte, 8, 8+len(s.data))
	binary.LittleEndian.PutUint32(b, uint32(s.w()))
	binary.LittleEndian.PutUint32(b[4:], uint32(s.Len()))
	return append(b, s.data...)
}

// clone returns an independent copy with exact capacity.
func (s *intset) clone() intset {
	return intset{width: s.width, data: append([]byte(nil), s.data...)}
}
