package module

import (
	"sync"
	"syscall"
)

// RedisModule_EventLoopAdd / EventLoopDel: a module watches its own file
// descriptors from the server's event loop. Each watched descriptor gets
// a goroutine that waits for readiness (fdWait, per platform) and runs the
// callback under the execution lock, then waits again, so a callback runs
// as long as the descriptor stays ready, as with Redis's level-triggered
// loop.

// Event-loop masks (REDISMODULE_EVENTLOOP_*).
const (
	EventLoopReadable = 1
	EventLoopWritable = 2
)

// eventLoopSetSize is the descriptor limit (Redis: maxclients +
// CONFIG_FDSET_INCR).
const eventLoopSetSize = 10000 + 128

type fdWatch struct {
	mask int
	fn   func(fd, mask int)
	stop chan struct{}
}

type fdWatches struct {
	mu sync.Mutex
	m  map[int]*fdWatch
}

// EventLoopAdd is RedisModule_EventLoopAdd: call fn(fd, mask) on the event
// loop whenever fd is ready for mask (EventLoopReadable and/or Writable).
// Adding to a watched descriptor adds the mask and replaces the callback.
// Errors as Redis: ERANGE for a descriptor out of range, EINVAL for a bad
// mask or a nil callback.
func (e *Engine) EventLoopAdd(fd, mask int, fn func(fd, mask int)) (int, Errno) {
	if fd < 0 || fd >= eventLoopSetSize {
		return ERR, Errno(syscall.ERANGE)
	}
	if fn == nil || mask <= 0 || mask&^(EventLoopReadable|EventLoopWritable) != 0 {
		return ERR, EINVAL
	}
	w := &e.fdWatches
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = map[int]*fdWatch{}
	}
	if old := w.m[fd]; old != nil {
		close(old.stop)
		mask |= old.mask
	}
	fw := &fdWatch{mask: mask, fn: fn, stop: make(chan struct{})}
	w.m[fd] = fw
	go e.watchFD(fd, fw)
	return OK, 0
}

// EventLoopDel is RedisModule_EventLoopDel: stop watching fd for mask.
func (e *Engine) EventLoopDel(fd, mask int) (int, Errno) {
	if fd < 0 || fd >= eventLoopSetSize {
		return ERR, Errno(syscall.ERANGE)
	}
	if mask <= 0 || mask&^(EventLoopReadable|EventLoopWritable) != 0 {
		return ERR, EINVAL
	}
	w := &e.fdWatches
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.m[fd]
	if old == nil {
		return OK, 0
	}
	close(old.stop)
	delete(w.m, fd)
	if rest := old.mask &^ mask; rest != 0 {
		fw := &fdWatch{mask: rest, fn: old.fn, stop: make(chan struct{})}
		w.m[fd] = fw
		go e.watchFD(fd, fw)
	}
	return OK, 0
}

func (e *Engine) watchFD(fd int, fw *fdWatch) {
	for {
		ready, ok := fdWait(fd, fw.mask, fw.stop)
		if !ok {
			return
		}
		done := make(chan struct{})
		e.host.RunSoon(func() {
			defer close(done)
			select {
			case <-fw.stop:
				return
			default:
			}
			// The loop context of the callback is an execution unit.
			if u, ok := e.host.(UnitHost); ok {
				u.EnterUnit()
				defer u.ExitUnit()
			}
			fw.fn(fd, ready)
		})
		select {
		case <-done:
		case <-fw.stop:
			return
		}
	}
}

// EventLoopAdd on a context is the registry's spelling.
func (ctx *Ctx) EventLoopAdd(fd, mask int, fn func(fd, mask int)) (int, Errno) {
	return ctx.eng.EventLoopAdd(fd, mask, fn)
}

// EventLoopDel on a context is the registry's spelling.
func (ctx *Ctx) EventLoopDel(fd, mask int) (int, Errno) { return ctx.eng.EventLoopDel(fd, mask) }
