package module

import (
	"errors"

	engine "github.com/modis/modis/internal/module"
)

// CommandFunc is a command handler (RedisModuleCmdFunc). args[0] is the
// command name; the slices belong to the handler. A returned error is sent
// as an error reply (its text should start with an error code, e.g.
// "ERR ..."), except ErrFailed (an API call failed) and ErrKeepBlocked
// (see BlockClientOnKeys), which make the handler return REDISMODULE_ERR
// without replying.
type CommandFunc func(ctx *Ctx, args [][]byte) error

// Command is RedisModuleCommand, a handle on a command of this module.
type Command struct{ c *engine.Command }

func wrap(fn CommandFunc) engine.CmdFunc {
	if fn == nil {
		return nil
	}
	return func(ec *engine.Ctx, argv []*engine.String) int {
		args := make([][]byte, len(argv))
		for i, a := range argv {
			args[i] = a.Bytes()
		}
		return run(fn, wrapCtx(ec), args)
	}
}

// wrapRaw adapts a handler to the engine's RawCmdFunc: the client's
// arguments are copied for the handler, which may keep them.
func wrapRaw(fn CommandFunc) engine.RawCmdFunc {
	if fn == nil {
		return nil
	}
	return func(ec *engine.Ctx, argv [][]byte) int {
		ctx := wrapCtx(ec)
		return run(fn, ctx, ctx.copyArgs(argv))
	}
}

// Argument copies are carved from per-context slabs that only ever grow
// forward: a carved region is never handed out twice, so a handler may keep
// its args (or any sub-slice) for as long as it likes — the garbage
// collector keeps the slab alive while anything points into it. A full slab
// is simply dropped for a new one. This turns the two allocations per call
// into one per slab (every few hundred calls for short commands), at the
// cost that a kept argument pins the rest of its slab.
const (
	argSlabBytes = 4096 // bytes per byte slab
	argSlabSlots = 256  // slice headers per header slab
)

// copyArgs returns a copy of argv the handler owns (see above). Each
// element is capped at its own length, so appending to one never writes
// into the next.
func (ctx *Ctx) copyArgs(argv [][]byte) [][]byte {
	n := 0
	for _, a := range argv {
		n += len(a)
	}
	var buf []byte
	if n > argSlabBytes/4 {
		// Large arguments get their own allocation, so they neither waste
		// most of a slab nor keep one alive.
		buf = make([]byte, 0, n)
	} else {
		if cap(ctx.argBytes)-len(ctx.argBytes) < n {
			ctx.argBytes = make([]byte, 0, argSlabBytes)
		}
		buf = ctx.argBytes[len(ctx.argBytes):len(ctx.argBytes)]
		ctx.argBytes = ctx.argBytes[:len(ctx.argBytes)+n]
	}
	var args [][]byte
	if len(argv) > argSlabSlots/4 {
		args = make([][]byte, len(argv))
	} else {
		if cap(ctx.argSlots)-len(ctx.argSlots) < len(argv) {
			ctx.argSlots = make([][]byte, 0, argSlabSlots)
		}
		l := len(ctx.argSlots)
		ctx.argSlots = ctx.argSlots[:l+len(argv)]
		args = ctx.argSlots[l : l+len(argv) : l+len(argv)]
	}
	for i, a := range argv {
		start := len(buf)
		buf = append(buf, a...)
		args[i] = buf[start:len(buf):len(buf)]
	}
	return args
}

// wrapCtx returns the Go wrapper of an engine context, made once per
// context (command contexts are reused).
func wrapCtx(ec *engine.Ctx) *Ctx {
	if ctx, ok := ec.Ext.(*Ctx); ok {
		return ctx
	}
	ctx := &Ctx{c: ec}
	ec.Ext = ctx
	return ctx
}

func run(fn CommandFunc, ctx *Ctx, args [][]byte) int {
	if err := fn(ctx, args); err != nil {
		if ctx.c.IsKeysPositionRequest() || errors.Is(err, ErrKeepBlocked) || errors.Is(err, ErrFailed) {
			return engine.ERR
		}
		ctx.ReplyWithError(err.Error())
		return engine.ERR
	}
	return engine.OK
}

// CreateCommand is RedisModule_CreateCommand. flags is Redis's
// space-separated flag string ("write deny-oom", "readonly fast", ...);
// firstKey, lastKey and step give the key positions (0, 0, 0 for none). A
// nil fn creates a container for subcommands.
func (ctx *Ctx) CreateCommand(name string, fn CommandFunc, flags string, firstKey, lastKey, step int) error {
	return status(ctx.c.CreateRawCommand(name, wrapRaw(fn), flags, firstKey, lastKey, step))
}

// GetCommand is RedisModule_GetCommand ("name" or "parent|sub").
func (ctx *Ctx) GetCommand(name string) *Command {
	c := ctx.c.GetCommand(name)
	if c == nil {
		return nil
	}
	return &Command{c: c}
}

// CreateSubcommand is RedisModule_CreateSubcommand.
func (ctx *Ctx) CreateSubcommand(parent *Command, name string, fn CommandFunc, flags string, firstKey, lastKey, step int) error {
	if parent == nil {
		return ErrFailed
	}
	return status(ctx.c.CreateRawSubcommand(parent.c, name, wrapRaw(fn), flags, firstKey, lastKey, step))
}

// CommandInfo and its parts mirror RedisModuleCommandInfo.
type (
	CommandInfo    = engine.CommandInfo
	CommandKeySpec = engine.CommandKeySpec
	CommandArg     = engine.CommandArg
)

// Key-spec and argument constants for CommandInfo.
const (
	CmdKeyRO         = engine.CmdKeyRO
	CmdKeyRW         = engine.CmdKeyRW
	CmdKeyOW         = engine.CmdKeyOW
	CmdKeyRM         = engine.CmdKeyRM
	CmdKeyAccess     = engine.CmdKeyAccess
	CmdKeyUpdate     = engine.CmdKeyUpdate
	CmdKeyInsert     = engine.CmdKeyInsert
	CmdKeyDelete     = engine.CmdKeyDelete
	KSpecBSIndex     = engine.KSpecBSIndex
	KSpecBSKeyword   = engine.KSpecBSKeyword
	KSpecFKRange     = engine.KSpecFKRange
	KSpecFKKeynum    = engine.KSpecFKKeynum
	ArgTypeString    = engine.ArgTypeString
	ArgTypeInteger   = engine.ArgTypeInteger
	ArgTypeKey       = engine.ArgTypeKey
	ArgTypePureToken = engine.ArgTypePureToken
	ArgTypeOneof     = engine.ArgTypeOneof
	ArgTypeBlock     = engine.ArgTypeBlock
	CmdArgOptional   = engine.CmdArgOptional
	CmdArgMultiple   = engine.CmdArgMultiple
)

// SetCommandInfo is RedisModule_SetCommandInfo.
func (c *Command) SetCommandInfo(info *CommandInfo) error {
	if ret, errno := c.c.SetCommandInfo(info); ret != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// IsKeysPositionRequest is RedisModule_IsKeysPositionRequest: the handler
// of a "getkeys-api" command is being asked only for its key positions.
func (ctx *Ctx) IsKeysPositionRequest() bool { return ctx.c.IsKeysPositionRequest() }

// KeyAtPos is RedisModule_KeyAtPos.
func (ctx *Ctx) KeyAtPos(pos int) { ctx.c.KeyAtPos(pos) }

// WrongArity is RedisModule_WrongArity.
func (ctx *Ctx) WrongArity() error { ctx.c.WrongArity(); return nil }
