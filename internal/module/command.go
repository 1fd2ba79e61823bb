package module

import (
	"strings"

	"github.com/modis/modis/internal/command"
)

// CmdFunc is a module command handler (RedisModuleCmdFunc): it gets the
// context and the arguments (owned by the server: Retain or Hold what you
// keep) and returns OK or ERR (ignored, as in Redis).
type CmdFunc func(ctx *Ctx, argv []*String) int

// RawCmdFunc is a command handler that gets the client's arguments as
// bytes, valid only during the call (the server reuses them afterwards):
// the Go API and the C bridge copy them into their own representation, so
// the engine does not make String handles for them first. ctx.argv (for
// BlockClient) is then made on demand.
type RawCmdFunc func(ctx *Ctx, argv [][]byte) int

// Command is RedisModuleCommand: a module command proxy (Redis's
// RedisModuleCommandProxy) bound to a Spec in the server's command table.
type Command struct {
	module  *Module
	handler CmdFunc
	raw     RawCmdFunc // set instead of handler by CreateRawCommand
	spec    *command.Spec
	parent  *Command
	subs    []*Command
	infoSet bool
	extra   int // cmdGetKeysAPI, cmdGetChannelsAPI, ...
}

// Spec returns the command's entry in the command table.
func (c *Command) Spec() *command.Spec { return c.spec }

// Module-only command flags, kept beside command.Flags.
const (
	cmdGetKeysAPI     = 1 << 0
	cmdGetChannelsAPI = 1 << 1
	cmdNoCluster      = 1 << 2
)

// parseCommandFlags maps CreateCommand's flag string to command flags
// (Redis's commandFlagsFromString); ok is false for an unknown word.
func parseCommandFlags(s string) (f command.Flags, extra int, ok bool) {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		switch w {
		case "write":
			f |= command.FlagWrite
		case "readonly":
			f |= command.FlagReadonly
		case "admin":
			f |= command.FlagAdmin
		case "deny-oom", "use-memory":
			f |= command.FlagDenyOOM
		case "deny-script":
			f |= command.FlagNoscript
		case "allow-loading":
			f |= command.FlagLoading
		case "pubsub":
			f |= command.FlagPubsub
		case "random":
			// Accepted and ignored since 7.0 (a command tip now).
		case "blocking":
			f |= command.FlagBlocking
		case "allow-stale":
			f |= command.FlagStale
		case "no-monitor":
			f |= command.FlagSkipMonitor
		case "no-slowlog":
			f |= command.FlagSkipSlowlog
		case "fast":
			f |= command.FlagFast
		case "no-auth":
			f |= command.FlagNoAuth
		case "may-replicate":
			// Accepted; COMMAND INFO hides may_replicate (as Redis does),
			// and nothing else reads it yet.
		case "getkeys-api":
			extra |= cmdGetKeysAPI
			f |= command.FlagMovableKeys
		case "getchannels-api":
			extra |= cmdGetChannelsAPI
		case "no-cluster":
			extra |= cmdNoCluster
		case "no-mandatory-keys":
			f |= command.FlagNoMandatoryKeys
		case "allow-busy":
			f |= command.FlagAllowBusy
		default:
			return 0, 0, false
		}
	}
	return f | command.FlagModule, extra, true
}

// newCommandSpec builds the table entry of a module command (Redis's
// moduleCreateCommandProxy): group "module", a legacy key spec from
// firstkey/lastkey/step when firstkey is not 0.
func newCommandSpec(m *Module, fullname string, flags command.Flags, extra int, first, last, step int) *command.Spec {
	spec := &command.Spec{
		Name:   fullname,
		Flags:  flags,
		Group:  "module",
		Module: m.Name,
	}
	if first != 0 {
		ks := command.KeySpec{
			Flags:       []string{"RW", "access", "update"},
			BeginSearch: "index",
			Index:       first,
			FindKeys:    "range",
			LastKey:     last,
			KeyStep:     step,
		}
		if last >= 0 {
			ks.LastKey = last - first
		}
		if extra&cmdGetKeysAPI != 0 {
			ks.Flags = append(ks.Flags, "variable_flags")
		}
		spec.KeySpecs = []command.KeySpec{ks}
		spec.FirstKey, spec.LastKey, spec.Step = first, last, step
	}
	return spec
}

// CreateCommand is RedisModule_CreateCommand. handler nil makes a
// container for subcommands. ERR for an unknown flag, a name in use, or a
// context without a module (Init not called).
func (ctx *Ctx) CreateCommand(name string, handler CmdFunc, flags string, first, last, step int) int {
	return ctx.createCommand(name, handler, nil, flags, first, last, step)
}

// CreateRawCommand is CreateCommand with a handler that gets the
// arguments as bytes (RawCmdFunc); nil makes a container.
func (ctx *Ctx) CreateRawCommand(name string, handler RawCmdFunc, flags string, first, last, step int) int {
	return ctx.createCommand(name, nil, handler, flags, first, last, step)
}

func (ctx *Ctx) createCommand(name string, handler CmdFunc, raw RawCmdFunc, flags string, first, last, step int) int {
	m := ctx.module
	if m == nil || name == "" || strings.ContainsAny(name, "| ") {
		return ERR
	}
	f, extra, ok := parseCommandFlags(flags)
	if !ok {
		return ERR
	}
	if ctx.eng.host.LookupCommand(name) != nil {
		return ERR
	}
	spec := newCommandSpec(m, name, f, extra, first, last, step)
	spec.Arity = -1
	if handler == nil && raw == nil {
		spec.Arity = -2
	}
	cmd := &Command{module: m, handler: handler, raw: raw, spec: spec, extra: extra}
	if !ctx.eng.host.AddCommand(spec, ctx.eng.dispatcher(cmd)) {
		return ERR
	}
	m.commands = append(m.commands, cmd)
	return OK
}

// GetCommand is RedisModule_GetCommand: a handle on a command this module
// created ("name" or "parent|sub"), or nil.
func (ctx *Ctx) GetCommand(name string) *Command {
	if ctx.module == nil {
		return nil
	}
	lname := strings.ToLower(name)
	for _, c := range ctx.module.commands {
		if strings.ToLower(c.spec.Name) == lname {
			return c
		}
		for _, s := range c.subs {
			if strings.ToLower(s.spec.Name) == lname {
				return s
			}
		}
	}
	return nil
}

// CreateSubcommand is RedisModule_CreateSubcommand: parent must be a
// top-level container (created with a nil handler).
func (ctx *Ctx) CreateSubcommand(parent *Command, name string, handler CmdFunc, flags string, first, last, step int) int {
	return ctx.createSubcommand(parent, name, handler, nil, flags, first, last, step)
}

// CreateRawSubcommand is CreateSubcommand with a RawCmdFunc handler.
func (ctx *Ctx) CreateRawSubcommand(parent *Command, name string, handler RawCmdFunc, flags string, first, last, step int) int {
	return ctx.createSubcommand(parent, name, nil, handler, flags, first, last, step)
}

func (ctx *Ctx) createSubcommand(parent *Command, name string, handler CmdFunc, raw RawCmdFunc, flags string, first, last, step int) int {
	if parent == nil || parent.parent != nil || parent.hasHandler() || name == "" || strings.ContainsAny(name, "| ") {
		return ERR
	}
	f, extra, ok := parseCommandFlags(flags)
	if !ok {
		return ERR
	}
	for _, s := range parent.subs {
		if strings.EqualFold(s.spec.SubName(), name) {
			return ERR
		}
	}
	spec := newCommandSpec(parent.module, parent.spec.Name+"|"+name, f, extra, first, last, step)
	spec.Arity = -2
	cmd := &Command{module: parent.module, handler: handler, raw: raw, spec: spec, parent: parent, extra: extra}
	if !ctx.eng.host.AddSubcommand(parent.spec, spec, ctx.eng.dispatcher(cmd)) {
		return ERR
	}
	parent.subs = append(parent.subs, cmd)
	return OK
}

// hasHandler reports whether the command runs something (not a container).
func (c *Command) hasHandler() bool { return c.handler != nil || c.raw != nil }

// dispatcher is Redis's RedisModuleCommandDispatcher bound to cmd: take a
// context for the calling client, run the handler, then free the context
// (auto memory, reply flush, propagation).
func (e *Engine) dispatcher(cmd *Command) CommandProc {
	return func(c Client, argv [][]byte) {
		if !cmd.hasHandler() {
			return
		}
		ctx := e.takeCmdCtx(cmd.module, c)
		ctx.cmd = cmd
		ctx.out = e.takeReplyBuf()
		defer e.endDispatch(ctx)
		if cmd.raw != nil {
			ctx.rawArgv = argv
			cmd.raw(ctx, argv)
			return
		}
		ctx.argv = e.argvStrings(argv)
		cmd.handler(ctx, ctx.argv)
	}
}

// endDispatch frees a command context and keeps its argv handles for the
// next command when the module kept none of them (no Retain/Hold, not
// blocked): the bytes are never reused, only the String structs. The
// context itself goes back to the pool.
func (e *Engine) endDispatch(ctx *Ctx) {
	ctx.free()
	if ctx.rawArgv == nil && !ctx.argvKept {
		spare := true
		for _, s := range ctx.argv {
			if s.refs.Load() != 1 {
				spare = false
				break
			}
		}
		if spare {
			e.spareArgv = ctx.argv
		}
	}
	e.putCmdCtx(ctx)
}

// Argv returns the command's arguments as String handles (made on demand
// for a RawCmdFunc handler; valid during the call unless retained).
func (ctx *Ctx) Argv() []*String {
	if ctx.argv == nil && ctx.rawArgv != nil {
		ctx.argv = copyArgvStrings(ctx.rawArgv)
	}
	return ctx.argv
}

// argvStrings is copyArgvStrings reusing the spare handles when they fit.
func (e *Engine) argvStrings(argv [][]byte) []*String {
	sp := e.spareArgv
	if len(sp) < len(argv) {
		return copyArgvStrings(argv)
	}
	e.spareArgv = nil
	n := 0
	for _, a := range argv {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	out := sp[:len(argv)]
	for i, a := range argv {
		start := len(buf)
		buf = append(buf, a...)
		out[i].b = buf[start:len(buf):len(buf)]
		out[i].refs.Store(1)
	}
	return out
}

// copyArgvStrings makes the module's argv: one String per argument, each
// with one reference, owning a copy of its bytes (the server's argv buffers
// are reused after the command). Three allocations whatever the count.
func copyArgvStrings(argv [][]byte) []*String {
	n := 0
	for _, a := range argv {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	strs := make([]String, len(argv))
	out := make([]*String, len(argv))
	for i, a := range argv {
		start := len(buf)
		buf = append(buf, a...)
		strs[i].b = buf[start:len(buf):len(buf)]
		strs[i].refs.Store(1)
		out[i] = &strs[i]
	}
	return out
}

// GetCurrentCommandName is RedisModule_GetCurrentCommandName.
func (ctx *Ctx) GetCurrentCommandName() string {
	if ctx.cmd == nil {
		return ""
	}
	return ctx.cmd.spec.Name
}
