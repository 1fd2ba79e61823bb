package module

import (
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/list"
)

// The key API for lists (Redis's RM_ListPush .. RM_ListDelete). Errors
// are reported as in Redis 7.0: ERR (or nil) with an errno of EINVAL (no
// key or value), ENOTSUP (not a list; for pops also an empty key), EBADF
// (key not opened in the needed mode) or EDOM (index out of range). Redis
// keeps a per-handle iterator to make sequential index access cheap; here
// each call seeks from the nearer end of the list, which walks nodes, not
// elements, so the results are the same without state that could go
// stale.

// List ends (REDISMODULE_LIST_HEAD, REDISMODULE_LIST_TAIL).
const (
	ListHead = 0
	ListTail = 1
)

// listFillHost is implemented by hosts that know list-max-listpack-size
// and list-compress-depth; new lists use Redis's defaults (-2, 0)
// otherwise.
type listFillHost interface {
	ListMaxListpackSize() int
	ListCompressDepth() int
}

func init() {
	prev := collectionLen
	collectionLen = func(o *keyspace.Object) int64 {
		if o.Kind() == keyspace.KindList {
			return int64((*list.List)(o.Ptr()).Len())
		}
		if prev != nil {
			return prev(o)
		}
		return 0
	}
}

// keyList returns the key's list, or nil when the key is empty or holds
// another type.
func (k *Key) keyList() (*list.List, *keyspace.Object) {
	o := k.value()
	if o == nil || o.Kind() != keyspace.KindList {
		return nil, o
	}
	return (*list.List)(o.Ptr()), o
}

// listChanged re-measures the value after an in-place change and deletes
// the key when the list emptied (Redis's moduleDelKeyIfEmpty).
func (k *Key) listChanged(l *list.List) {
	if l.Len() == 0 {
		k.db.Delete(k.name.Bytes())
		return
	}
	k.db.Reaccount(k.name.Bytes())
}

// listSeek checks a key and index for the index-based list APIs (Redis's
// moduleListIteratorSeek) and returns the list.
func listSeek(k *Key, index int64, mode int) (*list.List, Errno) {
	if k == nil {
		return nil, EINVAL
	}
	l, _ := k.keyList()
	if l == nil {
		return nil, ENOTSUP
	}
	if k.mode&mode == 0 {
		return nil, EBADF
	}
	if mode == Write {
		noteWrite() // cached values of open handles go stale
	}
	n := int64(l.Len())
	if index < -n || index >= n {
		return nil, EDOM
	}
	return l, 0
}

// ListPush is RedisModule_ListPush: add ele at the head (ListHead) or the
// tail (any other where), creating the list on an empty key opened for
// writing. No keyspace event is fired: that is up to the module.
func ListPush(k *Key, where int, ele *String) (int, Errno) {
	if k == nil || ele == nil {
		return ERR, EINVAL
	}
	l, o := k.keyList()
	if o != nil && l == nil {
		return ERR, ENOTSUP
	}
	if !k.writable() {
		return ERR, EBADF
	}
	if l == nil {
		fill, depth := -2, 0
		if h, ok := k.ctx.eng.host.(listFillHost); ok {
			fill, depth = h.ListMaxListpackSize(), h.ListCompressDepth()
		}
		l = list.New(fill)
		l.SetCompressDepth(depth)
		k.db.Add(k.name.Bytes(), keyspace.NewValue(keyspace.KindList, keyspace.EncQuicklist, unsafe.Pointer(l)))
	}
	l.Push(ele.Bytes(), where == ListHead)
	k.listChanged(l)
	return OK, 0
}

// ListPop is RedisModule_ListPop: remove and return the head (ListHead) or
// tail element; the key is deleted when the list empties. The string
// belongs to the caller (auto memory applies).
func ListPop(k *Key, where int) (*String, Errno) {
	if k == nil {
		return nil, EINVAL
	}
	l, _ := k.keyList()
	if l == nil {
		return nil, ENOTSUP
	}
	if !k.writable() {
		return nil, EBADF
	}
	v, _ := l.Pop(where == ListHead)
	k.listChanged(l)
	return k.ctx.newString(v), 0
}

// ListGet is RedisModule_ListGet: the element at index (negative counts
// from the tail), as a new string owned by the caller. The key must be
// opened for reading.
func ListGet(k *Key, index int64) (*String, Errno) {
	l, errno := listSeek(k, index, Read)
	if l == nil {
		return nil, errno
	}
	v, _ := l.Index(int(index))
	return k.ctx.newString(v), 0
}

// ListSet is RedisModule_ListSet: replace the element at index.
func ListSet(k *Key, index int64, value *String) (int, Errno) {
	if value == nil {
		return ERR, EINVAL
	}
	l, errno := listSeek(k, index, Write)
	if l == nil {
		return ERR, errno
	}
	l.Set(int(index), value.Bytes())
	k.listChanged(l)
	return OK, 0
}

// ListInsert is RedisModule_ListInsert: insert value so that it ends up at
// index (0 and -1 on an empty key, len or -1 append, 0 or -len-1 prepend;
// a negative index inserts after the element it names, a positive one
// before).
func ListInsert(k *Key, index int64, value *String) (int, Errno) {
	if value == nil {
		return ERR, EINVAL
	}
	if k != nil {
		l, o := k.keyList()
		switch {
		case o == nil && (index == 0 || index == -1):
			return ListPush(k, ListTail, value)
		case l != nil && (index == int64(l.Len()) || index == -1):
			return ListPush(k, ListTail, value)
		case l != nil && (index == 0 || index == -int64(l.Len())-1):
			return ListPush(k, ListHead, value)
		}
	}
	l, errno := listSeek(k, index, Write)
	if l == nil {
		return ERR, errno
	}
	l.Insert(int(index), value.Bytes(), index < 0)
	k.listChanged(l)
	return OK, 0
}

// ListDelete is RedisModule_ListDelete: remove the element at index; the
// key is deleted when the list empties.
func ListDelete(k *Key, index int64) (int, Errno) {
	l, errno := listSeek(k, index, Write)
	if l == nil {
		return ERR, errno
	}
	i := int(index)
	if i < 0 {
		i += l.Len()
	}
	l.DeleteRange(i, 1)
	k.listChanged(l)
	return OK, 0
}
