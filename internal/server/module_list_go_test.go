package server

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// golist is a Go port, on the public module package, of the bl.* commands
// of internal/module/cabi/testdata/bridgelist.c. TestModuleListGoDiff runs
// it in Modis and the C module in redis-server and compares the replies.
type golist struct{}

func init() {
	module.Register(module.Info{Name: "golist", New: func() module.Module { return golist{} }})
}

func (golist) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("golist", 1); err != nil {
		return err
	}
	for name, fn := range map[string]module.CommandFunc{
		"bl.push": golistPush, "bl.pop": golistPop, "bl.get": golistGet,
		"bl.set": golistSet, "bl.insert": golistInsert, "bl.delete": golistDelete,
		"bl.getall": golistGetAll, "bl.edit": golistEdit,
	} {
		if err := ctx.CreateCommand(name, fn, "write", 1, 1, 1); err != nil {
			return err
		}
	}
	return nil
}

func golistErrname(err error) string {
	var ke *module.KeyError
	if !errors.As(err, &ke) {
		return "other"
	}
	switch ke.Errno {
	case module.EINVAL:
		return "EINVAL"
	case module.ENOTSUP:
		return "ENOTSUP"
	case module.EBADF:
		return "EBADF"
	case module.EDOM:
		return "EDOM"
	}
	return "other"
}

func golistWhere(b []byte) int {
	if strings.EqualFold(string(b), "head") {
		return module.ListHead
	}
	return module.ListTail
}

func golistPush(ctx *module.Ctx, args [][]byte) error {
	if len(args) < 4 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Read|module.Write)
	defer k.Close()
	for _, v := range args[3:] {
		if err := k.ListPush(golistWhere(args[2]), v); err != nil {
			return ctx.ReplyWithError("ERR errno " + golistErrname(err))
		}
	}
	return ctx.ReplyWithLongLong(k.ValueLength())
}

func golistPop(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	count, err := module.StringToLongLong(args[3])
	if err != nil {
		return ctx.ReplyWithError("ERR count")
	}
	k := ctx.OpenKey(args[1], module.Read|module.Write)
	defer k.Close()
	ctx.ReplyWithArray(module.PostponedLen)
	n := int64(0)
	for ; count > 0; count-- {
		v, err := k.ListPop(golistWhere(args[2]))
		n++
		if err != nil {
			ctx.ReplyWithSimpleString(golistErrname(err))
			break
		}
		ctx.ReplyWithStringBuffer(v)
	}
	ctx.ReplyWithLongLong(int64(k.Type()))
	ctx.ReplySetArrayLength(n + 1)
	return nil
}

func golistGet(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	idx, err := module.StringToLongLong(args[2])
	if err != nil {
		return ctx.ReplyWithError("ERR index")
	}
	k := ctx.OpenKey(args[1], module.Read)
	v, err := k.ListGet(idx)
	k.Close()
	if err != nil {
		return ctx.ReplyWithError("ERR errno " + golistErrname(err))
	}
	return ctx.ReplyWithStringBuffer(v)
}

func golistEditOne(ctx *module.Ctx, args [][]byte, op int) error {
	want := 4
	if op == 2 {
		want = 3 // delete takes no value
	}
	if len(args) != want {
		return ctx.WrongArity()
	}
	idx, err := module.StringToLongLong(args[2])
	if err != nil {
		return ctx.ReplyWithError("ERR index")
	}
	k := ctx.OpenKey(args[1], module.Read|module.Write)
	switch op {
	case 0:
		err = k.ListSet(idx, args[3])
	case 1:
		err = k.ListInsert(idx, args[3])
	default:
		err = k.ListDelete(idx)
	}
	n, typ := k.ValueLength(), k.Type()
	k.Close()
	if err != nil {
		return ctx.ReplyWithError("ERR errno " + golistErrname(err))
	}
	ctx.ReplyWithArray(2)
	ctx.ReplyWithLongLong(n)
	return ctx.ReplyWithLongLong(int64(typ))
}

func golistSet(ctx *module.Ctx, args [][]byte) error    { return golistEditOne(ctx, args, 0) }
func golistInsert(ctx *module.Ctx, args [][]byte) error { return golistEditOne(ctx, args, 1) }
func golistDelete(ctx *module.Ctx, args [][]byte) error { return golistEditOne(ctx, args, 2) }

func golistGetAll(ctx *module.Ctx, args [][]byte) error {
	if len(args) < 2 || len(args) > 3 {
		return ctx.WrongArity()
	}
	reverse := len(args) == 3
	k := ctx.OpenKey(args[1], module.Read)
	defer k.Close()
	if k.Type() != module.KeyTypeList {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	n := k.ValueLength()
	ctx.ReplyWithArray(n + 1)
	for i := int64(0); i < n; i++ {
		idx := i
		if reverse {
			idx = -1 - i
		}
		v, _ := k.ListGet(idx)
		ctx.ReplyWithStringBuffer(v)
	}
	past := n
	if reverse {
		past = -n - 1
	}
	if _, err := k.ListGet(past); err != nil {
		return ctx.ReplyWithSimpleString(golistErrname(err))
	}
	return ctx.ReplyWithSimpleString("found")
}

func golistEdit(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Read|module.Write)
	defer k.Close()
	idx, done := int64(0), int64(0)
	for _, op := range args[2] {
		var err error
		switch op {
		case 'k':
			idx++
		case 'd':
			err = k.ListDelete(idx)
		case 'i':
			err = k.ListInsert(idx, []byte("new"))
			idx += 2
		case 'r':
			err = k.ListSet(idx, []byte("rep"))
			idx++
		}
		if err != nil {
			break
		}
		done++
	}
	ctx.ReplyWithArray(3)
	ctx.ReplyWithLongLong(done)
	ctx.ReplyWithLongLong(k.ValueLength())
	return ctx.ReplyWithLongLong(int64(k.Type()))
}

// TestModuleListGoDiff compares the Go port (public module API) with the
// C test module running in redis-server.
func TestModuleListGoDiff(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	so := filepath.Join(t.TempDir(), "bridgelist.so")
	if out, err := exec.Command(cc, "-Wall", "-fPIC", "-shared", "-O1", "-I../../include", "-o", so,
		"../module/cabi/testdata/bridgelist.c").CombinedOutput(); err != nil {
		t.Fatalf("compile: %v\n%s", err, out)
	}
	if _, err := os.Stat(so); err != nil {
		t.Fatal(err)
	}
	r := difftest.StartRedis(t, "--loadmodule", so)
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes" })
	mc := dial(t, s.Addr().String())
	mustDo(t, mc, "MODULE", "LOAD", "golist")
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	for _, cmd := range [][]string{
		{"bl.push", "l", "tail", "a", "b", "c"}, {"bl.push", "l", "head", "z", "12345", "-7"},
		{"bl.get", "l", "0"}, {"bl.get", "l", "-1"}, {"bl.get", "l", "6"}, {"bl.get", "l", "-7"}, {"bl.get", "nokey", "0"},
		{"bl.getall", "l"}, {"bl.getall", "l", "reverse"}, {"bl.getall", "nokey"},
		{"bl.set", "l", "1", "X"}, {"bl.set", "l", "6", "Q"}, {"bl.set", "nokey", "0", "Q"},
		{"bl.insert", "l", "0", "h"}, {"bl.insert", "l", "7", "t"}, {"bl.insert", "l", "-1", "t2"},
		{"bl.insert", "l", "2", "m"}, {"bl.insert", "l", "-2", "n"}, {"bl.insert", "l", "-11", "h2"},
		{"bl.insert", "l", "12", "x"}, {"bl.insert", "l", "-13", "x"}, {"bl.insert", "new3", "1", "a"},
		{"bl.insert", "new1", "-1", "a"}, {"LRANGE", "l", "0", "-1"},
		{"bl.delete", "l", "0"}, {"bl.delete", "l", "-1"}, {"bl.delete", "l", "20"},
		{"bl.delete", "new1", "0"}, {"EXISTS", "new1"},
		{"bl.pop", "l", "head", "2"}, {"bl.pop", "l", "tail", "20"}, {"EXISTS", "l"}, {"bl.pop", "l", "head", "1"},
		{"RPUSH", "e", "1", "2", "3", "4", "5", "6", "7", "8"},
		{"bl.edit", "e", "kdkirdkk"}, {"LRANGE", "e", "0", "-1"}, {"bl.edit", "e", "dddddddddddd"}, {"EXISTS", "e"},
		{"SET", "s", "str"}, {"bl.push", "s", "tail", "x"}, {"bl.pop", "s", "head", "1"}, {"bl.get", "s", "0"},
		{"bl.set", "s", "0", "x"}, {"bl.insert", "s", "0", "x"}, {"bl.delete", "s", "0"}, {"bl.getall", "s"},
	} {
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Errorf("%q: %v", cmd, err)
		}
	}
}
