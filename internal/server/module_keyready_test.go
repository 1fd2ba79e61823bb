package server

import (
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// keyWaiter blocks on a key with a reply callback that opens the key for
// writing and declines to serve. Closing a write handle must not signal the
// key ready again (Redis's RM_CloseKey only signals modification), or the
// server would re-run the callback forever.
type keyWaiter struct{}

func init() {
	module.Register(module.Info{Name: "keywaiter", New: func() module.Module { return keyWaiter{} }})
}

func (keyWaiter) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("keywaiter", 1)
	if err := ctx.CreateCommand("kw.wait", func(ctx *module.Ctx, args [][]byte) error {
		ctx.BlockClientOnKeys(func(ctx *module.Ctx, args [][]byte) error {
			k := ctx.OpenKey(ctx.GetBlockedClientReadyKey(), module.Read|module.Write)
			k.Close()
			return module.ErrKeepBlocked
		}, func(ctx *module.Ctx, args [][]byte) error {
			return ctx.ReplyWithNull()
		}, nil, 300, [][]byte{args[1]}, nil)
		return nil
	}, "", 1, 1, 1); err != nil {
		return err
	}
	return ctx.CreateCommand("kw.signal", func(ctx *module.Ctx, args [][]byte) error {
		ctx.SignalKeyAsReady(args[1])
		return ctx.ReplyWithSimpleString("OK")
	}, "", 1, 1, 1)
}

func TestModuleKeyReadyNoSelfRetrigger(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "keywaiter")
	w, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Send("kw.wait", "k"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	modExpect(t, c, "+OK\r\n", "kw.signal", "k")
	// The server keeps serving while the waiter stays blocked...
	modExpect(t, c, "+PONG\r\n", "PING")
	// ...and the waiter times out normally.
	raw, _, err := w.Read()
	if err != nil || string(raw) != "$-1\r\n" {
		t.Fatalf("kw.wait: %q %v", raw, err)
	}
}
