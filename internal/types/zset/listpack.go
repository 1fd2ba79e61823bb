package zset

import (
	"encoding/binary"
	"math"
)

// The listpack encoding keeps small sorted sets in one byte slice, ordered
// by (score, member) like Redis's listpack of member/score pairs. Each
// entry is:
//
//	uvarint member length | member bytes | 8-byte little-endian score bits
//
// Operations are linear scans, which is what Redis does too and is cheap
// for the sizes the zset-max-listpack-* limits allow.

// lpEntry decodes the entry at off: member, score and the next offset.
func lpEntry(lp []byte, off int) (member []byte, score float64, next int) {
	l, n := binary.Uvarint(lp[off:])
	off += n
	member = lp[off : off+int(l) : off+int(l)]
	off += int(l)
	score = math.Float64frombits(binary.LittleEndian.Uint64(lp[off:]))
	return member, score, off + 8
}

// lpFind returns the offset and score of member, or ok false.
func lpFind(lp []byte, member []byte) (off int, score float64, ok bool) {
	for off < len(lp) {
		m, s, next := lpEntry(lp, off)
		if string(m) == string(member) {
			return off, s, true
		}
		off = next
	}
	return 0, 0, false
}

// lpEntrySize is the encoded size of an entry with a member of n bytes.
func lpEntrySize(n int) int {
	var tmp [binary.MaxVarintLen64]byte
	return binary.PutUvarint(tmp[:], uint64(n)) + n + 8
}

// lpInsert inserts (member, score), which must be absent, at its ordered
// position. Redis stores listpack scores as text, through which -0 becomes
// 0; the same normalisation happens here.
func lpInsert(lp []byte, member []byte, score float64) []byte {
	if score == 0 {
		score = 0
	}
	off := 0
	for off < len(lp) {
		m, s, next := lpEntry(lp, off)
		if s > score || (s == score && string(m) > string(member)) {
			break
		}
		off = next
	}
	size := lpEntrySize(len(member))
	if cap(lp)-len(lp) < size {
		// Grow by a quarter so a series of inserts stays linear overall.
		nl := make([]byte, len(lp), len(lp)+size+len(lp)/4)
		copy(nl, lp)
		lp = nl
	}
	lp = lp[:len(lp)+size]
	copy(lp[off+size:], lp[off:len(lp)-size])
	w := off + binary.PutUvarint(lp[off:], uint64(len(member)))
	w += copy(lp[w:], member)
	binary.LittleEndian.PutUint64(lp[w:], math.Float64bits(score))
	return lp
}

// lpDelete removes the entry at off.
func lpDelete(lp []byte, off int) []byte {
	_, _, next := lpEntry(lp, off)
	n := copy(lp[off:], lp[next:])
	lp = lp[:off+n]
	if cap(lp) > 64 && len(lp) < cap(lp)/2 {
		lp = append([]byte(nil), lp...)
	}
	return lp
}

// lpOffsets returns the offset of every entry, in order.
func lpOffsets(lp []byte, n int) []int {
	offs := make([]int, 0, n)
	for off := 0; off < len(lp); {
		offs = append(offs, off)
		_, _, off = lpEntry(lp, off)
	}
	return offs
}

// lpSeek returns the offset of the entry of 0-based rank r.
func lpSeek(lp []byte, r int) int {
	off := 0
	for ; r > 0; r-- {
		_, _, off = lpEntry(lp, off)
	}
	return off
}
