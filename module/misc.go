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
