package server

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/module"
)

// Replication (Redis's replication.c), the shared part: the state of both
// roles, REPLICAOF/SLAVEOF, ROLE, INFO replication and the command checks
// a replica applies (READONLY, MASTERDOWN) or a master applies
// (NOREPLICAS). The replica's link lives in repl_replica.go, the master's
// backlog, SYNC/PSYNC, REPLCONF and WAIT in repl_master.go.

// Replica link states, as Redis's repl_state (the names ROLE prints).
const (
	replNone       = iota // not a replica
	replConnect           // must connect
	replConnecting        // TCP connect in progress
	replHandshake         // PING, AUTH, REPLCONF, PSYNC
	replTransfer          // receiving the RDB
	replConnected         // streaming
)

// replState is the Server's replication state.
type replState struct {
	// Replica side.
	masterHost string
	masterPort int
	state      int
	link       *replLink // the running link goroutine, nil when master
	master     *Client   // the master client once synchronized
	lastIO     time.Time // last data from the master
	downSince  time.Time // when the link went down (zero: never up)
	syncTotal  int64     // RDB size being received (-1: EOF-marked)
	syncRead   int64
	syncLastIO time.Time
	// cached master (Redis's server.cached_master) for PSYNC after a drop
	cachedID  string
	cachedOff int64
	cachedDB  int // the db the master's stream had selected

	// Both roles.
	offset    int64  // master_repl_offset
	replID2   string // master_replid2
	secondOff int64  // second_repl_offset (-1: none)
	backlog   *backlog
	noBacklog time.Time // since when there has been no replica (backlog TTL)

	// Master side.
	replicas  []*replica
	seldb     int // db of the last SELECT sent to replicas (-1: none)
	fullSync  *replSync
	pingTick  time.Time
	waiters   []*waitState
	ackNow    bool  // the master asked REPLCONF GETACK
	pingLoops int64 // seconds counted by the cron (PING period)

	failover failoverState // FAILOVER (repl_failover.go)
	// avoidTraffic mirrors a failover's pause for module threads
	// (AvoidReplicaTraffic may be called without the lock).
	avoidTraffic atomic.Bool

	syncFull, syncPartialOK, syncPartialErr int64 // INFO stats
	atStart                                 bool  // before the first cron: loading the start-up RDB
}

func init() {
	register(map[string]func(*Client){
		"replicaof": replicaofCommand,
		"slaveof":   replicaofCommand,
		"role":      roleCommand,
	})
	setInfoField("stats", "sync_full", "", func(s *Server) string { return strconv.FormatInt(s.repl.syncFull, 10) })
	setInfoField("stats", "sync_partial_ok", "", func(s *Server) string { return strconv.FormatInt(s.repl.syncPartialOK, 10) })
	setInfoField("stats", "sync_partial_err", "", func(s *Server) string { return strconv.FormatInt(s.repl.syncPartialErr, 10) })
	sec := infoSectionNamed("replication")
	sec.fields = nil
	sec.dynamic = (*Server).infoReplication
}

// replInit sets the initial replication state and starts the link when
// replicaof is configured.
func (s *Server) replInit() {
	s.repl.secondOff = -1
	s.repl.seldb = -1
	s.repl.replID2 = zeroReplID
	if s.modules != nil {
		s.modules.ReplicationFlags = s.replContextFlags
	}
	module.AvoidReplicaTrafficHook = s.replModuleAvoidTraffic
	s.repl.atStart = true
	if s.cfg.ReplicaOfHost != "" {
		// The link starts from the cron, once the data is loaded (a
		// replica restarted with an RDB of its own continues with PSYNC).
		s.repl.masterHost, s.repl.masterPort = s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort
		s.ks.NoExpire = true
		s.repl.state = replConnect
	}
}

// replAux is the replication info saved in an RDB (Redis's
// rdbPopulateSaveInfo): a replica's or a master's with a backlog, so a
// restarted replica can continue with PSYNC.
func (s *Server) replAux() [][2]string {
	db := 0
	switch {
	case s.isReplica() && s.repl.master != nil:
		db = s.repl.master.db.ID
	case s.isReplica() && s.repl.cachedID != "":
	case !s.isReplica() && s.repl.backlog != nil:
		db = max(s.repl.seldb, 0)
	default:
		return nil
	}
	return [][2]string{{"repl-stream-db", strconv.Itoa(db)}, {"repl-id", s.intro.replID},
		{"repl-offset", strconv.FormatInt(s.repl.offset, 10)}}
}

// replLoadAux takes the replication info of the RDB loaded at start-up
// by a replica: its history becomes the cached master.
func (s *Server) replLoadAux(key, val string) {
	if !s.repl.atStart || !s.isReplica() {
		return
	}
	switch key {
	case "repl-stream-db":
		if db, err := strconv.Atoi(val); err == nil && db >= 0 && db < len(s.ks.DBs) {
			s.repl.cachedDB = db
		}
	case "repl-id":
		if len(val) == 40 {
			s.intro.replID = val
			s.repl.cachedID = val
		}
	case "repl-offset":
		if off, err := strconv.ParseInt(val, 10, 64); err == nil {
			s.repl.offset, s.repl.cachedOff = off, off
		}
	}
}

const zeroReplID = "0000000000000000000000000000000000000000"

// isReplica reports whether the server is a replica (Redis's
// server.masterhost != NULL).
func (s *Server) isReplica() bool { return s.repl.masterHost != "" }

// replicaofCommand is REPLICAOF host port | NO ONE (and SLAVEOF).
func replicaofCommand(c *Client) {
	s := c.srv
	if s.cfg.ClusterEnabled {
		c.addError("ERR REPLICAOF not allowed in cluster mode.")
		return
	}
	if s.repl.master == c {
		return
	}
	if isOpt(c.argv[1], "no") && isOpt(c.argv[2], "one") {
		if s.isReplica() {
			s.replicationUnsetMaster()
			s.logger.Logf(LogNotice, "MASTER MODE enabled (user request from '%s')", s.clientInfoString(c))
		}
		c.addOK()
		return
	}
	if c.replicaState() != nil {
		c.addError("ERR Command is not valid when client is a replica.")
		return
	}
	port, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
	if err != nil || port < 0 || port > 65535 {
		c.addError("ERR Invalid master port")
		return
	}
	host := string(c.argv[1])
	if s.isReplica() && strings.EqualFold(s.repl.masterHost, host) && s.repl.masterPort == int(port) {
		s.logger.Logf(LogNotice, "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.")
		c.addSimple("OK Already connected to specified master")
		return
	}
	s.replicationSetMaster(host, int(port))
	s.logger.Logf(LogNotice, "REPLICAOF %s:%d enabled (user request from '%s')", host, port, s.clientInfoString(c))
	c.addOK()
}

func (s *Server) clientInfoString(c *Client) string {
	return string(s.appendClientInfo(nil, c))
}

// replicationSetMaster makes the server a replica of host:port (Redis's
// replicationSetMaster).
func (s *Server) replicationSetMaster(host string, port int) {
	wasMaster := !s.isReplica()
	s.replStopLink()
	if wasMaster {
		// Our own history becomes the cached master: a partial resync
		// with the new master is possible if it was our replica.
		s.repl.cachedID, s.repl.cachedOff, s.repl.cachedDB = s.intro.replID, s.repl.offset, 0
		s.disconnectReplicas()
		s.replFailWaiters()
	}
	s.repl.masterHost, s.repl.masterPort = host, port
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = host, port
	s.ks.NoExpire = true // replicas never expire keys themselves
	s.prop.repl = nil    // the master's stream is proxied as received
	s.repl.state = replConnect
	s.repl.downSince = time.Time{}
	s.replStartLink()
	if wasMaster {
		s.fireRoleChanged(false)
	}
}

// replicationUnsetMaster makes a replica a master again, keeping its data
// and history (the old replication ID becomes replid2).
func (s *Server) replicationUnsetMaster() {
	s.replStopLink()
	s.repl.masterHost, s.repl.masterPort = "", 0
	s.cfg.ReplicaOfHost, s.cfg.ReplicaOfPort = "", 0
	s.repl.cachedID = ""
	s.ks.NoExpire = false
	s.repl.state = replNone
	// A new history starts: replicas that followed the old one may
	// continue with PSYNC (replid2 / second_repl_offset).
	s.repl.replID2 = s.intro.replID
	s.repl.secondOff = s.repl.offset + 1
	s.intro.replID = randomHex40()
	s.repl.seldb = -1
	if s.repl.backlog != nil {
		s.prop.repl = replSink{s}
	}
	// Sub-replicas must learn the new ID: drop them so they reconnect.
	s.disconnectReplicas()
	s.fireRoleChanged(true)
}

// roleCommand is ROLE.
func roleCommand(c *Client) {
	s := c.srv
	if !s.isReplica() {
		c.addArrayLen(3)
		c.addBulkString("master")
		c.addInt(s.repl.offset)
		n := 0
		for _, r := range s.repl.replicas {
			if r.state == replicaOnline || r.state == replicaSendBulk || r.state == replicaWaitBgsave {
				n++
			}
		}
		c.addArrayLen(n)
		for _, r := range s.repl.replicas {
			if r.state != replicaOnline && r.state != replicaSendBulk && r.state != replicaWaitBgsave {
				continue
			}
			c.addArrayLen(3)
			c.addBulkString(r.ip())
			c.addBulkString(strconv.Itoa(r.port))
			c.addBulkString(strconv.FormatInt(r.ackOff, 10))
		}
		return
	}
	c.addArrayLen(5)
	c.addBulkString("slave")
	c.addBulkString(s.repl.masterHost)
	c.addInt(int64(s.repl.masterPort))
	c.addBulkString(replStateName(s.repl.state))
	off := int64(-1)
	if s.repl.master != nil {
		off = s.repl.offset
	}
	c.addInt(off)
}

func replStateName(st int) string {
	switch st {
	case replConnect:
		return "connect"
	case replConnecting:
		return "connecting"
	case replHandshake:
		return "handshake"
	case replTransfer:
		return "sync"
	case replConnected:
		return "connected"
	}
	return "unknown"
}

// rejectRepl refuses what replication forbids right now, in the order
// of Redis's processCommand: NOREPLICAS (min-replicas-to-write),
// READONLY (a read-only replica), MASTERDOWN (stale data not served).
func (s *Server) rejectRepl(c *Client, cp *cmdProc) bool {
	if s.repl.master != nil && c == s.repl.master {
		return false
	}
	write := cp.spec.IsWrite() || (cp.spec.Name == "exec" && c.multi != nil && c.multi.flags&command.FlagWrite != 0)
	if write && !s.isReplica() && s.cfg.MinReplicasToWrite > 0 && s.cfg.MinReplicasMaxLag > 0 &&
		s.goodReplicas() < s.cfg.MinReplicasToWrite {
		cp.rejectedCalls++
		s.rejectCommand(c, "NOREPLICAS Not enough good replicas to write.")
		return true
	}
	if write && s.isReplica() && s.cfg.ReplicaReadOnly && !c.isModuleTemp() {
		cp.rejectedCalls++
		s.rejectCommand(c, "READONLY You can't write against a read only replica.")
		return true
	}
	if s.isReplica() && s.repl.state != replConnected && !s.cfg.ReplicaServeStaleData &&
		cp.spec.Flags&command.FlagStale == 0 {
		cp.rejectedCalls++
		s.rejectCommand(c, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")
		return true
	}
	return false
}

// isModuleTemp reports whether c is a module's temporary client (RM_Call
// checks the read-only state itself).
func (c *Client) isModuleTemp() bool {
	_, fake := c.conn.(fakeConn)
	return fake
}

// infoReplication writes the replication section (Redis 7.0.15's fields).
func (s *Server) infoReplication(b *strings.Builder) {
	r := &s.repl
	if !s.isReplica() {
		b.WriteString("role:master\r\n")
	} else {
		fmt.Fprintf(b, "role:slave\r\nmaster_host:%s\r\nmaster_port:%d\r\n", r.masterHost, r.masterPort)
		link := "down"
		if r.state == replConnected {
			link = "up"
		}
		lastIO := int64(-1)
		if r.master != nil {
			lastIO = time.Now().Unix() - r.lastIO.Unix()
		}
		fmt.Fprintf(b, "master_link_status:%s\r\nmaster_last_io_seconds_ago:%d\r\nmaster_sync_in_progress:%d\r\n",
			link, lastIO, boolInt(r.state == replTransfer))
		fmt.Fprintf(b, "slave_read_repl_offset:%d\r\nslave_repl_offset:%d\r\n", r.offset, r.offset)
		if r.state == replTransfer {
			perc := 0.0
			left := int64(0)
			if r.syncTotal > 0 {
				perc = float64(r.syncRead) * 100 / float64(r.syncTotal)
				left = r.syncTotal - r.syncRead
			}
			fmt.Fprintf(b, "master_sync_total_bytes:%d\r\nmaster_sync_read_bytes:%d\r\nmaster_sync_left_bytes:%d\r\nmaster_sync_perc:%.2f\r\nmaster_sync_last_io_seconds_ago:%d\r\n",
				r.syncTotal, r.syncRead, left, perc, time.Now().Unix()-r.syncLastIO.Unix())
		}
		if r.state != replConnected {
			since := int64(-1)
			if !r.downSince.IsZero() {
				since = time.Now().Unix() - r.downSince.Unix()
			}
			fmt.Fprintf(b, "master_link_down_since_seconds:%d\r\n", since)
		}
		fmt.Fprintf(b, "slave_priority:%d\r\nslave_read_only:%d\r\nreplica_announced:%d\r\n",
			s.cfg.ReplicaPriority, boolInt(s.cfg.ReplicaReadOnly), boolInt(s.cfg.ReplicaAnnounced))
	}
	n := 0
	for _, rp := range r.replicas {
		if rp.state != replicaNone {
			n++
		}
	}
	fmt.Fprintf(b, "connected_slaves:%d\r\n", n)
	if s.cfg.MinReplicasToWrite > 0 && s.cfg.MinReplicasMaxLag > 0 {
		fmt.Fprintf(b, "min_slaves_good_slaves:%d\r\n", s.goodReplicas())
	}
	i := 0
	for _, rp := range r.replicas {
		if rp.state == replicaNone {
			continue
		}
		fmt.Fprintf(b, "slave%d:ip=%s,port=%d,state=%s,offset=%d,lag=%d\r\n", i, rp.ip(), rp.port,
			rp.stateName(), rp.ackOff, time.Now().Unix()-rp.ackTime.Unix())
		i++
	}
	fmt.Fprintf(b, "master_failover_state:%s\r\nmaster_replid:%s\r\nmaster_replid2:%s\r\nmaster_repl_offset:%d\r\nsecond_repl_offset:%d\r\n",
		failoverStateName(r.failover.state), s.intro.replID, r.replID2, r.offset, r.secondOff)
	size := s.cfg.ReplBacklogSize
	first, hist := int64(0), int64(0)
	if bl := r.backlog; bl != nil {
		first, hist = bl.firstOffset(), bl.histlen
	}
	fmt.Fprintf(b, "repl_backlog_active:%d\r\nrepl_backlog_size:%d\r\nrepl_backlog_first_byte_offset:%d\r\nrepl_backlog_histlen:%d\r\n",
		boolInt(r.backlog != nil), size, first, hist)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ownPort is the port announced to a master: replica-announce-port, else
// the TCP port we listen on.
func (s *Server) ownPort() int {
	if s.cfg.ReplicaAnnouncePort != 0 {
		return s.cfg.ReplicaAnnouncePort
	}
	if s.cfg.Port != 0 {
		return s.cfg.Port
	}
	if a, ok := s.addrLocked().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// replClientType is the client class of the master client and replicas
// (-1 for others).
func (c *Client) replClientType() int {
	if c.srv.repl.master == c {
		return clientTypeMaster
	}
	if c.replicaState() != nil {
		return clientTypeReplica
	}
	return -1
}

// replFlags is the CLIENT LIST flag of the master client (M) and
// replicas (S).
func (c *Client) replFlags() string {
	if c.srv.repl.master == c {
		return "M"
	}
	if c.replicaState() != nil {
		return "S"
	}
	return ""
}

// limitClass is the client-output-buffer-limit class of c (Redis's
// getClientOutputBufferLimitClass: the master counts as normal).
func (c *Client) limitClass() int {
	if t := c.clientType(); t != clientTypeMaster {
		return t
	}
	return clientTypeNormal
}
