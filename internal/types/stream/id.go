// Package stream is the Redis 7.0 STREAM value: entries keyed by 128-bit
// IDs (milliseconds and sequence) kept in a rax of nodes that each hold a
// run of entries the way Redis's listpacks do (a master field list, entries
// flagged deleted rather than removed, node size limits from
// stream-node-max-entries and stream-node-max-bytes), plus the metadata
// 7.0 keeps for XINFO and consumer-group lag (first ID, entries added,
// maximal deleted ID) and the consumer groups with their pending entries
// lists.
package stream

import (
	"encoding/binary"
	"math"
	"strconv"
)

// ID is a stream entry ID: milliseconds and sequence number.
type ID struct {
	Ms, Seq uint64
}

// MaxID is the largest ID ("+").
var MaxID = ID{math.MaxUint64, math.MaxUint64}

// Cmp returns -1, 0 or 1 as a is less than, equal to or greater than b.
func (a ID) Cmp(b ID) int {
	switch {
	case a.Ms > b.Ms:
		return 1
	case a.Ms < b.Ms:
		return -1
	case a.Seq > b.Seq:
		return 1
	case a.Seq < b.Seq:
		return -1
	}
	return 0
}

// IsZero reports whether the ID is 0-0.
func (a ID) IsZero() bool { return a.Ms == 0 && a.Seq == 0 }

// Incr returns the next ID; ok is false if a is the maximal ID.
func (a ID) Incr() (ID, bool) {
	if a.Seq == math.MaxUint64 {
		if a.Ms == math.MaxUint64 {
			return ID{}, false
		}
		return ID{a.Ms + 1, 0}, true
	}
	return ID{a.Ms, a.Seq + 1}, true
}

// Decr returns the previous ID; ok is false if a is 0-0.
func (a ID) Decr() (ID, bool) {
	if a.Seq == 0 {
		if a.Ms == 0 {
			return ID{}, false
		}
		return ID{a.Ms - 1, math.MaxUint64}, true
	}
	return ID{a.Ms, a.Seq - 1}, true
}

// Key is the ID as a 16-byte big-endian number, so keys sort as IDs do.
func (a ID) Key() [16]byte {
	var k [16]byte
	binary.BigEndian.PutUint64(k[:8], a.Ms)
	binary.BigEndian.PutUint64(k[8:], a.Seq)
	return k
}

// IDFromKey decodes a 16-byte key made by Key.
func IDFromKey(k []byte) ID {
	return ID{binary.BigEndian.Uint64(k[:8]), binary.BigEndian.Uint64(k[8:16])}
}

// Append appends "ms-seq" to b.
func (a ID) Append(b []byte) []byte {
	b = strconv.AppendUint(b, a.Ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, a.Seq, 10)
}

// String returns "ms-seq".
func (a ID) String() string { return string(a.Append(nil)) }

// parseUint is Redis's string2ull: a strict int64 (string2ll) must not be
// negative; anything else goes to strtoull, which skips leading
// whitespace, takes an optional sign (a '-' negates modulo 2^64) and
// decimal digits, and must consume the whole string without overflow.
func parseUint(s []byte) (uint64, bool) {
	if v, err := strconv.ParseInt(string(s), 10, 64); err == nil && strictInt(s) {
		if v < 0 {
			return 0, false
		}
		return uint64(v), true
	}
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i == len(s) {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

// strictInt reports whether s is an integer as string2ll accepts it: no
// sign other than a leading '-', no leading zeros, no spaces.
func strictInt(s []byte) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	if len(s) == 1 && s[0] == '0' {
		return true
	}
	i := 0
	if s[0] == '-' {
		i++
	}
	if i >= len(s) || s[i] < '1' || s[i] > '9' {
		return false
	}
	for _, c := range s[i:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseID parses an ID argument like Redis's streamGenericParseIDOrReply.
// "-" and "+" are the minimal and maximal IDs unless strict. A missing
// sequence part takes missingSeq. If allowSeqStar, "<ms>-*" is accepted
// and seqGiven reports whether the sequence was given. The C code works
// on a NUL-terminated copy of at most 127 bytes: a NUL ends the string.
func ParseID(b []byte, missingSeq uint64, strict, allowSeqStar bool) (id ID, seqGiven, ok bool) {
	if len(b) > 127 {
		return ID{}, false, false
	}
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	seqGiven = true
	if len(b) == 1 && (b[0] == '-' || b[0] == '+') {
		if strict {
			return ID{}, false, false
		}
		if b[0] == '-' {
			return ID{}, true, true
		}
		return MaxID, true, true
	}
	msPart, seqPart, hasDash := b, []byte(nil), false
	for i, c := range b {
		if c == '-' {
			msPart, seqPart, hasDash = b[:i], b[i+1:], true
			break
		}
	}
	ms, ok := parseUint(msPart)
	if !ok {
		return ID{}, false, false
	}
	seq := missingSeq
	if hasDash {
		if allowSeqStar && len(seqPart) == 1 && seqPart[0] == '*' {
			seq, seqGiven = 0, false
		} else if seq, ok = parseUint(seqPart); !ok {
			return ID{}, false, false
		}
	}
	return ID{ms, seq}, seqGiven, true
}
