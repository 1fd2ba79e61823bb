//go:build linux

package server

import (
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// The event loop serves TCP clients the way redis-server does: one epoll
// instance reports every readable connection; the loop reads and parses
// each (outside the execution lock), runs all their commands under one
// acquisition of the lock, and writes the replies. Compared with a
// goroutine per connection this saves, per request, the read that returns
// EAGAIN before a goroutine parks, the park/wake-up through the Go
// scheduler and a lock acquisition; on a 2-core VM it cut the server's CPU
// time per request at pipeline 1 by about a third (see bench/README.md).
//
// Clients in states the loop does not handle inline are handed to the
// goroutine path (serveFrom) with their unexecuted commands: a command that
// has to wait for CLIENT PAUSE, and clients that are not authenticated
// (their commands must be parsed one at a time). Writes that would block
// are finished by a goroutine (write), so a slow reader never stalls the
// loop. MODIS_EVENTLOOP=0 in the environment turns the loop off.
//
// Consequence for command code: a command procedure must never wait for
// another client (a channel, a condition variable) — that would stop every
// client of the loop. Blocking commands (BLPOP, WAIT, ...) must park the
// client and return, as Redis's blockClient does, or hand the client to a
// goroutine the way CLIENT PAUSE waiting does (handOff).
type eventLoop struct {
	s   *Server
	ep  int
	mu  sync.Mutex // guards fds (the accept goroutine adds)
	fds map[int]*Client

	ready []*Client // clients of the iteration in progress (yield.go)
}

// loopState is a loop client's per-iteration state, owned by the loop.
type loopState struct {
	batch   [][][]byte
	perr    error
	out     []byte // output taken under the lock, to write
	done    []byte // written buffer, recycled under the next lock
	eof     bool   // read error or end of stream
	closing bool   // drop after writing
	handoff int    // >= 0: hand the batch from this index to a goroutine
	async   bool   // write through a goroutine (output-limited classes)
}

// fdConn is a loop client's socket: a nonblocking descriptor owned by the
// loop. Close only shuts the socket down, so the number cannot be reused by
// another connection while the loop or a writer still uses it; release
// frees it.
type fdConn struct {
	mu       sync.RWMutex // write-held by release; read-held around syscalls
	fd       int
	released bool
	shut     atomic.Bool
	laddr    net.Addr
	raddr    net.Addr
	loop     *eventLoop
}

func (f *fdConn) Read(b []byte) (int, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.released {
		return 0, net.ErrClosed
	}
	n, err := rawRead(f.fd, b)
	if n < 0 {
		n = 0
	}
	return n, err
}

// rawRead and rawWrite are read(2) and write(2) on nonblocking
// descriptors: they never block, so they skip the scheduler bookkeeping
// of syscall.Read/Write (entersyscall/exitsyscall).
func rawRead(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func rawWrite(fd int, b []byte) (int, error) {
	n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// pollReady is epoll_wait without waiting: when clients are busy there are
// usually events already, and a non-blocking poll spares the blocking
// system call's hand-off of the scheduler's P.
func pollReady(ep int, events []syscall.EpollEvent) int {
	n, _, e := syscall.RawSyscall6(syscall.SYS_EPOLL_WAIT, uintptr(ep), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if e != 0 {
		return 0
	}
	return int(n)
}

// tryWrite writes what the socket takes without waiting.
func (f *fdConn) tryWrite(b []byte) (int, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.released {
		return 0, net.ErrClosed
	}
	total := 0
	for len(b) > 0 {
		n, err := rawWrite(f.fd, b)
		if n > 0 {
			total += n
			b = b[n:]
		}
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Write writes all of b, waiting (off the loop, in a writer goroutine) while
// the socket buffer is full.
func (f *fdConn) Write(b []byte) (int, error) {
	total := 0
	wait := 20 * time.Microsecond
	for {
		n, err := f.tryWrite(b)
		total += n
		b = b[n:]
		if len(b) == 0 {
			return total, nil
		}
		if err != syscall.EAGAIN {
			return total, err
		}
		if f.shut.Load() {
			return total, net.ErrClosed
		}
		time.Sleep(wait)
		if wait < 10*time.Millisecond {
			wait *= 2
		}
	}
}

// Close shuts the socket down; the loop sees the hang-up and releases it.
func (f *fdConn) Close() error {
	if f.shut.CompareAndSwap(false, true) {
		f.mu.RLock()
		if !f.released {
			syscall.Shutdown(f.fd, syscall.SHUT_RDWR)
		}
		f.mu.RUnlock()
	}
	return nil
}

// detach stops the loop from watching the descriptor, leaving it open.
func (f *fdConn) detach() {
	f.loop.mu.Lock()
	delete(f.loop.fds, f.fd)
	f.loop.mu.Unlock()
	f.mu.RLock()
	if !f.released {
		syscall.EpollCtl(f.loop.ep, syscall.EPOLL_CTL_DEL, f.fd, nil)
	}
	f.mu.RUnlock()
}

// release unregisters and closes the descriptor.
func (f *fdConn) release() {
	f.shut.Store(true)
	f.loop.mu.Lock()
	delete(f.loop.fds, f.fd)
	f.loop.mu.Unlock()
	f.mu.Lock()
	if !f.released {
		f.released = true
		syscall.EpollCtl(f.loop.ep, syscall.EPOLL_CTL_DEL, f.fd, nil)
		syscall.Close(f.fd)
	}
	f.mu.Unlock()
}

func (f *fdConn) LocalAddr() net.Addr                { return f.laddr }
func (f *fdConn) RemoteAddr() net.Addr               { return f.raddr }
func (f *fdConn) SetDeadline(t time.Time) error      { return nil }
func (f *fdConn) SetReadDeadline(t time.Time) error  { return nil }
func (f *fdConn) SetWriteDeadline(t time.Time) error { return nil }

// useEventLoop is read once: MODIS_EVENTLOOP=0 disables the loop.
var useEventLoop = os.Getenv("MODIS_EVENTLOOP") != "0"

func (s *Server) eventLoop() *eventLoop {
	s.loopOnce.Do(func() {
		ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if err != nil {
			return
		}
		s.loop = &eventLoop{s: s, ep: ep, fds: map[int]*Client{}}
		go s.loop.run()
	})
	return s.loop
}

// adopt moves a new authenticated TCP or unix-socket connection onto the
// event loop. It reports false when the connection should be served by a goroutine.
func (s *Server) adopt(c *Client) bool {
	if !useEventLoop || !c.authenticated {
		return false
	}
	var sc syscall.Conn
	switch conn := c.conn.(type) {
	case *net.TCPConn:
		sc = conn
	case *net.UnixConn:
		sc = conn
	default:
		return false
	}
	tc := c.conn
	l := s.eventLoop()
	if l == nil {
		return false
	}
	fd, err := dupFD(sc)
	if err != nil {
		return false
	}
	fc := &fdConn{fd: fd, laddr: tc.LocalAddr(), raddr: tc.RemoteAddr(), loop: l}
	s.mu.Lock()
	if c.closed || c.writing.Load() {
		// Closed: serve notices and cleans up. A writer goroutine still
		// uses the old connection: try again later.
		s.mu.Unlock()
		syscall.Close(fd)
		return false
	}
	c.conn = fc
	c.fd = fd // CLIENT LIST fd=
	c.loop = &loopState{handoff: -1}
	s.mu.Unlock()
	tc.Close() // the duplicate keeps the socket open
	l.mu.Lock()
	l.fds[fd] = c
	l.mu.Unlock()
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)}
	if err := syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		fc.release()
		c.free()
	}
	return true
}

// moveToLoop moves a goroutine-served client onto the event loop once it
// can be (after AUTH, or after a CLIENT PAUSE it waited for). The caller
// must have no unparsed input left and must stop serving c when it
// returns true.
func (s *Server) moveToLoop(c *Client) bool {
	if !useEventLoop {
		return false
	}
	s.mu.Lock()
	ok := c.authenticated && !c.closed && c.loop == nil && !c.asyncPending.Load()
	s.mu.Unlock()
	return ok && s.adopt(c)
}

// dupFD returns a nonblocking duplicate of the connection's descriptor.
func dupFD(tc syscall.Conn) (int, error) {
	rc, err := tc.SyscallConn()
	if err != nil {
		return -1, err
	}
	nfd := -1
	var derr error
	cerr := rc.Control(func(fd uintptr) {
		nfd, derr = syscall.Dup(int(fd))
	})
	if cerr != nil {
		return -1, cerr
	}
	if derr != nil {
		return -1, derr
	}
	syscall.CloseOnExec(nfd)
	if err := syscall.SetNonblock(nfd, true); err != nil {
		syscall.Close(nfd)
		return -1, err
	}
	return nfd, nil
}

func (l *eventLoop) run() {
	s := l.s
	events := make([]syscall.EpollEvent, 256)
	var ready []*Client
	for {
		n := pollReady(l.ep, events)
		var err error
		if n == 0 {
			// The timeout only serves to notice that the server stopped.
			n, err = syscall.EpollWait(l.ep, events, 250)
		}
		select {
		case <-s.done:
			l.mu.Lock()
			var left []*Client
			for _, c := range l.fds {
				left = append(left, c)
			}
			l.mu.Unlock()
			for _, c := range left {
				if fc, ok := c.conn.(*fdConn); ok {
					fc.release()
				}
			}
			syscall.Close(l.ep)
			return
		default:
		}
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			s.logger.Logf(LogWarning, "event loop: epoll_wait: %v", err)
			return
		}
		ready = ready[:0]
		l.mu.Lock()
		for i := 0; i < n; i++ {
			if c := l.fds[int(events[i].Fd)]; c != nil {
				ready = append(ready, c)
			}
		}
		l.mu.Unlock()
		for _, c := range ready {
			l.readAndParse(c)
		}
		s.mu.Lock()
		s.beforeCommand()
		l.ready = ready
		for _, c := range ready {
			l.execLocked(c)
		}
		l.ready = nil
		s.beforeSleepLocked()
		s.mu.Unlock()
		for _, c := range ready {
			l.finish(c)
		}
	}
}

func (l *eventLoop) readAndParse(c *Client) {
	ls := c.loop
	ls.batch, ls.perr, ls.handoff = ls.batch[:0], nil, -1
	fc := c.conn.(*fdConn)
	m, err := fc.Read(c.parser.Buffer(readChunk))
	if m > 0 {
		c.parser.Commit(m)
		l.s.stats.netInputBytes.Add(int64(m))
		l.s.stats.readsProcessed.Add(1)
	} else if err != syscall.EAGAIN && err != syscall.EINTR {
		ls.eof = true
		return
	}
	for {
		argv, ok, err := c.parser.Next()
		if err != nil {
			ls.perr = err
			break
		}
		if !ok {
			break
		}
		if len(argv) > 0 {
			ls.batch = append(ls.batch, argv)
		}
	}
	if len(ls.batch) == 0 && ls.perr == nil && c.queryBufferExceeded() {
		ls.eof = true
	}
}

// execLocked runs a client's batch, as serve does. Call with the lock held.
func (l *eventLoop) execLocked(c *Client) {
	s := l.s
	ls := c.loop
	if ls.done != nil {
		c.recycleLocked(ls.done)
		ls.done = nil
	}
	if ls.eof || c.closed {
		ls.closing = true
		return
	}
	if len(ls.batch) == 0 && ls.perr == nil {
		return
	}
	for i, argv := range ls.batch {
		c.argv = argv
		if s.pausedFor(c) || s.modParked[c] != nil { // CLIENT PAUSE, module BlockClient
			ls.handoff = i
			s.noteHandoff(c)
			break
		}
		s.processCommand(c)
		if c.closeAfterReply || c.closed {
			break
		}
	}
	c.argv = nil
	if ls.perr != nil && ls.handoff < 0 && !c.closeAfterReply && !c.closed {
		c.addProtocolError(ls.perr)
	}
	s.current = nil
	c.parser.Authenticated = c.authenticated
	s.checkOutputLimits(c)
	ls.out = c.takeOutDeferred() // sent by finish, after the AOF is written
	ls.closing = c.closeAfterReply || c.closed
	ls.async = !ls.closing && s.asyncWrites(c)
	if !ls.closing && !c.authenticated && ls.handoff < 0 {
		ls.handoff = len(ls.batch) // RESET de-authenticated it
	}
}

// finish writes the replies and carries out closing or hand-off.
func (l *eventLoop) finish(c *Client) {
	ls := c.loop
	fc := c.conn.(*fdConn)
	if out := ls.out; out != nil {
		ls.out = nil
		if ls.async {
			go c.write(out)
		} else {
			n, err := fc.tryWrite(out)
			l.s.stats.netOutputBytes.Add(int64(n))
			l.s.stats.writesProcessed.Add(1)
			switch {
			case n == len(out):
				c.inflight.Store(0)
				c.writing.Store(false)
				if c.asyncPending.Load() && c.writing.CompareAndSwap(false, true) {
					go c.writeQueued()
				}
				ls.done = out
			case err == syscall.EAGAIN:
				go c.write(out[n:]) // keeps the writer role until done
			default:
				c.writing.Store(false)
				ls.closing = true
			}
		}
	}
	if ls.closing {
		if c.writing.Load() || c.asyncPending.Load() {
			// A writer goroutine still delivers earlier output (pub/sub
			// messages before a QUIT): let it finish off the loop.
			fc.detach()
			go func() {
				c.drainWriter()
				fc.release()
				c.free()
			}()
			return
		}
		fc.release()
		c.free()
		return
	}
	if ls.handoff >= 0 {
		l.handOff(c, ls.batch[ls.handoff:])
		return
	}
	c.parser.Compact()
}

// handOff moves c to a connection goroutine, which first runs pending (the
// commands parsed but not run).
func (l *eventLoop) handOff(c *Client, pending [][][]byte) {
	own := make([][][]byte, len(pending))
	for i, argv := range pending {
		own[i] = make([][]byte, len(argv))
		for j, a := range argv {
			own[i][j] = append([]byte(nil), a...)
		}
	}
	perr := c.loop.perr
	fc := c.conn.(*fdConn)
	f := os.NewFile(uintptr(fc.fd), "")
	nc, err := net.FileConn(f) // duplicates the descriptor
	// f shares fc's descriptor, which release closes.
	l.mu.Lock()
	delete(l.fds, fc.fd)
	l.mu.Unlock()
	fc.mu.Lock()
	if !fc.released {
		fc.released = true
		syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, fc.fd, nil)
		f.Close()
	}
	fc.mu.Unlock()
	s := l.s
	s.mu.Lock()
	if err != nil {
		s.mu.Unlock()
		c.free()
		return
	}
	c.conn = nc
	c.fd = connFD(nc)
	c.loop = nil
	closed := c.closed
	s.mu.Unlock()
	if closed {
		nc.Close()
		c.free()
		return
	}
	go c.serveFrom(own, perr)
}

// writeQueued delivers output other clients queued while the loop wrote.
func (c *Client) writeQueued() {
	s := c.srv
	s.mu.Lock()
	c.asyncPending.Store(false)
	if len(c.out) == 0 || c.closed {
		c.writing.Store(false)
		s.mu.Unlock()
		return
	}
	s.aofBeforeReply()
	out := c.out
	c.out = c.spare[:0]
	c.spare = nil
	c.inflight.Store(int64(len(out)))
	s.mu.Unlock()
	c.write(out)
}
