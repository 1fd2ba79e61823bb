package server

import (
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/resp"
	"github.com/modis/modis/internal/scripting"
)

// EVAL scripts and the SCRIPT command. A script runs on the Lua engine
// of internal/scripting; its redis.call commands run on a connection-less
// script client through the normal call path, so they show in
// commandstats and MONITOR and propagate as the script's effects.

func init() {
	register(map[string]func(*Client){
		"eval":          func(c *Client) { evalGeneric(c, false, false) },
		"evalsha":       func(c *Client) { evalGeneric(c, true, false) },
		"eval_ro":       func(c *Client) { evalGeneric(c, false, true) },
		"evalsha_ro":    func(c *Client) { evalGeneric(c, true, true) },
		"script|load":   scriptLoadCommand,
		"script|exists": scriptExistsCommand,
		"script|flush":  scriptFlushCommand,
		"script|kill":   scriptKillCommand,
		"script|help":   scriptHelpCommand,
		"script|debug":  scriptDebugCommand,
	})
}

// propagatesEffects lists the commands that never propagate themselves:
// scripts propagate the commands they run (their effects) instead.
var propagatesEffects = map[string]bool{
	"eval": true, "evalsha": true, "eval_ro": true, "evalsha_ro": true, "fcall": true, "fcall_ro": true,
}

// Script flags (the shebang's flags=...).
const (
	scriptFlagNoWrites = 1 << iota
	scriptFlagAllowOOM
	scriptFlagAllowStale
	scriptFlagNoCluster
	scriptFlagAllowCrossSlot
	scriptFlagEvalCompat // no shebang: Redis 6 semantics
)

var scriptFlagNames = []struct {
	name string
	flag int
}{
	{"no-writes", scriptFlagNoWrites},
	{"allow-oom", scriptFlagAllowOOM},
	{"allow-stale", scriptFlagAllowStale},
	{"no-cluster", scriptFlagNoCluster},
	{"allow-cross-slot-keys", scriptFlagAllowCrossSlot},
}

// evalScript is a cached EVAL script.
type evalScript struct {
	body  string
	fn    *lua.LFunction
	flags int
}

// scriptingState is the server's scripting state.
type scriptingState struct {
	eval    *scripting.Engine
	scripts map[string]*evalScript
	bodyMem int64 // bytes of cached script bodies

	fn *functionsState // FUNCTION libraries (cmd_function.go)

	rnd *scripting.Rand // math.random's state, shared by all engines

	running *scriptRun // the script being run, nil when none
}

func (s *Server) scriptState() *scriptingState {
	if s.scripting == nil {
		rnd := scripting.NewRand()
		s.scripting = &scriptingState{eval: scripting.NewEngine(false), scripts: map[string]*evalScript{}, rnd: rnd}
		s.scripting.eval.Rand = rnd
	}
	return s.scripting
}

// scriptRun is the host side of one running script or function.
type scriptRun struct {
	s        *Server
	caller   *Client
	fc       *Client // the script client redis.call runs on
	readOnly bool    // EVAL_RO, FCALL_RO or no-writes
	flags    int
	function bool
	wrote    bool
	killed   bool
	busy     bool // past busy-reply-threshold: other clients are refused
	name     string
	argv     [][]byte // the calling command, for FUNCTION STATS
	start    time.Time
}

func (r *scriptRun) elapsedMs() int64 { return time.Since(r.start).Milliseconds() }

// parseShebang reads the flags of a "#!lua ..." first line; it returns
// the body with the shebang blanked (line numbers stay as in Redis) and
// an error text.
func parseShebang(body string) (flags int, code string, errMsg string) {
	if !strings.HasPrefix(body, "#!") {
		return scriptFlagEvalCompat, body, ""
	}
	end := strings.IndexByte(body, '\n')
	if end < 0 {
		return 0, "", "ERR Invalid script shebang"
	}
	line := body[:end]
	parts := strings.Fields(line)
	if len(parts) == 0 || parts[0] != "#!lua" {
		eng := line
		if len(parts) > 0 {
			eng = parts[0]
		}
		return 0, "", "ERR Unexpected engine in script shebang: " + eng
	}
	for _, p := range parts[1:] {
		if !strings.HasPrefix(p, "flags=") {
			return 0, "", "ERR Unknown lua shebang option: " + p
		}
		for _, f := range strings.Split(p[len("flags="):], ",") {
			if f == "" {
				continue
			}
			found := false
			for _, fn := range scriptFlagNames {
				if fn.name == f {
					flags |= fn.flag
					found = true
				}
			}
			if !found {
				return 0, "", "ERR Unexpected flag in script shebang: " + f
			}
		}
	}
	return flags, body[end:], ""
}

// loadScript compiles and caches a body (SCRIPT LOAD, EVAL).
func (st *scriptingState) loadScript(body []byte) (*evalScript, string, string) {
	sha := scripting.SHA1Hex(body)
	if sc := st.scripts[sha]; sc != nil {
		return sc, sha, ""
	}
	flags, code, msg := parseShebang(string(body))
	if msg != "" {
		return nil, sha, msg
	}
	fn, msg := st.eval.Compile([]byte(code), "user_script")
	if msg != "" {
		return nil, sha, "ERR Error compiling script (new function): " + msg
	}
	sc := &evalScript{body: string(body), fn: fn, flags: flags}
	st.scripts[sha] = sc
	st.bodyMem += int64(len(body))
	return sc, sha, ""
}

func evalGeneric(c *Client, bySHA, ro bool) {
	st := c.srv.scriptState()
	numkeys, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
	if err != nil {
		c.addError(errNotInteger)
		return
	}
	if numkeys > int64(len(c.argv)-3) {
		c.addError("ERR Number of keys can't be greater than number of args")
		return
	}
	if numkeys < 0 {
		c.addError("ERR Number of keys can't be negative")
		return
	}
	var sc *evalScript
	var sha string
	if bySHA {
		sha = strings.ToLower(string(c.argv[1]))
		sc = st.scripts[sha]
		if sc == nil {
			c.addError("NOSCRIPT No matching script. Please use EVAL.")
			return
		}
	} else {
		var msg string
		sc, sha, msg = st.loadScript(c.argv[1])
		if msg != "" {
			c.addError(msg)
			return
		}
	}
	keys := c.argv[3 : 3+numkeys]
	args := c.argv[3+numkeys:]
	if msg := c.srv.scriptPrepare(c, sc.flags, ro, false); msg != "" {
		c.addError(msg)
		return
	}
	st.eval.SetKeysArgv(keys, args)
	c.srv.runScript(c, st.eval, sc.fn, sha, nil, sc.flags, ro, false)
}

// scriptPrepare is the check before a run (Redis's scriptPrepareForRun).
func (s *Server) scriptPrepare(c *Client, flags int, ro, function bool) string {
	if flags&scriptFlagEvalCompat != 0 {
		return ""
	}
	if ro && flags&scriptFlagNoWrites == 0 {
		return "ERR Can not execute a script with write flag using *_ro command."
	}
	if flags&scriptFlagNoWrites == 0 && flags&scriptFlagAllowOOM == 0 && s.cfg.MaxMemory > 0 && s.preCommandOOM {
		return errOOM
	}
	return ""
}

// runScript runs fn for client c and sends its reply.
func (s *Server) runScript(c *Client, eng *scripting.Engine, fn *lua.LFunction, name string, args []lua.LValue, flags int, ro, function bool) {
	st := s.scripting
	// EVAL and FCALL skip the monitor feed of call(): they show before
	// the commands they run, as in Redis.
	feedMonitors(s, c, &cmdProc{spec: &command.Spec{Name: c.cmd.spec.Name}}, 0)
	fc := s.scriptClient(c)
	run := &scriptRun{s: s, caller: c, fc: fc, flags: flags, function: function,
		readOnly: ro || flags&scriptFlagNoWrites != 0, name: name, argv: copyArgs(c.argv), start: time.Now()}
	st.running = run
	res := eng.Run(fn, name, args, run, c.resp)
	st.running = nil
	fc.argv, fc.cmd = nil, nil
	s.modTemp = append(s.modTemp, fc)
	if run.busy {
		s.yield = yieldState{}
	}
	if res.Err != "" {
		if res.NoStats {
			// Counted when the command failed; the call still failed.
			c.errored = true
			c.addRaw(resp.AppendError(nil, res.Err))
			return
		}
		c.addError(res.Err)
		return
	}
	c.addRaw(res.Reply)
}

// isScriptClient reports whether c is the client of the running script
// (MONITOR shows its commands as from "lua").
func (s *Server) isScriptClient(c *Client) bool {
	return s.scripting != nil && s.scripting.running != nil && s.scripting.running.fc == c
}

// ModInScript tells the module engine that c runs a script's command
// (RedisModule_GetContextFlags' LUA flag).
func (c *Client) ModInScript() bool { return c.srv.isScriptClient(c) }

// scriptClient is the client redis.call runs on: the caller's database
// and user.
func (s *Server) scriptClient(c *Client) *Client {
	fc := s.moduleTempClient(c.db.ID, 2)
	fc.user = c.user
	fc.propDeny = 0
	fc.multi = nil
	return fc
}

// Call implements scripting.Host: the checks Redis's scriptCall makes,
// then the command on the script client.
func (r *scriptRun) Call(argv [][]byte, proto int) ([]byte, string) {
	reply, msg := r.call(argv, proto)
	if msg != "" {
		r.s.countError(msg)
	}
	return reply, msg
}

func (r *scriptRun) call(argv [][]byte, proto int) ([]byte, string) {
	s := r.s
	cp, _ := s.lookupProc(argv)
	if cp == nil {
		return nil, "ERR Unknown Redis command called from script"
	}
	spec := cp.spec
	if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity {
		return nil, "ERR Wrong number of args calling Redis command from script"
	}
	if spec.Flags&command.FlagNoscript != 0 {
		return nil, "ERR This Redis command is not allowed from script"
	}
	fc := r.fc
	if u := fc.user; u != nil && !u.Superuser() {
		if res, idx := fc.aclCheck(cp, argv); res != acl.OK {
			// Logged with the caller's client info, as Redis does.
			object := spec.Name
			if res != acl.DeniedCommand && idx < len(argv) {
				object = string(argv[idx])
			}
			s.aclLogDenial(r.caller, res, acl.CtxLua, idx, "", object)
			switch res {
			case acl.DeniedKey:
				return nil, "ERR The user executing the script can't access at least one of the keys mentioned in the command arguments"
			case acl.DeniedChannel:
				return nil, "ERR The user executing the script can't publish to the channel mentioned in the command"
			}
			return nil, "ERR The user executing the script can't run this command or subcommand"
		}
	}
	if spec.Flags&command.FlagWrite != 0 {
		if r.readOnly {
			return nil, "ERR Write commands are not allowed from read-only scripts."
		}
		// Scripts without a shebang are refused a write under OOM only
		// at their first write (deny-oom commands).
		if !r.wrote && r.flags&scriptFlagEvalCompat != 0 && spec.Flags&command.FlagDenyOOM != 0 &&
			s.cfg.MaxMemory > 0 && s.preCommandOOM {
			return nil, errOOM
		}
	}
	fc.argv = argv
	fc.cmd = cp
	fc.resp = proto
	fc.out = fc.out[:0]
	saved := s.current
	s.current = fc
	dirty := s.dirty
	s.call(fc, cp)
	s.current = saved
	if s.dirty != dirty || spec.Flags&command.FlagWrite != 0 {
		r.wrote = true
	}
	return fc.out, ""
}

// ACLCheck implements scripting.Host (redis.acl_check_cmd).
func (r *scriptRun) ACLCheck(argv [][]byte) (bool, string) {
	cp, _ := r.s.lookupProc(argv)
	if cp == nil {
		return false, "ERR Invalid command passed to redis.acl_check_cmd()"
	}
	if u := r.fc.user; u == nil || u.Superuser() {
		return true, ""
	}
	res, _ := r.fc.aclCheck(cp, argv)
	return res == acl.OK, ""
}

// Log implements scripting.Host.
func (r *scriptRun) Log(level int, msg string) { r.s.logger.Logf(level, "%s", msg) }

// SetRepl implements scripting.Host: REPL_* select where the following
// commands propagate.
func (r *scriptRun) SetRepl(flags int) {
	deny := 0
	if flags&scripting.ReplAOF == 0 {
		deny |= PropagateAOF
	}
	if flags&scripting.ReplReplica == 0 {
		deny |= PropagateRepl
	}
	r.fc.propDeny = deny
}

const (
	errBusyScript   = "Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	errBusyFunction = "Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)

// Tick implements scripting.Host: past busy-reply-threshold the server
// serves other clients (refusing them with -BUSY) while the script runs.
func (r *scriptRun) Tick(elapsed time.Duration) string {
	s := r.s
	if r.killed {
		return "ERR Script killed by user with SCRIPT KILL..."
	}
	th := s.cfg.BusyReplyThreshold
	if th <= 0 || elapsed < time.Duration(th)*time.Millisecond {
		return ""
	}
	if !r.busy {
		r.busy = true
		s.logger.Logf(LogWarning, "Slow script detected: still in execution after %d milliseconds. You can try killing the script using the %s command.", elapsed.Milliseconds(), map[bool]string{false: "SCRIPT KILL", true: "FUNCTION KILL"}[r.function])
	}
	reply := errBusyScript
	if r.function {
		reply = errBusyFunction
	}
	cur := s.current
	s.moduleYield(yieldFlagClients, reply)
	s.current = cur
	if r.killed {
		return "ERR Script killed by user with SCRIPT KILL..."
	}
	return ""
}

// busyError is the -BUSY reply while this run blocks the server.
func (r *scriptRun) busyError() string {
	if r.function {
		return "BUSY " + errBusyFunction
	}
	return "BUSY " + errBusyScript
}

// killScript is SCRIPT KILL / FUNCTION KILL.
func killScript(c *Client, function bool) {
	var run *scriptRun
	if c.srv.scripting != nil {
		run = c.srv.scripting.running
	}
	if run == nil {
		c.addError("NOTBUSY No scripts in execution right now.")
		return
	}
	if run.function != function {
		// The other family's KILL is refused like any command.
		c.addError(run.busyError())
		return
	}
	if run.wrote {
		c.addError("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.")
		return
	}
	run.killed = true
	c.addOK()
}

func scriptKillCommand(c *Client) { killScript(c, false) }

func scriptLoadCommand(c *Client) {
	_, sha, msg := c.srv.scriptState().loadScript(c.argv[2])
	if msg != "" {
		c.addError(msg)
		return
	}
	c.addBulkString(sha)
}

func scriptExistsCommand(c *Client) {
	st := c.srv.scriptState()
	c.addArrayLen(len(c.argv) - 2)
	for _, a := range c.argv[2:] {
		if st.scripts[strings.ToLower(string(a))] != nil {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
	}
}

func scriptFlushCommand(c *Client) {
	if len(c.argv) > 3 {
		c.addError("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	if len(c.argv) == 3 {
		switch strings.ToLower(string(c.argv[2])) {
		case "sync", "async":
		default:
			c.addError("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
			return
		}
	}
	s := c.srv
	if st := s.scripting; st != nil {
		st.eval.Close()
		st.eval = scripting.NewEngine(false)
		st.eval.Rand = st.rnd
		st.scripts = map[string]*evalScript{}
		st.bodyMem = 0
	}
	c.addOK()
}

func scriptDebugCommand(c *Client) {
	if c.multi != nil {
		c.addError("ERR SCRIPT DEBUG must be called outside a pipeline")
		return
	}
	switch strings.ToLower(string(c.argv[2])) {
	case "no":
		c.addOK()
	case "yes", "sync":
		// The Lua debugger (LDB) is not available in Modis.
		c.addError("ERR SCRIPT DEBUG is not supported by this server")
	default:
		c.addError("ERR Use SCRIPT DEBUG YES/SYNC/NO")
	}
}

func scriptHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"DEBUG (YES|SYNC|NO)",
		"    Set the debug mode for subsequent scripts executed.",
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
	})
}
