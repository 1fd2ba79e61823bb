// Package module is the Go API for Modis modules: Redis's module API
// (RedisModule_*) in idiomatic Go. A module is a Go package that registers
// itself from an init function and is compiled into the server:
//
//	func init() {
//		module.Register(module.Info{Name: "hello", New: func() module.Module { return &hello{} }})
//	}
//
// and is then loaded by name: `loadmodule hello` in the config, or
// MODULE LOAD hello. Every function documents the Redis API it stands for;
// the semantics are Redis's (replies, keys, Call, replication), so Redis
// module code ports line by line. Module code runs under the server's
// execution lock, like a Redis module on its main thread.
package module

import (
	"errors"
	"fmt"

	engine "github.com/modis/modis/internal/module"
)

// Module is a module implementation; OnLoad is RedisModule_OnLoad. It must
// call ctx.Init first. Returning an error fails the load, and everything
// the module registered is removed again.
type Module interface {
	OnLoad(ctx *Ctx, args [][]byte) error
}

// Unloader is implemented by modules with a RedisModule_OnUnload;
// returning an error cancels MODULE UNLOAD.
type Unloader interface {
	OnUnload(ctx *Ctx) error
}

// Info describes a module compiled into the server. New returns a fresh
// instance for each load.
type Info struct {
	Name string
	New  func() Module
}

// Register makes a module loadable by name. Call it from init; it panics
// on an empty or duplicate name.
func Register(info Info) {
	if info.New == nil {
		panic("module: Register " + info.Name + " without New")
	}
	engine.Register(engine.Info{Name: info.Name, New: func() engine.Loader {
		return &loader{m: info.New()}
	}})
}

// loader adapts a Module to the engine.
type loader struct{ m Module }

func (l *loader) OnLoad(ctx *engine.Ctx, argv []*engine.String) int {
	args := make([][]byte, len(argv))
	for i, a := range argv {
		args[i] = a.Bytes()
	}
	c := &Ctx{c: ctx}
	if err := l.m.OnLoad(c, args); err != nil {
		c.Log(LogWarning, "%s", err)
		return engine.ERR
	}
	return engine.OK
}

func (l *loader) OnUnload(ctx *engine.Ctx) int {
	if u, ok := l.m.(Unloader); ok {
		if err := u.OnUnload(&Ctx{c: ctx}); err != nil {
			return engine.ERR
		}
	}
	return engine.OK
}

// APIVersion1 is REDISMODULE_APIVER_1.
const APIVersion1 = engine.APIVer1

// Errors returned by the API.
var (
	// ErrNameBusy: Init with the name of a loaded module.
	ErrNameBusy = errors.New("module name busy")
	// ErrFailed: the API returned REDISMODULE_ERR.
	ErrFailed = errors.New("module API call failed")
)

// Errno is the C errno some APIs report (Call, SetCommandInfo).
type Errno = engine.Errno

// CallError is the error of a Call that could not run the command.
type CallError struct {
	Errno Errno
}

func (e *CallError) Error() string { return fmt.Sprintf("module call failed (errno %d)", int(e.Errno)) }

func status(ret int) error {
	if ret != engine.OK {
		return ErrFailed
	}
	return nil
}

// Ctx is RedisModuleCtx: the context of a callback. Do not keep it beyond
// the callback.
type Ctx struct {
	c *engine.Ctx

	// Call's argument buffers, reused by later calls (call.go).
	callBuf  []byte
	callEnds []int
	callArgv [][]byte

	// Slabs the command arguments are carved from (copyArgs, command.go).
	argBytes []byte
	argSlots [][]byte
}

// Init is RedisModule_Init: set the module's name and version (API version
// 1). It fails with ErrNameBusy when a module with that name is loaded.
func (ctx *Ctx) Init(name string, version int) error {
	if ctx.c.Init(name, version, engine.APIVer1) != engine.OK {
		return ErrNameBusy
	}
	return nil
}

// Engine returns the engine context, for the C bridge and tests.
func (ctx *Ctx) Engine() *engine.Ctx { return ctx.c }

// AutoMemory is RedisModule_AutoMemory. Go modules rarely need it (the
// garbage collector frees everything), but keys opened through an
// auto-memory context are closed when the callback returns.
func (ctx *Ctx) AutoMemory() { ctx.c.AutoMemory() }

// SetModuleOptions is RedisModule_SetModuleOptions.
func (ctx *Ctx) SetModuleOptions(options int) { ctx.c.SetModuleOptions(options) }

// Module options.
const (
	OptionsHandleIOErrors          = engine.OptionsHandleIOErrors
	OptionNoImplicitSignalModified = engine.OptionNoImplicitSignalModified
)

// Log levels for Log.
const (
	LogDebug   = "debug"
	LogVerbose = "verbose"
	LogNotice  = "notice"
	LogWarning = "warning"
)

// Log is RedisModule_Log: a server log line prefixed with the module name.
func (ctx *Ctx) Log(level string, format string, args ...any) {
	ctx.c.Log(level, fmt.Sprintf(format, args...))
}

// GetSelectedDb is RedisModule_GetSelectedDb.
func (ctx *Ctx) GetSelectedDb() int { return ctx.c.GetSelectedDb() }

// SelectDb is RedisModule_SelectDb.
func (ctx *Ctx) SelectDb(id int) error { return status(ctx.c.SelectDb(id)) }

// GetClientId is RedisModule_GetClientId (0 without a client).
func (ctx *Ctx) GetClientId() uint64 { return ctx.c.GetClientId() }

// ClientInfo is RedisModuleClientInfo.
type ClientInfo = engine.ClientInfo

// GetClientInfoById is RedisModule_GetClientInfoById.
func (ctx *Ctx) GetClientInfoById(id uint64) (ClientInfo, error) {
	ci, ret := ctx.c.GetClientInfoById(id)
	return ci, status(ret)
}

// Context flags (REDISMODULE_CTX_FLAGS_*).
const (
	CtxFlagsMulti  = engine.CtxFlagsMulti
	CtxFlagsMaster = engine.CtxFlagsMaster
	CtxFlagsRESP3  = engine.CtxFlagsRESP3
	// CtxFlagsLua: the command was called by a Lua script.
	CtxFlagsLua = engine.CtxFlagsLua
	// CtxFlagsDenyBlocking: the command must not block (scripts, MULTI).
	CtxFlagsDenyBlocking = engine.CtxFlagsDenyBlocking
)

// GetContextFlags is RedisModule_GetContextFlags.
func (ctx *Ctx) GetContextFlags() int { return ctx.c.GetContextFlags() }

// Milliseconds is RedisModule_Milliseconds.
func Milliseconds() int64 { return engine.Milliseconds() }

// GetCurrentCommandName is RedisModule_GetCurrentCommandName.
func (ctx *Ctx) GetCurrentCommandName() string { return ctx.c.GetCurrentCommandName() }
