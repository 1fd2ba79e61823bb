package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/module"
)

// The slow log keeps the last slowlog-max-len commands that ran longer than
// slowlog-log-slower-than microseconds, with their arguments shortened as
// Redis does.

const (
	slowlogEntryMaxArgc   = 32  // arguments kept per entry
	slowlogEntryMaxString = 128 // bytes kept per argument
)

// slowlogEntry is one SLOWLOG GET element.
type slowlogEntry struct {
	id       int64
	time     int64 // unix seconds
	duration int64 // microseconds
	argv     [][]byte
	peer     string
	name     string
}

func init() {
	register(map[string]func(*Client){
		"slowlog|get":   slowlogGetCommand,
		"slowlog|len":   slowlogLenCommand,
		"slowlog|reset": slowlogResetCommand,
		"slowlog|help":  slowlogHelpCommand,
	})
	afterCall = append(afterCall, (*Server).introspectAfterCall)
}

// introspectAfterCall feeds the slow log, the latency monitor and the
// per-command latency histograms after every command.
func (s *Server) introspectAfterCall(c *Client, cp *cmdProc, usec int64) {
	if s.modParked[c] != nil && !c.blockedNow {
		// A module blocked the client: the slow log and the latency
		// histogram wait for the unblock (moduleUnblockStats).
		c.modPending = &pendingStats{cp: cp, usec: usec, entry: s.slowlogEntryOf(c)}
		c.errored = false
		return
	}
	if s.cfg.LatencyTracking {
		if cp.latencyHist == nil {
			cp.latencyHist = &latencyHistogram{}
		}
		cp.latencyHist.record(usec * 1000)
	}
	event := "command"
	if cp.spec.Flags&command.FlagFast != 0 {
		event = "fast-command"
	}
	s.latencyAddSampleIfNeeded(event, usec/1000)
	// skip_slowlog commands (EXEC) are left out; the commands inside a
	// transaction are logged one by one.
	if cp.spec.Flags&command.FlagSkipSlowlog == 0 {
		s.slowlogPush(c, usec)
	}
}

func (s *Server) slowlogPush(c *Client, usec int64) {
	limit := s.cfg.SlowlogLogSlowerThan
	if limit < 0 || usec < limit {
		return
	}
	s.slowlogAdd(s.slowlogEntryOf(c), usec)
}

// slowlogEntryOf is the slow log entry for c's current command, its
// duration and id left to slowlogAdd.
func (s *Server) slowlogEntryOf(c *Client) slowlogEntry {
	argc := len(c.argv)
	n := argc
	if n > slowlogEntryMaxArgc {
		n = slowlogEntryMaxArgc
	}
	argv := make([][]byte, n)
	redact := slowlogRedactions(c.argv)
	for i := 0; i < n; i++ {
		if n != argc && i == n-1 {
			argv[i] = []byte("... (" + strconv.Itoa(argc-n+1) + " more arguments)")
			break
		}
		a := c.argv[i]
		if redact[i] {
			a = []byte("(redacted)")
		}
		if len(a) > slowlogEntryMaxString {
			b := make([]byte, 0, slowlogEntryMaxString+32)
			b = append(b, a[:slowlogEntryMaxString]...)
			b = append(b, "... ("+strconv.Itoa(len(a)-slowlogEntryMaxString)+" more bytes)"...)
			argv[i] = b
		} else {
			argv[i] = append([]byte(nil), a...)
		}
	}
	for i := range configSetRedactions(c.argv) { // sensitive CONFIG SET values
		if i < n && !(n != argc && i == n-1) {
			argv[i] = []byte("(redacted)")
		}
	}
	return slowlogEntry{argv: argv, peer: c.peerID(), name: c.name}
}

// slowlogAdd logs e, usec long, now (the caller checked the threshold).
func (s *Server) slowlogAdd(e slowlogEntry, usec int64) {
	e.id, e.time, e.duration = s.intro.slowlogNextID, time.Now().Unix(), usec
	s.intro.slowlogNextID++
	log := append(s.intro.slowlog, slowlogEntry{})
	copy(log[1:], log)
	log[0] = e
	max := s.cfg.SlowlogMaxLen
	if max < 0 {
		max = 0
	}
	if len(log) > max {
		for i := max; i < len(log); i++ {
			log[i] = slowlogEntry{}
		}
		log = log[:max]
	}
	s.intro.slowlog = log
}

// slowlogRedactions marks the arguments Redis hides from the slow log:
// those MONITOR hides (AUTH, HELLO AUTH), MIGRATE's credentials, sensitive
// CONFIG SET values and ACL SETUSER rules.
func slowlogRedactions(argv [][]byte) map[int]bool {
	r := monitorRedactions(argv)
	if r == nil {
		r = map[int]bool{}
	}
	switch strings.ToLower(string(argv[0])) {
	case "migrate":
		for j := 6; j < len(argv); j++ {
			switch strings.ToLower(string(argv[j])) {
			case "auth":
				if j+1 < len(argv) {
					r[j+1] = true
				}
				j++
			case "auth2":
				if j+2 < len(argv) {
					r[j+1], r[j+2] = true, true
				}
				j += 2
			case "keys":
				return r
			}
		}
	case "config":
		if len(argv) > 2 && strings.EqualFold(string(argv[1]), "set") {
			for j := 2; j+1 < len(argv); j += 2 {
				switch strings.ToLower(string(argv[j])) {
				case "masterauth", "masteruser", "requirepass":
					r[j+1] = true
				}
			}
		}
	case "acl":
		if len(argv) > 2 && strings.EqualFold(string(argv[1]), "setuser") {
			for j := 2; j < len(argv); j++ {
				r[j] = true
			}
		}
	}
	return r
}

func slowlogGetCommand(c *Client) {
	if len(c.argv) > 3 {
		c.addSubcommandSyntaxError()
		return
	}
	count := int64(10)
	if len(c.argv) == 3 {
		v, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
		if err != nil || v < -1 || !isStrictInt(c.argv[2]) {
			c.addError("ERR count should be greater than or equal to -1")
			return
		}
		count = v
		if count == -1 {
			count = int64(len(c.srv.intro.slowlog))
		}
	}
	log := c.srv.intro.slowlog
	if int64(len(log)) > count {
		log = log[:count]
	}
	c.addArrayLen(len(log))
	for _, e := range log {
		c.addArrayLen(6)
		c.addInt(e.id)
		c.addInt(e.time)
		c.addInt(e.duration)
		c.addArrayLen(len(e.argv))
		for _, a := range e.argv {
			c.addBulk(a)
		}
		c.addBulkString(e.peer)
		c.addBulkString(e.name)
	}
}

// isStrictInt reports whether b is an integer as Redis's string2ll accepts
// it.
func isStrictInt(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	if len(b) == 1 && b[0] == '0' {
		return true
	}
	i := 0
	if b[0] == '-' {
		i++
	}
	if i >= len(b) || b[i] < '1' || b[i] > '9' {
		return false
	}
	for ; i < len(b); i++ {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

func slowlogLenCommand(c *Client) { c.addInt(int64(len(c.srv.intro.slowlog))) }

func slowlogResetCommand(c *Client) {
	c.srv.intro.slowlog = nil
	c.addOK()
}

func slowlogHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	})
}

// pendingStats is what a command a module blocked still has to record
// when its client is unblocked.
type pendingStats struct {
	cp    *cmdProc
	usec  int64 // the command's own run
	entry slowlogEntry
}

// ModUnblockStats completes the statistics of a module-blocked command,
// as Redis 7.0's updateStatsOnUnblock: its run plus the background time
// the module measured plus the unblocking callbacks' time is added to the
// command's time (which already counted the run: Redis counts it twice)
// and logged in the slow log, the latency histogram and the
// "command-unblocking" latency event.
func (h *moduleHost) ModUnblockStats(mc module.Client, backgroundUs, replyUs int64) {
	s, c := h.s, mc.(*Client)
	p := c.modPending
	if p == nil {
		return
	}
	c.modPending = nil
	total := p.usec + backgroundUs + replyUs
	p.cp.usec += total
	if c.errored {
		p.cp.failedCalls++
		c.errored = false
	}
	if s.cfg.LatencyTracking {
		if p.cp.latencyHist == nil {
			p.cp.latencyHist = &latencyHistogram{}
		}
		p.cp.latencyHist.record(total * 1000)
	}
	s.latencyAddSampleIfNeeded("command-unblocking", replyUs/1000)
	limit := s.cfg.SlowlogLogSlowerThan
	if p.cp.spec.Flags&command.FlagSkipSlowlog == 0 && limit >= 0 && total >= limit {
		s.slowlogAdd(p.entry, total)
	}
}
