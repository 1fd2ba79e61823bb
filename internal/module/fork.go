package module

import (
	"sync"
	"syscall"
)

// Module fork children (RedisModule_Fork and friends). Modis itself never
// forks (its snapshots are taken without fork), but a C module may: the C
// bridge calls fork() itself, and the child runs only the module's C code
// until it calls ExitFromChild, never Go code (a forked Go runtime has
// lost every thread but one). The engine keeps the parent's side, as
// Redis's server.child_pid/child_type and moduleForkInfo do: one child at
// a time, reaped by a goroutine, its done handler run on the event loop,
// KillForkChild, the statistics and the ForkChild server event.

// Sub-events of EventForkChild.
const (
	SubeventForkChildBorn = 0
	SubeventForkChildDied = 1
)

// ForkHost is the server's side of child processes; a host without it
// still lets modules fork, without statistics.
type ForkHost interface {
	// ChildActive reports whether another background job that Redis
	// runs in a child (BGSAVE, AOF rewrite) is in progress: Redis allows
	// one child at a time.
	ChildActive() bool
	// ModuleChildStarted records a started child (total_forks,
	// latest_fork_usec, the "fork" latency event).
	ModuleChildStarted(pid int, forkUsec int64)
	// ModuleChildEnded records its end; cowBytes is the copy-on-write
	// size it reported on exit (module_fork_last_cow_size).
	ModuleChildEnded(cowBytes int64)
	// ChildSetup is what a child needs from the server: the descriptor
	// and minimum level it logs with, and the descriptors it closes at
	// once (the listening sockets, so that a new server can bind them
	// should this one exit while the child runs).
	ChildSetup() (logFD, logLevel int, closeFDs []int)
}

// ForkDoneFunc is RedisModuleForkDoneHandler: exitcode and the signal that
// ended the child (0 for a normal exit).
type ForkDoneFunc func(exitcode, bysignal int)

// forkChild is the running module child, if any.
type forkChild struct {
	pid    int
	done   ForkDoneFunc
	killed bool          // KillForkChild: the done handler is not called
	reaped chan struct{} // closed once the reaper collected the child
	status syscall.WaitStatus

	mu       sync.Mutex
	progress float64 // last SendChildHeartbeat, -1 before any
	cow      int64   // last copy-on-write size the child reported
	cowAt    int64   // when (unix ms)
	cowPeak  int64
	finalCow int64 // reported by ExitFromChild
}

// ForkErrno is why Fork refused to start a child: EEXIST when a child (or
// a job Redis runs in one) is already active, 0 when forking may go on.
func (e *Engine) ForkErrno() Errno {
	if e.child != nil {
		return Errno(syscall.EEXIST)
	}
	if fh, ok := e.host.(ForkHost); ok && fh.ChildActive() {
		return Errno(syscall.EEXIST)
	}
	return 0
}

// ForkStarted records the child the bridge forked (pid), how long fork()
// took, and the module's done handler; it fires ForkChild/BORN and starts
// reaping. Call it with the lock held, right after fork() in the parent.
func (e *Engine) ForkStarted(pid int, forkUsec int64, done ForkDoneFunc) {
	ch := &forkChild{pid: pid, done: done, reaped: make(chan struct{}), progress: -1}
	e.setChild(ch)
	if fh, ok := e.host.(ForkHost); ok {
		fh.ModuleChildStarted(pid, forkUsec)
	}
	e.host.Logf(LogVerbose, "Module fork started pid: %d ", pid)
	e.FireServerEvent(EventForkChild, SubeventForkChildBorn, nil, nil, 0)
	go e.reap(ch)
}

// reap waits for the child to exit, then (unless it was killed) runs the
// done handler on the event loop, as Redis's checkChildrenDone does.
func (e *Engine) reap(ch *forkChild) {
	for {
		_, err := syscall.Wait4(ch.pid, &ch.status, 0, nil)
		if err != syscall.EINTR {
			break
		}
	}
	close(ch.reaped)
	e.host.AfterFunc(0, func() { e.childExited(ch) })
}

// childExited runs on the event loop once the child is reaped.
func (e *Engine) childExited(ch *forkChild) {
	if e.child != ch || ch.killed {
		return
	}
	// As Redis: the exit code is -1 for a child a signal ended.
	exitcode, bysignal := -1, 0
	if ch.status.Signaled() {
		bysignal = int(ch.status.Signal())
	} else {
		exitcode = ch.status.ExitStatus()
	}
	if bysignal != 0 {
		e.host.Logf(LogWarning, "Module fork child terminated by signal %d", bysignal)
	}
	e.endChild(ch)
	if ch.done != nil {
		ch.done(exitcode, bysignal)
	}
}

// endChild clears the child state (Redis's resetChildState).
func (e *Engine) endChild(ch *forkChild) {
	e.setChild(nil)
	ch.mu.Lock()
	cow := ch.finalCow
	ch.mu.Unlock()
	if fh, ok := e.host.(ForkHost); ok {
		fh.ModuleChildEnded(cow)
	}
	e.FireServerEvent(EventForkChild, SubeventForkChildDied, nil, nil, 0)
}

// KillForkChild is RedisModule_KillForkChild: stop the module child pid
// (SIGUSR1, which makes it exit at once) and wait for it; its done handler
// is not called. ERR when pid is not the running module child.
func (e *Engine) KillForkChild(pid int) int {
	ch := e.child
	if ch == nil || ch.pid != pid || pid <= 0 {
		return ERR
	}
	e.host.Logf(LogVerbose, "Killing running module fork child: %d", pid)
	ch.killed = true
	if syscall.Kill(pid, syscall.SIGUSR1) == nil {
		<-ch.reaped
	}
	e.endChild(ch)
	return OK
}

// ForkChildPid is the running module child's pid, 0 when none.
func (e *Engine) ForkChildPid() int {
	if e.child == nil {
		return 0
	}
	return e.child.pid
}

// ChildReport records what the child sent through its info pipe: a
// heartbeat (final false: progress in [0,1], cowBytes its current
// copy-on-write size, -1 when not measured this time) or its exit report
// (final true). Safe from any goroutine.
func (e *Engine) ChildReport(pid int, final bool, progress float64, cowBytes int64, nowMs int64) {
	ch := e.childFor(pid)
	if ch == nil {
		return
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if final {
		ch.finalCow = cowBytes
		return
	}
	ch.progress = progress
	if cowBytes >= 0 {
		ch.cow, ch.cowAt = cowBytes, nowMs
		ch.cowPeak = max(ch.cowPeak, cowBytes)
	}
}

// setChild changes the running child; the lock is held too.
func (e *Engine) setChild(ch *forkChild) {
	e.childMu.Lock()
	e.child = ch
	e.childMu.Unlock()
}

// childFor returns the child with pid; the pipe reader runs outside the
// lock, so it reads e.child through childMu.
func (e *Engine) childFor(pid int) *forkChild {
	e.childMu.Lock()
	defer e.childMu.Unlock()
	if e.child != nil && e.child.pid == pid {
		return e.child
	}
	return nil
}

// ForkChildProgress is what INFO persistence shows of a running module
// child: progress (-1 before any heartbeat), the current and peak
// copy-on-write size and when it was measured (unix ms, 0 never).
func (e *Engine) ForkChildProgress() (running bool, progress float64, cow, cowPeak, cowAt int64) {
	ch := e.child
	if ch == nil {
		return false, 0, 0, 0, 0
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	return true, ch.progress, ch.cow, ch.cowPeak, ch.cowAt
}

// ForkChildSetup is the host's ChildSetup; without a ForkHost the child
// does not log and closes nothing.
func (e *Engine) ForkChildSetup() (logFD, logLevel int, closeFDs []int) {
	if fh, ok := e.host.(ForkHost); ok {
		return fh.ChildSetup()
	}
	return -1, 0, nil
}

// ForkFailed logs a failed fork() as Redis does.
func (e *Engine) ForkFailed(err syscall.Errno) {
	e.host.Logf(LogWarning, "Can't fork for module: %s", err.Error())
}
