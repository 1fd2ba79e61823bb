package module

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/stream"
)

// The stream key API (RedisModule_Stream*): adding, deleting, iterating
// and trimming stream entries through an open key, with Redis's errno
// reporting.

// Stream API flags (REDISMODULE_STREAM_*).
const (
	StreamAddAutoID         = 1 << 0
	StreamIteratorExclusive = 1 << 0
	StreamIteratorReverse   = 1 << 1
	StreamTrimApprox        = 1 << 0
)

// Errno values only the stream API reports.
const (
	EFBIG  Errno = 27
	EDOM   Errno = 33
	ERANGE Errno = 34
)

// StreamID is RedisModuleStreamID.
type StreamID = stream.ID

// StreamHost is implemented by hosts that hold streams: the node size
// limits (stream-node-max-bytes, stream-node-max-entries) and waking
// clients blocked on a stream key after an append.
type StreamHost interface {
	StreamNodeLimits() (maxBytes, maxEntries int64)
	SignalStreamReady(db int, key []byte)
}

// streamKeyState is a key's stream iterator (Redis keeps it in
// key->iter and key->u.stream).
type streamKeyState struct {
	it   *stream.Iterator
	cur  StreamID // current entry, 0-0 when none (for IteratorDelete)
	left int64    // fields left to read with NextField
}

// streamOf returns the key's stream, or the errno for an empty key or
// another type.
func (k *Key) streamOf() (*stream.Stream, Errno) {
	o := k.value()
	if o == nil || o.Kind() != keyspace.KindStream {
		return nil, ENOTSUP
	}
	return (*stream.Stream)(o.Ptr()), 0
}

func (e *Engine) streamLimits() (maxBytes, maxEntries int64) {
	if sh, ok := e.host.(StreamHost); ok {
		return sh.StreamNodeLimits()
	}
	return 4096, 100
}

// StreamAdd is RedisModule_StreamAdd: append an entry with the field/value
// pairs fv (field, value, ...). Without StreamAddAutoID, *id is the ID to
// use; the ID added is stored in *id (if not nil). An empty key becomes a
// stream (left behind only if the append succeeds).
func StreamAdd(k *Key, flags int, id *StreamID, fv []*String) (int, Errno) {
	if k == nil || k.closed || len(fv)%2 != 0 {
		return ERR, EINVAL
	}
	o := k.value()
	if o != nil && o.Kind() != keyspace.KindStream {
		return ERR, ENOTSUP
	}
	if k.mode&Write == 0 {
		return ERR, EBADF
	}
	if flags&StreamAddAutoID == 0 && (id == nil || id.IsZero()) {
		return ERR, EDOM
	}
	created := false
	if o == nil {
		k.db.Add(k.name.Bytes(), keyspace.NewValue(keyspace.KindStream, keyspace.EncStream, unsafe.Pointer(stream.New())))
		created = true
		o = k.value()
	}
	s := (*stream.Stream)(o.Ptr())
	if s.LastID == stream.MaxID {
		return ERR, EFBIG
	}
	args := make([][]byte, len(fv))
	for i, f := range fv {
		args[i] = f.Bytes()
	}
	var use *StreamID
	if flags&StreamAddAutoID == 0 {
		use = id
	}
	maxBytes, maxEntries := k.ctx.eng.streamLimits()
	added, err := s.Add(args, use, true, uint64(k.ctx.eng.host.Now()), maxBytes, maxEntries)
	if err != nil {
		if created && s.Len() == 0 {
			k.ctx.eng.deleteKey(k.db, k.name.Bytes())
		}
		if err == stream.ErrIDTooSmall {
			return ERR, EDOM
		}
		return ERR, ERANGE
	}
	k.db.Reaccount(k.name.Bytes())
	if !created {
		// A new key already signalled readiness when it was added.
		if sh, ok := k.ctx.eng.host.(StreamHost); ok {
			sh.SignalStreamReady(k.dbID, k.name.Bytes())
		}
		k.ctx.eng.KeyReady(k.dbID, k.name.Bytes())
	}
	if id != nil {
		*id = added
	}
	return OK, 0
}

// StreamDelete is RedisModule_StreamDelete: delete the entry id. It fails
// with EBADF while an iterator is open (use StreamIteratorDelete).
func StreamDelete(k *Key, id *StreamID) (int, Errno) {
	if k == nil || k.closed || id == nil {
		return ERR, EINVAL
	}
	s, e := k.streamOf()
	if e != 0 {
		return ERR, e
	}
	if k.mode&Write == 0 || k.stream != nil {
		return ERR, EBADF
	}
	if !s.Delete(*id) {
		return ERR, ENOENT
	}
	k.db.Reaccount(k.name.Bytes())
	return OK, 0
}

// StreamIteratorStart is RedisModule_StreamIteratorStart: iterate the
// entries between start and end (nil = the stream's ends), inclusive
// unless StreamIteratorExclusive, in reverse with StreamIteratorReverse.
func StreamIteratorStart(k *Key, flags int, start, end *StreamID) (int, Errno) {
	if k == nil || k.closed || flags&^(StreamIteratorExclusive|StreamIteratorReverse) != 0 {
		return ERR, EINVAL
	}
	s, e := k.streamOf()
	if e != 0 {
		return ERR, e
	}
	if k.stream != nil {
		return ERR, EBADF
	}
	lower, upper := StreamID{}, stream.MaxID
	if start != nil {
		lower = *start
	}
	if end != nil {
		upper = *end
	}
	if flags&StreamIteratorExclusive != 0 {
		var ok1, ok2 bool
		lower, ok1 = lower.Incr()
		upper, ok2 = upper.Decr()
		if !ok1 || !ok2 {
			return ERR, EDOM
		}
	}
	k.stream = &streamKeyState{it: s.Iter(lower, upper, flags&StreamIteratorReverse != 0)}
	return OK, 0
}

// streamIter checks the common preconditions of the iterator calls.
func (k *Key) streamIter() (*streamKeyState, Errno) {
	if k == nil || k.closed {
		return nil, EINVAL
	}
	if _, e := k.streamOf(); e != 0 {
		return nil, e
	}
	if k.stream == nil {
		return nil, EBADF
	}
	return k.stream, 0
}

// StreamIteratorStop is RedisModule_StreamIteratorStop.
func StreamIteratorStop(k *Key) (int, Errno) {
	if _, e := k.streamIter(); e != 0 {
		return ERR, e
	}
	k.stream = nil
	return OK, 0
}

// StreamIteratorNextID is RedisModule_StreamIteratorNextID: move to the
// next entry and return its ID and number of fields; ENOENT at the end.
func StreamIteratorNextID(k *Key) (id StreamID, numFields int64, ret int, errno Errno) {
	st, e := k.streamIter()
	if e != 0 {
		return StreamID{}, 0, ERR, e
	}
	nid, nf, ok := st.it.Next()
	if !ok {
		st.cur, st.left = StreamID{}, 0
		return StreamID{}, 0, ERR, ENOENT
	}
	st.cur, st.left = nid, int64(nf)
	return nid, int64(nf), OK, 0
}

// StreamIteratorNextField is RedisModule_StreamIteratorNextField: the next
// field and value of the current entry (strings auto-freed with the
// key's context when auto memory is on); ENOENT when none is left.
func StreamIteratorNextField(k *Key) (field, value *String, ret int, errno Errno) {
	st, e := k.streamIter()
	if e != 0 {
		return nil, nil, ERR, e
	}
	if st.left <= 0 {
		return nil, nil, ERR, ENOENT
	}
	f, v := st.it.Field()
	st.left--
	return k.ctx.newString(f), k.ctx.newString(v), OK, 0
}

// StreamIteratorDelete is RedisModule_StreamIteratorDelete: delete the
// entry last returned by NextID; iteration goes on after it.
func StreamIteratorDelete(k *Key) (int, Errno) {
	if k == nil || k.closed {
		return ERR, EINVAL
	}
	if _, e := k.streamOf(); e != 0 {
		return ERR, e
	}
	if k.mode&Write == 0 || k.stream == nil {
		return ERR, EBADF
	}
	st := k.stream
	if st.cur.IsZero() {
		return ERR, ENOENT
	}
	st.it.Remove()
	st.cur, st.left = StreamID{}, 0
	k.db.Reaccount(k.name.Bytes())
	return OK, 0
}

// streamTrim checks the trim preconditions and trims.
func streamTrim(k *Key, flags int, a stream.TrimArgs) (int64, Errno) {
	if k == nil || k.closed || flags&^StreamTrimApprox != 0 {
		return -1, EINVAL
	}
	s, e := k.streamOf()
	if e != 0 {
		return -1, e
	}
	if k.mode&Write == 0 {
		return -1, EBADF
	}
	a.Approx = flags&StreamTrimApprox != 0
	if a.Approx {
		_, maxEntries := k.ctx.eng.streamLimits()
		a.Limit = 100 * maxEntries
	}
	n := s.Trim(a)
	k.db.Reaccount(k.name.Bytes())
	return n, 0
}

// StreamTrimByLength is RedisModule_StreamTrimByLength: the number of
// entries removed, or -1 with the errno.
func StreamTrimByLength(k *Key, flags int, length int64) (int64, Errno) {
	if length < 0 {
		return -1, EINVAL
	}
	return streamTrim(k, flags, stream.TrimArgs{Strategy: stream.TrimMaxLen, MaxLen: length})
}

// StreamTrimByID is RedisModule_StreamTrimByID: remove the entries below
// id; the number removed, or -1 with the errno.
func StreamTrimByID(k *Key, flags int, id *StreamID) (int64, Errno) {
	if id == nil {
		return -1, EINVAL
	}
	return streamTrim(k, flags, stream.TrimArgs{Strategy: stream.TrimMinID, MinID: *id})
}

// CreateStringFromStreamID is RedisModule_CreateStringFromStreamID.
func (ctx *Ctx) CreateStringFromStreamID(id StreamID) *String {
	return ctx.newString(id.Append(nil))
}

// StringToStreamID is RedisModule_StringToStreamID: parse "ms-seq", "ms",
// "-" or "+".
func StringToStreamID(s *String) (StreamID, int) {
	id, _, ok := stream.ParseID(s.Bytes(), 0, false, false)
	if !ok {
		return StreamID{}, ERR
	}
	return id, OK
}
