package server

import (
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/repr"
)

// Connection limits: CLIENT PAUSE, the idle timeout, the query buffer limit
// and the output buffer limits per client class.

func init() {
	cronJobs = append(cronJobs, (*Server).clientsCron)
}

// Pause types, ordered so that a stronger pause wins (Redis's pause_type).
const (
	pauseOff = iota
	pauseWrite
	pauseAll
)

// pauseState is the server-wide CLIENT PAUSE.
type pauseState struct {
	typ   int
	endMs int64         // unix ms; the pause lasts while now <= endMs
	wake  chan struct{} // closed by UNPAUSE to release waiting clients
	// failover: FAILOVER's write pause (repl_failover.go), apart from the
	// CLIENT PAUSE one: no end time, CLIENT UNPAUSE leaves it.
	failover bool
}

func (s *Server) pauseClients(endMs int64, typ int) {
	if typ > s.pause.typ {
		s.pause.typ = typ
	}
	if endMs > s.pause.endMs {
		s.pause.endMs = endMs
	}
	if s.pause.wake == nil {
		s.pause.wake = make(chan struct{})
	}
}

func (s *Server) unpauseClients() {
	s.pause.typ = pauseOff
	s.pause.endMs = 0
	if s.pause.wake != nil {
		close(s.pause.wake)
		s.pause.wake = nil
	}
	if s.pause.failover {
		s.pause.wake = make(chan struct{})
	}
}

// clientsPaused reports whether a CLIENT PAUSE is in effect. Redis then
// also holds back active expiry and eviction, and lazy expiry treats keys
// as expired without deleting them (so nothing is propagated); the expiry
// and eviction code can consult this.
func (s *Server) clientsPaused() bool {
	if s.pause.typ == pauseOff {
		return s.pause.failover
	}
	if s.pause.endMs < time.Now().UnixMilli() {
		s.unpauseClients()
		return s.pause.failover
	}
	return true
}

// pausedFor reports whether c's current command (c.argv) must wait for
// the pause to end. Commands that will be rejected anyway (unknown, wrong
// arity, not authenticated) are not held, as in Redis where the pause is
// one of processCommand's last checks; MONITOR clients are never paused.
func (s *Server) pausedFor(c *Client) bool {
	if !s.clientsPaused() || c.monitor {
		return false
	}
	cp, _ := s.lookupProc(c.argv)
	if cp == nil {
		return false
	}
	spec := cp.spec
	if (spec.Arity > 0 && len(c.argv) != spec.Arity) || len(c.argv) < -spec.Arity {
		return false
	}
	if !c.authenticated && spec.Flags&command.FlagNoAuth == 0 && s.authRequired() {
		return false
	}
	if c.resp == 2 && c.inPubsub() {
		switch spec.Name {
		case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
			"psubscribe", "punsubscribe", "quit", "reset":
		default:
			return false
		}
	}
	if s.pause.typ == pauseAll {
		return true
	}
	if spec.Name == "exec" && c.multi != nil {
		for _, q := range c.multi.queued {
			if mayReplicate(q.cp.spec) {
				return true
			}
		}
		return false
	}
	// Writes wait even when they would only be queued into MULTI.
	return mayReplicate(spec)
}

// mayReplicateNames are the commands Redis 7.0 flags may_replicate
// internally (COMMAND INFO does not show that flag, so the generated
// table lacks it).
var mayReplicateNames = map[string]bool{
	"publish": true, "spublish": true, "pfcount": true, "eval": true,
	"evalsha": true, "fcall": true, "script|load": true, "script|flush": true,
}

// mayReplicate reports whether a command is held by CLIENT PAUSE WRITE.
func mayReplicate(spec *command.Spec) bool {
	return spec.Flags&(command.FlagWrite|command.FlagMayReplicate) != 0 || mayReplicateNames[spec.Name]
}

// waitIfPaused holds the connection while CLIENT PAUSE applies to its next
// command. Called with the execution lock held; it releases the lock while
// waiting (after flushing replies of earlier pipelined commands). It
// reports false if the client was closed meanwhile.
func (c *Client) waitIfPaused() bool {
	s := c.srv
	for {
		if c.closed {
			return false
		}
		if !s.pausedFor(c) {
			return true
		}
		out := c.takeOutLocked()
		wake := s.pause.wake
		wait := s.pauseWaitCap(time.Duration(s.pause.endMs-time.Now().UnixMilli()+1) * time.Millisecond)
		s.mu.Unlock()
		if out != nil {
			c.write(out)
		}
		t := time.NewTimer(wait)
		select {
		case <-wake:
		case <-t.C:
		case <-s.done:
		}
		t.Stop()
		s.mu.Lock()
		s.beforeCommand()
		select {
		case <-s.done:
			return false
		default:
		}
	}
}

// clientBlockedHook reports whether a client is blocked in a blocking
// command (set by that family); blocked clients never time out.
var clientBlockedHook func(c *Client) bool

// clientsCron closes clients idle for longer than `timeout` seconds
// (never pub/sub, MONITOR, blocked clients, replicas or the master).
func (s *Server) clientsCron() {
	maxIdle := int64(s.cfg.Timeout)
	now := time.Now()
	for _, c := range s.clients {
		if maxIdle > 0 && !c.monitor && !c.inPubsub() && c.replClientType() < 0 &&
			(clientBlockedHook == nil || !clientBlockedHook(c)) &&
			now.Unix()-c.lastInteract.Unix() > maxIdle {
			s.logger.Logf(LogVerbose, "Closing idle client")
			s.killClient(c)
		}
	}
}

// queryBufferExceeded applies client-query-buffer-limit after a read that
// completed no command; it closes the client and reports true when the
// limit is exceeded. Called without the lock.
func (c *Client) queryBufferExceeded() bool {
	n := c.parser.Buffered()
	if n <= 1<<20 { // the smallest limit Redis accepts is 1mb
		return false
	}
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.cfg.ClientQueryBufferLimit
	if limit <= 0 || int64(n) <= limit {
		return false
	}
	s.current = c
	info := string(s.appendClientInfo(nil, c))
	s.current = nil
	s.logger.Logf(LogWarning, "Closing client that reached max query buffer length: %s (qbuf initial bytes: %s)",
		info, repr.Append(nil, c.parser.Peek(64)))
	s.killClient(c)
	return true
}

// outputBytes is the client's pending output: queued plus being written.
func (c *Client) outputBytes() int64 { return int64(len(c.out)) + c.inflight.Load() }

// checkOutputLimits applies client-output-buffer-limit for c's class and
// disconnects c when a limit is reached (Redis's
// closeClientOnOutputBufferLimitReached). It reports whether c was closed.
func (s *Server) checkOutputLimits(c *Client) bool {
	if c.closed {
		return true
	}
	lim := s.cfg.ClientOutputBufferLimits[c.limitClass()]
	if lim.Hard == 0 && lim.Soft == 0 {
		return false
	}
	used := c.outputBytes()
	hard := lim.Hard > 0 && used >= lim.Hard
	soft := lim.Soft > 0 && used >= lim.Soft
	if soft {
		now := time.Now()
		if c.obufSoftSince.IsZero() {
			c.obufSoftSince = now
			soft = false
		} else if now.Unix()-c.obufSoftSince.Unix() <= int64(lim.SoftSeconds) {
			soft = false
		}
	} else {
		c.obufSoftSince = time.Time{}
	}
	if !soft && !hard {
		return false
	}
	info := string(s.appendClientInfo(nil, c))
	s.logger.Logf(LogWarning, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", info)
	c.out = nil
	s.killClient(c)
	return true
}

// asyncWrites reports whether c's own replies should be written by a
// separate goroutine so the connection keeps reading: only when its class
// has an output limit, which can only trigger if output can pile up.
func (s *Server) asyncWrites(c *Client) bool {
	lim := s.cfg.ClientOutputBufferLimits[c.limitClass()]
	return lim.Hard != 0 || lim.Soft != 0
}
