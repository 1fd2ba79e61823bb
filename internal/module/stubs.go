package module

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
)

// DataType is RedisModuleType: a module data type (CreateDataType is not
// implemented yet; the engine already frees module values through it).
type DataType struct {
	Name   string
	EncVer int
	module *Module
	Free   func(value any)
}

// moduleValue is what a module value's keyspace pointer points at.
type moduleValue struct {
	typ   *DataType
	value any
}

// FreeValue releases a value leaving the keyspace: module values go
// through their type's free method. Other kinds need nothing.
func (e *Engine) FreeValue(o *keyspace.Object) {
	if o.Kind() != keyspace.KindModule || o.Ptr() == nil {
		return
	}
	mv := (*moduleValue)(o.Ptr())
	if mv.typ != nil && mv.typ.Free != nil {
		mv.typ.Free(mv.value)
	}
}

var _ = unsafe.Pointer(nil)

// timerTable holds module timers (timers are not implemented yet).
type timerTable struct{}

// keyspaceSub is one SubscribeToKeyspaceEvents subscription.
type keyspaceSub struct {
	module *Module
}

// keyPos is one key position reported by KeyAtPos.
type keyPos struct {
	pos   int
	flags int
}

// BlockedClient is RedisModuleBlockedClient (blocking is not implemented
// yet; the reply plumbing of thread-safe contexts already targets it).
type BlockedClient struct {
	proto   int
	replies []byte
	errors  []string
}

func (bc *BlockedClient) addReply(b []byte) { bc.replies = append(bc.replies, b...) }
