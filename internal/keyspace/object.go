package keyspace

import (
	"math"
	"strconv"
	"unsafe"
)

// Kind is the type of a value, as TYPE reports it.
type Kind uint8

const (
	KindNone Kind = iota
	KindString
	KindList
	KindSet
	KindZSet
	KindHash
	KindStream
	KindModule
)

var kindNames = [...]string{"none", "string", "list", "set", "zset", "hash", "stream", "module"}

func (k Kind) String() string { return kindNames[k] }

// Encoding is the internal representation, as OBJECT ENCODING reports it.
type Encoding uint8

const (
	EncRaw Encoding = iota
	EncInt
	EncEmbstr
	EncHashtable
	EncIntset
	EncSkiplist
	EncListpack
	EncQuicklist
	EncStream
	EncLinkedlist
)

var encNames = [...]string{"raw", "int", "embstr", "hashtable", "intset", "skiplist", "listpack", "quicklist", "stream", "linkedlist"}

func (e Encoding) String() string { return encNames[e] }

// EmbstrMax is the longest string Redis stores with the embstr encoding.
const EmbstrMax = 44

// Object is a value in the keyspace. It is a plain struct held inline in the
// hash table node, so a key costs one allocation for the node plus one for
// its bytes: no interface boxing. The meaning of ptr and n depends on kind
// and enc:
//
//	string/int:           n is the integer, ptr is nil
//	string/raw, embstr:   ptr points at the bytes, n is the length, c the capacity
//	collections, module:  ptr points at the type's own structure
type Object struct {
	ptr  unsafe.Pointer
	n    int64
	c    uint32   // capacity of string bytes (saturates; see setBytes)
	kind Kind     //
	enc  Encoding //
	LRU  uint32   // LRU clock or LFU (minutes<<8 | log counter), as Redis
	mem  uint32   // bytes accounted for the value in DB.used (memory.go)
}

// Kind returns the value's type.
func (o *Object) Kind() Kind { return o.kind }

// Encoding returns the value's encoding.
func (o *Object) Encoding() Encoding { return o.enc }

// SetEncoding changes the reported encoding of a collection value.
func (o *Object) SetEncoding(e Encoding) { o.enc = e }

// NewString returns a string value holding a copy of b, encoded as Redis's
// createStringObject + tryObjectEncoding would: int when b is a canonical
// 64-bit integer of at most 20 characters, embstr up to 44 bytes, else raw.
func NewString(b []byte) Object {
	if len(b) <= 20 {
		if v, ok := ParseCanonicalInt(b); ok {
			return NewInt(v)
		}
	}
	o := Object{kind: KindString, enc: EncRaw}
	if len(b) <= EmbstrMax {
		o.enc = EncEmbstr
	}
	o.setBytes(append([]byte(nil), b...))
	return o
}

// NewRawString returns a raw-encoded string that takes ownership of b.
// Commands that modify strings (APPEND, SETRANGE, SETBIT) produce raw
// strings, as in Redis.
func NewRawString(b []byte) Object {
	o := Object{kind: KindString, enc: EncRaw}
	o.setBytes(b)
	return o
}

// NewEmbstrOrRaw stores a copy of b without trying the int encoding (Redis's
// createStringObject, used where values are not re-encoded).
func NewEmbstrOrRaw(b []byte) Object {
	o := Object{kind: KindString, enc: EncRaw}
	if len(b) <= EmbstrMax {
		o.enc = EncEmbstr
	}
	o.setBytes(append([]byte(nil), b...))
	return o
}

// NewInt returns an int-encoded string value.
func NewInt(v int64) Object { return Object{kind: KindString, enc: EncInt, n: v} }

// NewValue wraps a collection or module value.
func NewValue(kind Kind, enc Encoding, p unsafe.Pointer) Object {
	return Object{kind: kind, enc: enc, ptr: p}
}

// Ptr returns the collection or module pointer.
func (o *Object) Ptr() unsafe.Pointer { return o.ptr }

// SetPtr replaces the collection or module pointer.
func (o *Object) SetPtr(p unsafe.Pointer) { o.ptr = p }

func (o *Object) setBytes(b []byte) {
	o.n = int64(len(b))
	c := cap(b)
	if c > math.MaxUint32 {
		c = len(b)
		if c > math.MaxUint32 {
			c = math.MaxUint32
		}
		b = b[:len(b):c]
	}
	o.c = uint32(c)
	if c == 0 {
		o.ptr = nil
		return
	}
	o.ptr = unsafe.Pointer(unsafe.SliceData(b[:1]))
}

// IsInt reports whether the value is an int-encoded string.
func (o *Object) IsInt() bool { return o.enc == EncInt && o.kind == KindString }

// Int returns the integer of an int-encoded string.
func (o *Object) Int() int64 { return o.n }

// Bytes returns the bytes of a raw/embstr string (not of an int). The slice
// aliases the stored value: callers must not keep it past the next write to
// the key, and must not modify it unless they own the key (SetBytes).
func (o *Object) Bytes() []byte {
	if o.ptr == nil {
		return []byte{}
	}
	return unsafe.Slice((*byte)(o.ptr), o.c)[:o.n]
}

// SetBytes replaces a string's bytes with b (taking ownership) and marks the
// encoding raw, as every in-place string modification does in Redis.
func (o *Object) SetBytes(b []byte) {
	o.kind, o.enc = KindString, EncRaw
	o.setBytes(b)
}

// AppendString appends the string form of o to dst: the bytes for raw and
// embstr, the decimal text for int.
func (o *Object) AppendString(dst []byte) []byte {
	if o.enc == EncInt {
		return strconv.AppendInt(dst, o.n, 10)
	}
	return append(dst, o.Bytes()...)
}

// StringLen is the length of the string form (STRLEN).
func (o *Object) StringLen() int {
	if o.enc == EncInt {
		var tmp [24]byte
		return len(strconv.AppendInt(tmp[:0], o.n, 10))
	}
	return int(o.n)
}

// ParseCanonicalInt parses b as a 64-bit integer only if formatting the
// result gives back exactly b (Redis's string2ll: no '+', no leading zeros,
// no spaces, "-0" rejected).
func ParseCanonicalInt(b []byte) (int64, bool) {
	n := len(b)
	if n == 0 || n > 20 {
		return 0, false
	}
	if n == 1 && b[0] == '0' {
		return 0, true
	}
	i, neg := 0, false
	if b[0] == '-' {
		neg = true
		i++
		if n == 1 {
			return 0, false
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// DupString returns an independent copy of a string value with the same
// encoding (Redis's dupStringObject, used by COPY). A copied small integer
// is a private object in Redis, no longer one of the shared integers.
func (o *Object) DupString() Object {
	d := *o
	if o.enc == EncInt {
		d.c = intUnshared
	} else if o.ptr != nil {
		d.setBytes(append([]byte(nil), o.Bytes()...))
	}
	return d
}

// SharedIntegers is Redis's OBJ_SHARED_INTEGERS: int values in
// [0, SharedIntegers) are normally held by shared objects.
const SharedIntegers = 10000

// intUnshared, stored in c (unused by int-encoded values), marks an int
// value that Redis would hold in a private object rather than a shared one.
const intUnshared = 1

// IsSharedInt reports whether Redis would represent this value by one of
// its shared integer objects (OBJECT REFCOUNT then reports INT_MAX).
func (o *Object) IsSharedInt() bool {
	return o.IsInt() && o.c != intUnshared && o.n >= 0 && o.n < SharedIntegers
}
