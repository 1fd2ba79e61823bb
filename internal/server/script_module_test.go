package server

import (
	"strconv"
	"testing"

	"github.com/modis/modis/module"
)

// scriptFlagsMod reports the LUA and DENY_BLOCKING context flags.
type scriptFlagsMod struct{}

func init() {
	module.Register(module.Info{Name: "scriptflags", New: func() module.Module { return scriptFlagsMod{} }})
}

func (scriptFlagsMod) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("scriptflags", 1); err != nil {
		return err
	}
	return ctx.CreateCommand("sf.flags", func(ctx *module.Ctx, args [][]byte) error {
		ctx.ReplyWithLongLong(int64(ctx.GetContextFlags() & (module.CtxFlagsLua | module.CtxFlagsDenyBlocking)))
		return nil
	}, "readonly", 0, 0, 0)
}

// TestScriptModuleContextFlags: a module command called from a script
// sees REDISMODULE_CTX_FLAGS_LUA and DENY_BLOCKING.
func TestScriptModuleContextFlags(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "scriptflags")
	modExpect(t, c, ":0\r\n", "sf.flags")
	want := module.CtxFlagsLua | module.CtxFlagsDenyBlocking
	modExpect(t, c, ":"+strconv.Itoa(want)+"\r\n", "EVAL", "return redis.call('sf.flags')", "0")
}
