package server

import (
	"os"
	"syscall"
	"time"
)

// The server's side of module fork children (module.ForkHost): Redis's
// fork statistics and the descriptors a child needs. The child itself is
// the C bridge's and the engine's business (internal/module/fork.go).

// forkStats are the fork figures INFO shows.
type forkStats struct {
	total       int64 // total_forks
	latestUsec  int64 // latest_fork_usec
	moduleCow   int64 // module_fork_last_cow_size
	childActive func() bool
}

// ChildActive reports whether a job Redis would run in a child (a
// background save or AOF rewrite) is in progress: one child at a time.
func (h *moduleHost) ChildActive() bool {
	f := h.s.forks.childActive
	return f != nil && f()
}

func (h *moduleHost) ModuleChildStarted(pid int, forkUsec int64) {
	s := h.s
	s.forks.total++
	s.forks.latestUsec = forkUsec
	s.latencyAddSampleIfNeeded("fork", forkUsec/1000)
}

func (h *moduleHost) ModuleChildEnded(cowBytes int64) { h.s.forks.moduleCow = cowBytes }

// ChildSetup gives the child the log descriptor and level, and the
// listening sockets to close.
func (h *moduleHost) ChildSetup() (logFD, logLevel int, closeFDs []int) {
	s := h.s
	logFD = -1
	s.logger.mu.Lock()
	if f, ok := s.logger.w.(*os.File); ok {
		logFD = fdOf(f)
	}
	s.logger.mu.Unlock()
	for _, ln := range s.listeners {
		if sc, ok := ln.(syscall.Conn); ok {
			if rc, err := sc.SyscallConn(); err == nil {
				rc.Control(func(fd uintptr) { closeFDs = append(closeFDs, int(fd)) })
			}
		}
	}
	return logFD, int(s.logger.level.Load()), closeFDs
}

// fdOf is f's descriptor without the side effect of (*os.File).Fd, which
// switches the file to blocking mode.
func fdOf(f *os.File) int {
	fd := -1
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(d uintptr) { fd = int(d) })
	}
	return fd
}

// moduleForkInfo is INFO persistence's view of a running module child:
// in progress, progress percent, current/peak copy-on-write and its age.
func (s *Server) moduleForkInfo() (inProgress bool, perc float64, cow, peak, ageSec int64) {
	running, progress, cow, peak, at := s.modules.ForkChildProgress()
	if !running {
		return false, 0, 0, 0, 0
	}
	if progress > 0 {
		perc = progress * 100
	}
	if at > 0 {
		ageSec = (time.Now().UnixMilli() - at) / 1000
	}
	return true, perc, cow, peak, ageSec
}
