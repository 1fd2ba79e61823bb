package server

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/module"
)

// The master side of replication: REPLCONF, SYNC/PSYNC, the backlog,
// full resynchronization from a fork-less snapshot, feeding the command
// stream (with SELECT) to replicas, the periodic PING, ACKs, WAIT and
// min-replicas-to-write.

const subLoadingReplStart = 2 // REDISMODULE_SUBEVENT_LOADING_REPL_START

// Replica states, as Redis's SLAVE_STATE_*.
const (
	replicaNone       = iota // REPLCONF seen, no SYNC yet
	replicaWaitStart         // waiting for a full sync to start
	replicaWaitBgsave        // +FULLRESYNC sent, the RDB is being made
	replicaSendBulk          // the RDB is being sent
	replicaOnline
)

// replica is what the master knows about one replica client.
type replica struct {
	c         *Client
	state     int
	port      int    // REPLCONF listening-port
	addr      string // REPLCONF ip-address
	capaEOF   bool
	capaPsync bool
	oldSync   bool // SYNC, not PSYNC: no +FULLRESYNC line
	rdbOnly   bool // REPLCONF rdb-only 1: the RDB, then the connection closes
	ackOff    int64
	ackTime   time.Time
	waitSince time.Time
	pending   []byte // stream produced while the RDB is made
}

func (r *replica) ip() string {
	if r.addr != "" {
		return r.addr
	}
	if a, ok := r.c.conn.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return "?"
}

func (r *replica) stateName() string {
	switch r.state {
	case replicaWaitStart, replicaWaitBgsave:
		return "wait_bgsave"
	case replicaSendBulk:
		return "send_bulk"
	case replicaOnline:
		return "online"
	}
	return "none"
}

// replicaState returns c's replica record if c did SYNC/PSYNC.
func (c *Client) replicaState() *replica {
	for _, r := range c.srv.repl.replicas {
		if r.c == c && r.state != replicaNone {
			return r
		}
	}
	return nil
}

// replicaRecord returns c's record, creating one (REPLCONF before PSYNC).
func (s *Server) replicaRecord(c *Client) *replica {
	for _, r := range s.repl.replicas {
		if r.c == c {
			return r
		}
	}
	r := &replica{c: c}
	s.repl.replicas = append(s.repl.replicas, r)
	return r
}

func init() {
	register(map[string]func(*Client){
		"replconf": replconfCommand,
		"sync":     syncCommand,
		"psync":    syncCommand,
		"wait":     waitCommand,
	})
	cronJobs = append(cronJobs, (*Server).replCron)
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) {
		for i, r := range s.repl.replicas {
			if r.c == c {
				s.repl.replicas = append(s.repl.replicas[:i], s.repl.replicas[i+1:]...)
				if r.state != replicaNone {
					s.logger.Logf(LogNotice, "Connection with replica %s:%d lost.", r.ip(), r.port)
					if r.state == replicaOnline {
						s.fireReplEvent(module.EventReplicaChange, subReplicaOff)
					}
					if s.replicaCount() == 0 {
						s.repl.noBacklog = time.Now()
					}
				}
				break
			}
		}
		for i, w := range s.repl.waiters {
			if w.c == c {
				w.timer.Stop()
				s.repl.waiters = append(s.repl.waiters[:i], s.repl.waiters[i+1:]...)
				break
			}
		}
	})
}

func (s *Server) replicaCount() int {
	n := 0
	for _, r := range s.repl.replicas {
		if r.state != replicaNone {
			n++
		}
	}
	return n
}

// backlog is the replication backlog: the last size bytes of the stream.
type backlog struct {
	buf     []byte
	pos     int   // next write index in buf
	histlen int64 // bytes held
	end     int64 // offset of the last byte written
}

func newBacklog(size, offset int64) *backlog {
	return &backlog{buf: make([]byte, max(size, 16*1024)), end: offset}
}

func (b *backlog) firstOffset() int64 { return b.end - b.histlen + 1 }

func (b *backlog) write(p []byte) {
	b.end += int64(len(p))
	for len(p) > 0 {
		n := copy(b.buf[b.pos:], p)
		p = p[n:]
		b.pos = (b.pos + n) % len(b.buf)
		b.histlen = min(b.histlen+int64(n), int64(len(b.buf)))
	}
}

// from returns the bytes from offset off on; ok is false if they are gone.
func (b *backlog) from(off int64) ([]byte, bool) {
	if off < b.firstOffset() || off > b.end+1 {
		return nil, false
	}
	n := int(b.end + 1 - off)
	out := make([]byte, 0, n)
	start := (b.pos - n + len(b.buf)) % len(b.buf)
	if start+n <= len(b.buf) {
		return append(out, b.buf[start:start+n]...), true
	}
	out = append(out, b.buf[start:]...)
	return append(out, b.buf[:n-(len(b.buf)-start)]...), true
}

// replSink feeds propagated commands to the backlog and the replicas.
type replSink struct{ s *Server }

func (f replSink) Propagate(db int, argv [][]byte, target int) {
	s := f.s
	if s.repl.backlog == nil || s.isReplica() {
		return
	}
	var b []byte
	if db != s.repl.seldb {
		b = appendReplCmd(b, []string{"SELECT", strconv.Itoa(db)})
		s.repl.seldb = db
	}
	b = appendArgv(b, argv)
	s.repl.offset += int64(len(b))
	s.replFeedRaw(b)
}

func appendArgv(b []byte, argv [][]byte) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(argv)), 10)
	b = append(b, '\r', '\n')
	for _, a := range argv {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// replFeedRaw appends stream bytes to the backlog and to every replica
// (online: its output; synchronizing: its pending buffer). The caller
// advances the offset.
func (s *Server) replFeedRaw(b []byte) {
	if bl := s.repl.backlog; bl != nil {
		bl.write(b)
	}
	var over []*Client
	for _, r := range s.repl.replicas {
		switch r.state {
		case replicaOnline:
			r.c.out = append(r.c.out, b...)
			if s.outputLimitReached(r.c) {
				over = append(over, r.c)
			} else {
				r.c.wakeWriterLocked()
			}
		case replicaWaitBgsave, replicaSendBulk:
			r.pending = append(r.pending, b...)
		}
	}
	// client-output-buffer-limit replica: a replica that cannot keep up is
	// dropped (it will PSYNC again).
	for _, c := range over {
		if !s.checkOutputLimits(c) {
			c.wakeWriterLocked() // only over the soft limit, not for long yet
		}
	}
}

// outputLimitReached is a cheap pre-check of checkOutputLimits: c's
// class has a limit and c's pending output is at or above one of them.
func (s *Server) outputLimitReached(c *Client) bool {
	lim := s.cfg.ClientOutputBufferLimits[c.limitClass()]
	used := c.outputBytes()
	return (lim.Hard > 0 && used >= lim.Hard) || (lim.Soft > 0 && used >= lim.Soft)
}

// replCreateBacklog creates the backlog of a master that gets its first
// replica: a new history starts (new ID, no ID2), as Redis does.
func (s *Server) replCreateBacklog() {
	if s.repl.backlog != nil {
		s.prop.repl = replSink{s}
		return
	}
	if !s.isReplica() {
		s.intro.replID = randomHex40()
		s.repl.replID2, s.repl.secondOff = zeroReplID, -1
	}
	s.repl.backlog = newBacklog(s.cfg.ReplBacklogSize, s.repl.offset)
	s.prop.repl = replSink{s}
}

// replconfCommand is REPLCONF option value ...
func replconfCommand(c *Client) {
	s := c.srv
	if len(c.argv)%2 == 0 {
		c.addError(errSyntax)
		return
	}
	for i := 1; i < len(c.argv); i += 2 {
		opt, val := optLower(c.argv[i]), string(c.argv[i+1])
		switch opt {
		case "listening-port":
			p, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				c.addError("ERR value is not an integer or out of range")
				return
			}
			s.replicaRecord(c).port = int(p)
		case "ip-address":
			if len(val) >= 46 {
				c.addError("ERR REPLCONF ip-address provided by replica instance is too long: " + strconv.Itoa(len(val)) + " bytes")
				return
			}
			s.replicaRecord(c).addr = val
		case "capa":
			r := s.replicaRecord(c)
			switch strings.ToLower(val) {
			case "eof":
				r.capaEOF = true
			case "psync2":
				r.capaPsync = true
			}
		case "ack":
			r := c.replicaState()
			if r == nil {
				return
			}
			if off, err := strconv.ParseInt(val, 10, 64); err == nil && off > r.ackOff {
				r.ackOff = off
			}
			r.ackTime = time.Now()
			s.replServeWaiters()
			return
		case "getack":
			if s.repl.master == c {
				s.repl.ackNow = true
			}
			return
		case "rdb-only":
			s.replicaRecord(c).rdbOnly = val == "1"
		case "rdb-filter-only":
		default:
			c.addError("ERR Unrecognized REPLCONF option: " + cstr(string(c.argv[i])))
			return
		}
	}
	c.addOK()
}

// syncCommand is SYNC and PSYNC replid offset.
func syncCommand(c *Client) {
	s := c.srv
	if c.replicaState() != nil || s.repl.master == c {
		return
	}
	if len(c.argv) > 3 && isOpt(c.argv[0], "psync") && isOpt(c.argv[3], "failover") {
		// A demoted master hands over to us (its FAILOVER).
		if !s.isReplica() {
			c.addError("ERR PSYNC FAILOVER can't be sent to a master.")
			return
		}
		if !strings.EqualFold(string(c.argv[1]), s.intro.replID) {
			c.addError("ERR PSYNC FAILOVER replid must match my replid.")
			return
		}
		s.replicationUnsetMaster()
		s.logger.Logf(LogNotice, "MASTER MODE enabled (failover request from '%s')", s.clientInfoString(c))
	}
	if s.repl.failover.state != failoverNone {
		c.addError("NOMASTERLINK Can't SYNC while failing over")
		return
	}
	if s.isReplica() && s.repl.state != replConnected {
		c.addError("NOMASTERLINK Can't SYNC while not connected with my master")
		return
	}
	if len(c.out) > 0 {
		c.addError("ERR SYNC and PSYNC are invalid with pending output")
		return
	}
	if c.multi != nil {
		c.addError("ERR Replica can't be in MULTI")
		return
	}
	r := s.replicaRecord(c)
	s.logger.Logf(LogNotice, "Replica %s:%d asks for synchronization", r.ip(), r.port)
	if isOpt(c.argv[0], "psync") {
		if s.replTryPartial(c, r) {
			return
		}
	} else {
		r.oldSync = true
	}
	if isOpt(c.argv[0], "psync") && !(len(c.argv[1]) == 1 && c.argv[1][0] == '?') {
		s.repl.syncPartialErr++
	}
	r.state = replicaWaitStart
	r.waitSince = time.Now()
	r.ackTime = time.Now()
	s.repl.syncFull++
	s.replCreateBacklog()
	s.replMaybeStartSync(false)
}

// replTryPartial is masterTryPartialResynchronization.
func (s *Server) replTryPartial(c *Client, r *replica) bool {
	id := string(c.argv[1])
	off, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
	if err != nil {
		return false
	}
	if !strings.EqualFold(id, s.intro.replID) && (!strings.EqualFold(id, s.repl.replID2) || off > s.repl.secondOff) {
		if id != "?" {
			s.logger.Logf(LogNotice, "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '%s', my replication IDs are '%s' and '%s')", id, s.intro.replID, s.repl.replID2)
		} else {
			s.logger.Logf(LogNotice, "Full resync requested by replica %s:%d", r.ip(), r.port)
		}
		return false
	}
	bl := s.repl.backlog
	if bl == nil {
		return false
	}
	data, ok := bl.from(off)
	if !ok {
		s.logger.Logf(LogNotice, "Unable to partial resync with replica %s:%d for lack of backlog (Replica request was: %d).", r.ip(), r.port, off)
		return false
	}
	r.state = replicaOnline
	r.ackTime = time.Now()
	if r.capaPsync {
		c.out = append(c.out, "+CONTINUE "+s.intro.replID+"\r\n"...)
	} else {
		c.out = append(c.out, "+CONTINUE\r\n"...)
	}
	c.out = append(c.out, data...)
	s.repl.syncPartialOK++
	s.logger.Logf(LogNotice, "Partial resynchronization request from %s:%d accepted. Sending %d bytes of backlog starting from offset %d.", r.ip(), r.port, len(data), off)
	s.fireReplEvent(module.EventReplicaChange, subReplicaOn)
	return true
}

// replMaybeStartSync starts a full sync for the waiting replicas when
// possible: now, or (diskless) after repl-diskless-sync-delay unless
// repl-diskless-sync-max-replicas are already waiting.
func (s *Server) replMaybeStartSync(cron bool) {
	if s.repl.fullSync != nil || s.ks.Snapshot != nil {
		return
	}
	var waiting []*replica
	oldest := time.Now()
	for _, r := range s.repl.replicas {
		if r.state == replicaWaitStart {
			waiting = append(waiting, r)
			if r.waitSince.Before(oldest) {
				oldest = r.waitSince
			}
		}
	}
	if len(waiting) == 0 {
		return
	}
	if s.cfg.ReplDisklessSync && s.cfg.ReplDisklessSyncDelay > 0 {
		full := s.cfg.ReplDisklessSyncMaxReplicas > 0 && len(waiting) >= s.cfg.ReplDisklessSyncMaxReplicas
		if !full && time.Since(oldest) < time.Duration(s.cfg.ReplDisklessSyncDelay)*time.Second {
			return
		}
	}
	s.replStartFullSync(waiting)
}

// disconnectReplicas drops every replica (a new history starts).
func (s *Server) disconnectReplicas() {
	for _, r := range append([]*replica(nil), s.repl.replicas...) {
		if r.state != replicaNone {
			s.killClient(r.c)
		}
	}
	if fs := s.repl.fullSync; fs != nil {
		fs.aborted.Store(true)
		s.repl.fullSync = nil
	}
}

// replCron is the replication part of serverCron: pings and newlines to
// replicas, replica timeouts, backlog TTL, delayed full syncs.
func (s *Server) replCron() {
	now := time.Now()
	if s.repl.atStart {
		s.repl.atStart = false
		if s.isReplica() && s.repl.link == nil {
			s.replStartLink()
			s.fireRoleChanged(false)
		}
	}
	s.replMaybeStartSync(true)
	if now.Sub(s.repl.pingTick) < time.Second {
		return
	}
	s.repl.pingTick = now
	s.repl.pingLoops++
	// No PING during a FAILOVER with a timeout (it would move the offset
	// the target must reach), as Redis.
	if !s.isReplica() && s.repl.backlog != nil && s.replicaCount() > 0 &&
		!(s.repl.failover.endMs != 0 && s.clientsPaused()) &&
		s.cfg.ReplPingReplicaPeriod > 0 && s.repl.pingLoops%int64(s.cfg.ReplPingReplicaPeriod) == 0 {
		b := appendReplCmd(nil, []string{"PING"})
		s.repl.offset += int64(len(b))
		s.replFeedRaw(b)
	}
	timeout := time.Duration(s.cfg.ReplTimeout) * time.Second
	for _, r := range append([]*replica(nil), s.repl.replicas...) {
		switch r.state {
		case replicaWaitStart, replicaWaitBgsave:
			// Newlines keep the replica from timing out while it waits.
			r.c.out = append(r.c.out, '\n')
			r.c.wakeWriterLocked()
		case replicaOnline:
			if now.Sub(r.ackTime) > timeout {
				s.logger.Logf(LogWarning, "Disconnecting timedout replica (streaming sync): %s:%d", r.ip(), r.port)
				s.killClient(r.c)
			}
		}
	}
	if !s.isReplica() && s.repl.backlog != nil && s.replicaCount() == 0 && s.cfg.ReplBacklogTTL > 0 &&
		!s.repl.noBacklog.IsZero() && now.Sub(s.repl.noBacklog) > time.Duration(s.cfg.ReplBacklogTTL)*time.Second {
		// Redis changes the ID too: nobody can continue the old history.
		s.intro.replID = randomHex40()
		s.repl.replID2, s.repl.secondOff = zeroReplID, -1
		s.repl.backlog = nil
		s.prop.repl = nil
		s.logger.Logf(LogNotice, "Replication backlog freed after %d seconds without connected replicas.", s.cfg.ReplBacklogTTL)
	}
}

// goodReplicas counts online replicas whose last ACK is recent enough
// (min-replicas-max-lag).
func (s *Server) goodReplicas() int {
	n := 0
	for _, r := range s.repl.replicas {
		if r.state == replicaOnline && time.Since(r.ackTime) <= time.Duration(s.cfg.MinReplicasMaxLag)*time.Second {
			n++
		}
	}
	return n
}

// waitState is a client blocked in WAIT.
type waitState struct {
	c     *Client
	off   int64
	num   int
	timer *time.Timer
}

// ackedReplicas counts replicas that acknowledged offset off.
func (s *Server) ackedReplicas(off int64) int {
	n := 0
	for _, r := range s.repl.replicas {
		if r.state == replicaOnline && r.ackOff >= off {
			n++
		}
	}
	return n
}

// waitCommand is WAIT numreplicas timeout.
func waitCommand(c *Client) {
	s := c.srv
	if s.isReplica() {
		c.addError("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.")
		return
	}
	num, err := strconv.ParseInt(string(c.argv[1]), 10, 64)
	if err != nil {
		c.addError("ERR value is not an integer or out of range")
		return
	}
	ms, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
	if err != nil {
		c.addError("ERR timeout is not an integer or out of range")
		return
	}
	if ms < 0 {
		c.addError("ERR timeout is negative")
		return
	}
	off := s.repl.offset
	acked := s.ackedReplicas(off)
	if int64(acked) >= num || c.multi != nil || c.isModuleTemp() {
		c.addInt(int64(acked))
		return
	}
	w := &waitState{c: c, off: off, num: int(num)}
	if ms > 0 {
		w.timer = time.AfterFunc(time.Duration(ms)*time.Millisecond, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.replFinishWait(w)
		})
	} else {
		w.timer = time.NewTimer(time.Hour * 24 * 365 * 100)
	}
	s.repl.waiters = append(s.repl.waiters, w)
	s.parkClient(c)
	// Ask the replicas where they are (Redis does it before sleeping).
	b := appendReplCmd(nil, []string{"REPLCONF", "GETACK", "*"})
	s.repl.offset += int64(len(b))
	s.replFeedRaw(b)
}

// replFinishWait answers a WAIT with the number of replicas that acked.
func (s *Server) replFinishWait(w *waitState) {
	for i, x := range s.repl.waiters {
		if x == w {
			s.repl.waiters = append(s.repl.waiters[:i], s.repl.waiters[i+1:]...)
			w.timer.Stop()
			w.c.addInt(int64(s.ackedReplicas(w.off)))
			s.unparkClient(w.c)
			return
		}
	}
}

// replServeWaiters unblocks WAIT clients whose target is reached.
func (s *Server) replServeWaiters() {
	for _, w := range append([]*waitState(nil), s.repl.waiters...) {
		if s.ackedReplicas(w.off) >= w.num {
			s.replFinishWait(w)
		}
	}
}

// replFailWaiters answers every WAIT (the server stops being a master).
func (s *Server) replFailWaiters() {
	for _, w := range append([]*waitState(nil), s.repl.waiters...) {
		s.replFinishWait(w)
	}
}

// closeWhenWritten closes c once its pending output has been written.
func (s *Server) closeWhenWritten(c *Client) {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		done := c.closed || (len(c.out) == 0 && !c.writing.Load() && !c.asyncPending.Load())
		if done {
			if !c.closed {
				s.killClient(c)
			}
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
}
