package server

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/resp"
)

// The replica side of replication: one goroutine per link connects to the
// master, does the handshake (PING, AUTH, REPLCONF, PSYNC), receives the
// RDB of a full resynchronization (to a temp file, then loaded under the
// execution lock, as repl-diskless-load disabled), then applies the
// command stream through the master client: no replies, offsets counted
// from the bytes consumed, keys never expired by the replica itself. The
// bytes received are also fed, unchanged, to our own backlog and
// sub-replicas (chained replication). A lost link is retried every second
// with PSYNC of the cached master, so a short drop costs no full sync.

// replLink is one REPLICAOF target's link goroutine.
type replLink struct {
	host string
	port int
	stop chan struct{}

	mu     sync.Mutex
	conn   net.Conn
	closed bool
}

// setConn records the connection, or closes it if the link was stopped.
func (l *replLink) setConn(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return false
	}
	l.conn = c
	return true
}

func (l *replLink) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.conn != nil {
		l.conn.Close()
	}
}

// replStartLink starts the link goroutine for the configured master.
func (s *Server) replStartLink() {
	l := &replLink{host: s.repl.masterHost, port: s.repl.masterPort, stop: make(chan struct{})}
	s.repl.link = l
	s.wg.Add(1)
	go s.replLinkLoop(l)
}

// replStopLink stops the link (under the lock); the goroutine notices and
// exits. A synchronized master is cached for a later PSYNC.
func (s *Server) replStopLink() {
	l := s.repl.link
	if l == nil {
		return
	}
	s.repl.link = nil
	close(l.stop)
	l.close()
	if s.repl.master != nil {
		s.replCacheMaster()
	}
}

// replCacheMaster drops the master client, remembering its history for
// PSYNC (Redis's replicationCacheMaster).
func (s *Server) replCacheMaster() {
	m := s.repl.master
	s.repl.master = nil
	s.repl.cachedID, s.repl.cachedOff, s.repl.cachedDB = s.intro.replID, s.repl.offset, m.db.ID
	if !m.closed {
		m.closed = true
		s.unlinkClient(m)
	}
	s.repl.downSince = time.Now()
	s.fireReplEvent(module.EventMasterLinkChange, subLinkDown)
}

// replLinkLoop connects, synchronizes and streams until stopped,
// reconnecting after a second when the link fails.
func (s *Server) replLinkLoop(l *replLink) {
	defer s.wg.Done()
	for {
		err := s.replSyncOnce(l)
		s.mu.Lock()
		current := s.repl.link == l
		if current {
			if err != nil {
				s.logger.Logf(LogWarning, "%v", err)
			}
			if s.repl.master != nil {
				s.logger.Logf(LogNotice, "Connection with master lost.")
				s.replCacheMaster()
			}
			if s.repl.downSince.IsZero() {
				s.repl.downSince = time.Now()
			}
			s.repl.state = replConnect
		}
		s.mu.Unlock()
		if !current {
			return
		}
		select {
		case <-l.stop:
			return
		case <-s.done:
			return
		case <-time.After(time.Second):
		}
	}
}

// replConn is the handshake's view of the master connection.
type replConn struct {
	conn    net.Conn
	br      *bufio.Reader
	timeout time.Duration
}

func (rc *replConn) send(args ...string) error {
	var b []byte
	b = appendReplCmd(b, args)
	rc.conn.SetDeadline(time.Now().Add(rc.timeout))
	_, err := rc.conn.Write(b)
	return err
}

// line reads one reply line without its CRLF.
func (rc *replConn) line() (string, error) {
	rc.conn.SetDeadline(time.Now().Add(rc.timeout))
	l, err := rc.br.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(l, "\r\n"), nil
}

func (rc *replConn) do(args ...string) (string, error) {
	if err := rc.send(args...); err != nil {
		return "", err
	}
	return rc.line()
}

// appendCommand encodes argv as a RESP multibulk.
func appendReplCmd(b []byte, args []string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// replSyncOnce runs one connection to the master: handshake, sync, stream.
func (s *Server) replSyncOnce(l *replLink) error {
	s.mu.Lock()
	if s.repl.link != l {
		s.mu.Unlock()
		return nil
	}
	s.repl.state = replConnecting
	timeout := time.Duration(s.cfg.ReplTimeout) * time.Second
	user, pass := s.cfg.MasterUser, s.cfg.MasterAuth
	port := s.ownPort()
	announceIP := s.cfg.ReplicaAnnounceIP
	psyncID, psyncOff := "?", int64(-1)
	if s.repl.cachedID != "" {
		psyncID, psyncOff = s.repl.cachedID, s.repl.cachedOff+1
	}
	failoverArg := s.failoverPsyncArg()
	s.mu.Unlock()

	addr := net.JoinHostPort(l.host, strconv.Itoa(l.port))
	s.logger.Logf(LogNotice, "Connecting to MASTER %s", addr)
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return fmt.Errorf("Unable to connect to MASTER: %v", err)
	}
	if s.cfg.TLSReplication {
		if conn, err = s.tlsWrapClient(conn, timeout); err != nil {
			return fmt.Errorf("Unable to connect to MASTER: %v", err)
		}
	}
	if !l.setConn(conn) {
		return nil
	}
	defer conn.Close()
	s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync started")
	s.setReplState(l, replHandshake)
	rc := &replConn{conn: conn, br: bufio.NewReaderSize(conn, 64<<10), timeout: timeout}

	r, err := rc.do("PING")
	if err != nil {
		return fmt.Errorf("Error condition on socket for SYNC: %v", err)
	}
	if strings.HasPrefix(r, "-") && !strings.HasPrefix(r, "-NOAUTH") && !strings.HasPrefix(r, "-NOPERM") &&
		!strings.HasPrefix(r, "-ERR operation not permitted") {
		return fmt.Errorf("Error reply to PING from master: '%s'", r)
	}
	s.logger.Logf(LogNotice, "Master replied to PING, replication can continue...")
	if pass != "" {
		args := []string{"AUTH", pass}
		if user != "" {
			args = []string{"AUTH", user, pass}
		}
		if r, err = rc.do(args...); err != nil {
			return err
		}
		if strings.HasPrefix(r, "-") {
			return fmt.Errorf("Unable to AUTH to MASTER: %s", r)
		}
	}
	if r, err = rc.do("REPLCONF", "listening-port", strconv.Itoa(port)); err != nil {
		return err
	} else if strings.HasPrefix(r, "-") {
		s.logger.Logf(LogNotice, "(Non critical) Master does not understand REPLCONF listening-port: %s", r)
	}
	if announceIP != "" {
		if r, err = rc.do("REPLCONF", "ip-address", announceIP); err != nil {
			return err
		}
	}
	if r, err = rc.do("REPLCONF", "capa", "eof", "capa", "psync2"); err != nil {
		return err
	} else if strings.HasPrefix(r, "-") {
		s.logger.Logf(LogNotice, "(Non critical) Master does not understand REPLCONF capa: %s", r)
	}
	if psyncID != "?" {
		s.logger.Logf(LogNotice, "Trying a partial resynchronization (request %s:%d).", psyncID, psyncOff)
	} else {
		s.logger.Logf(LogNotice, "Partial resynchronization not possible (no cached master)")
	}
	psyncArgs := []string{"PSYNC", psyncID, strconv.FormatInt(psyncOff, 10)}
	if failoverArg != "" {
		psyncArgs = append(psyncArgs, failoverArg)
	}
	if err := rc.send(psyncArgs...); err != nil {
		return err
	}
	for {
		if r, err = rc.line(); err != nil {
			return err
		}
		if r != "" { // newlines keep the link alive while the master prepares
			break
		}
	}
	if failoverArg != "" {
		// Our FAILOVER ends with the target's answer (syncWithMaster).
		accepted := strings.HasPrefix(r, "+FULLRESYNC") || strings.HasPrefix(r, "+CONTINUE")
		s.mu.Lock()
		ok := s.repl.link != l || s.failoverPsyncResult(accepted)
		s.mu.Unlock()
		if !ok {
			return nil
		}
	}
	switch {
	case strings.HasPrefix(r, "+FULLRESYNC"):
		f := strings.Fields(r)
		if len(f) < 3 {
			return fmt.Errorf("Master replied with wrong +FULLRESYNC syntax.")
		}
		off, _ := strconv.ParseInt(f[2], 10, 64)
		s.logger.Logf(LogNotice, "Full resync from master: %s:%d", f[1], off)
		leftover, err := s.replFullSync(l, rc, f[1], off)
		if err != nil {
			return err
		}
		return s.replStream(l, rc, leftover)
	case strings.HasPrefix(r, "+CONTINUE"):
		f := strings.Fields(r)
		newID := ""
		if len(f) > 1 {
			newID = f[1]
		}
		if !s.replPartial(l, conn, newID) {
			return nil
		}
		s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.")
		return s.replStream(l, rc, nil)
	case strings.HasPrefix(r, "-NOMASTERLINK"), strings.HasPrefix(r, "-LOADING"):
		return fmt.Errorf("Master is currently unable to PSYNC but should be in the future: %s", r)
	}
	return fmt.Errorf("Unexpected reply to PSYNC from master: %s", r)
}

func (s *Server) setReplState(l *replLink, st int) {
	s.mu.Lock()
	if s.repl.link == l {
		s.repl.state = st
	}
	s.mu.Unlock()
}

// replFullSync receives the RDB into a temp file, then replaces the
// dataset with it. It returns stream bytes read past an EOF-marked RDB.
func (s *Server) replFullSync(l *replLink, rc *replConn, id string, off int64) ([]byte, error) {
	var hdr string
	var err error
	for {
		if hdr, err = rc.line(); err != nil {
			return nil, fmt.Errorf("I/O error reading bulk count from MASTER: %v", err)
		}
		if hdr != "" {
			break
		}
	}
	if strings.HasPrefix(hdr, "-") {
		return nil, fmt.Errorf("MASTER aborted replication with an error: %s", hdr[1:])
	}
	if !strings.HasPrefix(hdr, "$") {
		return nil, fmt.Errorf("Bad protocol from MASTER, the first byte is not '$' (we received '%s'), are you sure the host and port are right?", hdr)
	}
	var mark []byte
	size := int64(-1)
	if strings.HasPrefix(hdr, "$EOF:") && len(hdr) == 5+40 {
		mark = []byte(hdr[5:])
		s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk")
	} else {
		if size, err = strconv.ParseInt(hdr[1:], 10, 64); err != nil || size < 0 {
			return nil, fmt.Errorf("Bad protocol from MASTER: %s", hdr)
		}
		s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync: receiving %d bytes from master to disk", size)
	}
	s.mu.Lock()
	if s.repl.link != l {
		s.mu.Unlock()
		return nil, nil
	}
	s.repl.state = replTransfer
	s.repl.syncTotal, s.repl.syncRead, s.repl.syncLastIO = size, 0, time.Now()
	tmp := s.rdbPath(fmt.Sprintf("temp-%d.%d.rdb", time.Now().Unix(), os.Getpid()))
	final := s.rdbPath(s.cfg.DBFilename)
	s.mu.Unlock()

	f, err := os.Create(tmp)
	if err != nil {
		return nil, fmt.Errorf("Opening the temp file needed for MASTER <-> REPLICA synchronization: %v", err)
	}
	defer os.Remove(tmp)
	leftover, err := s.replReceive(rc, f, size, mark)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("I/O error trying to sync with MASTER: %v", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.repl.link != l {
		return nil, nil
	}
	s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync: Flushing old data")
	// A new history: sub-replicas must resynchronize, the old backlog is
	// of no use.
	s.disconnectReplicas()
	s.repl.backlog = nil
	s.moduleFlushEvent(0, -1)
	for _, db := range s.ks.DBs {
		s.emptyDB(db)
	}
	s.moduleFlushEvent(1, -1)
	if err := os.Rename(tmp, final); err != nil {
		return nil, fmt.Errorf("Failed trying to rename the temp DB into %s in MASTER <-> REPLICA synchronization: %v", filepath.Base(final), err)
	}
	s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync: Loading DB in memory")
	if err := s.replLoad(final); err != nil {
		s.logger.Logf(LogWarning, "Failed trying to load the MASTER synchronization DB from disk, check server logs.")
		for _, db := range s.ks.DBs {
			s.emptyDB(db)
		}
		return nil, err
	}
	s.intro.replID = id
	s.repl.offset = off
	s.repl.replID2, s.repl.secondOff = zeroReplID, -1
	s.repl.cachedID = ""
	s.replAttachMaster(rc.conn)
	s.logger.Logf(LogNotice, "MASTER <-> REPLICA sync: Finished with success")
	return leftover, nil
}

// replReceive copies the RDB payload to w: size bytes, or up to the EOF
// mark. Bytes after the mark are returned.
func (s *Server) replReceive(rc *replConn, w io.Writer, size int64, mark []byte) ([]byte, error) {
	buf := make([]byte, 64<<10)
	progress := func(n int) {
		s.mu.Lock()
		s.repl.syncRead += int64(n)
		s.repl.syncLastIO = time.Now()
		s.mu.Unlock()
	}
	if mark == nil {
		for left := size; left > 0; {
			rc.conn.SetReadDeadline(time.Now().Add(rc.timeout))
			n, err := rc.br.Read(buf[:min(int64(len(buf)), left)])
			if n > 0 {
				if _, werr := w.Write(buf[:n]); werr != nil {
					return nil, werr
				}
				left -= int64(n)
				progress(n)
			}
			if err != nil && left > 0 {
				return nil, err
			}
		}
		return nil, nil
	}
	var tail []byte // last bytes, which may be the start of the mark
	for {
		rc.conn.SetReadDeadline(time.Now().Add(rc.timeout))
		n, err := rc.br.Read(buf)
		if n > 0 {
			progress(n)
			data := append(tail, buf[:n]...)
			if i := bytes.Index(data, mark); i >= 0 {
				if _, werr := w.Write(data[:i]); werr != nil {
					return nil, werr
				}
				return append([]byte(nil), data[i+len(mark):]...), nil
			}
			keep := min(len(data), len(mark)-1)
			if _, werr := w.Write(data[:len(data)-keep]); werr != nil {
				return nil, werr
			}
			tail = append([]byte(nil), data[len(data)-keep:]...)
		}
		if err != nil {
			return nil, err
		}
	}
}

// replLoad loads the master's RDB; keys already expired are kept, the
// master will send their deletion (a replica never expires keys).
func (s *Server) replLoad(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if rdbCodec.load == nil {
		return errors.New("RDB loading is not available in this build")
	}
	var size int64
	if st, serr := f.Stat(); serr == nil {
		size = st.Size()
	}
	s.load = loadState{active: true, start: time.Now(), total: size}
	s.firePersistEvent(module.EventLoading, subLoadingReplStart)
	l := &rdbLoader{s: s, now: math.MinInt64}
	noExp, added := s.ks.NoExpire, s.ks.Hooks.Added
	s.ks.NoExpire, s.ks.Hooks.Added = true, nil
	err = rdbCodec.load(s, bufio.NewReaderSize(&loadYieldReader{s: s, r: &progressReader{s: s, r: f, total: size}, last: time.Now()}, 64<<10), l)
	s.load = loadState{}
	s.ks.NoExpire, s.ks.Hooks.Added = noExp, added
	s.persist.loaded, s.persist.expired = l.loaded, l.expired
	if err != nil {
		s.firePersistEvent(module.EventLoading, subLoadingFailed)
		return err
	}
	s.logger.Logf(LogNotice, "Done loading RDB, keys loaded: %d, keys expired: %d.", l.loaded, l.expired)
	s.firePersistEvent(module.EventLoading, subLoadingEnded)
	return nil
}

// replPartial takes a +CONTINUE: the cached master becomes the master
// again; a new replication ID means the master's history forked (a
// failover), which our ID history records.
func (s *Server) replPartial(l *replLink, conn net.Conn, newID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.repl.link != l {
		return false
	}
	if newID != "" && newID != s.repl.cachedID {
		s.repl.replID2 = s.repl.cachedID
		s.repl.secondOff = s.repl.cachedOff + 1
		s.logger.Logf(LogNotice, "Master replication ID changed to %s", newID)
		s.disconnectReplicas()
	}
	if newID != "" {
		s.intro.replID = newID
	} else {
		s.intro.replID = s.repl.cachedID
	}
	s.repl.offset = s.repl.cachedOff
	s.repl.cachedID = ""
	s.replAttachMaster(conn)
	// The stream goes on in the db it had selected.
	s.repl.master.db = s.ks.DBs[s.repl.cachedDB]
	return true
}

// replAttachMaster creates the master client on conn (Redis's
// replicationCreateMasterClient). Call with the lock held.
func (s *Server) replAttachMaster(conn net.Conn) {
	m := &Client{srv: s, conn: conn, id: s.nextID.Add(1), authenticated: true, createdAt: time.Now(), resp: 2}
	m.lastInteract = m.createdAt
	m.db = s.ks.DBs[0]
	m.fd = connFD(conn)
	s.clients[m.id] = m
	s.repl.master = m
	s.repl.state = replConnected
	s.repl.lastIO = time.Now()
	s.repl.downSince = time.Time{}
	if s.repl.backlog == nil {
		s.repl.backlog = newBacklog(s.cfg.ReplBacklogSize, s.repl.offset)
	}
	s.fireReplEvent(module.EventMasterLinkChange, subLinkUp)
}

// replStream applies the master's command stream until the link fails.
// It sends REPLCONF ACK every second and when the master asks (GETACK).
func (s *Server) replStream(l *replLink, rc *replConn, leftover []byte) error {
	if leftover == nil && rc.br.Buffered() > 0 {
		leftover, _ = rc.br.Peek(rc.br.Buffered())
		leftover = append([]byte(nil), leftover...)
		rc.br.Discard(len(leftover))
	}
	p := resp.NewParser()
	p.Authenticated = true
	p.MaxBulk = math.MaxInt64
	if len(leftover) > 0 {
		p.Feed(leftover)
	}
	sendAck := func(off int64) error {
		rc.conn.SetWriteDeadline(time.Now().Add(rc.timeout))
		_, err := rc.conn.Write(appendReplCmd(nil, []string{"REPLCONF", "ACK", strconv.FormatInt(off, 10)}))
		return err
	}
	s.mu.Lock()
	off := s.repl.offset
	s.mu.Unlock()
	if err := sendAck(off); err != nil {
		return err
	}
	lastAck := time.Now()
	for {
		var acks []int64
		s.mu.Lock()
		if s.repl.link != l || s.repl.master == nil || s.repl.master.closed || s.closing() {
			s.mu.Unlock()
			return nil
		}
		m := s.repl.master
		s.beforeCommand()
		raw := p.Peek(p.Buffered())
		for {
			before := p.Buffered()
			argv, ok, err := p.Next()
			if err != nil {
				s.mu.Unlock()
				return fmt.Errorf("Protocol error from master: %v", err)
			}
			if !ok {
				break
			}
			n := before - p.Buffered()
			chunk := raw[:n]
			raw = raw[n:]
			if len(argv) > 0 {
				s.repl.ackNow = false
				s.replApply(m, argv)
				if s.repl.ackNow {
					acks = append(acks, s.repl.offset)
				}
			}
			s.repl.offset += int64(n)
			s.replFeedRaw(chunk)
			if s.repl.master != m || m.closed {
				break
			}
		}
		s.current = nil
		s.beforeSleepLocked()
		timeout := time.Duration(s.cfg.ReplTimeout) * time.Second
		lastIO := s.repl.lastIO
		off := s.repl.offset
		s.mu.Unlock()
		p.Compact()
		for _, a := range acks {
			if err := sendAck(a); err != nil {
				return err
			}
		}
		if time.Since(lastAck) >= time.Second {
			if err := sendAck(off); err != nil {
				return err
			}
			lastAck = time.Now()
		}
		if time.Since(lastIO) > timeout {
			return errors.New("MASTER timeout: no data nor PING received...")
		}
		buf := p.Buffer(readChunk)
		rc.conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := rc.br.Read(buf)
		if n > 0 {
			p.Commit(n)
			s.stats.netInputBytes.Add(int64(n))
			s.mu.Lock()
			s.repl.lastIO = time.Now()
			s.mu.Unlock()
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
	}
}

// replApply runs one command of the master's stream. Replies are dropped;
// TTLs are ignored (the master decides when a key expires and sends DEL).
func (s *Server) replApply(m *Client, argv [][]byte) {
	m.argv = argv
	m.replyOff = false
	s.ks.IgnoreTTL = true
	s.processCommand(m)
	s.ks.IgnoreTTL = false
	m.argv = nil
	m.out = m.out[:0]
	if len(s.blocking.ready) > 0 {
		s.handleClientsBlockedOnKeys()
	}
}
