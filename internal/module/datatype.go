package module

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
)

// TypeMethodVersion is REDISMODULE_TYPE_METHOD_VERSION of Redis 7.0.
const TypeMethodVersion = 4

// Aux save triggers (REDISMODULE_AUX_BEFORE_RDB / AFTER_RDB).
const (
	AuxBeforeRDB = 1 << 0
	AuxAfterRDB  = 1 << 1
)

// TypeMethods is RedisModuleTypeMethods. Values are opaque to the server
// (any). Every method is optional except RdbLoad and RdbSave, which RDB
// persistence needs.
type TypeMethods struct {
	RdbLoad         func(io *IO, encver int) any
	RdbSave         func(io *IO, value any)
	AofRewrite      func(io *IO, key *String, value any)
	MemUsage        func(value any) uint64
	Digest          func(d *Digest, value any)
	Free            func(value any)
	AuxLoad         func(io *IO, encver int, when int) int
	AuxSave         func(io *IO, when int)
	AuxSaveTriggers int
	FreeEffort      func(key *String, value any) uint64
	Unlink          func(key *String, value any)
	Copy            func(fromKey, toKey *String, value any) any
}

// DataType is RedisModuleType: a module data type.
type DataType struct {
	Name    string
	EncVer  int
	ID      uint64 // the 64-bit type id written to RDB
	Methods TypeMethods
	// Owner is free for the front-end that created the type (the Go
	// package keeps its own handle here).
	Owner  any
	module *Module
	v4     *TypeMethods4 // v4 methods (SetTypeMethods4), nil if none
}

// moduleValue is what a module value's keyspace pointer points at
// (Redis's moduleValue).
type moduleValue struct {
	typ   *DataType
	value any
}

const typeNameCharset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// TypeID computes the RDB type id of a 9-character name and an encoding
// version; ok is false for an invalid name or encver.
func TypeID(name string, encver int) (uint64, bool) {
	if len(name) != 9 || encver < 0 || encver > 1023 {
		return 0, false
	}
	var id uint64
	for i := 0; i < 9; i++ {
		p := -1
		for j := 0; j < len(typeNameCharset); j++ {
			if typeNameCharset[j] == name[i] {
				p = j
				break
			}
		}
		if p < 0 {
			return 0, false
		}
		id = id<<6 | uint64(p)
	}
	return id<<10 | uint64(encver), true
}

// TypeNameFromID decodes the 9-character name of a type id (for error
// messages about unknown types in an RDB).
func TypeNameFromID(id uint64) string {
	b := make([]byte, 9)
	id >>= 10
	for i := 8; i >= 0; i-- {
		b[i] = typeNameCharset[id&63]
		id >>= 6
	}
	return string(b)
}

// CreateDataType is RedisModule_CreateDataType: nil for a bad name or
// encoding version, a name another module registered, or a context
// without a module.
func (ctx *Ctx) CreateDataType(name string, encver int, tm *TypeMethods) *DataType {
	if ctx.module == nil || tm == nil {
		return nil
	}
	id, ok := TypeID(name, encver)
	if !ok {
		return nil
	}
	// A name another module registered is refused. As in Redis 7.0 (whose
	// check only sees modules already loaded), the loading module may
	// register a name twice; RDB loading finds the first.
	if old := ctx.eng.types[name]; old != nil && old.module != ctx.module {
		return nil
	}
	t := &DataType{Name: name, EncVer: encver, ID: id, Methods: *tm, module: ctx.module}
	if ctx.eng.types[name] == nil {
		ctx.eng.types[name] = t
	}
	ctx.module.types = append(ctx.module.types, t)
	ctx.eng.host.Keyspace().Hooks.FreeModule = ctx.eng.FreeValue
	ctx.eng.host.Keyspace().Hooks.UnlinkModule = func(db *keyspace.DB, key []byte, o *keyspace.Object) {
		UnlinkValue(o, key, db.ID)
	}
	ctx.eng.host.Keyspace().Hooks.FreeEffortModule = func(db *keyspace.DB, key []byte, o *keyspace.Object) {
		FreeEffortValue(o, key, db.ID)
	}
	return t
}

// TypeByID finds a registered type by RDB id (name and encver), for RDB
// loading; the encver of the id may be older than the type's.
func (e *Engine) TypeByID(id uint64) *DataType {
	for _, t := range e.types {
		if t.ID>>10 == id>>10 {
			return t
		}
	}
	return nil
}

func init() { keyspace.ModuleValueFree = freeModuleValue }

// FreeValue releases a module value leaving the keyspace through its
// type's free method (the keyspace's FreeModule hook).
func (e *Engine) FreeValue(o *keyspace.Object) { freeModuleValue(o) }

func freeModuleValue(o *keyspace.Object) {
	if o.Kind() != keyspace.KindModule || o.Ptr() == nil {
		return
	}
	mv := (*moduleValue)(o.Ptr())
	if mv.typ != nil && mv.typ.Methods.Free != nil {
		mv.typ.Methods.Free(mv.value)
	}
}

// ValueOf returns the type and value of a module value.
func ValueOf(o *keyspace.Object) (*DataType, any) {
	if o == nil || o.Kind() != keyspace.KindModule || o.Ptr() == nil {
		return nil, nil
	}
	mv := (*moduleValue)(o.Ptr())
	return mv.typ, mv.value
}

// NewModuleObject wraps a module value as a keyspace object.
func NewModuleObject(t *DataType, value any) keyspace.Object {
	return keyspace.NewValue(keyspace.KindModule, keyspace.EncRaw, unsafe.Pointer(&moduleValue{typ: t, value: value}))
}

// ModuleTypeSetValue is RedisModule_ModuleTypeSetValue: replace the key's
// value (the old one is freed; any TTL is dropped).
func ModuleTypeSetValue(k *Key, t *DataType, value any) int {
	if !k.writable() || t == nil {
		return ERR
	}
	DeleteKey(k)
	k.db.Set(k.name.Bytes(), NewModuleObject(t, value), false)
	return OK
}

// ModuleTypeGetType is RedisModule_ModuleTypeGetType: the key's module
// type, nil when empty or not a module value.
func ModuleTypeGetType(k *Key) *DataType {
	t, _ := ValueOf(k.value())
	return t
}

// ModuleTypeGetValue is RedisModule_ModuleTypeGetValue.
func ModuleTypeGetValue(k *Key) any {
	_, v := ValueOf(k.value())
	return v
}

// ModuleTypeReplaceValue is RedisModule_ModuleTypeReplaceValue: swap the
// value of a key already holding a value of type t, without freeing the
// old value, which is returned.
func ModuleTypeReplaceValue(k *Key, t *DataType, value any) (old any, ret int) {
	if !k.writable() {
		return nil, ERR
	}
	o := k.value()
	ot, ov := ValueOf(o)
	if ot == nil || ot != t {
		return nil, ERR
	}
	o.SetPtr(unsafe.Pointer(&moduleValue{typ: t, value: value}))
	return ov, OK
}

// GetTypeMethodVersion is RedisModule_GetTypeMethodVersion.
func GetTypeMethodVersion() int { return TypeMethodVersion }

// DigestValue runs a module value's digest method (DEBUG DIGEST); ok is
// false when the type has none. The result is the value's digest, to be
// mixed into the key's.
func DigestValue(o *keyspace.Object) (x [20]byte, ok bool) {
	t, v := ValueOf(o)
	if t == nil || t.Methods.Digest == nil {
		return x, false
	}
	d := &Digest{}
	t.Methods.Digest(d, v)
	return d.x, true
}
