package module

import engine "github.com/modis/modis/internal/module"

// TypeMethods is RedisModuleTypeMethods for Go values.
type TypeMethods struct {
	RdbLoad    func(io *IO, encver int) any        // rdb_load: nil means corrupt data
	RdbSave    func(io *IO, value any)             // rdb_save
	AofRewrite func(io *IO, key []byte, value any) // aof_rewrite: EmitAOF commands
	MemUsage   func(value any) uint64              // mem_usage
	Digest     func(d *Digest, value any)          // digest
	Free       func(value any)                     // free
	// Copy is the copy method (COPY): a new value for toKey, or nil when
	// the value cannot be copied.
	Copy func(fromKey, toKey []byte, value any) any
}

// DataType is RedisModuleType.
type DataType struct{ t *engine.DataType }

// CreateDataType is RedisModule_CreateDataType: name must be 9
// characters of A-Z a-z 0-9 - _, encver 0..1023.
func (ctx *Ctx) CreateDataType(name string, encver int, tm *TypeMethods) (*DataType, error) {
	etm := &engine.TypeMethods{MemUsage: tm.MemUsage, Free: tm.Free}
	if tm.RdbLoad != nil {
		etm.RdbLoad = func(io *engine.IO, encver int) any { return tm.RdbLoad(&IO{io: io}, encver) }
	}
	if tm.RdbSave != nil {
		etm.RdbSave = func(io *engine.IO, v any) { tm.RdbSave(&IO{io: io}, v) }
	}
	if tm.AofRewrite != nil {
		etm.AofRewrite = func(io *engine.IO, key *engine.String, v any) { tm.AofRewrite(&IO{io: io}, key.Bytes(), v) }
	}
	if tm.Digest != nil {
		etm.Digest = func(d *engine.Digest, v any) { tm.Digest(&Digest{d: d}, v) }
	}
	if tm.Copy != nil {
		etm.Copy = func(from, to *engine.String, v any) any { return tm.Copy(from.Bytes(), to.Bytes(), v) }
	}
	t := ctx.c.CreateDataType(name, encver, etm)
	if t == nil {
		return nil, ErrFailed
	}
	dt := &DataType{t: t}
	t.Owner = dt
	return dt, nil
}

// Name is the type's 9-character name.
func (t *DataType) Name() string { return t.t.Name }

// ModuleTypeSetValue is RedisModule_ModuleTypeSetValue.
func (k *Key) ModuleTypeSetValue(t *DataType, value any) error {
	return status(engine.ModuleTypeSetValue(k.raw(), t.t, value))
}

// ModuleTypeGetType is RedisModule_ModuleTypeGetType: nil unless the key
// holds a module value. Compare it with your own *DataType.
func (k *Key) ModuleTypeGetType() *DataType {
	t := engine.ModuleTypeGetType(k.raw())
	if t == nil {
		return nil
	}
	dt, _ := t.Owner.(*DataType)
	return dt
}

// ModuleTypeGetValue is RedisModule_ModuleTypeGetValue.
func (k *Key) ModuleTypeGetValue() any { return engine.ModuleTypeGetValue(k.raw()) }

// ModuleTypeReplaceValue is RedisModule_ModuleTypeReplaceValue.
func (k *Key) ModuleTypeReplaceValue(t *DataType, value any) (old any, err error) {
	old, ret := engine.ModuleTypeReplaceValue(k.raw(), t.t, value)
	return old, status(ret)
}

// IO is RedisModuleIO.
type IO struct{ io *engine.IO }

// SaveUnsigned is RedisModule_SaveUnsigned.
func (io *IO) SaveUnsigned(v uint64) { engine.SaveUnsigned(io.io, v) }

// LoadUnsigned is RedisModule_LoadUnsigned.
func (io *IO) LoadUnsigned() uint64 { return engine.LoadUnsigned(io.io) }

// SaveSigned is RedisModule_SaveSigned.
func (io *IO) SaveSigned(v int64) { engine.SaveSigned(io.io, v) }

// LoadSigned is RedisModule_LoadSigned.
func (io *IO) LoadSigned() int64 { return engine.LoadSigned(io.io) }

// SaveStringBuffer is RedisModule_SaveStringBuffer.
func (io *IO) SaveStringBuffer(b []byte) { engine.SaveStringBuffer(io.io, b) }

// LoadStringBuffer is RedisModule_LoadStringBuffer.
func (io *IO) LoadStringBuffer() []byte { return engine.LoadStringBuffer(io.io) }

// SaveDouble is RedisModule_SaveDouble.
func (io *IO) SaveDouble(d float64) { engine.SaveDouble(io.io, d) }

// LoadDouble is RedisModule_LoadDouble.
func (io *IO) LoadDouble() float64 { return engine.LoadDouble(io.io) }

// SaveFloat is RedisModule_SaveFloat.
func (io *IO) SaveFloat(f float32) { engine.SaveFloat(io.io, f) }

// LoadFloat is RedisModule_LoadFloat.
func (io *IO) LoadFloat() float32 { return engine.LoadFloat(io.io) }

// SaveLongDouble is RedisModule_SaveLongDouble.
func (io *IO) SaveLongDouble(d LongDouble) { engine.SaveLongDouble(io.io, d) }

// LoadLongDouble is RedisModule_LoadLongDouble.
func (io *IO) LoadLongDouble() LongDouble { return engine.LoadLongDouble(io.io) }

// IsIOError is RedisModule_IsIOError.
func (io *IO) IsIOError() bool { return engine.IsIOError(io.io) }

// EmitAOF is RedisModule_EmitAOF (format as Call).
func (io *IO) EmitAOF(cmd string, format string, args ...any) {
	argv, ok := formatPlain(format, args)
	if ok {
		engine.EmitAOF(io.io, cmd, argv)
	}
}

// KeyName is RedisModule_GetKeyNameFromIO.
func (io *IO) KeyName() []byte { return engine.GetKeyNameFromIO(io.io).Bytes() }

// DbID is RedisModule_GetDbIdFromIO.
func (io *IO) DbID() int { return engine.GetDbIdFromIO(io.io) }

// Digest is RedisModuleDigest.
type Digest struct{ d *engine.Digest }

// AddStringBuffer is RedisModule_DigestAddStringBuffer.
func (d *Digest) AddStringBuffer(b []byte) { engine.DigestAddStringBuffer(d.d, b) }

// AddLongLong is RedisModule_DigestAddLongLong.
func (d *Digest) AddLongLong(v int64) { engine.DigestAddLongLong(d.d, v) }

// EndSequence is RedisModule_DigestEndSequence.
func (d *Digest) EndSequence() { engine.DigestEndSequence(d.d) }

// formatPlain converts Call-style arguments (no flag characters).
func formatPlain(format string, args []any) ([][]byte, bool) {
	conv := make([]any, len(args))
	f := []byte(format)
	for i, a := range args {
		if b, ok := a.([]byte); ok {
			conv[i] = engine.NewString(b)
		} else {
			conv[i] = a
		}
	}
	for i, ch := range f {
		if ch == 'b' {
			f[i] = 's'
		}
	}
	argv, _, ok := engine.FormatArgs(string(f), conv...)
	return argv, ok
}

// SaveDataTypeToString is RedisModule_SaveDataTypeToString: value as t's
// rdb_save serializes it.
func (ctx *Ctx) SaveDataTypeToString(value any, t *DataType) ([]byte, error) {
	s := ctx.c.SaveDataTypeToString(value, t.t)
	if s == nil {
		return nil, ErrFailed
	}
	return s.Bytes(), nil
}

// LoadDataTypeFromString is RedisModule_LoadDataTypeFromStringEncver:
// t's rdb_load over bytes made by SaveDataTypeToString.
func (ctx *Ctx) LoadDataTypeFromString(b []byte, t *DataType, encver int) (any, error) {
	v := ctx.c.LoadDataTypeFromStringEncver(engine.NewString(b), t.t, encver)
	if v == nil {
		return nil, ErrFailed
	}
	return v, nil
}
