package server

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/resp"
)

// Client is one connection. Fields are guarded by the server's execution
// lock unless marked otherwise; the connection goroutine owns the parser.
type Client struct {
	srv  *Server
	conn net.Conn
	id   uint64

	parser *resp.Parser // owned by the connection goroutine
	argv   [][]byte     // current command's arguments
	cmd    *cmdProc     // current command (nil before lookup)

	// blockedNow: the running command blocked the client (blocking.go);
	// rerunning: the command runs again for a key made ready.
	blockedNow, rerunning bool

	db   *keyspace.DB
	resp int // protocol version, 2 or 3

	name          string
	authenticated bool
	user          *acl.User       // nil: unrestricted (internal clients)
	authCB        func(id uint64) // a module's user-changed callback (module_acl.go)
	authMod       *module.Module  // the module that registered authCB
	createdAt     time.Time
	lastInteract  time.Time
	lastCmd       string

	out           []byte        // pending reply bytes
	spare         []byte        // recycled output buffer
	replyOff      bool          // replies are dropped for the current command
	replyOffMode  bool          // CLIENT REPLY OFF is in effect
	replySkipNext bool          // CLIENT REPLY SKIP: drop the next command's reply
	errored       bool          // the current command replied with an error
	modPending    *pendingStats // statistics a module-blocked command records on unblock (slowlog.go)

	closeAfterReply bool // QUIT or protocol error: close once out is written
	closed          bool // the connection is gone

	multi *multiState // non-nil between MULTI and EXEC/DISCARD

	writing      atomic.Bool  // a goroutine is writing out to the socket
	asyncPending atomic.Bool  // out got data from another client's command
	inflight     atomic.Int64 // bytes handed to the writer, not yet written

	// Connection management (cmd_client.go, pubsub.go, monitor.go, limits.go).
	fd            int           // socket descriptor, for CLIENT LIST
	unixSock      bool          // connected through the unix socket
	ps            *pubsubState  // channel and pattern subscriptions, nil if none
	monitor       bool          // MONITOR mode
	noEvict       bool          // CLIENT NO-EVICT on
	unlinked      bool          // unlinkClient already ran
	obufSoftSince time.Time     // when the soft output limit was first exceeded
	watched       []*watchedKey // WATCHed keys (watch.go)
	dirtyCAS      bool          // a WATCHed key changed: EXEC will fail

	loop *loopState // event-loop state (netloop_linux.go), nil when served by a goroutine

	// Propagation of the current command (propagate.go).
	propArgv  [][]byte // what to propagate instead of argv (rewritten command), or nil
	propForce int      // targets to propagate to even without a change (PUBLISH)
	propDeny  int      // targets never propagated to (RM_Call without '!')

}

func (s *Server) handleConn(conn net.Conn) {
	c := &Client{
		srv:       s,
		conn:      conn,
		id:        s.nextID.Add(1),
		parser:    resp.NewParser(),
		resp:      2,
		createdAt: time.Now(),
	}
	c.lastInteract = c.createdAt
	s.mu.Lock()
	c.db = s.ks.DBs[0]
	c.user = s.acl.def
	c.authenticated = !s.authRequired()
	c.parser.Authenticated = c.authenticated
	c.parser.MaxBulk = s.cfg.ProtoMaxBulkLen
	if len(s.clients) >= s.cfg.MaxClients {
		s.stats.rejectedConns++
		s.mu.Unlock()
		conn.Write([]byte("-ERR max number of clients reached\r\n"))
		conn.Close()
		return
	}
	c.fd = connFD(conn)
	_, c.unixSock = conn.(*net.UnixConn)
	if s.refuseProtected(c) {
		s.stats.rejectedConns++
		s.mu.Unlock()
		conn.Write([]byte(errProtectedMode))
		conn.Close()
		return
	}
	s.clients[c.id] = c
	s.stats.connectionsReceived++
	s.moduleClientEvent(c, 0) // ClientChange CONNECTED
	s.mu.Unlock()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
		if s.cfg.TCPKeepalive > 0 {
			tc.SetKeepAlive(true)
			tc.SetKeepAlivePeriod(time.Duration(s.cfg.TCPKeepalive) * time.Second)
		}
	}
	if s.adopt(c) {
		return
	}
	go c.serve()
}

const readChunk = 16 * 1024

// serve is the connection goroutine: read, parse, run the batch under one
// acquisition of the execution lock, write the replies outside it.
func (c *Client) serve() { c.serveFrom(nil, nil) }

// serveFrom is serve starting with commands already parsed (and the parse
// error that followed them, if any): the event loop hands clients over
// this way.
func (c *Client) serveFrom(pending [][][]byte, pendingErr error) {
	s := c.srv
	moved := false // handed to the event loop: the loop frees the client
	defer func() {
		if !moved {
			c.free()
		}
	}()
	var batch [][][]byte
	var written []byte // last output buffer, recycled under the next lock
	for {
		var perr error
		if pending != nil || pendingErr != nil {
			batch, perr = pending, pendingErr
			pending, pendingErr = nil, nil
			goto run
		}
		{
			buf := c.parser.Buffer(readChunk)
			n, err := c.conn.Read(buf)
			if n > 0 {
				c.parser.Commit(n)
				s.stats.netInputBytes.Add(int64(n))
				s.stats.readsProcessed.Add(1)
			}
			if err != nil {
				return
			}
		}
		// Parse everything complete outside the lock. Before AUTH the size
		// limits depend on each command's outcome, so parse one at a time.
		batch = batch[:0]
		for {
			argv, ok, err := c.parser.Next()
			if err != nil {
				perr = err
				break
			}
			if !ok {
				break
			}
			if len(argv) == 0 {
				continue
			}
			batch = append(batch, argv)
			if !c.parser.Authenticated {
				break
			}
		}
		if len(batch) == 0 && perr == nil {
			if c.queryBufferExceeded() {
				return
			}
			continue
		}
	run:
		s.mu.Lock()
		if written != nil {
			c.recycleLocked(written)
			written = nil
		}
		if c.closed {
			s.mu.Unlock()
			return
		}
		s.beforeCommand()
		for _, argv := range batch {
			c.argv = argv
			if !c.waitIfPaused() || !c.waitIfModBlocked() {
				break
			}
			s.processCommand(c)
			if c.closeAfterReply || c.closed {
				break
			}
		}
		c.argv = nil
		if perr != nil && !c.closeAfterReply && !c.closed {
			c.addProtocolError(perr)
		}
		s.current = nil
		c.parser.Authenticated = c.authenticated
		s.checkOutputLimits(c)
		s.beforeSleepLocked()
		out := c.takeOutLocked()
		closing := c.closeAfterReply || c.closed
		async := !closing && s.asyncWrites(c)
		s.mu.Unlock()
		if out != nil {
			if async {
				go c.write(out)
			} else {
				written = c.writeKeep(out)
			}
		}
		if closing {
			c.drainWriter()
			return
		}
		// Unauthenticated: parse the rest of the read before reading more.
		for !c.parser.Authenticated && c.parser.Pending() && !closing {
			if !c.runPendingOne() {
				break
			}
		}
		c.parser.Compact()
		if c.parser.Buffered() == 0 && s.moveToLoop(c) {
			moved = true
			return
		}
	}
}

// drainWriter waits, before a QUIT or protocol error closes the
// connection, until output still being written by another goroutine has
// been sent (unless the client was killed meanwhile).
func (c *Client) drainWriter() {
	deadline := time.Now().Add(30 * time.Second)
	for (c.writing.Load() || c.asyncPending.Load()) && time.Now().Before(deadline) {
		c.srv.mu.Lock()
		closed := c.closed
		c.srv.mu.Unlock()
		if closed {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// runPendingOne executes one more buffered command (the unauthenticated
// path). It reports whether a command ran.
func (c *Client) runPendingOne() bool {
	s := c.srv
	argv, ok, err := c.parser.Next()
	if !ok && err == nil {
		return false
	}
	s.mu.Lock()
	if c.closed {
		s.mu.Unlock()
		return false
	}
	s.beforeCommand()
	if err != nil {
		c.addProtocolError(err)
	} else if len(argv) > 0 {
		c.argv = argv
		if c.waitIfPaused() && c.waitIfModBlocked() {
			s.processCommand(c)
		}
		c.argv = nil
	}
	s.current = nil
	c.parser.Authenticated = c.authenticated
	out := c.takeOutLocked()
	closing := c.closeAfterReply || c.closed
	s.mu.Unlock()
	if out != nil {
		c.write(out)
	}
	if closing {
		c.conn.Close()
		return false
	}
	return true
}

func (c *Client) addProtocolError(err error) {
	c.srv.logger.Logf(LogVerbose, "Protocol error (%s) from client: id=%d addr=%s", err.Error(), c.id, c.conn.RemoteAddr())
	c.replyOff = false
	c.addError("ERR " + err.Error())
	c.closeAfterReply = true
}

// takeOutLocked hands the pending output to the caller for writing unless
// another goroutine is already writing, in which case that writer will pick
// it up. Call with the execution lock held.
func (c *Client) takeOutLocked() []byte {
	if len(c.out) == 0 || c.closed {
		return nil
	}
	c.srv.aofBeforeReply() // no reply before its write is in the AOF
	if !c.writing.CompareAndSwap(false, true) {
		c.asyncPending.Store(true)
		return nil
	}
	out := c.out
	c.out = c.spare[:0]
	c.spare = nil
	c.inflight.Store(int64(len(out)))
	return out
}

// write sends out, then keeps writing while other goroutines queued more
// output for this client. Called without the execution lock, by the
// goroutine that set c.writing.
func (c *Client) write(out []byte) { c.recycle(c.writeKeep(out)) }

// writeKeep is write returning the written buffer instead of recycling it,
// so the connection goroutine can recycle it the next time it holds the
// execution lock anyway rather than taking the lock once more per batch.
func (c *Client) writeKeep(out []byte) []byte {
	s := c.srv
	for {
		n, err := c.conn.Write(out)
		s.stats.netOutputBytes.Add(int64(n))
		s.stats.writesProcessed.Add(1)
		if err != nil {
			c.conn.Close()
		}
		c.inflight.Store(0)
		c.writing.Store(false)
		if !c.asyncPending.Load() || !c.writing.CompareAndSwap(false, true) {
			return out
		}
		s.mu.Lock()
		c.asyncPending.Store(false)
		c.recycleLocked(out)
		if len(c.out) == 0 {
			// Give up the writer role under the lock: anyone queueing
			// output later sees writing == false and starts a writer.
			c.writing.Store(false)
			s.mu.Unlock()
			return nil
		}
		s.aofBeforeReply()
		out = c.out
		c.out = c.spare[:0]
		c.spare = nil
		c.inflight.Store(int64(len(out)))
		s.mu.Unlock()
	}
}

const maxSpare = 64 * 1024

func (c *Client) recycle(out []byte) {
	if out == nil || cap(out) > maxSpare {
		return
	}
	c.srv.mu.Lock()
	c.recycleLocked(out)
	c.srv.mu.Unlock()
}

func (c *Client) recycleLocked(out []byte) {
	if cap(out) <= maxSpare && c.spare == nil {
		c.spare = out[:0]
	}
}

// wakeWriterLocked makes sure a goroutine writes output that another
// client's command queued for this client (pub/sub messages, unblocked
// replies, MONITOR). Call with the execution lock held.
func (c *Client) wakeWriterLocked() {
	if c.closed || len(c.out) == 0 {
		return
	}
	c.asyncPending.Store(true)
	if !c.writing.CompareAndSwap(false, true) {
		return
	}
	c.srv.aofBeforeReply()
	out := c.out
	c.out = nil
	c.asyncPending.Store(false)
	c.inflight.Store(int64(len(out)))
	go c.write(out)
}

// free unregisters the client when its connection goroutine ends.
func (c *Client) free() {
	c.conn.Close()
	s := c.srv
	s.mu.Lock()
	c.closed = true
	s.unlinkClient(c)
	s.mu.Unlock()
}

// unlinkClient removes every trace of c from server state. Command families
// with per-client state (MULTI/WATCH, pub/sub, blocking, MONITOR) hook in
// through clientCleanup.
func (s *Server) unlinkClient(c *Client) {
	if c.unlinked {
		return
	}
	c.unlinked = true
	delete(s.clients, c.id)
	for _, fn := range clientCleanup {
		fn(s, c)
	}
}

// clientCleanup runs for every closing client; families register from init.
var clientCleanup []func(s *Server, c *Client)
