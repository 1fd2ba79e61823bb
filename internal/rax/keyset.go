package rax

import "encoding/binary"

// keyset holds the keys of one node back to back in a single byte slice:
// key i is data[ends[i-1]:ends[i]] (from 0 for i == 0). Compared with one
// string per key this saves the 16-byte header and the separate allocation
// of every key, gives the GC two pointers per node to scan instead of one
// per key, and keeps a node's keys contiguous so a binary search inside a
// node touches a few adjacent cache lines rather than 6 random ones.
//
// Offsets are uint32: nodeBytesLimit keeps every node far below 4 GiB.
//
// Searches run mostly on heads: every key of the set starts with the same
// pl bytes, and heads[i] holds the 8 bytes of key i that follow them
// (zero-padded, big-endian), so most binary-search steps compare two
// integers from one small array instead of loading a key from the data.
// Equal heads fall back to comparing the keys. Ordering heads is safe: if
// head(a) < head(b) then a < b, since a zero pad only ever stands where a
// key has ended.
type keyset struct {
	data  []byte
	ends  []uint32
	heads []uint64
	pl    int
}

// headOf returns the head of key k for a set whose keys share pl bytes.
func headOf(k []byte, pl int) uint64 {
	k = k[pl:]
	if len(k) >= 8 {
		return binary.BigEndian.Uint64(k)
	}
	var b [8]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:])
}

// reprefix recomputes pl as the longest prefix of all keys (that of the
// first and the last, as they are sorted) and every head. Splits, merges
// and moves between siblings call it: O(keys), like the move itself.
func (s *keyset) reprefix() {
	n := len(s.ends)
	s.heads = s.heads[:0]
	s.pl = 0
	if n == 0 {
		return
	}
	first, last := s.at(0), s.at(n-1)
	for s.pl < len(first) && s.pl < len(last) && first[s.pl] == last[s.pl] {
		s.pl++
	}
	for i := 0; i < n; i++ {
		s.heads = append(s.heads, headOf(s.at(i), s.pl))
	}
}

// outside reports where key falls when it does not start with the set's
// common prefix: before all keys (-1), after all (1), or 0 when it does
// start with it and heads apply.
func (s *keyset) outside(key []byte) int {
	if s.pl == 0 {
		return 0
	}
	p := s.data[:s.pl] // key 0 starts at 0
	if len(key) >= s.pl && string(key[:s.pl]) == string(p) {
		return 0
	}
	if string(key) < string(p) {
		return -1
	}
	return 1
}

// nodeBytesLimit: a node whose keys take this many bytes counts as full, so
// it splits before growing further, whatever its number of keys; merges
// that would exceed it are not done. It only matters for huge keys (it is a
// variable so that tests can exercise it with small ones).
var nodeBytesLimit = 1 << 30

func (s *keyset) len() int { return len(s.ends) }

// start returns where key i begins; start(len()) is the end of the data.
func (s *keyset) start(i int) uint32 {
	if i == 0 {
		return 0
	}
	return s.ends[i-1]
}

// at returns key i. The slice aliases the node: callers must not keep or
// modify it.
func (s *keyset) at(i int) []byte {
	return s.data[s.start(i):s.ends[i]]
}

// lowerBound returns the index of the first key >= key and whether it is
// equal to key. The string conversions in comparisons do not allocate.
func (s *keyset) lowerBound(key []byte) (int, bool) {
	n := len(s.ends)
	switch s.outside(key) {
	case -1:
		return 0, false
	case 1:
		return n, false
	}
	kh := headOf(key, s.pl)
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		h := s.heads[m]
		if h < kh || h == kh && string(s.at(m)) < string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < n && s.heads[lo] == kh && string(s.at(lo)) == string(key)
}

// upperBound returns the number of keys <= key.
func (s *keyset) upperBound(key []byte) int {
	n := len(s.ends)
	switch s.outside(key) {
	case -1:
		return 0
	case 1:
		return n
	}
	kh := headOf(key, s.pl)
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		h := s.heads[m]
		if h < kh || h == kh && string(s.at(m)) <= string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// insert makes k key i. k must not alias s.
func (s *keyset) insert(i int, k []byte) {
	fits := s.outside(k) == 0
	st := s.start(i)
	l := uint32(len(k))
	old := len(s.data)
	if old+len(k) > cap(s.data) {
		// Grow by a quarter rather than append's doubling: nodes are
		// small, so the extra copies are cheap, and a node that stops
		// growing wastes less.
		d := make([]byte, old, old+old/4+len(k)+16)
		copy(d, s.data)
		s.data = d
	}
	s.data = append(s.data, k...) // grow by len(k)
	copy(s.data[st+l:], s.data[st:old])
	copy(s.data[st:], k)
	s.ends = append(s.ends, 0)
	copy(s.ends[i+1:], s.ends[i:])
	s.ends[i] = st
	for j := i; j < len(s.ends); j++ {
		s.ends[j] += l
	}
	if fits {
		s.heads = insertAt(s.heads, i, headOf(k, s.pl))
	} else {
		s.reprefix()
	}
}

// remove deletes key i.
func (s *keyset) remove(i int) {
	st, en := s.start(i), s.ends[i]
	l := en - st
	copy(s.data[st:], s.data[en:])
	s.data = s.data[:uint32(len(s.data))-l]
	copy(s.ends[i:], s.ends[i+1:])
	s.ends = s.ends[:len(s.ends)-1]
	for j := i; j < len(s.ends); j++ {
		s.ends[j] -= l
	}
	s.heads = removeAt(s.heads, i)
	if len(s.ends) == 0 {
		s.pl = 0
	}
}

// truncate keeps keys [0,m).
func (s *keyset) truncate(m int) {
	s.data = s.data[:s.start(m)]
	s.ends = s.ends[:m]
	s.reprefix()
}

// dropFront deletes keys [0,m).
func (s *keyset) dropFront(m int) {
	st := s.start(m)
	n := copy(s.data, s.data[st:])
	s.data = s.data[:n]
	n = copy(s.ends, s.ends[m:])
	s.ends = s.ends[:n]
	for j := range s.ends {
		s.ends[j] -= st
	}
	s.reprefix()
}

// appendRange appends keys [lo,hi) of src (another keyset).
func (s *keyset) appendRange(src *keyset, lo, hi int) {
	st, en := src.start(lo), src.start(hi)
	base := uint32(len(s.data))
	s.data = append(s.data, src.data[st:en]...)
	for j := lo; j < hi; j++ {
		s.ends = append(s.ends, src.ends[j]-st+base)
	}
	s.reprefix()
}

// prependRange inserts keys [lo,hi) of src (another keyset) before s's
// keys.
func (s *keyset) prependRange(src *keyset, lo, hi int) {
	st, en := src.start(lo), src.start(hi)
	l := en - st
	old := len(s.data)
	s.data = append(s.data, src.data[st:en]...) // grow by l
	copy(s.data[l:], s.data[:old])
	copy(s.data, src.data[st:en])
	cnt, oldN := hi-lo, len(s.ends)
	for j := 0; j < cnt; j++ {
		s.ends = append(s.ends, 0)
	}
	copy(s.ends[cnt:], s.ends[:oldN])
	for j := cnt; j < len(s.ends); j++ {
		s.ends[j] += l
	}
	for j := 0; j < cnt; j++ {
		s.ends[j] = src.ends[lo+j] - st
	}
	s.reprefix()
}

// clip reallocates the data to its exact size, for a node that is not
// expected to grow (the full left half of an appending split).
func (s *keyset) clip() {
	if cap(s.data) > len(s.data) {
		s.data = append(make([]byte, 0, len(s.data)), s.data...)
	}
}
