//go:build cgo

package cabi

import (
	"runtime/cgo"
	"sync"
	"sync/atomic"
)

// Every cgo handle the bridge stores in C memory goes through newHandle
// and deleteHandle, so tests can check that a workload leaves none behind.
var liveHandles atomic.Int64

func newHandle(v any) cgo.Handle {
	liveHandles.Add(1)
	return cgo.NewHandle(v)
}

func deleteHandle(h cgo.Handle) {
	liveHandles.Add(-1)
	h.Delete()
}

// LiveHandles is the number of handles the bridge holds (C structs a
// module or the bridge still references): the cgo handles plus the live
// entries of the cheap handle tables (contexts, keys, call replies).
func LiveHandles() int64 {
	n := liveHandles.Load()
	for _, f := range liveTables {
		n += f()
	}
	return n
}

// liveTables holds the live-entry counters of the handle tables, added by
// registerTable.
var liveTables []func() int64

// registerTable makes LiveHandles count the entries of t; call it from an
// init function or before any concurrent use.
func registerTable[T any](t *table[T]) { liveTables = append(liveTables, t.Live) }

// table maps the integer handles stored in C structs to Go objects, for
// the objects every module command touches (contexts, keys, call
// replies): cheaper than cgo.Handle, whose sync.Map costs about 100 ns per
// new/lookup/delete. Lookups read an atomically published slice without
// locking; new and release take the mutex. Handle 0 is never used.
type table[T any] struct {
	mu    sync.Mutex
	slots atomic.Pointer[[]*T]
	free  []uintptr // released handles, reusable
	spare []*T      // objects released through recycle, reusable by alloc
	live  atomic.Int64
}

// Live is the number of handles stored and not yet released.
func (t *table[T]) Live() int64 { return t.live.Load() }

// put stores v and returns its handle.
func (t *table[T]) put(v *T) uintptr {
	t.mu.Lock()
	h := t.putLocked(v)
	t.mu.Unlock()
	return h
}

func (t *table[T]) putLocked(v *T) uintptr {
	t.live.Add(1)
	if n := len(t.free); n > 0 {
		h := t.free[n-1]
		t.free = t.free[:n-1]
		(*t.slots.Load())[h-1] = v
		return h
	}
	var cur []*T
	if p := t.slots.Load(); p != nil {
		cur = *p
	}
	// Grow into a new array so concurrent readers keep a valid one.
	next := make([]*T, len(cur)+1, 2*len(cur)+16)
	copy(next, cur)
	next[len(cur)] = v
	t.slots.Store(&next)
	return uintptr(len(next))
}

// alloc returns a handle and an object for it, reusing one given back by
// recycle (the caller resets its fields).
func (t *table[T]) alloc() (uintptr, *T) {
	t.mu.Lock()
	var v *T
	if n := len(t.spare); n > 0 {
		v = t.spare[n-1]
		t.spare = t.spare[:n-1]
	} else {
		v = new(T)
	}
	h := t.putLocked(v)
	t.mu.Unlock()
	return h, v
}

// get returns the object of handle h (nil for 0 or a released handle).
func (t *table[T]) get(h uintptr) *T {
	p := t.slots.Load()
	if h == 0 || p == nil || h > uintptr(len(*p)) {
		return nil
	}
	return (*p)[h-1]
}

// release forgets handle h; recycle also keeps its object for alloc.
func (t *table[T]) release(h uintptr, recycle bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.slots.Load()
	if h == 0 || p == nil || h > uintptr(len(*p)) || (*p)[h-1] == nil {
		return
	}
	// (Nothing here can panic: the deferred unlock costs little.)
	if recycle && len(t.spare) < 64 {
		t.spare = append(t.spare, (*p)[h-1])
	}
	(*p)[h-1] = nil
	t.free = append(t.free, h)
	t.live.Add(-1)
}

// each calls fn for every stored object (under the table's mutex: fn must
// not use the table).
func (t *table[T]) each(fn func(h uintptr, v *T)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.slots.Load()
	if p == nil {
		return
	}
	free := make(map[uintptr]bool, len(t.free))
	for _, h := range t.free {
		free[h] = true
	}
	for i, v := range *p {
		if v != nil && !free[uintptr(i+1)] {
			fn(uintptr(i+1), v)
		}
	}
}
