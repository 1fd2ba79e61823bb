package module

// CmdFilterNoSelf is REDISMODULE_CMDFILTER_NOSELF: the filter skips the
// commands its own module runs through Call.
const CmdFilterNoSelf = 1 << 0

// CommandFilterFunc is a command filter callback
// (RedisModuleCommandFilterFunc).
type CommandFilterFunc func(fctx *CommandFilterCtx)

// CommandFilter is RedisModuleCommandFilter.
type CommandFilter struct {
	module *Module
	cb     CommandFilterFunc
	flags  int
}

// CommandFilterCtx is RedisModuleCommandFilterCtx: the arguments of the
// command being filtered, editable.
type CommandFilterCtx struct {
	argv [][]byte
}

// RegisterCommandFilter is RedisModule_RegisterCommandFilter: cb sees every
// command before it is looked up (from clients, and from Call).
func (ctx *Ctx) RegisterCommandFilter(cb CommandFilterFunc, flags int) *CommandFilter {
	if ctx.module == nil || cb == nil {
		return nil
	}
	f := &CommandFilter{module: ctx.module, cb: cb, flags: flags}
	ctx.eng.filters = append(ctx.eng.filters, f)
	return f
}

// UnregisterCommandFilter is RedisModule_UnregisterCommandFilter: ERR for
// a filter of another module or one already removed.
func (ctx *Ctx) UnregisterCommandFilter(f *CommandFilter) int {
	if f == nil || f.module != ctx.module {
		return ERR
	}
	for i, g := range ctx.eng.filters {
		if g == f {
			ctx.eng.filters = append(ctx.eng.filters[:i:i], ctx.eng.filters[i+1:]...)
			return OK
		}
	}
	return ERR
}

// HasFilters reports whether any command filter is registered (the
// server's fast path).
func (e *Engine) HasFilters() bool { return len(e.filters) > 0 }

// ApplyFilters runs the command filters over argv and returns the result.
// caller is the module whose Call issued the command, nil for clients.
func (e *Engine) ApplyFilters(argv [][]byte, caller *Module) [][]byte {
	if len(e.filters) == 0 {
		return argv
	}
	fctx := &CommandFilterCtx{argv: argv}
	for _, f := range e.filters {
		if f.flags&CmdFilterNoSelf != 0 && caller != nil && caller == f.module {
			continue
		}
		f.cb(fctx)
	}
	return fctx.argv
}

// CommandFilterArgsCount is RedisModule_CommandFilterArgsCount.
func (fctx *CommandFilterCtx) CommandFilterArgsCount() int { return len(fctx.argv) }

// CommandFilterArgGet is RedisModule_CommandFilterArgGet (nil out of
// range).
func (fctx *CommandFilterCtx) CommandFilterArgGet(pos int) *String {
	if pos < 0 || pos >= len(fctx.argv) {
		return nil
	}
	return NewString(fctx.argv[pos])
}

// CommandFilterArgInsert is RedisModule_CommandFilterArgInsert: insert
// before pos (pos == count appends).
func (fctx *CommandFilterCtx) CommandFilterArgInsert(pos int, arg *String) int {
	if pos < 0 || pos > len(fctx.argv) {
		return ERR
	}
	argv := make([][]byte, 0, len(fctx.argv)+1)
	argv = append(argv, fctx.argv[:pos]...)
	argv = append(argv, append([]byte(nil), arg.Bytes()...))
	fctx.argv = append(argv, fctx.argv[pos:]...)
	return OK
}

// CommandFilterArgReplace is RedisModule_CommandFilterArgReplace.
func (fctx *CommandFilterCtx) CommandFilterArgReplace(pos int, arg *String) int {
	if pos < 0 || pos >= len(fctx.argv) {
		return ERR
	}
	// Copy the slice header array first: it may be the client's argv.
	argv := append([][]byte(nil), fctx.argv...)
	argv[pos] = append([]byte(nil), arg.Bytes()...)
	fctx.argv = argv
	return OK
}

// CommandFilterArgDelete is RedisModule_CommandFilterArgDelete.
func (fctx *CommandFilterCtx) CommandFilterArgDelete(pos int) int {
	if pos < 0 || pos >= len(fctx.argv) {
		return ERR
	}
	argv := append([][]byte(nil), fctx.argv[:pos]...)
	fctx.argv = append(argv, fctx.argv[pos+1:]...)
	return OK
}

// FilterCount is the number of command filters m registered (INFO
// modules).
func (e *Engine) FilterCount(m *Module) int {
	n := 0
	for _, f := range e.filters {
		if f.module == m {
			n++
		}
	}
	return n
}
