package module

import (
	"fmt"

	engine "github.com/modis/modis/internal/module"
)

// List ends (REDISMODULE_LIST_HEAD, REDISMODULE_LIST_TAIL).
const (
	ListHead = engine.ListHead
	ListTail = engine.ListTail
)

// The errno values of the key APIs that report one (lists).
const (
	EINVAL  Errno = engine.EINVAL  // no key or value
	ENOTSUP Errno = engine.ENOTSUP // wrong type (pops: also an empty key)
	EBADF   Errno = engine.EBADF   // key not opened in the needed mode
	EDOM    Errno = engine.EDOM    // index out of range
)

// KeyError is the error of a key API that failed with an errno, as the
// list APIs do; compare Errno with EINVAL, ENOTSUP, EBADF or EDOM.
type KeyError struct {
	Errno Errno
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("key operation failed (errno %d)", int(e.Errno))
}

func keyStatus(ret int, errno Errno) error {
	if ret != engine.OK {
		return &KeyError{Errno: errno}
	}
	return nil
}

// ListPush is RedisModule_ListPush: add v at ListHead or ListTail,
// creating the list on an empty key opened for writing. It fires no
// keyspace event (the module does, if it wants one).
func (k *Key) ListPush(where int, v []byte) error {
	return keyStatus(engine.ListPush(k.raw(), where, engine.NewString(v)))
}

// ListPop is RedisModule_ListPop: remove and return the element at
// ListHead or ListTail; the key is deleted when the list empties.
func (k *Key) ListPop(where int) ([]byte, error) {
	s, errno := engine.ListPop(k.raw(), where)
	if s == nil {
		return nil, &KeyError{Errno: errno}
	}
	return k.ownBytes(s), nil
}

// ListGet is RedisModule_ListGet: the element at index (negative counts
// from the tail). The key must be opened for reading.
func (k *Key) ListGet(index int64) ([]byte, error) {
	s, errno := engine.ListGet(k.raw(), index)
	if s == nil {
		return nil, &KeyError{Errno: errno}
	}
	return k.ownBytes(s), nil
}

// ListSet is RedisModule_ListSet: replace the element at index.
func (k *Key) ListSet(index int64, v []byte) error {
	return keyStatus(engine.ListSet(k.raw(), index, engine.NewString(v)))
}

// ListInsert is RedisModule_ListInsert: insert v so that it ends up at
// index (negative indexes count from the tail: -1 appends).
func (k *Key) ListInsert(index int64, v []byte) error {
	return keyStatus(engine.ListInsert(k.raw(), index, engine.NewString(v)))
}

// ListDelete is RedisModule_ListDelete: remove the element at index.
func (k *Key) ListDelete(index int64) error {
	return keyStatus(engine.ListDelete(k.raw(), index))
}

// ownBytes copies an engine string the API handed out and releases it.
func (k *Key) ownBytes(s *engine.String) []byte {
	b := append([]byte(nil), s.Bytes()...)
	k.ctx.c.FreeString(s)
	return b
}
