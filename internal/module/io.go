package module

import (
	"crypto/sha1"
	"encoding/binary"
	"math"
	"strconv"

	"github.com/modis/modis/internal/lzf"
	"github.com/modis/modis/internal/persist/rdb"
	"github.com/modis/modis/internal/types/str"
)

// RDB module-value opcodes (RDB_MODULE_OPCODE_*).
const (
	opEOF    = 0
	opSInt   = 1
	opUInt   = 2
	opFloat  = 3
	opDouble = 4
	opString = 5
)

// IO is RedisModuleIO: the stream a type's rdb_save writes to and rdb_load
// reads from. The payload uses Redis's RDB encoding of module values
// (opcode-annotated, RDB_TYPE_MODULE_2), so the persistence layer can
// write it to an RDB file as is.
type IO struct {
	eng   *Engine
	typ   *DataType
	key   *String
	db    int
	buf   []byte
	pos   int
	err   bool
	ctx   *Ctx
	aof   [][][]byte // EmitAOF output
	bytes int
}

// NewSaveIO starts serializing a value of t stored under key in db.
func (e *Engine) NewSaveIO(t *DataType, key []byte, db int) *IO {
	return &IO{eng: e, typ: t, key: NewString(key), db: db}
}

// NewLoadIO reads a payload written through a save IO.
func (e *Engine) NewLoadIO(t *DataType, payload []byte, key []byte, db int) *IO {
	return &IO{eng: e, typ: t, key: NewString(key), db: db, buf: payload}
}

// Bytes returns what was saved, terminated by the EOF opcode.
func (io *IO) Bytes() []byte { return appendRDBLen(append([]byte(nil), io.buf...), opEOF) }

// SaveValue serializes a module value with its type's rdb_save: the type
// id and the payload (EOF-terminated).
func (e *Engine) SaveValue(key []byte, db int, t *DataType, value any) (uint64, []byte) {
	io := e.NewSaveIO(t, key, db)
	if t.Methods.RdbSave != nil {
		t.Methods.RdbSave(io, value)
	}
	return t.ID, io.Bytes()
}

// LoadValue decodes a payload with the type's rdb_load; ok is false when
// the type is unknown, rdb_load returned nil, or the payload was bad.
func (e *Engine) LoadValue(id uint64, payload []byte, key []byte, db int) (t *DataType, value any, ok bool) {
	t, value, err := e.LoadValueErr(id, payload, key, db)
	return t, value, err == nil
}

// LoadError is why a module value could not be loaded, worded as Redis
// reports a corrupt RDB; RESTORE answers "Bad data format" for any.
type LoadError struct{ Msg string }

func (e *LoadError) Error() string { return e.Msg }

// LoadValueErr is LoadValue with the reason of a refusal. A value that
// rdb_load returned despite a read error or a missing EOF marker is freed
// through the type's free method. (Redis aborts on a short read unless the
// module set OPTIONS_HANDLE_IO_ERRORS; Modis refuses the value instead.)
func (e *Engine) LoadValueErr(id uint64, payload []byte, key []byte, db int) (*DataType, any, error) {
	t := e.TypeByID(id)
	if t == nil || t.Methods.RdbLoad == nil {
		return t, nil, &LoadError{"The RDB file contains module data I can't load: no matching module type '" + TypeNameFromID(id) + "'"}
	}
	io := e.NewLoadIO(t, payload, key, db)
	value := t.Methods.RdbLoad(io, int(id&1023))
	var err error
	switch {
	case io.err:
		err = &LoadError{"Error loading data from RDB (short read or EOF). Read performed by module '" + t.moduleName() +
			"' about type '" + t.Name + "' after reading '" + strconv.Itoa(io.pos) + "' bytes of a value for key named: '" + string(key) + "'."}
	case value == nil:
		err = &LoadError{"The RDB file contains module data for the module type '" + t.Name + "', that the responsible module is not able to load. Check for modules log above for additional clues."}
	default:
		if op, ok := io.readLen(); !ok || op != opEOF {
			err = &LoadError{"The RDB file contains module data for the module '" + t.Name + "' that is not terminated by the proper module value EOF marker"}
		}
	}
	if err != nil {
		if value != nil && t.Methods.Free != nil {
			t.Methods.Free(value)
		}
		return t, nil, err
	}
	return t, value, nil
}

func (t *DataType) moduleName() string {
	if t.module == nil {
		return "?"
	}
	return t.module.Name
}

// appendRDBLen is Redis's rdbSaveLen encoding.
func appendRDBLen(dst []byte, n uint64) []byte {
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

func (io *IO) readLen() (uint64, bool) {
	if io.pos >= len(io.buf) {
		return 0, false
	}
	b := io.buf[io.pos]
	switch b >> 6 {
	case 0:
		io.pos++
		return uint64(b & 0x3f), true
	case 1:
		if io.pos+2 > len(io.buf) {
			return 0, false
		}
		v := uint64(b&0x3f)<<8 | uint64(io.buf[io.pos+1])
		io.pos += 2
		return v, true
	}
	switch b {
	case 0x80:
		if io.pos+5 > len(io.buf) {
			return 0, false
		}
		v := binary.BigEndian.Uint32(io.buf[io.pos+1:])
		io.pos += 5
		return uint64(v), true
	case 0x81:
		if io.pos+9 > len(io.buf) {
			return 0, false
		}
		v := binary.BigEndian.Uint64(io.buf[io.pos+1:])
		io.pos += 9
		return v, true
	}
	return 0, false
}

// fail marks an IO error. Redis kills the server on a bad payload unless
// the module handles IO errors; Modis never does, it logs instead.
func (io *IO) fail(what string) {
	if !io.err && (io.typ == nil || io.typ.module == nil || io.typ.module.options&OptionsHandleIOErrors == 0) {
		io.eng.host.Logf(LogWarning, "Error loading data from RDB (short read or bad format) in module type %s: %s", io.typeName(), what)
	}
	io.err = true
}

func (io *IO) typeName() string {
	if io.typ == nil {
		return "?"
	}
	return io.typ.Name
}

func (io *IO) expect(op uint64) bool {
	if io.err {
		return false
	}
	got, ok := io.readLen()
	if !ok || got != op {
		io.fail("unexpected opcode")
		return false
	}
	return true
}

// IsIOError is RedisModule_IsIOError.
func IsIOError(io *IO) bool { return io.err }

// SaveUnsigned is RedisModule_SaveUnsigned.
func SaveUnsigned(io *IO, v uint64) {
	io.buf = appendRDBLen(appendRDBLen(io.buf, opUInt), v)
}

// LoadUnsigned is RedisModule_LoadUnsigned.
func LoadUnsigned(io *IO) uint64 {
	if !io.expect(opUInt) {
		return 0
	}
	v, ok := io.readLen()
	if !ok {
		io.fail("short read")
		return 0
	}
	return v
}

// SaveSigned is RedisModule_SaveSigned (two's complement, UINT opcode).
func SaveSigned(io *IO, v int64) { SaveUnsigned(io, uint64(v)) }

// LoadSigned is RedisModule_LoadSigned.
func LoadSigned(io *IO) int64 { return int64(LoadUnsigned(io)) }

// SaveStringBuffer is RedisModule_SaveStringBuffer (and SaveString): the
// string in Redis's RDB string encoding (rdbSaveRawString), integer
// encoded when it is a small canonical integer and LZF compressed when
// rdbcompression is on and it is longer than 20 bytes, so payloads
// (RDB, DUMP, SaveDataTypeToString) are byte for byte Redis's.
func SaveStringBuffer(io *IO, b []byte) {
	io.buf = rdb.AppendString(appendRDBLen(io.buf, opString), b, io.eng.rdbCompression())
}

// RDBCompressionHost is implemented by a host that has the rdbcompression
// setting (without it, module strings are not compressed).
type RDBCompressionHost interface {
	RDBCompression() bool
}

func (e *Engine) rdbCompression() bool {
	ch, ok := e.host.(RDBCompressionHost)
	return ok && ch.RDBCompression()
}

// readString reads an RDB string: plain, integer encoded or LZF
// compressed (rdbGenericLoadStringObject); a fresh copy.
func (io *IO) readString() ([]byte, bool) {
	if io.pos >= len(io.buf) {
		return nil, false
	}
	b := io.buf[io.pos]
	if b>>6 != 3 {
		n, ok := io.readLen()
		if !ok || uint64(len(io.buf)-io.pos) < n {
			return nil, false
		}
		s := append([]byte(nil), io.buf[io.pos:io.pos+int(n)]...)
		io.pos += int(n)
		return s, true
	}
	io.pos++
	rest := io.buf[io.pos:]
	switch b & 0x3f {
	case 0: // int8
		if len(rest) < 1 {
			return nil, false
		}
		io.pos++
		return strconv.AppendInt(nil, int64(int8(rest[0])), 10), true
	case 1: // int16, little endian
		if len(rest) < 2 {
			return nil, false
		}
		io.pos += 2
		return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(rest))), 10), true
	case 2: // int32, little endian
		if len(rest) < 4 {
			return nil, false
		}
		io.pos += 4
		return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(rest))), 10), true
	case 3: // LZF: compressed length, original length, data
		clen, ok1 := io.readLen()
		ulen, ok2 := io.readLen()
		// An LZF back reference yields at most 264 bytes from 3: a larger
		// claimed length is corrupt, not a reason to allocate it.
		if !ok1 || !ok2 || uint64(len(io.buf)-io.pos) < clen || ulen > clen*100+64 {
			return nil, false
		}
		out, err := lzf.Decompress(io.buf[io.pos:io.pos+int(clen)], int(ulen))
		if err != nil || len(out) != int(ulen) {
			return nil, false
		}
		io.pos += int(clen)
		return out, true
	}
	return nil, false
}

// SaveString is RedisModule_SaveString.
func SaveString(io *IO, s *String) { SaveStringBuffer(io, s.Bytes()) }

// LoadStringBuffer is RedisModule_LoadStringBuffer: a copy the module
// owns.
func LoadStringBuffer(io *IO) []byte {
	if !io.expect(opString) {
		return nil
	}
	b, ok := io.readString()
	if !ok {
		io.fail("short read")
		return nil
	}
	return b
}

// LoadString is RedisModule_LoadString.
func LoadString(io *IO) *String {
	b := LoadStringBuffer(io)
	if b == nil && io.err {
		return nil
	}
	return NewString(b)
}

// SaveDouble is RedisModule_SaveDouble (binary, little endian).
func SaveDouble(io *IO, d float64) {
	io.buf = appendRDBLen(io.buf, opDouble)
	io.buf = binary.LittleEndian.AppendUint64(io.buf, math.Float64bits(d))
}

// LoadDouble is RedisModule_LoadDouble.
func LoadDouble(io *IO) float64 {
	if !io.expect(opDouble) {
		return 0
	}
	if io.pos+8 > len(io.buf) {
		io.fail("short read")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(io.buf[io.pos:]))
	io.pos += 8
	return v
}

// SaveFloat is RedisModule_SaveFloat.
func SaveFloat(io *IO, f float32) {
	io.buf = appendRDBLen(io.buf, opFloat)
	io.buf = binary.LittleEndian.AppendUint32(io.buf, math.Float32bits(f))
}

// LoadFloat is RedisModule_LoadFloat.
func LoadFloat(io *IO) float32 {
	if !io.expect(opFloat) {
		return 0
	}
	if io.pos+4 > len(io.buf) {
		io.fail("short read")
		return 0
	}
	v := math.Float32frombits(binary.LittleEndian.Uint32(io.buf[io.pos:]))
	io.pos += 4
	return v
}

// SaveLongDouble is RedisModule_SaveLongDouble: as Redis, the value as
// printf("%La") formats an x87 long double, saved as a string buffer (the
// long double's layout differs between platforms).
func SaveLongDouble(io *IO, ld str.LongDouble) {
	SaveStringBuffer(io, ld.AppendHex(nil))
}

// LoadLongDouble is RedisModule_LoadLongDouble: the saved string parsed as
// strtold would (decimal or hexadecimal); 0 after an IO error or for an
// unparsable string.
func LoadLongDouble(io *IO) str.LongDouble {
	b := LoadStringBuffer(io)
	if io.err {
		return str.LongDouble{}
	}
	ld, _ := str.ParseLongDouble(b)
	return ld
}

// EmitAOF is RedisModule_EmitAOF once formatted: record a command that
// rebuilds the value (AOF rewrite consumes Emitted).
func EmitAOF(io *IO, cmd string, argv [][]byte) {
	full := append([][]byte{[]byte(cmd)}, copyArgv(argv)...)
	io.aof = append(io.aof, full)
}

// Emitted returns the commands EmitAOF recorded.
func (io *IO) Emitted() [][][]byte { return io.aof }

// GetKeyNameFromIO is RedisModule_GetKeyNameFromIO.
func GetKeyNameFromIO(io *IO) *String { return io.key }

// GetDbIdFromIO is RedisModule_GetDbIdFromIO.
func GetDbIdFromIO(io *IO) int { return io.db }

// GetContextFromIO is RedisModule_GetContextFromIO: a context without a
// client (logging, allocation), one per IO.
func GetContextFromIO(io *IO) *Ctx {
	if io.ctx == nil {
		var m *Module
		if io.typ != nil {
			m = io.typ.module
		}
		// Not an execution unit: IO contexts are never freed.
		io.ctx = &Ctx{eng: io.eng, module: m, flags: ctxTempClient}
	}
	return io.ctx
}

// LogIOError is RedisModule_LogIOError.
func LogIOError(io *IO, level string, msg string) {
	GetContextFromIO(io).Log(level, msg)
}

// Digest is RedisModuleDigest (DEBUG DIGEST); the digest command is not
// implemented yet, so the accumulated value is only kept.
type Digest struct {
	o, x [20]byte
	key  *String
	db   int
}

// DigestAddStringBuffer is RedisModule_DigestAddStringBuffer.
func DigestAddStringBuffer(d *Digest, b []byte) { mixDigest(&d.o, b) }

// DigestAddLongLong is RedisModule_DigestAddLongLong.
func DigestAddLongLong(d *Digest, v int64) {
	mixDigest(&d.o, strconv.AppendInt(nil, v, 10))
}

// DigestEndSequence is RedisModule_DigestEndSequence.
func DigestEndSequence(d *Digest) {
	h := sha1.Sum(d.o[:])
	for i := range d.x {
		d.x[i] ^= h[i]
	}
	d.o = [20]byte{}
}

// SaveDataTypeToString is RedisModule_SaveDataTypeToString: the value as
// its rdb_save writes it (no EOF marker), nil if the type cannot save.
func (ctx *Ctx) SaveDataTypeToString(value any, t *DataType) *String {
	if t == nil || t.Methods.RdbSave == nil {
		return nil
	}
	io := ctx.eng.NewSaveIO(t, nil, ctx.dbID())
	t.Methods.RdbSave(io, value)
	if io.err {
		return nil
	}
	return ctx.newString(io.buf)
}

// LoadDataTypeFromStringEncver is
// RedisModule_LoadDataTypeFromStringEncver: rdb_load over a string made by
// SaveDataTypeToString; nil on error.
func (ctx *Ctx) LoadDataTypeFromStringEncver(s *String, t *DataType, encver int) any {
	if t == nil || t.Methods.RdbLoad == nil {
		return nil
	}
	io := ctx.eng.NewLoadIO(t, s.Bytes(), nil, ctx.dbID())
	v := t.Methods.RdbLoad(io, encver)
	if io.err {
		return nil
	}
	return v
}

// LoadDataTypeFromString is RedisModule_LoadDataTypeFromString (encver 0).
func (ctx *Ctx) LoadDataTypeFromString(s *String, t *DataType) any {
	return ctx.LoadDataTypeFromStringEncver(s, t, 0)
}
