package module

import engine "github.com/modis/modis/internal/module"

// Stream API flags (REDISMODULE_STREAM_*).
const (
	StreamAddAutoID         = engine.StreamAddAutoID
	StreamIteratorExclusive = engine.StreamIteratorExclusive
	StreamIteratorReverse   = engine.StreamIteratorReverse
	StreamTrimApprox        = engine.StreamTrimApprox
)

// StreamID is RedisModuleStreamID: milliseconds and sequence number.
type StreamID = engine.StreamID

// errnoErr turns an engine errno into the error Go callers get.
func errnoErr(errno Errno) error {
	if errno == 0 {
		return nil
	}
	return &CallError{Errno: errno}
}

// StreamAdd is RedisModule_StreamAdd: append an entry of field/value
// pairs (field, value, ...). With StreamAddAutoID the ID is generated,
// otherwise id is used; the ID added is returned.
func (k *Key) StreamAdd(flags int, id StreamID, fieldsValues ...[]byte) (StreamID, error) {
	fv := make([]*engine.String, len(fieldsValues))
	for i, b := range fieldsValues {
		fv[i] = engine.NewString(b)
	}
	_, errno := engine.StreamAdd(k.raw(), flags, &id, fv)
	return id, errnoErr(errno)
}

// StreamDelete is RedisModule_StreamDelete.
func (k *Key) StreamDelete(id StreamID) error {
	_, errno := engine.StreamDelete(k.raw(), &id)
	return errnoErr(errno)
}

// StreamIteratorStart is RedisModule_StreamIteratorStart; nil bounds are
// the ends of the stream.
func (k *Key) StreamIteratorStart(flags int, start, end *StreamID) error {
	_, errno := engine.StreamIteratorStart(k.raw(), flags, start, end)
	return errnoErr(errno)
}

// StreamIteratorStop is RedisModule_StreamIteratorStop.
func (k *Key) StreamIteratorStop() error {
	_, errno := engine.StreamIteratorStop(k.raw())
	return errnoErr(errno)
}

// StreamIteratorNextID is RedisModule_StreamIteratorNextID: the next
// entry's ID and number of fields (an error with ENOENT at the end).
func (k *Key) StreamIteratorNextID() (StreamID, int64, error) {
	id, n, _, errno := engine.StreamIteratorNextID(k.raw())
	return id, n, errnoErr(errno)
}

// StreamIteratorNextField is RedisModule_StreamIteratorNextField.
func (k *Key) StreamIteratorNextField() (field, value []byte, err error) {
	f, v, _, errno := engine.StreamIteratorNextField(k.raw())
	if errno != 0 {
		return nil, nil, errnoErr(errno)
	}
	return f.Bytes(), v.Bytes(), nil
}

// StreamIteratorDelete is RedisModule_StreamIteratorDelete.
func (k *Key) StreamIteratorDelete() error {
	_, errno := engine.StreamIteratorDelete(k.raw())
	return errnoErr(errno)
}

// StreamTrimByLength is RedisModule_StreamTrimByLength: the number of
// entries removed.
func (k *Key) StreamTrimByLength(flags int, length int64) (int64, error) {
	n, errno := engine.StreamTrimByLength(k.raw(), flags, length)
	return n, errnoErr(errno)
}

// StreamTrimByID is RedisModule_StreamTrimByID: the number of entries
// removed.
func (k *Key) StreamTrimByID(flags int, id StreamID) (int64, error) {
	n, errno := engine.StreamTrimByID(k.raw(), flags, &id)
	return n, errnoErr(errno)
}

// StringToStreamID is RedisModule_StringToStreamID.
func StringToStreamID(s []byte) (StreamID, error) {
	id, ret := engine.StringToStreamID(engine.NewString(s))
	return id, status(ret)
}

// StreamIDString is RedisModule_CreateStringFromStreamID: "ms-seq".
func StreamIDString(id StreamID) []byte { return id.Append(nil) }
