package module

import (
	"strings"

	"github.com/modis/modis/internal/command"
)

// Key-spec flags (REDISMODULE_CMD_KEY_*), also used by KeyAtPosWithFlags.
const (
	CmdKeyRO            = 1 << 0
	CmdKeyRW            = 1 << 1
	CmdKeyOW            = 1 << 2
	CmdKeyRM            = 1 << 3
	CmdKeyAccess        = 1 << 4
	CmdKeyUpdate        = 1 << 5
	CmdKeyInsert        = 1 << 6
	CmdKeyDelete        = 1 << 7
	CmdKeyNotKey        = 1 << 8
	CmdKeyIncomplete    = 1 << 9
	CmdKeyVariableFlags = 1 << 10
)

var keySpecFlagNames = []string{"RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"}

// Begin-search and find-keys kinds (REDISMODULE_KSPEC_BS_*, _FK_*).
const (
	KSpecBSInvalid = 0
	KSpecBSUnknown = 1
	KSpecBSIndex   = 2
	KSpecBSKeyword = 3

	KSpecFKOmitted = 0
	KSpecFKUnknown = 1
	KSpecFKRange   = 2
	KSpecFKKeynum  = 3
)

// Argument types and flags (REDISMODULE_ARG_TYPE_*, REDISMODULE_CMD_ARG_*).
const (
	ArgTypeString = iota
	ArgTypeInteger
	ArgTypeDouble
	ArgTypeKey
	ArgTypePattern
	ArgTypeUnixTime
	ArgTypePureToken
	ArgTypeOneof
	ArgTypeBlock

	CmdArgOptional      = 1 << 0
	CmdArgMultiple      = 1 << 1
	CmdArgMultipleToken = 1 << 2
)

var argTypeNames = []string{"string", "integer", "double", "key", "pattern", "unix-time", "pure-token", "oneof", "block"}

// CommandKeySpec is RedisModuleCommandKeySpec.
type CommandKeySpec struct {
	Notes           string
	Flags           uint64
	BeginSearchType int
	Pos             int    // index
	Keyword         string // keyword
	StartFrom       int    // keyword
	FindKeysType    int
	LastKey         int // range
	KeyStep         int // range, keynum
	Limit           int // range
	KeyNumIdx       int // keynum
	FirstKey        int // keynum
}

// CommandArg is RedisModuleCommandArg.
type CommandArg struct {
	Name            string
	Type            int
	KeySpecIndex    int // -1 when not a key
	Token           string
	Summary         string
	Since           string
	Flags           int
	DeprecatedSince string
	Subargs         []CommandArg
	DisplayText     string
}

// CommandInfo is RedisModuleCommandInfo. Arity 0 keeps the current arity.
type CommandInfo struct {
	Summary    string
	Complexity string
	Since      string
	History    [][2]string // since, changes
	Tips       string      // space-separated
	Arity      int
	KeySpecs   []CommandKeySpec
	Args       []CommandArg
}

// SetCommandInfo is RedisModule_SetCommandInfo. It returns ERR and EINVAL
// for invalid info, ERR and EEXIST (reported as EBUSY's neighbour EEXIST=17)
// when info was already set.
func (c *Command) SetCommandInfo(info *CommandInfo) (int, Errno) {
	if c == nil || info == nil {
		return ERR, EINVAL
	}
	if c.infoSet {
		return ERR, EEXIST
	}
	if !validCommandInfo(info) {
		return ERR, EINVAL
	}
	s := c.spec
	s.Summary, s.Complexity, s.Since = info.Summary, info.Complexity, info.Since
	s.History = info.History
	if info.Tips != "" {
		s.Tips = strings.Fields(strings.ToLower(info.Tips))
	}
	if info.Arity != 0 {
		s.Arity = info.Arity
	}
	if len(info.KeySpecs) > 0 {
		s.KeySpecs = s.KeySpecs[:0]
		for _, ks := range info.KeySpecs {
			s.KeySpecs = append(s.KeySpecs, convertKeySpec(ks))
		}
		s.FirstKey, s.LastKey, s.Step = legacyRange(info.KeySpecs)
	}
	s.Args = convertArgs(info.Args)
	c.infoSet = true
	return OK, 0
}

// EEXIST is the errno of a second SetCommandInfo.
const EEXIST Errno = 17

func validCommandInfo(info *CommandInfo) bool {
	for _, ks := range info.KeySpecs {
		switch ks.BeginSearchType {
		case KSpecBSUnknown, KSpecBSIndex:
		case KSpecBSKeyword:
			if ks.Keyword == "" {
				return false
			}
		default:
			return false
		}
		switch ks.FindKeysType {
		case KSpecFKOmitted, KSpecFKUnknown, KSpecFKRange, KSpecFKKeynum:
		default:
			return false
		}
		// Exactly one of RO, RW, OW, RM.
		n := 0
		for _, f := range []uint64{CmdKeyRO, CmdKeyRW, CmdKeyOW, CmdKeyRM} {
			if ks.Flags&f != 0 {
				n++
			}
		}
		if n != 1 || ks.Flags >= 1<<11 {
			return false
		}
	}
	return validArgs(info.Args, len(info.KeySpecs))
}

func validArgs(args []CommandArg, nspecs int) bool {
	for _, a := range args {
		if a.Name == "" || a.Type < 0 || a.Type > ArgTypeBlock {
			return false
		}
		if a.Type == ArgTypeKey {
			if a.KeySpecIndex < 0 || a.KeySpecIndex >= nspecs {
				return false
			}
		} else if a.KeySpecIndex > 0 {
			return false
		}
		if a.Type == ArgTypePureToken && a.Token == "" {
			return false
		}
		if a.Type == ArgTypeOneof || a.Type == ArgTypeBlock {
			if len(a.Subargs) == 0 || !validArgs(a.Subargs, nspecs) {
				return false
			}
		} else if len(a.Subargs) > 0 {
			return false
		}
		if a.Flags&CmdArgMultipleToken != 0 && a.Flags&CmdArgMultiple == 0 {
			return false
		}
	}
	return true
}

func convertKeySpec(ks CommandKeySpec) command.KeySpec {
	out := command.KeySpec{Notes: ks.Notes}
	for i, n := range keySpecFlagNames {
		if ks.Flags&(1<<i) != 0 {
			out.Flags = append(out.Flags, n)
		}
	}
	switch ks.BeginSearchType {
	case KSpecBSIndex:
		out.BeginSearch, out.Index = "index", ks.Pos
	case KSpecBSKeyword:
		out.BeginSearch, out.Keyword, out.StartFrom = "keyword", ks.Keyword, ks.StartFrom
	default:
		out.BeginSearch = "unknown"
	}
	switch ks.FindKeysType {
	case KSpecFKRange, KSpecFKOmitted:
		// Omitted means a single key: range 0/1/0.
		out.FindKeys = "range"
		if ks.FindKeysType == KSpecFKOmitted {
			out.LastKey, out.KeyStep, out.Limit = 0, 1, 0
		} else {
			out.LastKey, out.KeyStep, out.Limit = ks.LastKey, ks.KeyStep, ks.Limit
		}
	case KSpecFKKeynum:
		out.FindKeys, out.KeyNumIdx, out.FirstKey, out.KeyStep = "keynum", ks.KeyNumIdx, ks.FirstKey, ks.KeyStep
	default:
		out.FindKeys = "unknown"
	}
	return out
}

// legacyRange derives first/last/step from key specs the way Redis's
// populateCommandLegacyRangeSpec does for the common case: contiguous
// index+range specs merge; anything else gives up (0, 0, 0).
func legacyRange(specs []CommandKeySpec) (first, last, step int) {
	for _, ks := range specs {
		if ks.BeginSearchType != KSpecBSIndex {
			continue
		}
		kl, kstep := 0, 1
		switch ks.FindKeysType {
		case KSpecFKRange:
			kl, kstep = ks.LastKey, ks.KeyStep
		case KSpecFKOmitted:
		default:
			continue
		}
		l := ks.Pos + kl
		if kl < 0 {
			l = kl
		}
		if first == 0 {
			first, last, step = ks.Pos, l, kstep
			continue
		}
		if step != kstep || last < 0 || ks.Pos != last+step {
			return 0, 0, 0
		}
		last = l
	}
	return first, last, step
}

func convertArgs(args []CommandArg) []command.Arg {
	if len(args) == 0 {
		return nil
	}
	out := make([]command.Arg, 0, len(args))
	for _, a := range args {
		ca := command.Arg{
			Name: a.Name, Type: argTypeNames[a.Type], DisplayText: a.DisplayText,
			KeySpecIndex: -1, Token: a.Token, Summary: a.Summary, Since: a.Since,
			DeprecatedSince: a.DeprecatedSince, Args: convertArgs(a.Subargs),
		}
		if a.Type == ArgTypeKey {
			ca.KeySpecIndex = a.KeySpecIndex
		}
		if a.Flags&CmdArgOptional != 0 {
			ca.Flags = append(ca.Flags, "optional")
		}
		if a.Flags&CmdArgMultiple != 0 {
			ca.Flags = append(ca.Flags, "multiple")
		}
		if a.Flags&CmdArgMultipleToken != 0 {
			ca.Flags = append(ca.Flags, "multiple_token")
		}
		out = append(out, ca)
	}
	return out
}

// SetCommandInfo on a context is the Ctx-method spelling of
// RedisModule_SetCommandInfo, for the registry.
func (ctx *Ctx) SetCommandInfo(c *Command, info *CommandInfo) (int, Errno) {
	return c.SetCommandInfo(info)
}

// IsKeysPositionRequest is RedisModule_IsKeysPositionRequest: true when
// the handler is called only to report key positions (COMMAND GETKEYS on
// a getkeys-api command).
func (ctx *Ctx) IsKeysPositionRequest() bool { return ctx.flags&ctxKeysPosRequest != 0 }

// KeyAtPos is RedisModule_KeyAtPos.
func (ctx *Ctx) KeyAtPos(pos int) { ctx.KeyAtPosWithFlags(pos, 0) }

// KeyAtPosWithFlags is RedisModule_KeyAtPosWithFlags.
func (ctx *Ctx) KeyAtPosWithFlags(pos int, flags int) {
	if ctx.flags&ctxKeysPosRequest == 0 || pos <= 0 {
		return
	}
	ctx.keysPos = append(ctx.keysPos, keyPos{pos: pos, flags: flags})
}

// GetKeys runs a getkeys-api module command in key-position mode and
// returns the argv positions it reported (COMMAND GETKEYS). ok is false
// when spec is not such a module command.
func (e *Engine) GetKeys(spec *command.Spec, c Client, argv [][]byte) (pos []int, ok bool) {
	cmd := e.commandBySpec(spec)
	if cmd == nil || !cmd.hasHandler() || spec.Flags&command.FlagMovableKeys == 0 {
		return nil, false
	}
	ctx := e.newCtx(cmd.module, c, ctxKeysPosRequest)
	ctx.cmd = cmd
	if cmd.raw != nil {
		ctx.rawArgv = argv
		cmd.raw(ctx, argv)
	} else {
		ctx.argv = make([]*String, len(argv))
		for i, a := range argv {
			ctx.argv[i] = NewString(a)
		}
		cmd.handler(ctx, ctx.argv)
	}
	ctx.out = nil // replies in key-position mode are discarded
	ctx.postponed = nil
	for _, k := range ctx.keysPos {
		pos = append(pos, k.pos)
	}
	ctx.free()
	return pos, true
}

func (e *Engine) commandBySpec(spec *command.Spec) *Command {
	for _, m := range e.modules {
		for _, c := range m.commands {
			if c.spec == spec {
				return c
			}
			for _, s := range c.subs {
				if s.spec == spec {
					return s
				}
			}
		}
	}
	return nil
}
