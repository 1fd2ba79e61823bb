package scripting

import (
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Functions: FUNCTION LOAD runs a library's code once in a restricted
// environment where redis.register_function collects its functions.

// FunctionFlagNames are the flags register_function accepts (the same
// names as a script shebang's).
var FunctionFlagNames = []string{"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"}

// FunctionDef is a function a library registered.
type FunctionDef struct {
	Name    string
	Fn      *lua.LFunction
	Flags   []string // in FunctionFlagNames order
	Desc    string
	HasDesc bool
}

// libraryBuild collects register_function calls during a load.
type libraryBuild struct {
	funcs []*FunctionDef
}

// ValidName reports whether s is a valid library or function name:
// letters, digits and underscores, at least one.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for _, ch := range []byte(s) {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_') {
			return false
		}
	}
	return true
}

const errBadName = "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"

// loadEnv builds the globals a library sees while it loads: only redis
// with register_function, log and the constants.
func (e *Engine) loadEnv() *lua.LTable {
	L := e.L
	r := L.NewTable()
	r.RawSetString("register_function", e.regFn)
	for _, name := range []string{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"} {
		r.RawSetString(name, e.redisTbl.RawGetString(name))
	}
	g := L.NewTable()
	g.RawSetString("redis", e.readonly(r, true))
	g.RawSetString(concatArgName, e.globals.RawGetString(concatArgName))
	return g
}

// LoadLibrary compiles and runs a library's code (after its shebang
// line, which the caller blanked) and returns the functions it
// registered, or Redis's error text.
func (e *Engine) LoadLibrary(code string) ([]*FunctionDef, string) {
	L := e.L
	fn, err := e.load(code, "user_function")
	if err != nil {
		return nil, "ERR Error compiling function: " + compileError(err.Error(), "user_function", code)
	}
	fn.Env = e.proxy
	mt := e.proxyMT
	mt.RawSetString("__index", e.loadEnvTable())
	build := &libraryBuild{}
	e.registering = build
	rs := &runState{host: nopHost{}, name: "load", resp: 2}
	e.run = rs
	L.Push(fn)
	perr := L.PCall(0, 0, e.errFn)
	e.run = nil
	e.registering = nil
	mt.RawSetString("__index", e.globals)
	if perr != nil {
		L.SetTop(0)
		msg := "ERR unknown error"
		if ae, ok := perr.(*lua.ApiError); ok {
			if t, ok := ae.Object.(*lua.LTable); ok {
				msg = luaValueString(t.RawGetString("err"))
			}
		}
		return nil, "ERR Error registering functions: " + sanitizeError(msg)
	}
	if len(build.funcs) == 0 {
		return nil, "ERR No functions registered"
	}
	return build.funcs, ""
}

func (e *Engine) loadEnvTable() *lua.LTable {
	if e.loadG == nil {
		e.loadG = e.loadEnv()
		L := e.L
		tm := L.NewTable()
		tm.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
			L.RaiseError("Script attempted to access nonexistent global variable '%s'", L.CheckAny(2).String())
			return 0
		}))
		L.SetMetatable(e.loadG, tm)
	}
	return e.loadG
}

// nopHost serves a library load, which cannot call commands.
type nopHost struct{}

func (nopHost) Call([][]byte, int) ([]byte, string) { return nil, "ERR not allowed" }
func (nopHost) ACLCheck([][]byte) (bool, string)    { return false, "" }
func (nopHost) Log(int, string)                     {}
func (nopHost) SetRepl(int)                         {}
func (nopHost) Tick(time.Duration) string           { return "" }

func (e *Engine) registerFunction(L *lua.LState) int {
	b := e.registering
	if b == nil {
		raise(L, "ERR redis.register_function can only be called on FUNCTION LOAD command")
		return 0
	}
	def := &FunctionDef{}
	var nameV, cbV, flagsV, descV lua.LValue = lua.LNil, lua.LNil, lua.LNil, lua.LNil
	named := true
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			raise(L, "ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
			return 0
		}
		bad := false
		forEach(t, func(k, v lua.LValue) {
			ks, ok := k.(lua.LString)
			if !ok {
				bad = true
				return
			}
			switch string(ks) {
			case "function_name":
				nameV = v
			case "callback":
				cbV = v
			case "flags":
				flagsV = v
			case "description":
				descV = v
			default:
				bad = true
			}
		})
		if bad {
			raise(L, "ERR unknown argument given to redis.register_function")
			return 0
		}
	case 2:
		nameV, cbV = L.Get(1), L.Get(2)
		named = false
		if !isString(nameV) {
			raise(L, "ERR first argument to redis.register_function must be a string")
			return 0
		}
		if _, ok := cbV.(*lua.LFunction); !ok {
			raise(L, "ERR second argument to redis.register_function must be a function")
			return 0
		}
	default:
		raise(L, "ERR wrong number of arguments to redis.register_function")
		return 0
	}
	_ = named
	if nameV == lua.LNil {
		raise(L, "ERR redis.register_function must get a function name argument")
		return 0
	}
	if !isString(nameV) {
		raise(L, "ERR function_name argument given to redis.register_function must be a string")
		return 0
	}
	if cbV == lua.LNil {
		raise(L, "ERR redis.register_function must get a callback argument")
		return 0
	}
	cb, ok := cbV.(*lua.LFunction)
	if !ok {
		raise(L, "ERR callback argument given to redis.register_function must be a function")
		return 0
	}
	if descV != lua.LNil {
		if !isString(descV) {
			raise(L, "ERR description argument given to redis.register_function must be a string")
			return 0
		}
		def.Desc, def.HasDesc = luaValueString(descV), true
	}
	if flagsV != lua.LNil {
		ft, ok := flagsV.(*lua.LTable)
		if !ok {
			raise(L, "ERR flags argument to redis.register_function must be a table representing function flags")
			return 0
		}
		set := map[string]bool{}
		bad := false
		forEach(ft, func(_, v lua.LValue) {
			s, ok := v.(lua.LString)
			if !ok {
				bad = true
				return
			}
			known := false
			for _, f := range FunctionFlagNames {
				if f == string(s) {
					known = true
				}
			}
			if !known {
				bad = true
			}
			set[string(s)] = true
		})
		if bad {
			raise(L, "ERR unknown flag given")
			return 0
		}
		for _, f := range FunctionFlagNames {
			if set[f] {
				def.Flags = append(def.Flags, f)
			}
		}
	}
	def.Name = luaValueString(nameV)
	if !ValidName(def.Name) {
		raise(L, errBadName)
		return 0
	}
	for _, f := range b.funcs {
		if f.Name == def.Name {
			raise(L, "ERR Function already exists in the library")
			return 0
		}
	}
	def.Fn = cb
	b.funcs = append(b.funcs, def)
	return 0
}
