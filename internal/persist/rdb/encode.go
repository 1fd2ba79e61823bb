package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/listpack"
	"github.com/modis/modis/internal/lzf"
	"github.com/modis/modis/internal/types/hash"
	"github.com/modis/modis/internal/types/list"
	"github.com/modis/modis/internal/types/set"
	"github.com/modis/modis/internal/types/stream"
	"github.com/modis/modis/internal/types/zset"
)

// Special string encodings (RDB_ENC_*), after a 0b11 length prefix.
const (
	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// AppendLen appends n in RDB's length encoding: 6 bits, 14 bits, or a
// marker byte and 32 or 64 bits big endian.
func AppendLen(dst []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(dst, byte(n))
	case n < 1<<14:
		return append(dst, byte(n>>8)|0x40, byte(n))
	case n <= math.MaxUint32:
		dst = append(dst, 0x80)
		return binary.BigEndian.AppendUint32(dst, uint32(n))
	}
	dst = append(dst, 0x81)
	return binary.BigEndian.AppendUint64(dst, n)
}

// appendIntEncoded appends v as a special integer encoding when it fits
// in 32 bits (rdbEncodeInteger); ok false otherwise.
func appendIntEncoded(dst []byte, v int64) ([]byte, bool) {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(dst, 0xC0|encInt8, byte(v)), true
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return append(dst, 0xC0|encInt16, byte(v), byte(v>>8)), true
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return append(dst, 0xC0|encInt32, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)), true
	}
	return dst, false
}

// AppendString appends b as rdbSaveRawString does: as an integer
// encoding when b is the canonical text of a 32-bit integer (at most 11
// bytes), LZF-compressed when compress is set, b is longer than 20 bytes
// and compression saves more than 4 bytes, else length and bytes.
func AppendString(dst, b []byte, compress bool) []byte {
	if len(b) <= 11 {
		if v, ok := keyspace.ParseCanonicalInt(b); ok {
			if out, ok := appendIntEncoded(dst, v); ok {
				return out
			}
		}
	}
	if compress && len(b) > 20 {
		if c := lzf.Compress(b, len(b)-4); c != nil {
			dst = append(dst, 0xC0|encLZF)
			dst = AppendLen(dst, uint64(len(c)))
			dst = AppendLen(dst, uint64(len(b)))
			return append(dst, c...)
		}
	}
	dst = AppendLen(dst, uint64(len(b)))
	return append(dst, b...)
}

// Quicklist node compression (list-compress-depth): Redis keeps the nodes
// more than depth nodes away from both ends LZF-compressed when that saves
// at least MIN_COMPRESS_IMPROVE bytes on a node of MIN_COMPRESS_BYTES or
// more, and saves such nodes as they are, compressed whatever
// rdbcompression says.
const (
	quicklistMinCompressBytes   = 48
	quicklistMinCompressImprove = 8
)

// appendQuicklistNode appends an interior node of a compressed quicklist:
// its LZF form when Redis would hold it compressed, else as any string.
func appendQuicklistNode(dst, lp []byte, compress bool) []byte {
	if len(lp) >= quicklistMinCompressBytes {
		if c := lzf.Compress(lp, len(lp)); c != nil && len(c)+quicklistMinCompressImprove < len(lp) {
			dst = append(dst, 0xC0|encLZF)
			dst = AppendLen(dst, uint64(len(c)))
			dst = AppendLen(dst, uint64(len(lp)))
			return append(dst, c...)
		}
	}
	return AppendString(dst, lp, compress)
}

// appendStringObject appends a string value (rdbSaveStringObject): an int
// encoded value as an integer encoding or its decimal text.
func appendStringObject(dst []byte, o *keyspace.Object, compress bool) []byte {
	if o.IsInt() {
		if out, ok := appendIntEncoded(dst, o.Int()); ok {
			return out
		}
		var tmp [24]byte
		s := strconv.AppendInt(tmp[:0], o.Int(), 10)
		dst = AppendLen(dst, uint64(len(s)))
		return append(dst, s...)
	}
	return AppendString(dst, o.Bytes(), compress)
}

// TypeOf returns the RDB value type Redis writes for o.
func TypeOf(o *keyspace.Object) (byte, error) {
	switch o.Kind() {
	case keyspace.KindString:
		return TypeString, nil
	case keyspace.KindList:
		return TypeListQuicklist2, nil
	case keyspace.KindSet:
		if (*set.Set)(o.Ptr()).IsIntset() {
			return TypeSetIntset, nil
		}
		return TypeSet, nil
	case keyspace.KindZSet:
		if (*zset.ZSet)(o.Ptr()).IsListpack() {
			return TypeZSetListpack, nil
		}
		return TypeZSet2, nil
	case keyspace.KindHash:
		if (*hash.Hash)(o.Ptr()).IsListpack() {
			return TypeHashListpack, nil
		}
		return TypeHash, nil
	case keyspace.KindStream:
		return TypeStreamListpacks2, nil
	case keyspace.KindModule:
		return TypeModule2, nil
	}
	return 0, fmt.Errorf("rdb: unknown value kind %d", o.Kind())
}

// ErrNoModuleSaver is returned for a module value when Options has no
// SaveModule.
var ErrNoModuleSaver = errors.New("rdb: no module value serializer")

// AppendValue appends o's type byte and value body, the part of a key
// record that DUMP payloads hold.
func AppendValue(dst []byte, o *keyspace.Object, opts *Options) ([]byte, error) {
	return appendValue(dst, nil, o, opts)
}

// AppendValueOf is AppendValue for the value of key (module types may
// look at the key name while saving).
func AppendValueOf(dst, key []byte, o *keyspace.Object, opts *Options) ([]byte, error) {
	return appendValue(dst, key, o, opts)
}

func appendValue(dst, key []byte, o *keyspace.Object, opts *Options) ([]byte, error) {
	if opts == nil {
		opts = &Options{}
	}
	t, err := TypeOf(o)
	if err != nil {
		return dst, err
	}
	out, err := appendBody(append(dst, t), t, key, o, opts, nil)
	if err != nil {
		return dst, err
	}
	return out, nil
}

// spillSize is how much of a value Encoder.KeyValue builds before writing
// it out, so that saving a big collection does not hold all of its
// serialization in memory.
const spillSize = 1 << 20

// spiller, when not nil, takes the bytes built so far and returns the
// buffer to go on with.
type spiller func(b []byte) []byte

// maybe spills dst once it is large.
func (sp spiller) maybe(dst []byte) []byte {
	if sp != nil && len(dst) >= spillSize {
		return sp(dst)
	}
	return dst
}

// appendBody appends the value body of o, whose RDB type is t.
func appendBody(dst []byte, t byte, key []byte, o *keyspace.Object, opts *Options, sp spiller) ([]byte, error) {
	start := len(dst)
	comp := opts.Compression
	switch t {
	case TypeString:
		dst = appendStringObject(dst, o, comp)
	case TypeListQuicklist2:
		l := (*list.List)(o.Ptr())
		n, depth, i := l.Nodes(), l.CompressDepth(), 0
		dst = AppendLen(dst, uint64(n))
		l.EachListpack(func(lp []byte) {
			dst = AppendLen(dst, containerPacked)
			if depth > 0 && n >= 2*depth && i >= depth && i < n-depth {
				dst = sp.maybe(appendQuicklistNode(dst, lp, comp))
			} else {
				dst = sp.maybe(AppendString(dst, lp, comp))
			}
			i++
		})
	case TypeSetIntset:
		dst = AppendString(dst, (*set.Set)(o.Ptr()).IntsetBlob(), comp)
	case TypeSet:
		s := (*set.Set)(o.Ptr())
		dst = AppendLen(dst, uint64(s.Len()))
		var buf []byte
		s.Each(func(m set.Member) bool {
			buf = m.Append(buf[:0])
			dst = sp.maybe(AppendString(dst, buf, comp))
			return true
		})
	case TypeZSetListpack:
		dst = AppendString(dst, zsetListpack((*zset.ZSet)(o.Ptr())), comp)
	case TypeZSet2:
		// From the highest score down, so that loading inserts each
		// member at the head of the skiplist (rdbSaveObject's order).
		z := (*zset.ZSet)(o.Ptr())
		dst = AppendLen(dst, uint64(z.Len()))
		z.Range(0, z.Len(), true, func(m []byte, s float64) bool {
			dst = AppendString(dst, m, comp)
			dst = sp.maybe(binary.LittleEndian.AppendUint64(dst, math.Float64bits(s)))
			return true
		})
	case TypeHashListpack:
		dst = AppendString(dst, (*hash.Hash)(o.Ptr()).AppendListpack(nil), comp)
	case TypeHash:
		h := (*hash.Hash)(o.Ptr())
		dst = AppendLen(dst, uint64(h.Len()))
		h.Each(func(f, v []byte) bool {
			dst = AppendString(dst, f, comp)
			dst = sp.maybe(AppendString(dst, v, comp))
			return true
		})
	case TypeStreamListpacks2:
		dst = appendStream(dst, (*stream.Stream)(o.Ptr()), comp, sp)
	case TypeModule2:
		if opts.SaveModule == nil {
			return dst[:start], ErrNoModuleSaver
		}
		id, payload, err := opts.SaveModule(key, opts.DB, o)
		if err != nil {
			return dst[:start], err
		}
		// Strings go through rdbSaveRawString in Redis: integer
		// encoded or compressed like any other.
		body, err := recodeModule(newBytesReader(payload), id, func(out, s []byte) []byte {
			return AppendString(out, s, comp)
		})
		if err != nil {
			return dst[:start], err
		}
		dst = AppendLen(dst, id)
		dst = append(dst, body...)
	}
	return dst, nil
}

// AppendKeyValue appends one key record: the expire time (when expireMs
// is not negative), the idle time or LFU counter the Options ask for, the
// type, the key and the value.
func AppendKeyValue(dst, key []byte, o *keyspace.Object, expireMs int64, opts *Options) ([]byte, error) {
	if opts == nil {
		opts = &Options{}
	}
	start := len(dst)
	dst, t, err := appendKeyHeader(dst, key, o, expireMs, opts)
	if err != nil {
		return dst[:start], err
	}
	if dst, err = appendBody(dst, t, key, o, opts, nil); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// appendKeyHeader appends a key record up to the value: expire time, idle
// time or LFU counter, type and key. It returns the type.
func appendKeyHeader(dst, key []byte, o *keyspace.Object, expireMs int64, opts *Options) ([]byte, byte, error) {
	t, err := TypeOf(o)
	if err != nil {
		return dst, 0, err
	}
	if expireMs >= 0 {
		dst = append(dst, OpExpireTimeMs)
		dst = binary.LittleEndian.AppendUint64(dst, uint64(expireMs))
	}
	if opts.Idle != nil {
		if secs, ok := opts.Idle(o); ok {
			dst = append(dst, OpIdle)
			dst = AppendLen(dst, secs)
		}
	}
	if opts.Freq != nil {
		if f, ok := opts.Freq(o); ok {
			dst = append(dst, OpFreq, f)
		}
	}
	dst = append(dst, t)
	return AppendString(dst, key, opts.Compression), t, nil
}

// zsetListpack is the listpack Redis holds for a small sorted set: member
// then score for each element in order, scores as d2string text.
func zsetListpack(z *zset.ZSet) []byte {
	lp := listpack.AppendHeader(make([]byte, 0, 64))
	var buf []byte
	z.Range(0, z.Len(), false, func(m []byte, s float64) bool {
		lp = listpack.AppendEntry(lp, m)
		buf = d2string(buf[:0], s)
		lp = listpack.AppendEntry(lp, buf)
		return true
	})
	return listpack.Finish(lp, 0, 2*z.Len())
}

// d2string formats a score as Redis 7.0's d2string: integral values of
// magnitude up to 2^62 as integers, others (and zeros) as %.17g.
func d2string(dst []byte, s float64) []byte {
	if s != 0 && s >= -(1<<62) && s <= 1<<62 && s == math.Trunc(s) {
		return strconv.AppendInt(dst, int64(s), 10)
	}
	return zset.FormatScore(dst, s)
}

// appendStream writes a stream as RDB_TYPE_STREAM_LISTPACKS_2.
func appendStream(dst []byte, s *stream.Stream, comp bool, sp spiller) []byte {
	dst = AppendLen(dst, uint64(s.NodeCount()))
	s.EachListpack(func(key, lp []byte) {
		dst = AppendString(dst, key, comp)
		dst = sp.maybe(AppendString(dst, lp, comp))
	})
	for _, v := range [...]uint64{s.Len(), s.LastID.Ms, s.LastID.Seq, s.FirstID.Ms, s.FirstID.Seq,
		s.MaxDeletedID.Ms, s.MaxDeletedID.Seq, s.EntriesAdded} {
		dst = AppendLen(dst, v)
	}
	dst = AppendLen(dst, uint64(s.GroupCount()))
	if s.GroupCount() == 0 {
		return dst
	}
	git := s.Groups().Iterator()
	git.Seek("^", nil)
	for name, g, ok := git.Next(); ok; name, g, ok = git.Next() {
		dst = AppendString(dst, name, comp)
		dst = AppendLen(dst, g.LastID.Ms)
		dst = AppendLen(dst, g.LastID.Seq)
		dst = AppendLen(dst, uint64(g.EntriesRead))
		dst = AppendLen(dst, uint64(g.PEL.Len()))
		pit := g.PEL.Iterator()
		pit.Seek("^", nil)
		for id, nack, ok := pit.Next(); ok; id, nack, ok = pit.Next() {
			dst = append(dst, id...)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(nack.DeliveryTime))
			dst = AppendLen(dst, uint64(nack.DeliveryCount))
		}
		dst = AppendLen(dst, uint64(g.Consumers.Len()))
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for cname, c, ok := cit.Next(); ok; cname, c, ok = cit.Next() {
			dst = AppendString(dst, cname, comp)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(c.SeenTime))
			dst = AppendLen(dst, uint64(c.PEL.Len()))
			cp := c.PEL.Iterator()
			cp.Seek("^", nil)
			for id, _, ok := cp.Next(); ok; id, _, ok = cp.Next() {
				dst = append(dst, id...)
			}
		}
	}
	return dst
}

// Encoder writes an RDB file to a stream, keeping the running checksum.
type Encoder struct {
	w    io.Writer
	opts Options
	crc  uint64
	buf  []byte
	err  error
	n    int64
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer, opts *Options) *Encoder {
	e := &Encoder{w: w}
	if opts != nil {
		e.opts = *opts
	}
	return e
}

// Written is the number of bytes written so far.
func (e *Encoder) Written() int64 { return e.n }

func (e *Encoder) write(b []byte) error {
	if e.err != nil {
		return e.err
	}
	if e.opts.Checksum {
		e.crc = CRC64(e.crc, b)
	}
	n, err := e.w.Write(b)
	e.n += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	e.err = err
	return err
}

// Header writes the magic "REDIS0010" and the AUX fields, in order.
func (e *Encoder) Header(aux [][2]string) error {
	b := append(e.buf[:0], "REDIS0010"...)
	for _, kv := range aux {
		b = append(b, OpAux)
		b = AppendString(b, unsafe.Slice(unsafe.StringData(kv[0]), len(kv[0])), e.opts.Compression)
		b = AppendString(b, unsafe.Slice(unsafe.StringData(kv[1]), len(kv[1])), e.opts.Compression)
	}
	e.buf = b
	return e.write(b)
}

// SelectDB starts database db, with its key and expire counts as the
// RESIZEDB hint.
func (e *Encoder) SelectDB(db int, keys, expires uint64) error {
	b := append(e.buf[:0], OpSelectDB)
	b = AppendLen(b, uint64(db))
	b = append(b, OpResizeDB)
	b = AppendLen(b, keys)
	b = AppendLen(b, expires)
	e.buf = b
	return e.write(b)
}

// Raw writes bytes as they are: records from AppendKeyValue.
func (e *Encoder) Raw(rec []byte) error { return e.write(rec) }

// KeyValue writes one key record (AppendKeyValue with the Encoder's
// options), writing a big value out in pieces as it is serialized.
func (e *Encoder) KeyValue(key []byte, o *keyspace.Object, expireMs int64, db int) error {
	if e.err != nil {
		return e.err
	}
	opts := e.opts
	opts.DB = db
	b, t, err := appendKeyHeader(e.buf[:0], key, o, expireMs, &opts)
	if err != nil {
		return err
	}
	// A value that fails (a module one) fails before anything is
	// spilled, so the record is never half written.
	b, err = appendBody(b, t, key, o, &opts, func(b []byte) []byte {
		e.write(b)
		return b[:0]
	})
	if err != nil {
		return err
	}
	e.buf = b
	return e.write(b)
}

// ModuleAux writes a module's aux data (RDB_OPCODE_MODULE_AUX): the type
// id, when (REDISMODULE_AUX_BEFORE_RDB or AFTER_RDB) and the payload in
// the module opcode format, terminated by ModOpEOF; its strings are
// written as Redis writes them (integer-encoded, compressed).
func (e *Encoder) ModuleAux(id uint64, when int, payload []byte) error {
	body, err := recodeModule(newBytesReader(payload), id, func(out, s []byte) []byte {
		return AppendString(out, s, e.opts.Compression)
	})
	if err != nil {
		return err
	}
	b := append(e.buf[:0], OpModuleAux)
	b = AppendLen(b, id)
	b = AppendLen(b, ModOpUInt)
	b = AppendLen(b, uint64(when))
	b = append(b, body...)
	e.buf = b
	return e.write(b)
}

// Function writes a function library (RDB_OPCODE_FUNCTION2) with its code.
func (e *Encoder) Function(code []byte) error {
	b := append(e.buf[:0], OpFunction2)
	b = AppendString(b, code, e.opts.Compression)
	e.buf = b
	return e.write(b)
}

// Footer writes the EOF opcode and the checksum (0 when checksums are
// off).
func (e *Encoder) Footer() error {
	if err := e.write([]byte{OpEOF}); err != nil {
		return err
	}
	var sum [8]byte
	if e.opts.Checksum {
		binary.LittleEndian.PutUint64(sum[:], e.crc)
	}
	save := e.opts.Checksum
	e.opts.Checksum = false
	err := e.write(sum[:])
	e.opts.Checksum = save
	return err
}

// DumpPayload returns a DUMP payload for o: the value, the RDB version as
// 2 bytes little endian and the CRC-64 of all that, 8 bytes little endian.
func DumpPayload(key []byte, o *keyspace.Object, opts *Options) ([]byte, error) {
	b, err := AppendValueOf(nil, key, o, opts)
	if err != nil {
		return nil, err
	}
	b = binary.LittleEndian.AppendUint16(b, Version)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b)), nil
}
