package server

import (
	"strings"
	"time"
)

// FAILOVER (Redis 6.2+'s coordinated failover): the master pauses writes,
// waits until a replica has acknowledged its whole stream (the replicas'
// periodic REPLCONF ACK), turns itself into a replica of it and asks it,
// with PSYNC <id> <offset> FAILOVER, to become the master. The failover
// ends when the target answers the PSYNC (+CONTINUE / +FULLRESYNC), or is
// aborted (FAILOVER ABORT, the timeout, a rejected PSYNC).

// Failover states, as Redis's failover_state.
const (
	failoverNone       = iota // no-failover
	failoverWaitSync          // waiting-for-sync
	failoverInProgress        // failover-in-progress
)

// failoverState is the master's coordinated failover.
type failoverState struct {
	state int
	host  string // target replica ("" until chosen when none was named)
	port  int
	endMs int64 // unix ms of the TIMEOUT (0: none)
	force bool
}

func init() {
	register(map[string]func(*Client){"failover": failoverCommand})
	cronJobs = append(cronJobs, (*Server).updateFailoverStatus)
}

func failoverStateName(st int) string {
	switch st {
	case failoverWaitSync:
		return "waiting-for-sync"
	case failoverInProgress:
		return "failover-in-progress"
	}
	return "no-failover"
}

// failoverCommand is FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms].
func failoverCommand(c *Client) {
	s := c.srv
	fo := &s.repl.failover
	if s.cfg.ClusterEnabled {
		c.addError("ERR FAILOVER not allowed in cluster mode.")
		return
	}
	if len(c.argv) == 2 && isOpt(c.argv[1], "abort") {
		if fo.state == failoverNone {
			c.addError("ERR No failover in progress.")
			return
		}
		s.abortFailover("Failover manually aborted")
		c.addOK()
		return
	}
	var timeout, port int64
	host, force := "", false
	hostSet := false
	for j := 1; j < len(c.argv); j++ {
		switch {
		case isOpt(c.argv[j], "timeout") && j+1 < len(c.argv) && timeout == 0:
			v, ok := parseLongArg(c, c.argv[j+1])
			if !ok {
				return
			}
			if v <= 0 {
				c.addError("ERR FAILOVER timeout must be greater than 0")
				return
			}
			timeout = v
			j++
		case isOpt(c.argv[j], "to") && j+2 < len(c.argv) && !hostSet:
			v, ok := parseLongArg(c, c.argv[j+2])
			if !ok {
				return
			}
			host, port, hostSet = string(c.argv[j+1]), v, true
			j += 2
		case isOpt(c.argv[j], "force") && !force:
			force = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	if fo.state != failoverNone {
		c.addError("ERR FAILOVER already in progress.")
		return
	}
	if s.isReplica() {
		c.addError("ERR FAILOVER is not valid when server is a replica.")
		return
	}
	if s.replicaCount() == 0 {
		c.addError("ERR FAILOVER requires connected replicas.")
		return
	}
	if force && (timeout == 0 || !hostSet) {
		c.addError("ERR FAILOVER with force option requires both a timeout and target HOST and IP.")
		return
	}
	if hostSet {
		r := s.findReplica(host, int(port))
		if r == nil {
			c.addError("ERR FAILOVER target HOST and PORT is not a replica.")
			return
		}
		if r.state != replicaOnline {
			c.addError("ERR FAILOVER target replica is not online.")
			return
		}
		s.logger.Logf(LogNotice, "FAILOVER requested to %s:%d.", host, port)
	} else {
		s.logger.Logf(LogNotice, "FAILOVER requested to any replica.")
	}
	*fo = failoverState{state: failoverWaitSync, host: host, port: int(port), force: force}
	if timeout > 0 {
		fo.endMs = time.Now().UnixMilli() + timeout
	}
	s.pauseFailover(true)
	c.addOK()
}

// findReplica returns the replica announced as host:port (Redis's
// findReplica: its REPLCONF ip-address or peer address, and listening
// port), nil when none.
func (s *Server) findReplica(host string, port int) *replica {
	for _, r := range s.repl.replicas {
		if r.state != replicaNone && strings.EqualFold(r.ip(), host) && r.port == port {
			return r
		}
	}
	return nil
}

// updateFailoverStatus runs on every cron tick: the timeout, and the
// switch to the target once it has acknowledged our whole stream.
func (s *Server) updateFailoverStatus() {
	fo := &s.repl.failover
	if fo.state != failoverWaitSync {
		return
	}
	if fo.endMs != 0 && fo.endMs <= time.Now().UnixMilli() {
		if fo.force {
			s.logger.Logf(LogNotice, "FAILOVER to %s:%d time out exceeded, failing over.", fo.host, fo.port)
			fo.state = failoverInProgress
			s.replicationSetMaster(fo.host, fo.port)
			return
		}
		s.abortFailover("Replica never caught up before timeout")
		return
	}
	var target *replica
	if fo.host != "" {
		target = s.findReplica(fo.host, fo.port)
	} else {
		for _, r := range s.repl.replicas {
			if r.state != replicaNone && r.ackOff == s.repl.offset {
				fo.host, fo.port = r.ip(), r.port
				target = r
				break
			}
		}
	}
	if target != nil && target.ackOff == s.repl.offset {
		fo.state = failoverInProgress
		s.logger.Logf(LogNotice, "Failover target %s:%d is synced, failing over.", fo.host, fo.port)
		s.replicationSetMaster(fo.host, fo.port)
	}
}

// abortFailover ends a failover without promoting the target; a master
// already demoted becomes a master again.
func (s *Server) abortFailover(reason string) {
	fo := &s.repl.failover
	if fo.state == failoverNone {
		return
	}
	if fo.host != "" {
		s.logger.Logf(LogNotice, "FAILOVER to %s:%d aborted: %s", fo.host, fo.port, reason)
	} else {
		s.logger.Logf(LogNotice, "FAILOVER to any replica aborted: %s", reason)
	}
	if fo.state == failoverInProgress {
		s.replicationUnsetMaster()
	}
	s.clearFailoverState()
}

// clearFailoverState forgets the failover and releases the paused writes.
func (s *Server) clearFailoverState() {
	s.repl.failover = failoverState{}
	s.pauseFailover(false)
}

// failoverPsyncArg is the extra PSYNC argument of a demoted master
// asking its target to take over ("" when not failing over).
func (s *Server) failoverPsyncArg() string {
	if s.repl.failover.state == failoverInProgress {
		return "FAILOVER"
	}
	return ""
}

// failoverPsyncResult ends the failover once the target answered our
// PSYNC: accepted (+CONTINUE / +FULLRESYNC) or rejected. It reports false
// when the failover was aborted (the link must stop).
func (s *Server) failoverPsyncResult(accepted bool) bool {
	if s.repl.failover.state != failoverInProgress {
		return true
	}
	if accepted {
		s.clearFailoverState()
		return true
	}
	s.abortFailover("Failover target rejected psync request")
	return false
}

// pauseFailover starts or ends the failover's write pause (Redis's
// PAUSE_DURING_FAILOVER purpose: CLIENT UNPAUSE does not end it).
func (s *Server) pauseFailover(on bool) {
	s.pause.failover = on
	s.repl.avoidTraffic.Store(on)
	if s.pause.wake != nil {
		close(s.pause.wake) // waiting clients re-check
		s.pause.wake = nil
	}
	if on || s.pause.typ != pauseOff {
		s.pause.wake = make(chan struct{})
	}
}

// pauseWaitCap bounds a paused client's wait when a failover (which has
// no end time) holds it; the wake channel normally ends it sooner.
func (s *Server) pauseWaitCap(d time.Duration) time.Duration {
	if s.pause.failover && (s.pause.typ == pauseOff || d > time.Second) {
		return time.Second
	}
	return d
}

// replModuleAvoidTraffic is module AvoidReplicaTraffic: true while writes
// are paused by CLIENT PAUSE or a failover (Redis 7.0 answers whether
// clients are paused).
func (s *Server) replModuleAvoidTraffic() bool {
	if s.repl.avoidTraffic.Load() {
		return true
	}
	return s.pause.typ != pauseOff && s.pause.endMs >= time.Now().UnixMilli()
}
