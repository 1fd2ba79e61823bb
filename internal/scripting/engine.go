// Package scripting runs Redis's Lua scripts and functions on a Lua 5.1
// VM (gopher-lua): the sandboxed environment Redis gives scripts (the
// redis.* API, the libraries, read-only globals), the conversion of
// replies between RESP and Lua values in both directions, and the error
// texts Redis 7.0 produces. The server supplies the commands through Host.
package scripting

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Host is the server side of a running script.
type Host interface {
	// Call runs a command for redis.call/pcall and returns its reply in
	// the RESP version proto, or the error to raise (errMsg != "")
	// when the command was refused before running.
	Call(argv [][]byte, proto int) (reply []byte, errMsg string)
	// ACLCheck reports whether the script's user may run argv.
	ACLCheck(argv [][]byte) (ok bool, errMsg string)
	// Log writes to the server log at a redis.LOG_* level.
	Log(level int, msg string)
	// SetRepl is redis.set_repl (REPL_* flags).
	SetRepl(flags int)
	// Tick is called regularly during a run; a non-empty return aborts
	// the script with that error (SCRIPT KILL).
	Tick(elapsed time.Duration) (abort string)
}

// Log levels (redis.LOG_*), as the server's.
const (
	LogDebug   = 0
	LogVerbose = 1
	LogNotice  = 2
	LogWarning = 3
)

// Replication flags (redis.REPL_*).
const (
	ReplNone    = 0
	ReplAOF     = 1
	ReplReplica = 2
	ReplAll     = 3
)

// Version is what redis.REDIS_VERSION reports.
const (
	Version    = "7.0.15"
	VersionNum = 0x07000f
)

// SHA1Hex is the hex SHA1 of s (script names, redis.sha1hex).
func SHA1Hex(s []byte) string {
	h := sha1.Sum(s)
	return hex.EncodeToString(h[:])
}

// runState is the state of the script being run.
type runState struct {
	host    Host
	name    string // sha (EVAL) or function name: the "script: %s" of errors
	resp    int    // redis.setresp
	start   time.Time
	ticks   int
	aborted string
}

// Engine is one Lua interpreter with Redis's environment: the one of EVAL
// scripts or the one of functions.
type Engine struct {
	L        *lua.LState
	globals  *lua.LTable // the real globals (writable from Go)
	proxy    *lua.LTable // what scripts see as _G: read-only
	redisTbl *lua.LTable
	run      *runState
	// Rand is math.random\'s generator; servers share one between their
	// engines.
	Rand      *Rand
	rnd       rand48
	errFn     *lua.LFunction
	functions bool

	// registering: FUNCTION LOAD's register_function collects here.
	registering *libraryBuild
	loadG       *lua.LTable                 // the globals during FUNCTION LOAD
	proxyMT     *lua.LTable                 // the globals proxy's metatable
	proxied     map[*lua.LTable]*lua.LTable // read-only proxy -> real table
	regFn       *lua.LFunction              // redis.register_function (load environment only)
}

// NewEngine creates an interpreter; functions selects the function
// engine's environment (redis.register_function, no KEYS/ARGV globals).
func NewEngine(functions bool) *Engine {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, IncludeGoStackTrace: false})
	e := &Engine{L: L, functions: functions, Rand: NewRand()}
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	e.globals = g
	for _, name := range []string{"dofile", "loadfile", "print", "setfenv", "getfenv", "_printregs", "module", "require", "newproxy", "package"} {
		g.RawSetString(name, lua.LNil)
	}
	g.RawSetString(concatArgName, L.NewFunction(luaConcatArg))
	g.RawSetString("gcinfo", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LNumber(0)); return 1 }))
	g.RawSetString("tostring", L.NewFunction(luaToString))
	g.RawSetString("pcall", L.NewFunction(luaPcall))
	g.RawSetString("tonumber", L.NewFunction(luaToNumber))
	strlib := g.RawGetString("string").(*lua.LTable)
	strFormat := strlib.RawGetString("format").(*lua.LFunction)
	strlib.RawSetString("format", L.NewFunction(func(L *lua.LState) int { return luaStringFormat(L, strFormat) }))
	g.RawSetString("error", L.NewFunction(func(L *lua.LState) int {
		v := L.Get(1)
		if n, ok := v.(lua.LNumber); ok {
			v = lua.LString(FormatNumber(float64(n)))
		}
		if s, ok := v.(lua.LString); ok {
			if level := L.OptInt(2, 1); level > 0 {
				v = lua.LString(luaWhere(L, level) + string(s))
			}
		}
		L.Error(v, 0)
		return 0
	}))
	math := g.RawGetString("math").(*lua.LTable)
	math.RawSetString("random", L.NewFunction(e.mathRandom))
	math.RawSetString("randomseed", L.NewFunction(e.mathRandomSeed))
	openBit(L)
	openCJSON(L)
	openStruct(L)
	openMsgpack(L)
	e.openRedis()
	e.errFn = L.NewFunction(e.errorHandler)

	// Read-only globals: scripts see a proxy whose reads fall through to
	// the real table (missing names raise Redis's error) and whose writes
	// fail. The libraries are protected the same way.
	for _, lib := range []string{"redis", "string", "math", "table", "coroutine", "bit", "cjson", "struct", "cmsgpack"} {
		if t, ok := g.RawGetString(lib).(*lua.LTable); ok {
			g.RawSetString(lib, e.readonly(t, false))
		}
	}
	e.proxy = e.readonly(g, true)
	g.RawSetString("_G", e.proxy)
	// The string methods ("x"):upper() go through the protected table.
	if mt, ok := L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		mt.RawSetString("__index", g.RawGetString("string"))
	}
	// Raw access and iteration see through the proxies; raw writes and
	// metatable changes are refused, as on Redis's read-only tables.
	for _, name := range []string{"rawget", "next", "pairs", "ipairs"} {
		orig := g.RawGetString(name).(*lua.LFunction)
		g.RawSetString(name, L.NewFunction(e.throughProxy(name, orig, false)))
	}
	for _, name := range []string{"rawset", "setmetatable"} {
		orig := g.RawGetString(name).(*lua.LFunction)
		g.RawSetString(name, L.NewFunction(e.throughProxy(name, orig, true)))
	}
	return e
}

// Close releases the interpreter.
func (e *Engine) Close() { e.L.Close() }

// readonly returns a proxy of t that refuses writes; strict proxies
// (the globals) also refuse reads of missing names.
func (e *Engine) readonly(t *lua.LTable, strict bool) *lua.LTable {
	L := e.L
	p := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", t)
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("Attempt to modify a readonly table")
		return 0
	}))
	mt.RawSetString("__metatable", lua.LFalse)
	if e.proxied == nil {
		e.proxied = map[*lua.LTable]*lua.LTable{}
	}
	e.proxied[p] = t
	if strict {
		if e.proxyMT == nil {
			e.proxyMT = mt
		}
		tm := L.NewTable()
		tm.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
			L.RaiseError("Script attempted to access nonexistent global variable '%s'", L.CheckAny(2).String())
			return 0
		}))
		L.SetMetatable(t, tm)
	}
	L.SetMetatable(p, mt)
	return p
}

// Compile compiles a script body as Redis's user_script chunk. The error
// is Redis's compile error text without the "ERR Error compiling
// script" prefix.
func (e *Engine) Compile(body []byte, chunk string) (*lua.LFunction, string) {
	fn, err := e.load(string(body), chunk)
	if err != nil {
		return nil, compileError(err.Error(), chunk, string(body))
	}
	fn.Env = e.proxy
	return fn, ""
}

// load parses and compiles a chunk, rewriting ".." operands (concat.go).
func (e *Engine) load(code, chunk string) (*lua.LFunction, error) {
	stmts, err := parse.Parse(strings.NewReader(code), chunk)
	if err != nil {
		return nil, err
	}
	rewriteChunk(stmts)
	proto, err := lua.Compile(stmts, chunk)
	if err != nil {
		return nil, err
	}
	return e.L.NewFunctionFromProto(proto), nil
}

// compileError turns gopher-lua's parse error into Lua 5.1's layout
// ("user_script:1: message") as far as it can.
func compileError(msg, chunk, code string) string {
	if strings.HasPrefix(msg, chunk+" at EOF:") {
		// Lexical errors at the end keep 5.1's own wording.
		what := "unexpected symbol"
		switch strings.TrimSpace(msg[len(chunk+" at EOF:"):]) {
		case "unterminated string":
			what = "unfinished string"
		case "unterminated multiline string":
			what = "unfinished long string"
		case "invalid multiline comment":
			what = "unfinished long comment"
		}
		return chunk + ":" + strconv.Itoa(strings.Count(code, "\n")+1) + ": " + what + " near '<eof>'"
	}
	// gopher-lua: "<chunk> line:N(column:M) near 'TOK':   syntax error"
	prefix := chunk + " line:"
	if strings.HasPrefix(msg, prefix) {
		rest := msg[len(prefix):]
		if i := strings.IndexByte(rest, '('); i > 0 {
			line := rest[:i]
			detail := rest[i:]
			near := ""
			if j := strings.Index(detail, "near '"); j >= 0 {
				k := strings.Index(detail[j+6:], "'")
				if k >= 0 {
					near = detail[j+6 : j+6+k]
					detail = strings.TrimSpace(detail[j+6+k+2:])
				}
			}
			if near == "EOF" {
				near = "<eof>"
			}
			if detail == "syntax error" || detail == "" {
				detail = "unexpected symbol"
			}
			if detail == "illegal hexadecimal number" {
				detail = "malformed number"
			}
			if near != "" {
				return chunk + ":" + line + ": " + detail + " near '" + near + "'"
			}
			return chunk + ":" + line + ": " + detail
		}
	}
	return msg
}

// Result is the outcome of a run: the reply to send (RESP bytes for the
// caller's protocol) or an error text.
type Result struct {
	Reply   []byte
	Err     string
	NoStats bool // the error was counted already (a command's error)
}

// Run calls fn with args (functions: the keys and argv tables) and
// converts its result for a client speaking callerProto.
func (e *Engine) Run(fn *lua.LFunction, name string, args []lua.LValue, host Host, callerProto int) Result {
	L := e.L
	rs := &runState{host: host, name: name, resp: 2, start: time.Now()}
	e.run = rs
	defer func() { e.run = nil }()
	ctx := &tickContext{e: e}
	L.SetContext(ctx)
	defer L.RemoveContext()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	err := L.PCall(len(args), 1, e.errFn)
	if err != nil {
		L.SetTop(0)
		msg, noStats := e.errorText(err, rs)
		return Result{Err: msg, NoStats: noStats}
	}
	v := L.Get(-1)
	L.Pop(1)
	out := luaToResp(nil, v, rs.resp, callerProto)
	return Result{Reply: out.buf, Err: out.err, NoStats: out.noStats}
}

// SetKeysArgv sets the KEYS and ARGV globals of an EVAL run.
func (e *Engine) SetKeysArgv(keys, argv [][]byte) {
	e.globals.RawSetString("KEYS", e.bytesTable(keys))
	e.globals.RawSetString("ARGV", e.bytesTable(argv))
}

func (e *Engine) bytesTable(bs [][]byte) *lua.LTable {
	t := e.L.CreateTable(len(bs), 0)
	for i, b := range bs {
		t.RawSetInt(i+1, lua.LString(b))
	}
	return t
}

// BytesTable exposes bytesTable for FCALL's arguments.
func (e *Engine) BytesTable(bs [][]byte) lua.LValue { return e.bytesTable(bs) }

// errorHandler is the message handler of a run (Redis's
// __redis__err__handler): it turns the error into a table with err,
// source and line, the line being the script's where the error arose.
func (e *Engine) errorHandler(L *lua.LState) int {
	v := L.Get(1)
	t, ok := v.(*lua.LTable)
	if !ok {
		t = L.NewTable()
		s := "ERR " + luaErrorText(luaValueString(v))
		t.RawSetString("err", lua.LString(s))
	}
	for level := 1; ; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			break
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil {
			break
		}
		if dbg.What == "G" || dbg.CurrentLine <= 0 {
			continue
		}
		t.RawSetString("source", lua.LString("@"+strings.TrimPrefix(dbg.Source, "@")))
		t.RawSetString("line", lua.LNumber(dbg.CurrentLine))
		break
	}
	L.Push(t)
	return 1
}

// errorText renders a failed run as Redis's error reply text.
func (e *Engine) errorText(err error, rs *runState) (string, bool) {
	ae, ok := err.(*lua.ApiError)
	if !ok || ae.Object == nil {
		return "ERR Error running script " + rs.name + ", " + truncateStr(err.Error(), 100), false
	}
	t, ok := ae.Object.(*lua.LTable)
	if !ok {
		return "ERR Error running script " + rs.name + ", " + truncateStr(luaValueString(ae.Object), 100), false
	}
	noStats := lua.LVAsBool(t.RawGetString("ignore_error_stats_update"))
	msg := luaValueString(t.RawGetString("err"))
	if rs.aborted != "" {
		msg = rs.aborted
	}
	src, line := t.RawGetString("source"), t.RawGetString("line")
	if src != lua.LNil && line != lua.LNil {
		msg += " script: " + rs.name + ", on " + luaValueString(src) + ":" + luaValueString(line) + "."
	}
	return sanitizeError(msg), noStats && rs.aborted == ""
}

func truncateStr(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// sanitizeError replaces newlines as Redis does in error replies.
func sanitizeError(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// tickContext is the VM's context: gopher-lua asks for Done at every
// instruction, which gives the server a regular hook to serve other
// clients during a long script and to abort a killed one.
type tickContext struct {
	e    *Engine
	n    int
	done chan struct{}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *tickContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *tickContext) Value(any) any               { return nil }
func (c *tickContext) Err() error                  { return context.Canceled }
func (c *tickContext) Done() <-chan struct{} {
	if c.done != nil {
		return c.done
	}
	c.n++
	if c.n&0xFFFF != 0 {
		return nil
	}
	rs := c.e.run
	if rs == nil {
		return nil
	}
	if msg := rs.host.Tick(time.Since(rs.start)); msg != "" {
		rs.aborted = msg
		c.done = closedChan
		return c.done
	}
	return nil
}

// luaPcall is Redis's pcall: like Lua's, except that an error table
// (what redis.call raises) is turned into its err string.
func luaPcall(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		L.ArgError(1, "value expected")
	}
	base := L.GetTop() - n
	err := L.PCall(n-1, lua.MultRet, nil)
	if err != nil {
		var v lua.LValue = lua.LString(err.Error())
		if ae, ok := err.(*lua.ApiError); ok {
			v = ae.Object
		}
		if s, ok := v.(lua.LString); ok {
			v = lua.LString(luaErrorText(string(s)))
		}
		if t, ok := v.(*lua.LTable); ok {
			if s := t.RawGetString("err"); isString(s) {
				v = s
			}
		}
		L.SetTop(base)
		L.Push(lua.LFalse)
		L.Push(v)
		return 2
	}
	L.Insert(lua.LTrue, base+1)
	return L.GetTop() - base
}

// luaWhere is luaL_where: "chunk:line: " of the function at level, or
// nothing for a Go function.
func luaWhere(L *lua.LState, level int) string {
	dbg, ok := L.GetStack(level)
	if !ok {
		return ""
	}
	if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil || dbg.What == "G" || dbg.CurrentLine <= 0 {
		return ""
	}
	return strings.TrimPrefix(dbg.Source, "@") + ":" + strconv.Itoa(dbg.CurrentLine) + ": "
}

// luaToNumber is Lua 5.1's tonumber: strtod's syntax (hexadecimal,
// exponents, inf and nan included) with surrounding spaces, or an
// integer in base 2..36.
func luaToNumber(L *lua.LState) int {
	if L.GetTop() == 0 {
		argError(L, 1, "value expected")
	}
	v := L.Get(1)
	base := L.OptInt(2, 10)
	if base == 10 {
		switch x := v.(type) {
		case lua.LNumber:
			L.Push(x)
			return 1
		case lua.LString:
			s := strings.TrimRight(strings.TrimLeft(string(x), " \t\n\r\f\v"), " \t\n\r\f\v")
			if f, used := strtod(s); used > 0 && used == len(s) {
				L.Push(lua.LNumber(f))
				return 1
			}
		}
		L.Push(lua.LNil)
		return 1
	}
	if base < 2 || base > 36 {
		argError(L, 2, "base out of range")
	}
	s := strings.ToLower(strings.TrimSpace(luaValueString(v)))
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil || s == "" {
		L.Push(lua.LNil)
		return 1
	}
	f := float64(n)
	if neg {
		f = float64(-n) // strtoul negates in unsigned arithmetic
	}
	L.Push(lua.LNumber(f))
	return 1
}

// luaStringFormat wraps string.format so that %s of a number prints it
// as Lua 5.1 does (%.14g).
func luaStringFormat(L *lua.LState, orig *lua.LFunction) int {
	fmtStr := checkString(L, 1)
	arg := 1
	for i := 0; i < len(fmtStr); i++ {
		if fmtStr[i] != '%' {
			continue
		}
		i++
		if i < len(fmtStr) && fmtStr[i] == '%' {
			continue
		}
		for i < len(fmtStr) && strings.IndexByte("-+ #0123456789.", fmtStr[i]) >= 0 {
			i++
		}
		arg++
		if arg > L.GetTop() {
			argError(L, arg, "no value")
		}
		if i < len(fmtStr) && fmtStr[i] == 's' {
			if n, ok := L.Get(arg).(lua.LNumber); ok {
				L.Replace(arg, lua.LString(FormatNumber(float64(n))))
			}
		}
	}
	top := L.GetTop()
	L.Push(orig)
	for i := 1; i <= top; i++ {
		L.Push(L.Get(i))
	}
	L.Call(top, 1)
	return 1
}

// throughProxy wraps a base function taking a table first: a read-only
// proxy is replaced by its table, or refused when write is set.
func (e *Engine) throughProxy(name string, orig *lua.LFunction, write bool) lua.LGFunction {
	return func(L *lua.LState) int {
		// All of these want a table first; checked here because orig,
		// called from Go, could not name itself in the message.
		if L.Get(1).Type() != lua.LTTable {
			got := "no value"
			if L.GetTop() > 0 {
				got = L.Get(1).Type().String()
			}
			L.RaiseError("bad argument #1 to '%s' (table expected, got %s)", name, got)
		}
		if t, ok := L.Get(1).(*lua.LTable); ok {
			if real := e.proxied[t]; real != nil {
				if write {
					L.Error(lua.LString("Attempt to modify a readonly table"), 0)
				}
				// The proxy of the globals during FUNCTION LOAD reads
				// the load environment.
				if t == e.proxy {
					if idx, ok := e.proxyMT.RawGetString("__index").(*lua.LTable); ok {
						real = idx
					}
				}
				L.Replace(1, real)
			}
		}
		top := L.GetTop()
		L.Push(orig)
		for i := 1; i <= top; i++ {
			L.Push(L.Get(i))
		}
		L.Call(top, lua.MultRet)
		return L.GetTop() - top
	}
}
