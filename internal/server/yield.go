package server

import (
	"time"

	"github.com/modis/modis/internal/command"
)

// RedisModule_Yield: a long module command lets the server serve other
// clients meanwhile. While it yields with the clients flag, other clients'
// commands are refused with -BUSY (the module's text, or Redis's default)
// unless flagged allow-busy, which run. Timers and other deferred work do
// not run during a yield (Redis processes only file events then).

// Yield flags (REDISMODULE_YIELD_FLAG_*).
const yieldFlagClients = 1 << 1

const errBusyModule = "BUSY Redis is busy running a module command."

// yieldState is the state of a yielding module command.
type yieldState struct {
	active  bool    // inside RedisModule_Yield
	clients bool    // other clients' commands are processed (and refused)
	reply   string  // the module's busy reply, "" for the default
	client  *Client // the yielding client (protected from re-entry)
}

// moduleYield runs pending client work while a module command yields
// (processEventsWhileBlocked). Called with the execution lock held, from
// the command.
func (s *Server) moduleYield(flags int, busyReply string) {
	if s.yield.active {
		return // no nesting
	}
	if flags&yieldFlagClients == 0 {
		// Without the clients flag Redis only reads input meanwhile:
		// nothing is observable.
		return
	}
	cur := s.current
	s.yield = yieldState{active: true, clients: true, reply: busyReply, client: cur}
	if cur != nil && cur.loop != nil {
		// The command runs on the event loop goroutine: serve the loop's
		// other clients from here.
		s.eventLoop().processWhileBlocked(cur)
	}
	// Clients served by their own goroutine (and the event loop, when the
	// command runs elsewhere) need the lock for a moment.
	s.mu.Unlock()
	time.Sleep(200 * time.Microsecond)
	s.mu.Lock()
	s.current = cur
	s.yield = yieldState{}
}

// rejectBusy refuses a command while a module command yields (Redis's
// isInsideYieldingLongCommand check in processCommand).
func (s *Server) rejectBusy(c *Client, cp *cmdProc) bool {
	if !s.yield.active || c == s.yield.client || cp.spec.Flags&command.FlagAllowBusy != 0 {
		return false
	}
	msg := errBusyModule
	if s.yield.reply != "" {
		msg = "BUSY " + s.yield.reply
	}
	cp.rejectedCalls++
	s.rejectCommand(c, msg)
	return true
}

// waitYield holds deferred work (module timers, wake-ups) while a module
// command yields. Called with the lock held; may release it meanwhile.
func (s *Server) waitYield() {
	for s.yield.active {
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	}
}

// Yield is the module.YieldHost side of RedisModule_Yield.
func (h *moduleHost) Yield(flags int, busyReply string) { h.s.moduleYield(flags, busyReply) }

// YieldTiming is busy-reply-threshold (ms) and hz: a command yields only
// after running that long, then at most hz times a second.
func (h *moduleHost) YieldTiming() (int64, int) { return h.s.cfg.BusyReplyThreshold, h.s.cfg.HZ }
