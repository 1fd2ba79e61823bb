package scripting

import (
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The redis table: the API scripts use to reach the server.

func (e *Engine) openRedis() {
	L := e.L
	t := L.NewTable()
	fns := map[string]lua.LGFunction{
		"call":               func(L *lua.LState) int { return e.redisCall(L, true) },
		"pcall":              func(L *lua.LState) int { return e.redisCall(L, false) },
		"error_reply":        redisErrorReply,
		"status_reply":       redisStatusReply,
		"sha1hex":            redisSHA1Hex,
		"log":                e.redisLog,
		"setresp":            e.redisSetResp,
		"set_repl":           e.redisSetRepl,
		"replicate_commands": func(L *lua.LState) int { L.Push(lua.LTrue); return 1 },
		"breakpoint":         func(L *lua.LState) int { L.Push(lua.LFalse); return 1 },
		"debug":              func(L *lua.LState) int { return 0 },
		"acl_check_cmd":      e.redisACLCheck,
	}
	if e.functions {
		// Only in the load environment (loadEnv), not at run time.
		e.regFn = L.NewFunction(e.registerFunction)
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	for name, v := range map[string]int{
		"LOG_DEBUG": LogDebug, "LOG_VERBOSE": LogVerbose, "LOG_NOTICE": LogNotice, "LOG_WARNING": LogWarning,
		"REPL_NONE": ReplNone, "REPL_AOF": ReplAOF, "REPL_SLAVE": ReplReplica, "REPL_REPLICA": ReplReplica, "REPL_ALL": ReplAll,
	} {
		t.RawSetString(name, lua.LNumber(v))
	}
	t.RawSetString("REDIS_VERSION", lua.LString(Version))
	t.RawSetString("REDIS_VERSION_NUM", lua.LNumber(VersionNum))
	e.redisTbl = t
	L.G.Global.RawSetString("redis", t)
}

// raise raises Redis's error table {err="ERR msg"} (luaPushError +
// luaError): no position prefix, the handler adds source and line.
func raise(L *lua.LState, msg string) { L.Error(errTable(L, msg), 0) }

func errTable(L *lua.LState, msg string) *lua.LTable {
	t := L.CreateTable(0, 1)
	t.RawSetString("err", lua.LString(msg))
	return t
}

// cmdErrTable is the error table of a command's failure, which the
// server already counted in its error statistics (Redis marks it
// ignore_error_stats_update so the script's reply does not count again).
func cmdErrTable(L *lua.LState, msg string) *lua.LTable {
	t := L.CreateTable(0, 2)
	t.RawSetString("ignore_error_stats_update", lua.LTrue)
	t.RawSetString("err", lua.LString(msg))
	return t
}

// commandArgs reads redis.call's arguments: strings, or numbers
// formatted as Lua does.
func commandArgs(L *lua.LState) ([][]byte, string) {
	n := L.GetTop()
	if n == 0 {
		return nil, "ERR Please specify at least one argument for this redis lib call"
	}
	argv := make([][]byte, n)
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			argv[i-1] = []byte(v)
		case lua.LNumber:
			argv[i-1] = []byte(formatArg(float64(v)))
		default:
			return nil, "ERR Lua redis lib command arguments must be strings or integers"
		}
	}
	return argv, ""
}

func (e *Engine) redisCall(L *lua.LState, raiseErrors bool) int {
	rs := e.run
	if rs == nil {
		raise(L, "ERR redis.call/pcall can only be called inside a script invocation")
		return 0
	}
	argv, msg := commandArgs(L)
	fromCmd := msg == ""
	if msg == "" {
		var reply []byte
		reply, msg = rs.host.Call(argv, rs.resp)
		if msg == "" {
			v, _, err := parseReply(reply)
			if err != nil {
				msg = "ERR reply parse error"
			} else if v.kind == '-' {
				msg = string(v.str)
			} else {
				L.Push(respToLua(L, v))
				return 1
			}
		}
	}
	t := errTable(L, msg)
	if fromCmd {
		t = cmdErrTable(L, msg)
	}
	if raiseErrors {
		L.Error(t, 0)
		return 0
	}
	L.Push(t)
	return 1
}

func redisErrorReply(L *lua.LState) int {
	if _, ok := L.Get(1).(lua.LString); L.GetTop() != 1 || !ok {
		L.Push(errTable(L, "ERR wrong number or type of arguments"))
		return 1
	}
	// Redis's luaPushErrorBuff: "-CODE message" keeps its code, a
	// message without a space gets ERR.
	msg := luaValueString(L.Get(1))
	if !strings.HasPrefix(msg, "-") {
		msg = "-" + msg
	}
	if strings.IndexByte(msg, ' ') < 0 {
		msg = "ERR " + msg[1:]
	} else {
		msg = msg[1:]
	}
	L.Push(errTable(L, msg))
	return 1
}

func redisStatusReply(L *lua.LState) int {
	if _, ok := L.Get(1).(lua.LString); L.GetTop() != 1 || !ok {
		L.Push(errTable(L, "ERR wrong number or type of arguments"))
		return 1
	}
	t := L.CreateTable(0, 1)
	t.RawSetString("ok", lua.LString(luaValueString(L.Get(1))))
	L.Push(t)
	return 1
}

// isString is lua_isstring: strings and numbers.
func isString(v lua.LValue) bool {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return true
	}
	return false
}

func redisSHA1Hex(L *lua.LState) int {
	if L.GetTop() != 1 {
		raise(L, "ERR wrong number of arguments")
		return 0
	}
	s := ""
	if isString(L.Get(1)) {
		s = luaValueString(L.Get(1))
	}
	L.Push(lua.LString(SHA1Hex([]byte(s))))
	return 1
}

func (e *Engine) redisLog(L *lua.LState) int {
	n := L.GetTop()
	if n < 2 {
		raise(L, "ERR redis.log() requires two arguments or more.")
		return 0
	}
	lv, ok := L.Get(1).(lua.LNumber)
	if !ok {
		raise(L, "ERR First argument must be a number (log level).")
		return 0
	}
	level := int(lv)
	if level < LogDebug || level > LogWarning {
		raise(L, "ERR Invalid debug level.")
		return 0
	}
	var b strings.Builder
	for i := 2; i <= n; i++ {
		if i > 2 {
			b.WriteByte(' ')
		}
		v := L.Get(i)
		if isString(v) {
			b.WriteString(luaValueString(v))
		}
	}
	if e.run != nil {
		e.run.host.Log(level, b.String())
	}
	return 0
}

func (e *Engine) redisSetResp(L *lua.LState) int {
	if L.GetTop() != 1 {
		raise(L, "ERR redis.setresp() requires one argument.")
		return 0
	}
	n, _ := L.Get(1).(lua.LNumber)
	if n != 2 && n != 3 {
		raise(L, "ERR RESP version must be 2 or 3.")
		return 0
	}
	if e.run != nil {
		e.run.resp = int(n)
	}
	return 0
}

func (e *Engine) redisSetRepl(L *lua.LState) int {
	if L.GetTop() != 1 {
		raise(L, "ERR redis.set_repl() requires two arguments.")
		return 0
	}
	n, _ := L.Get(1).(lua.LNumber)
	flags := int(n)
	if float64(n) != math.Trunc(float64(n)) || flags&^ReplAll != 0 {
		raise(L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
		return 0
	}
	if e.run != nil {
		e.run.host.SetRepl(flags)
	}
	return 0
}

func (e *Engine) redisACLCheck(L *lua.LState) int {
	argv, msg := commandArgs(L)
	if msg != "" {
		raise(L, msg)
		return 0
	}
	if e.run == nil {
		raise(L, "ERR Invalid command passed to redis.acl_check_cmd()")
		return 0
	}
	ok, msg := e.run.host.ACLCheck(argv)
	if msg != "" {
		raise(L, msg)
		return 0
	}
	L.Push(lua.LBool(ok))
	return 1
}

// mathRandom is Redis's math.random: rand48-based, so scripts draw the
// same numbers as on Redis.
func (e *Engine) mathRandom(L *lua.LState) int {
	r := float64(e.Rand.next()%rand48Max) / float64(rand48Max)
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		u := int(L.CheckNumber(1))
		if u < 1 {
			L.RaiseError("bad argument #1 to 'random' (interval is empty)")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := int(L.CheckNumber(1)), int(L.CheckNumber(2))
		if l > u {
			L.RaiseError("bad argument #2 to 'random' (interval is empty)")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (e *Engine) mathRandomSeed(L *lua.LState) int {
	e.Rand.seed(int32(int64(L.CheckNumber(1))))
	return 0
}
