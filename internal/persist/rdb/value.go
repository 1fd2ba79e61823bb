package rdb

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hash"
	"github.com/modis/modis/internal/types/list"
	"github.com/modis/modis/internal/types/set"
	"github.com/modis/modis/internal/types/zset"
)

// errEmptyKey reports a value with no elements, which Redis skips when
// loading a file (older versions could write them) and RESTORE refuses.
var errEmptyKey = errors.New("empty key")

// IsObjectType reports whether t is a value type a Redis 7.0 server reads.
func IsObjectType(t byte) bool {
	return t <= TypeModule2 || (t >= TypeHashZipmap && t <= TypeStreamListpacks2)
}

// loader decodes values with the load options.
type loader struct {
	r    *reader
	opts *LoadOptions
	lim  Limits
	deep bool
}

func newLoader(r *reader, opts *LoadOptions) *loader {
	l := &loader{r: r, opts: opts, lim: DefaultLimits}
	if opts != nil {
		l.lim, l.deep = opts.Limits, opts.Sanitize
	} else {
		l.opts = &LoadOptions{Limits: DefaultLimits}
	}
	return l
}

// value reads a value of type t stored under key in db.
func (l *loader) value(t byte, key []byte, db int) (keyspace.Object, error) {
	r := l.r
	switch t {
	case TypeString:
		b, err := r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		return keyspace.NewString(b), nil
	case TypeList:
		return l.plainList()
	case TypeListZiplist:
		return l.ziplistList()
	case TypeListQuicklist, TypeListQuicklist2:
		return l.quicklist(t == TypeListQuicklist2)
	case TypeSet:
		return l.plainSet()
	case TypeSetIntset:
		return l.intsetSet()
	case TypeZSet, TypeZSet2:
		return l.plainZSet(t == TypeZSet2)
	case TypeZSetZiplist, TypeZSetListpack:
		return l.packedZSet(t == TypeZSetListpack)
	case TypeHash:
		return l.plainHash()
	case TypeHashZipmap, TypeHashZiplist, TypeHashListpack:
		return l.packedHash(t)
	case TypeStreamListpacks, TypeStreamListpacks2:
		return l.stream(t == TypeStreamListpacks2)
	case TypeModule2:
		return l.module(key, db)
	case TypeModule:
		id, err := r.length()
		if err != nil {
			return keyspace.Object{}, err
		}
		return keyspace.Object{}, r.corrupt("The RDB file contains module data I can't load: no matching module type '%s'", ModuleTypeName(id))
	}
	return keyspace.Object{}, r.corrupt("Unknown RDB encoding type %d", t)
}

// sanitized counts one deep-validated blob.
func (l *loader) sanitized() {
	if l.deep && l.opts.Sanitizations != nil {
		*l.opts.Sanitizations++
	}
}

func newList(lim Limits) *list.List {
	l := list.New(lim.ListMaxListpackSize)
	l.SetCompressDepth(lim.ListCompressDepth)
	return l
}

func listObject(ql *list.List) keyspace.Object {
	return keyspace.NewValue(keyspace.KindList, keyspace.EncQuicklist, unsafe.Pointer(ql))
}

// plainList is RDB_TYPE_LIST: a count and the elements, pushed one by one.
func (l *loader) plainList() (keyspace.Object, error) {
	n, err := l.r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	if n == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	ql := newList(l.lim)
	for ; n > 0; n-- {
		b, err := l.r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		ql.PushTail(b)
	}
	return listObject(ql), nil
}

// ziplistList is RDB_TYPE_LIST_ZIPLIST: one ziplist, pushed element by
// element.
func (l *loader) ziplistList() (keyspace.Object, error) {
	zl, err := l.r.str()
	if err != nil {
		return keyspace.Object{}, err
	}
	ql := newList(l.lim)
	var buf []byte
	if walkZiplist(zl, func(e elem) error {
		buf = e.bytes(buf)
		ql.PushTail(buf)
		return nil
	}) != nil {
		return keyspace.Object{}, l.r.corrupt("List ziplist integrity check failed.")
	}
	if ql.Len() == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	return listObject(ql), nil
}

// quicklist is RDB_TYPE_LIST_QUICKLIST (ziplist nodes) and _2 (listpack or
// plain nodes, each with its container type). Every node is kept as a
// node; empty ones are dropped.
func (l *loader) quicklist(v2 bool) (keyspace.Object, error) {
	n, err := l.r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	if n == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	ql := newList(l.lim)
	var elems [][]byte
	for ; n > 0; n-- {
		container := uint64(containerPacked)
		if v2 {
			if container, err = l.r.length(); err != nil {
				return keyspace.Object{}, err
			}
			if container != containerPacked && container != containerPlain {
				return keyspace.Object{}, l.r.corrupt("Quicklist integrity check failed.")
			}
		}
		blob, err := l.r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		if len(blob) == 0 {
			return keyspace.Object{}, l.r.corrupt("Quicklist integrity check failed.")
		}
		if container == containerPlain {
			ql.AppendNode([][]byte{blob})
			continue
		}
		elems = elems[:0]
		collect := func(e elem) error {
			if e.isInt {
				elems = append(elems, strconv.AppendInt(nil, e.v, 10))
			} else {
				elems = append(elems, e.s)
			}
			return nil
		}
		if v2 {
			l.sanitized()
			if walkListpack(blob, collect) != nil {
				return keyspace.Object{}, l.r.corrupt("Listpack integrity check failed.")
			}
		} else if walkZiplist(blob, collect) != nil {
			return keyspace.Object{}, l.r.corrupt("Ziplist integrity check failed.")
		}
		ql.AppendNode(elems)
	}
	if ql.Len() == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	return listObject(ql), nil
}

func setObject(s *set.Set) keyspace.Object {
	return keyspace.NewValue(keyspace.KindSet, s.Encoding(), unsafe.Pointer(s))
}

// plainSet is RDB_TYPE_SET: a count and the members; an intset while the
// count allows one and the members are integers.
func (l *loader) plainSet() (keyspace.Object, error) {
	n, err := l.r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	if n == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	maxIntset := l.lim.SetMaxIntsetEntries
	if maxIntset >= 1<<30 {
		maxIntset = 1 << 30
	}
	var s *set.Set
	if int64(n) > maxIntset {
		s = set.NewTable(l.r.sizeHint(n))
	} else {
		s = set.New()
	}
	for i := 0; i < n; i++ {
		b, err := l.r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		if !s.AddLoaded(b, l.r.sizeHint(n)) {
			return keyspace.Object{}, l.r.corrupt("Duplicate set members detected")
		}
	}
	return setObject(s), nil
}

// intsetSet is RDB_TYPE_SET_INTSET: an intset blob, converted when it is
// longer than set-max-intset-entries.
func (l *loader) intsetSet() (keyspace.Object, error) {
	blob, err := l.r.str()
	if err != nil {
		return keyspace.Object{}, err
	}
	l.sanitized()
	s, ok := set.FromIntsetBlob(blob)
	if !ok {
		return keyspace.Object{}, l.r.corrupt("Intset integrity check failed.")
	}
	if int64(s.Len()) > l.lim.SetMaxIntsetEntries {
		s.ConvertToTable(s.Len())
	}
	return setObject(s), nil
}

func zsetObject(z *zset.ZSet) keyspace.Object {
	enc := keyspace.EncSkiplist
	if z.IsListpack() {
		enc = keyspace.EncListpack
	}
	return keyspace.NewValue(keyspace.KindZSet, enc, unsafe.Pointer(z))
}

// plainZSet is RDB_TYPE_ZSET_2 (binary scores) and RDB_TYPE_ZSET (text
// scores): loaded into a skiplist, then made a listpack when it fits the
// zset-max-listpack-* limits.
func (l *loader) plainZSet(binaryScores bool) (keyspace.Object, error) {
	n, err := l.r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	if n == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	z := zset.NewSkiplistSized(l.r.sizeHint(n))
	maxLen, total := 0, 0
	for ; n > 0; n-- {
		m, err := l.r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		var s float64
		if binaryScores {
			u, err := l.r.u64le()
			if err != nil {
				return keyspace.Object{}, err
			}
			s = math.Float64frombits(u)
		} else if s, err = l.r.textDouble(); err != nil {
			return keyspace.Object{}, err
		}
		if math.IsNaN(s) {
			return keyspace.Object{}, l.r.corrupt("Zset with NAN score detected")
		}
		if _, dup := z.Score(m); dup {
			return keyspace.Object{}, l.r.corrupt("Duplicate zset fields detected")
		}
		maxLen = max(maxLen, len(m))
		total += len(m)
		z.InsertLoaded(m, s)
	}
	if int64(z.Len()) <= l.lim.ZsetMaxListpackEntries && int64(maxLen) <= l.lim.ZsetMaxListpackValue && total < 1<<30 {
		z.ConvertToListpack()
	}
	return zsetObject(z), nil
}

// walkPairs walks a ziplist or listpack of field/value pairs, refusing
// duplicate fields and an odd element count.
func walkPairs(blob []byte, isListpack bool, fn func(f, v []byte) error) error {
	seen := map[string]struct{}{}
	var field []byte
	odd := false
	var ibuf [24]byte
	step := func(e elem) error {
		b := e.s
		if e.isInt {
			b = strconv.AppendInt(ibuf[:0], e.v, 10)
		}
		if !odd {
			if _, dup := seen[string(b)]; dup {
				return errBlob
			}
			seen[string(b)] = struct{}{}
			field = append(field[:0], b...)
			odd = true
			return nil
		}
		odd = false
		return fn(field, b)
	}
	var err error
	if isListpack {
		err = walkListpack(blob, step)
	} else {
		err = walkZiplist(blob, step)
	}
	if err == nil && odd {
		err = errBlob
	}
	return err
}

// packedZSet is RDB_TYPE_ZSET_LISTPACK and RDB_TYPE_ZSET_ZIPLIST: member and
// score pairs, converted to a skiplist when longer than
// zset-max-listpack-entries.
func (l *loader) packedZSet(isListpack bool) (keyspace.Object, error) {
	blob, err := l.r.str()
	if err != nil {
		return keyspace.Object{}, err
	}
	if isListpack {
		l.sanitized()
	}
	z := zset.New(false)
	err = walkPairs(blob, isListpack, func(m, sb []byte) error {
		s, err := strconv.ParseFloat(string(sb), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(s) {
			return errBlob
		}
		z.InsertLoaded(m, s)
		return nil
	})
	if err != nil {
		if isListpack {
			return keyspace.Object{}, l.r.corrupt("Zset listpack integrity check failed.")
		}
		return keyspace.Object{}, l.r.corrupt("Zset ziplist integrity check failed.")
	}
	if z.Len() == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	if int64(z.Len()) > l.lim.ZsetMaxListpackEntries {
		z.ConvertToSkiplist()
	}
	return zsetObject(z), nil
}

func hashObject(h *hash.Hash) keyspace.Object {
	return keyspace.NewValue(keyspace.KindHash, h.Encoding(), unsafe.Pointer(h))
}

// plainHash is RDB_TYPE_HASH: a count and field/value pairs; a listpack
// until the count, a field or a value goes beyond hash-max-listpack-*.
func (l *loader) plainHash() (keyspace.Object, error) {
	n, err := l.r.count()
	if err != nil {
		return keyspace.Object{}, err
	}
	if n == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	var h *hash.Hash
	var seen map[string]struct{}
	if int64(n) > l.lim.HashMaxListpackEntries {
		h = hash.NewTable(l.r.sizeHint(n))
	} else {
		h = hash.New()
		seen = map[string]struct{}{}
	}
	for ; n > 0; n-- {
		f, err := l.r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		v, err := l.r.str()
		if err != nil {
			return keyspace.Object{}, err
		}
		if h.IsListpack() {
			if _, dup := seen[string(f)]; dup {
				return keyspace.Object{}, l.r.corrupt("Hash with dup elements")
			}
			if int64(len(f)) <= l.lim.HashMaxListpackValue && int64(len(v)) <= l.lim.HashMaxListpackValue {
				seen[string(f)] = struct{}{}
				h.AppendLoaded(f, v)
				continue
			}
			h.ConvertToTable()
		}
		if !h.InsertLoaded(f, v) {
			return keyspace.Object{}, l.r.corrupt("Duplicate hash fields detected")
		}
	}
	return hashObject(h), nil
}

// packedHash is RDB_TYPE_HASH_LISTPACK, _ZIPLIST and _ZIPMAP: field/value
// pairs in a blob, converted to a hashtable when there are more than
// hash-max-listpack-entries (for zipmaps, also when a field or value is
// longer than hash-max-listpack-value).
func (l *loader) packedHash(t byte) (keyspace.Object, error) {
	blob, err := l.r.str()
	if err != nil {
		return keyspace.Object{}, err
	}
	h := hash.New()
	maxLen := 0
	add := func(f, v []byte) error {
		maxLen = max(maxLen, len(f), len(v))
		h.AppendLoaded(f, v)
		return nil
	}
	switch t {
	case TypeHashZipmap:
		seen := map[string]struct{}{}
		err = walkZipmap(blob, func(f, v []byte) error {
			if _, dup := seen[string(f)]; dup {
				return errBlob
			}
			seen[string(f)] = struct{}{}
			return add(f, v)
		})
		if err != nil {
			return keyspace.Object{}, l.r.corrupt("Zipmap integrity check failed.")
		}
	case TypeHashZiplist:
		if walkPairs(blob, false, add) != nil {
			return keyspace.Object{}, l.r.corrupt("Hash ziplist integrity check failed.")
		}
	default:
		l.sanitized()
		if walkPairs(blob, true, add) != nil {
			return keyspace.Object{}, l.r.corrupt("Hash listpack integrity check failed.")
		}
	}
	if h.Len() == 0 {
		return keyspace.Object{}, errEmptyKey
	}
	if int64(h.Len()) > l.lim.HashMaxListpackEntries ||
		(t == TypeHashZipmap && int64(maxLen) > l.lim.HashMaxListpackValue) {
		h.ConvertToTable()
	}
	return hashObject(h), nil
}

// module is RDB_TYPE_MODULE_2: the type id and the opcode-annotated
// payload up to its EOF marker, handed to LoadModule with strings decoded.
func (l *loader) module(key []byte, db int) (keyspace.Object, error) {
	id, err := l.r.length()
	if err != nil {
		return keyspace.Object{}, err
	}
	payload, err := l.modulePayload(id)
	if err != nil {
		return keyspace.Object{}, err
	}
	if l.opts.LoadModule == nil {
		return keyspace.Object{}, l.r.corrupt("The RDB file contains module data I can't load: no matching module type '%s'", ModuleTypeName(id))
	}
	o, err := l.opts.LoadModule(id, payload, key, db)
	if err != nil {
		return keyspace.Object{}, l.r.corrupt("%s", err.Error())
	}
	return o, nil
}

// modulePayload reads module opcodes up to the EOF marker and returns them
// re-encoded with plain (not integer or LZF encoded) strings.
func (l *loader) modulePayload(id uint64) ([]byte, error) {
	return recodeModule(l.r, id, func(out, s []byte) []byte {
		out = AppendLen(out, uint64(len(s)))
		return append(out, s...)
	})
}

// recodeModule copies module opcodes from r up to the EOF marker, writing
// each string with str.
func recodeModule(r *reader, id uint64, str func(out, s []byte) []byte) ([]byte, error) {
	var out []byte
	for {
		op, err := r.length()
		if err != nil {
			return nil, err
		}
		out = AppendLen(out, op)
		switch op {
		case ModOpEOF:
			return out, nil
		case ModOpSInt, ModOpUInt:
			v, err := r.length()
			if err != nil {
				return nil, err
			}
			out = AppendLen(out, v)
		case ModOpFloat:
			var b [4]byte
			if err := r.full(b[:]); err != nil {
				return nil, err
			}
			out = append(out, b[:]...)
		case ModOpDouble:
			v, err := r.u64le()
			if err != nil {
				return nil, err
			}
			out = binary.LittleEndian.AppendUint64(out, v)
		case ModOpString:
			s, err := r.str()
			if err != nil {
				return nil, err
			}
			out = str(out, s)
		default:
			return nil, r.corrupt("Unknown module opcode %d in module '%s' data", op, ModuleTypeName(id))
		}
	}
}

// moduleCharset is the alphabet of module type names, 6 bits per char.
const moduleCharset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// ModuleTypeName decodes the 9-character type name from a module type id
// (the encoding version is in the low 10 bits).
func ModuleTypeName(id uint64) string {
	var name [9]byte
	id >>= 10
	for j := 8; j >= 0; j-- {
		name[j] = moduleCharset[id&63]
		id >>= 6
	}
	return string(name[:])
}
