// Package hash is the HASH value type: a field -> value map with Redis 7.0's
// two encodings. Small hashes are a listpack: one byte slice of
// length-prefixed field/value entries in insertion order, scanned linearly
// (as Redis's listpack, so small-hash replies come out in the same order).
// A hash outgrows it when it holds more fields than hash-max-listpack-entries
// or a field or value longer than hash-max-listpack-value; it then becomes a
// hash table (internal/dict, with the SCAN cursor) and never converts back.
package hash

import (
	"encoding/binary"
	"math/rand/v2"
	"unsafe"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// Limits are the conversion thresholds (hash-max-listpack-entries and
// hash-max-listpack-value) in force when a write happens.
type Limits struct {
	MaxEntries int64 // most fields a listpack may hold
	MaxValue   int64 // longest field or value a listpack may hold
}

// Hash is one hash value. Exactly one of lp (listpack encoding) and ht
// (hashtable encoding) is in use: ht == nil means listpack.
type Hash struct {
	lp  []byte             // entries: uvarint length + bytes, field then value
	n   int                // fields in lp
	ht  *dict.Dict[string] // field -> value once converted
	mem int64              // running estimate of the hashtable's entries
}

// New returns an empty listpack-encoded hash.
func New() *Hash { return &Hash{} }

// IsListpack reports whether the hash still uses the listpack encoding.
func (h *Hash) IsListpack() bool { return h.ht == nil }

// Encoding is the encoding OBJECT ENCODING reports.
func (h *Hash) Encoding() keyspace.Encoding {
	if h.ht == nil {
		return keyspace.EncListpack
	}
	return keyspace.EncHashtable
}

// Len is the number of fields.
func (h *Hash) Len() int {
	if h.ht == nil {
		return h.n
	}
	return h.ht.Len()
}

// Dict returns the hash table of a hashtable-encoded hash (nil for a
// listpack), for DEBUG HTSTATS-KEY.
func (h *Hash) Dict() *dict.Dict[string] { return h.ht }

// lpEntry reads the entry at off and returns it and the offset after it.
func lpEntry(lp []byte, off int) ([]byte, int) {
	l, k := binary.Uvarint(lp[off:])
	start := off + k
	end := start + int(l)
	return lp[start:end:end], end
}

// lpFind returns the offsets of field's entry and of its value, or -1.
func (h *Hash) lpFind(field []byte) (fieldOff, valOff int) {
	for off := 0; off < len(h.lp); {
		f, next := lpEntry(h.lp, off)
		_, after := lpEntry(h.lp, next)
		if string(f) == string(field) {
			return off, next
		}
		off = after
	}
	return -1, -1
}

func appendEntry(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// Get returns field's value. The slice aliases the hash: it is valid until
// the next write and must not be modified.
func (h *Hash) Get(field []byte) ([]byte, bool) {
	if h.ht != nil {
		n := h.ht.Find(field)
		if n == nil {
			return nil, false
		}
		return bytesOf(n.Val), true
	}
	_, voff := h.lpFind(field)
	if voff < 0 {
		return nil, false
	}
	v, _ := lpEntry(h.lp, voff)
	return v, true
}

// Exists reports whether field is present.
func (h *Hash) Exists(field []byte) bool {
	_, ok := h.Get(field)
	return ok
}

// TryConversion converts a listpack to a hashtable when any of args is
// longer than lim.MaxValue, before a write that would store them (Redis's
// hashTypeTryConversion, run on all fields and values of a command first).
func (h *Hash) TryConversion(lim Limits, args [][]byte) {
	if h.ht != nil {
		return
	}
	for _, a := range args {
		if int64(len(a)) > lim.MaxValue {
			h.convert()
			return
		}
	}
}

// Set stores value under field (both copied) and reports whether the field
// is new. It converts to a hashtable first when field or value is too long
// for a listpack, and after adding when the listpack holds too many fields
// (Redis's hashTypeSet).
func (h *Hash) Set(field, value []byte, lim Limits) bool {
	if h.ht == nil && (int64(len(field)) > lim.MaxValue || int64(len(value)) > lim.MaxValue) {
		h.convert()
	}
	if h.ht != nil {
		if n := h.ht.Find(field); n != nil {
			h.mem += valueSize(len(value)) - valueSize(len(n.Val))
			n.Val = string(value)
			return false
		}
		h.ht.Insert(field, string(value))
		h.mem += entrySize(len(field), len(value))
		return true
	}
	if _, voff := h.lpFind(field); voff >= 0 {
		old, end := lpEntry(h.lp, voff)
		if len(old) == len(value) {
			copy(old, value)
			return false
		}
		tail := append([]byte(nil), h.lp[end:]...)
		h.lp = appendEntry(h.lp[:voff], value)
		h.lp = append(h.lp, tail...)
		return false
	}
	h.lp = appendEntry(h.lp, field)
	h.lp = appendEntry(h.lp, value)
	h.n++
	if int64(h.n) > lim.MaxEntries {
		h.convert()
	}
	return true
}

// Delete removes field and reports whether it was present.
func (h *Hash) Delete(field []byte) bool {
	if h.ht != nil {
		n := h.ht.Delete(field)
		if n == nil {
			return false
		}
		h.mem -= entrySize(len(n.Key), len(n.Val))
		// Redis shrinks a hash's table right after a delete leaves it
		// less than 10% full.
		h.ht.ShrinkIfNeeded()
		return true
	}
	foff, voff := h.lpFind(field)
	if foff < 0 {
		return false
	}
	_, end := lpEntry(h.lp, voff)
	h.lp = append(h.lp[:foff], h.lp[end:]...)
	h.n--
	if len(h.lp) == 0 {
		h.lp = nil
	}
	return true
}

// convert turns a listpack into a hashtable, keeping every pair.
func (h *Hash) convert() {
	d := dict.New[string]()
	d.Expand(h.n) // sized for the pairs up front, as Redis's dictExpand
	h.mem = 0
	for off := 0; off < len(h.lp); {
		f, next := lpEntry(h.lp, off)
		v, after := lpEntry(h.lp, next)
		d.Insert(f, string(v))
		h.mem += entrySize(len(f), len(v))
		off = after
	}
	h.ht, h.lp, h.n = d, nil, 0
}

// Each calls fn for every pair, in insertion order for a listpack and table
// order for a hashtable, until fn returns false. The slices alias the hash
// and are valid only during the call; fn must not modify the hash.
func (h *Hash) Each(fn func(field, value []byte) bool) {
	if h.ht != nil {
		h.ht.Each(func(n *dict.Node[string]) bool {
			return fn(bytesOf(n.Key), bytesOf(n.Val))
		})
		return
	}
	for off := 0; off < len(h.lp); {
		f, next := lpEntry(h.lp, off)
		v, after := lpEntry(h.lp, next)
		if !fn(f, v) {
			return
		}
		off = after
	}
}

// Scan visits the pairs of the bucket(s) at cursor of a hashtable and
// returns the next cursor (0 when done); a listpack is visited whole and
// the cursor returned is 0, as Redis's HSCAN does.
func (h *Hash) Scan(cursor uint64, fn func(field, value []byte)) uint64 {
	if h.ht == nil {
		h.Each(func(f, v []byte) bool { fn(f, v); return true })
		return 0
	}
	return h.ht.Scan(cursor, func(n *dict.Node[string]) { fn(bytesOf(n.Key), bytesOf(n.Val)) })
}

// Pair is one field and its value (aliasing the hash unless copied).
type Pair struct{ Field, Value []byte }

// Pairs returns every pair in iteration order; the slices alias the hash.
func (h *Hash) Pairs() []Pair {
	out := make([]Pair, 0, h.Len())
	h.Each(func(f, v []byte) bool {
		out = append(out, Pair{f, v})
		return true
	})
	return out
}

// Random returns a random pair; the hash must not be empty. Fields may
// repeat across calls (HRANDFIELD with a negative count).
func (h *Hash) Random() Pair {
	if h.ht != nil {
		n := h.ht.Random()
		return Pair{bytesOf(n.Key), bytesOf(n.Val)}
	}
	i := rand.IntN(h.n)
	off := 0
	for ; i > 0; i-- {
		_, next := lpEntry(h.lp, off)
		_, off = lpEntry(h.lp, next)
	}
	f, next := lpEntry(h.lp, off)
	v, _ := lpEntry(h.lp, next)
	return Pair{f, v}
}

// Sampler returns a function drawing random pairs with replacement, for
// many draws (HRANDFIELD with a negative count): a listpack is indexed
// once instead of walked per draw. The hash must not be empty or change
// while the sampler is used.
func (h *Hash) Sampler() func() Pair {
	if h.ht != nil {
		return h.Random
	}
	all := h.Pairs()
	return func() Pair { return all[rand.IntN(len(all))] }
}

// RandomDistinct returns count distinct random pairs, count < Len(). Like
// Redis it samples a large fraction by dropping random pairs from a copy
// of all of them, and a small one by picking random pairs until enough
// distinct ones were seen.
func (h *Hash) RandomDistinct(count int) []Pair {
	size := h.Len()
	if h.ht == nil || count*3 > size {
		all := h.Pairs()
		for len(all) > count {
			i := rand.IntN(len(all))
			all[i] = all[len(all)-1]
			all = all[:len(all)-1]
		}
		return all
	}
	seen := make(map[string]struct{}, count)
	out := make([]Pair, 0, count)
	for len(out) < count {
		p := h.Random()
		if _, dup := seen[string(p.Field)]; dup {
			continue
		}
		seen[string(p.Field)] = struct{}{}
		out = append(out, p)
	}
	return out
}

// Dup returns an independent copy with the same encoding (COPY).
func (h *Hash) Dup() *Hash {
	d := &Hash{n: h.n, mem: h.mem}
	if h.ht == nil {
		d.lp = append([]byte(nil), h.lp...)
		return d
	}
	d.ht = dict.New[string]()
	h.ht.Each(func(n *dict.Node[string]) bool {
		d.ht.InsertString(n.Key, n.Val)
		return true
	})
	return d
}

// nodeSize is a dict.Node[string]: next pointer, key and value headers.
const nodeSize = 40

// entrySize estimates one hashtable entry: the node with its inline key
// (see dict.newNode) and the value string.
func entrySize(fieldLen, valueLen int) int64 {
	var n int64
	switch {
	case fieldLen == 0:
		n = keyspace.AllocSize(nodeSize)
	case fieldLen <= 8:
		n = keyspace.AllocSize(nodeSize + 8)
	case fieldLen <= 24:
		n = keyspace.AllocSize(nodeSize + 24)
	case fieldLen <= 40:
		n = keyspace.AllocSize(nodeSize + 40)
	default:
		n = keyspace.AllocSize(nodeSize) + keyspace.AllocSize(int64(fieldLen))
	}
	return n + valueSize(valueLen)
}

func valueSize(n int) int64 { return keyspace.AllocSize(int64(n)) }

// structSize is the Hash struct itself.
const structSize = 64

// MemSize estimates the heap memory the hash holds, for used_memory.
func (h *Hash) MemSize() int64 {
	if h.ht == nil {
		return structSize + keyspace.AllocSize(int64(cap(h.lp)))
	}
	return structSize + 96 + h.mem + 8*int64(h.ht.Buckets())
}

// bytesOf views a stored string as bytes without copying; callers only read.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
