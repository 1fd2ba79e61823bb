package server

import (
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/command"
)

// cmdProc binds a command's procedure and statistics to its Spec.
type cmdProc struct {
	spec *command.Spec
	proc func(c *Client)
	subs map[string]*cmdProc // lower-case subcommand name -> proc

	calls         int64
	usec          int64
	rejectedCalls int64
	failedCalls   int64

	latencyHist *latencyHistogram // INFO latencystats; nil until first call
}

// procs registered by the command family files, by full name ("get",
// "config|get").
var procTable = map[string]func(c *Client){}

// register binds procedures to command names; called from init functions
// of the family files.
func register(m map[string]func(c *Client)) {
	for name, p := range m {
		if _, dup := procTable[name]; dup {
			panic("server: command registered twice: " + name)
		}
		procTable[name] = p
	}
}

func (s *Server) bindProcs() {
	s.procs = make(map[*command.Spec]*cmdProc)
	for _, spec := range s.cmds.All() {
		s.bindSpec(spec)
	}
}

func (s *Server) bindSpec(spec *command.Spec) *cmdProc {
	cp := &cmdProc{spec: spec, proc: procTable[spec.Name]}
	if cp.proc == nil {
		cp.proc = notImplemented
	}
	if len(spec.Subcommands) > 0 {
		cp.subs = make(map[string]*cmdProc, len(spec.Subcommands))
		for _, sub := range spec.Subcommands {
			cp.subs[sub.SubName()] = s.bindSpec(sub)
		}
	}
	s.procs[spec] = cp
	return cp
}

// notImplemented answers commands in the table that have no procedure yet.
func notImplemented(c *Client) {
	c.addError("ERR unknown command '" + c.cmd.spec.Name + "', with args beginning with: " + argsPreview(c.argv[1:]))
}

// lookupProc resolves argv to a top-level or subcommand proc. It returns
// nil, nil for an unknown command; for a known container with an unknown
// subcommand, the container.
func (s *Server) lookupProc(argv [][]byte) (cp *cmdProc, container *cmdProc) {
	spec := s.cmds.Lookup(argv[0])
	if spec == nil {
		return nil, nil
	}
	cp = s.procs[spec]
	if cp.subs == nil {
		return cp, nil
	}
	if len(argv) < 2 {
		return cp, nil
	}
	var buf [32]byte
	name := argv[1]
	if len(name) > len(buf) {
		return nil, cp
	}
	for i, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		buf[i] = ch
	}
	if sub := cp.subs[string(buf[:len(name)])]; sub != nil {
		return sub, nil
	}
	return nil, cp
}

// argsPreview formats arguments for the unknown-command error the way
// Redis 7.0 does: each as '%.*s' followed by a space, at most 128 bytes in
// all.
func argsPreview(args [][]byte) string {
	var b strings.Builder
	for _, a := range args {
		remaining := 128 - b.Len()
		if remaining <= 0 {
			break
		}
		b.WriteByte('\'')
		b.WriteString(truncate(string(a), remaining))
		b.WriteString("' ")
	}
	return b.String()
}

// beforeCommand refreshes the cached clocks: the ms time used for expiry
// decisions, the time stamped on clients (last interaction), and the
// monotonic mark command durations are measured from. A clock read costs
// tens of ns on virtual machines, as much as running a GET, so the hot path
// reads the clock once per batch plus once per command.
func (s *Server) beforeCommand() {
	t := time.Now()
	s.ks.Now = t.UnixMilli()
	s.clock.now = t
	s.clock.mark = t.Sub(s.startTime)
}

// clock caches the time of the current batch; see beforeCommand.
type clock struct {
	now   time.Time     // wall and monotonic time of the batch start
	mark  time.Duration // monotonic time (since startTime) of the last command end
	depth int           // nesting of call (EXEC, scripts)
}

// monoNow reads the monotonic clock as a duration since startTime (cheaper
// than time.Now, which also reads the wall clock).
func (s *Server) monoNow() time.Duration { return time.Since(s.startTime) }

// processCommand is Redis's processCommand: lookup, arity, authentication,
// transaction queueing, then call.
func (s *Server) processCommand(c *Client) {
	s.current = c
	c.lastInteract = s.clock.now
	c.errored = false
	if c.replySkipNext {
		c.replyOff, c.replySkipNext = true, false
	} else if !c.replyOffMode {
		c.replyOff = false
	}
	if s.modules.HasFilters() { // module command filters see the command first
		if argv := s.modules.ApplyFilters(c.argv, nil); len(argv) > 0 {
			c.argv = argv
		}
	}
	cp, container := s.lookupProc(c.argv)
	c.cmd = cp
	c.lastCmd = "NULL"
	if cp != nil {
		c.lastCmd = cp.spec.Name
	}
	if cp == nil {
		if container != nil {
			s.rejectCommand(c, "ERR unknown subcommand '"+truncate(string(c.argv[1]), 128)+
				"'. Try "+strings.ToUpper(container.spec.Name)+" HELP.")
		} else {
			s.rejectCommand(c, "ERR unknown command '"+truncate(string(c.argv[0]), 128)+
				"', with args beginning with: "+argsPreview(c.argv[1:]))
		}
		return
	}
	spec := cp.spec
	if (spec.Arity > 0 && len(c.argv) != spec.Arity) || len(c.argv) < -spec.Arity {
		cp.rejectedCalls++
		s.rejectCommand(c, "ERR wrong number of arguments for '"+spec.Name+"' command")
		return
	}
	if spec.Flags&command.FlagProtected != 0 && !c.protectedAllowed(spec) {
		cp.rejectedCalls++
		s.rejectCommand(c, protectedError(spec))
		return
	}
	if !c.authenticated && spec.Flags&command.FlagNoAuth == 0 && s.authRequired() {
		cp.rejectedCalls++
		s.rejectCommand(c, errNoAuth)
		return
	}
	if s.rejectNoMulti(c, cp) || s.rejectACL(c, cp) || s.rejectOOM(c, cp) || s.rejectDiskError(c, cp) || s.rejectRepl(c, cp) || c.rejectInPubsubContext(cp) || s.rejectLoading(c, cp) || s.rejectBusy(c, cp) || s.queueIfInMulti(c, cp) {
		return
	}
	s.call(c, cp)
	if len(s.blocking.ready) > 0 {
		s.handleClientsBlockedOnKeys()
	}
}

// call runs a command and records its statistics. A top-level command's
// duration runs from the end of the previous command of the batch (or the
// batch start), which includes a few ns of dispatch but saves a clock read;
// nested calls (EXEC) measure their own start.
func (s *Server) call(c *Client, cp *cmdProc) {
	start := s.clock.mark
	if s.clock.depth > 0 {
		start = s.monoNow()
	}
	s.clock.depth++
	dirty := s.dirty
	c.propArgv, c.propForce = nil, 0
	s.enterUnit()
	s.runProc(c, cp)
	s.clock.depth--
	end := s.monoNow()
	if s.clock.depth == 0 {
		s.clock.mark = end
	}
	dur := (end - start).Microseconds()
	if c.blockedNow {
		// Counted when the client is served or times out; MONITOR sees
		// the command once, when issued.
		if !c.rerunning {
			c.blockedNow = false
			feedMonitors(s, c, cp, dur)
		}
		s.exitUnit()
		return
	}
	if s.aof.loading { // replaying the AOF: no statistics (Redis's isAOFLoadingContext)
		s.exitUnit()
		return
	}
	cp.calls++
	cp.usec += dur
	if c.errored {
		cp.failedCalls++
	}
	s.stats.commandsProcessed++
	for _, fn := range afterCall {
		fn(s, c, cp, dur)
	}
	s.propagateCall(c, cp, s.dirty-dirty)
	s.exitUnit()
}

// runProc runs a command procedure. A panicking command must not take the
// whole server down: the panic is logged with its stack, the client gets an
// error reply and the server keeps serving (Redis would crash; a Go bug in
// one command should not lose every client's data).
func (s *Server) runProc(c *Client, cp *cmdProc) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Logf(LogWarning, "panic in command '%s': %v\n%s", cp.spec.Name, r, debug.Stack())
			c.replyOff = false
			c.addError("ERR internal error in command '" + cp.spec.Name + "'")
		}
	}()
	cp.proc(c)
}

// cstr is what Redis's %s prints of an argument in an error message: the
// argument read as a C string, which a NUL byte ends.
func cstr(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// optLower is an option argument as Redis's strcasecmp sees it: the C
// string (up to a NUL), lower-cased for comparison with a literal.
func optLower(b []byte) string { return strings.ToLower(cstr(string(b))) }

// afterCall hooks (slowlog, latency, MONITOR) are registered by their files.
var afterCall []func(s *Server, c *Client, cp *cmdProc, usec int64)

// truncate is Redis's %.<n>s of an argument in an error message.
func truncate(s string, n int) string {
	s = cstr(s)
	if len(s) > n {
		return s[:n]
	}
	return s
}

// stats are server-wide counters for INFO.
type stats struct {
	commandsProcessed   int64
	connectionsReceived int64
	rejectedConns       int64
	expiredKeys         int64
	evictedKeys         int64
	keyspaceHits        int64
	keyspaceMisses      int64
	netInputBytes       atomic.Int64
	netOutputBytes      atomic.Int64
	readsProcessed      atomic.Int64 // total_reads_processed: socket reads
	writesProcessed     atomic.Int64 // total_writes_processed: socket writes
	errorReplies        int64
	errorCodes          map[string]int64
	payloadSanitized    int64 // dump_payload_sanitizations (cmd_dump.go)
}

func (s *Server) countError(msg string) {
	s.stats.errorReplies++
	// Redis takes the code up to a space within the first 32 bytes of
	// "-msg", and counts ERR otherwise.
	code := "ERR"
	if i := strings.IndexByte(msg, ' '); i >= 0 && i < 31 {
		code = msg[:i]
	}
	if s.stats.errorCodes == nil {
		s.stats.errorCodes = map[string]int64{}
	}
	s.stats.errorCodes[code]++
}
