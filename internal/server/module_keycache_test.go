package server

import (
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/module"
)

// keycache exercises the value a key handle keeps from OpenKey (engine
// Key.obj): it must be dropped after a write through the handle or a
// Call, and after the command that opened the key.
func init() {
	module.Register(module.Info{Name: "keycache", New: func() module.Module { return keyCache{} }})
}

type keyCache struct{}

var keptKey *module.Key

func (keyCache) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("keycache", 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("kc.writes", kcWrites, "write", 1, 1, 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("kc.keep", kcKeep, "readonly", 1, 1, 1); err != nil {
		return err
	}
	return ctx.CreateCommand("kc.kepttype", kcKeptType, "readonly", 0, 0, 0)
}

// kcWrites replies with the key's type before and after StringSet and
// after a Call deleting it, all through one handle.
func kcWrites(ctx *module.Ctx, args [][]byte) error {
	k := ctx.OpenKey(args[1], module.Read|module.Write)
	t1 := k.Type()
	if err := k.StringSet([]byte("v")); err != nil {
		return err
	}
	t2 := k.Type()
	v := string(k.StringDMA(module.Read))
	if _, err := ctx.Call("DEL", "b", args[1]); err != nil {
		return err
	}
	t3 := k.Type()
	k.Close()
	ctx.ReplyWithArray(4)
	ctx.ReplyWithLongLong(int64(t1))
	ctx.ReplyWithLongLong(int64(t2))
	ctx.ReplyWithStringBuffer([]byte(v))
	return ctx.ReplyWithLongLong(int64(t3))
}

// kcKeep keeps a handle past its command (which Redis forbids).
func kcKeep(ctx *module.Ctx, args [][]byte) error {
	keptKey = ctx.OpenKey(args[1], module.Read)
	return ctx.ReplyWithLongLong(int64(keptKey.Type()))
}

func kcKeptType(ctx *module.Ctx, args [][]byte) error {
	t := keptKey.Type()
	keptKey = nil
	return ctx.ReplyWithLongLong(int64(t))
}

func TestModuleKeyValueCache(t *testing.T) {
	cfg := config.Default()
	cfg.LogLevel = "warning"
	s := New(cfg)
	c := memClient(s)
	c.conn = fakeConn{}
	s.mu.Lock()
	err := s.modules.Load("keycache", nil, nil)
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	do := func(want string, args ...string) {
		t.Helper()
		dispatch(c, args...)()
		if got := string(c.out); got != want {
			t.Errorf("%q = %q, want %q", args, got, want)
		}
	}
	do("*4\r\n:0\r\n:1\r\n$1\r\nv\r\n:0\r\n", "kc.writes", "k")
	do("+OK\r\n", "SET", "k", "x")
	do(":1\r\n", "kc.keep", "k")
	do(":1\r\n", "DEL", "k") // another command, not through the module
	do(":0\r\n", "kc.kepttype")
}
