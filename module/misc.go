package module

import engine "github.com/modis/modis/internal/module"

// GetServerVersion is RedisModule_GetServerVersion (0x00MMmmpp).
func GetServerVersion() int { return engine.GetServerVersion() }

// PublishMessage is RedisModule_PublishMessage.
func (ctx *Ctx) PublishMessage(channel, message []byte) int {
	return ctx.c.PublishMessage(engine.NewString(channel), engine.NewString(message))
}

// GetClientNameById is RedisModule_GetClientNameById (nil: no client or
// no name).
func (ctx *Ctx) GetClientNameById(id uint64) []byte {
	if s := ctx.c.GetClientNameById(id); s != nil {
		return s.Bytes()
	}
	return nil
}

// SetClientNameById is RedisModule_SetClientNameById.
func (ctx *Ctx) SetClientNameById(id uint64, name []byte) error {
	if ret, errno := ctx.c.SetClientNameById(id, engine.NewString(name)); ret != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// GetCommandKeys is RedisModule_GetCommandKeys: the positions of the keys
// in a full command line.
func (ctx *Ctx) GetCommandKeys(args [][]byte) ([]int, error) {
	p, errno := ctx.c.GetCommandKeys(args)
	if errno != 0 {
		return nil, &CallError{Errno: errno}
	}
	return p, nil
}

// ScanCursor is RedisModuleScanCursor.
type ScanCursor struct{ c *engine.ScanCursor }

// NewScanCursor is RedisModule_ScanCursorCreate.
func NewScanCursor() *ScanCursor { return &ScanCursor{c: engine.ScanCursorCreate()} }

// Restart is RedisModule_ScanCursorRestart.
func (c *ScanCursor) Restart() { c.c.ScanCursorRestart() }

// Scan is RedisModule_Scan: fn runs for one batch of keys of the selected
// database (key is open for reading during the call); it reports whether
// more remain.
func (ctx *Ctx) Scan(cursor *ScanCursor, fn func(ctx *Ctx, name []byte, key *Key)) bool {
	return ctx.c.Scan(cursor.c, func(ec *engine.Ctx, name *engine.String, k *engine.Key) {
		c := &Ctx{c: ec}
		fn(c, name.Bytes(), &Key{ctx: c, k: k})
	})
}

// ServerInfo is RedisModuleServerInfoData.
type ServerInfo struct {
	ctx *Ctx
	si  *engine.ServerInfo
}

// GetServerInfo is RedisModule_GetServerInfo ("" for the default
// sections).
func (ctx *Ctx) GetServerInfo(section string) *ServerInfo {
	return &ServerInfo{ctx: ctx, si: ctx.c.GetServerInfo(section)}
}

// Field is RedisModule_ServerInfoGetFieldC; ok is false when absent.
func (si *ServerInfo) Field(name string) (string, bool) { return si.si.ServerInfoGetFieldC(name) }

// Signed is RedisModule_ServerInfoGetFieldSigned.
func (si *ServerInfo) Signed(name string) (int64, error) {
	v, ret := si.si.ServerInfoGetFieldSigned(name)
	return v, status(ret)
}

// Unsigned is RedisModule_ServerInfoGetFieldUnsigned.
func (si *ServerInfo) Unsigned(name string) (uint64, error) {
	v, ret := si.si.ServerInfoGetFieldUnsigned(name)
	return v, status(ret)
}

// Double is RedisModule_ServerInfoGetFieldDouble.
func (si *ServerInfo) Double(name string) (float64, error) {
	v, ret := si.si.ServerInfoGetFieldDouble(name)
	return v, status(ret)
}

// CmdFilterNoSelf is REDISMODULE_CMDFILTER_NOSELF.
const CmdFilterNoSelf = engine.CmdFilterNoSelf

// CommandFilter is RedisModuleCommandFilter.
type CommandFilter struct{ f *engine.CommandFilter }

// CommandFilterCtx is RedisModuleCommandFilterCtx.
type CommandFilterCtx struct{ f *engine.CommandFilterCtx }

// RegisterCommandFilter is RedisModule_RegisterCommandFilter: fn sees (and
// may rewrite) every command before it runs.
func (ctx *Ctx) RegisterCommandFilter(fn func(f *CommandFilterCtx), flags int) *CommandFilter {
	f := ctx.c.RegisterCommandFilter(func(ef *engine.CommandFilterCtx) { fn(&CommandFilterCtx{f: ef}) }, flags)
	if f == nil {
		return nil
	}
	return &CommandFilter{f: f}
}

// UnregisterCommandFilter is RedisModule_UnregisterCommandFilter.
func (ctx *Ctx) UnregisterCommandFilter(f *CommandFilter) error {
	return status(ctx.c.UnregisterCommandFilter(f.f))
}

// Len is RedisModule_CommandFilterArgsCount.
func (f *CommandFilterCtx) Len() int { return f.f.CommandFilterArgsCount() }

// Arg is RedisModule_CommandFilterArgGet (nil out of range).
func (f *CommandFilterCtx) Arg(pos int) []byte {
	if s := f.f.CommandFilterArgGet(pos); s != nil {
		return s.Bytes()
	}
	return nil
}

// Insert is RedisModule_CommandFilterArgInsert.
func (f *CommandFilterCtx) Insert(pos int, arg []byte) error {
	return status(f.f.CommandFilterArgInsert(pos, engine.NewString(arg)))
}

// Replace is RedisModule_CommandFilterArgReplace.
func (f *CommandFilterCtx) Replace(pos int, arg []byte) error {
	return status(f.f.CommandFilterArgReplace(pos, engine.NewString(arg)))
}

// Delete is RedisModule_CommandFilterArgDelete.
func (f *CommandFilterCtx) Delete(pos int) error { return status(f.f.CommandFilterArgDelete(pos)) }

// ExportSharedAPI is RedisModule_ExportSharedAPI: publish fn under name
// for other modules (which then keep this module loaded).
func (ctx *Ctx) ExportSharedAPI(name string, fn any) error {
	return status(ctx.c.ExportSharedAPI(name, fn))
}

// GetSharedAPI is RedisModule_GetSharedAPI (nil if nobody exports name).
func (ctx *Ctx) GetSharedAPI(name string) any { return ctx.c.GetSharedAPI(name) }
