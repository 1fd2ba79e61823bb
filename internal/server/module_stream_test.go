package server

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// gostream is a Go port of the C test module internal/module/cabi/testdata/
// bridgestream.c (same command names and replies), so the Go stream API
// can be compared with the C module running in redis-server.
type goStream struct{}

func init() {
	module.Register(module.Info{Name: "gostream", New: func() module.Module { return goStream{} }})
}

func (goStream) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("gostream", 1); err != nil {
		return err
	}
	for _, c := range []struct {
		name, flags string
		fn          module.CommandFunc
		first       int
	}{
		{"st.add", "write", gsAdd, 1}, {"st.del", "write", gsDel, 1}, {"st.range", "readonly", gsRange, 1},
		{"st.delevery", "write", gsDelEvery, 1}, {"st.trimlen", "write", gsTrim(false), 1},
		{"st.trimid", "write", gsTrim(true), 1}, {"st.conv", "readonly", gsConv, 0}, {"st.len", "readonly", gsLen, 1},
	} {
		if err := ctx.CreateCommand(c.name, c.fn, c.flags, c.first, c.first, 1); err != nil {
			return err
		}
	}
	return nil
}

func gsErr(ctx *module.Ctx, err error) error {
	var ce *module.CallError
	if errors.As(err, &ce) {
		return ctx.ReplyWithError(fmt.Sprintf("ERR errno %d", int(ce.Errno)))
	}
	return ctx.ReplyWithError("ERR errno 0")
}

func gsAdd(ctx *module.Ctx, args [][]byte) error {
	if len(args) < 3 || len(args)%2 == 0 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Write)
	defer k.Close()
	flags := 0
	var id module.StreamID
	if string(args[2]) == "*" {
		flags = module.StreamAddAutoID
	} else {
		var err error
		if id, err = module.StringToStreamID(args[2]); err != nil {
			return ctx.ReplyWithError("ERR bad id")
		}
	}
	added, err := k.StreamAdd(flags, id, args[3:]...)
	if err != nil {
		return gsErr(ctx, err)
	}
	if flags != 0 {
		return ctx.ReplyWithSimpleString("auto")
	}
	return ctx.ReplyWithStringBuffer(module.StreamIDString(added))
}

func gsDel(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Write)
	defer k.Close()
	id, err := module.StringToStreamID(args[2])
	if err != nil {
		return ctx.ReplyWithError("ERR bad id")
	}
	if err := k.StreamDelete(id); err != nil {
		return gsErr(ctx, err)
	}
	return ctx.ReplyWithSimpleString("OK")
}

func gsRange(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 5 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Read)
	defer k.Close()
	var bounds [2]*module.StreamID
	for i, a := range args[2:4] {
		if string(a) == "null" {
			continue
		}
		id, err := module.StringToStreamID(a)
		if err != nil {
			return ctx.ReplyWithError("ERR bad id")
		}
		bounds[i] = &id
	}
	flags, err := module.StringToLongLong(args[4])
	if err != nil {
		return ctx.ReplyWithError("ERR flags")
	}
	if err := k.StreamIteratorStart(int(flags), bounds[0], bounds[1]); err != nil {
		return gsErr(ctx, err)
	}
	ctx.ReplyWithArray(module.PostponedLen)
	var n int64
	var endErr int64
	for {
		id, nf, err := k.StreamIteratorNextID()
		if err != nil {
			var ce *module.CallError
			if errors.As(err, &ce) {
				endErr = int64(ce.Errno)
			}
			break
		}
		ctx.ReplyWithArray(2)
		ctx.ReplyWithStringBuffer(module.StreamIDString(id))
		ctx.ReplyWithArray(nf * 2)
		for {
			f, v, err := k.StreamIteratorNextField()
			if err != nil {
				break
			}
			ctx.ReplyWithStringBuffer(f)
			ctx.ReplyWithStringBuffer(v)
		}
		n++
	}
	k.StreamIteratorStop()
	ctx.ReplyWithLongLong(endErr)
	ctx.ReplySetArrayLength(n + 1)
	return nil
}

func gsDelEvery(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	every, err := module.StringToLongLong(args[2])
	if err != nil || every < 1 {
		return ctx.ReplyWithError("ERR every")
	}
	k := ctx.OpenKey(args[1], module.Write)
	defer k.Close()
	if err := k.StreamIteratorStart(0, nil, nil); err != nil {
		return gsErr(ctx, err)
	}
	var i, deleted int64
	for {
		if _, _, err := k.StreamIteratorNextID(); err != nil {
			break
		}
		if i%every == 0 && k.StreamIteratorDelete() == nil {
			deleted++
		}
		i++
	}
	k.StreamIteratorStop()
	return ctx.ReplyWithLongLong(deleted)
}

func gsTrim(byID bool) module.CommandFunc {
	return func(ctx *module.Ctx, args [][]byte) error {
		if len(args) != 4 {
			return ctx.WrongArity()
		}
		k := ctx.OpenKey(args[1], module.Write)
		defer k.Close()
		flags, err1 := module.StringToLongLong(args[3])
		var n int64
		var err error
		if byID {
			id, err2 := module.StringToStreamID(args[2])
			if err1 != nil || err2 != nil {
				return ctx.ReplyWithError("ERR args")
			}
			n, err = k.StreamTrimByID(int(flags), id)
		} else {
			length, err2 := module.StringToLongLong(args[2])
			if err1 != nil || err2 != nil {
				return ctx.ReplyWithError("ERR args")
			}
			n, err = k.StreamTrimByLength(int(flags), length)
		}
		if err != nil {
			return gsErr(ctx, err)
		}
		return ctx.ReplyWithLongLong(n)
	}
}

func gsConv(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	id, err := module.StringToStreamID(args[1])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid")
	}
	return ctx.ReplyWithStringBuffer(module.StreamIDString(id))
}

func gsLen(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Read)
	if k == nil {
		return ctx.ReplyWithLongLong(-1)
	}
	defer k.Close()
	return ctx.ReplyWithLongLong(k.ValueLength())
}

// TestGoStreamModuleDiff runs the Go stream module in Modis and the C
// bridgestream module in redis-server and compares the replies.
func TestGoStreamModuleDiff(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	so := filepath.Join(t.TempDir(), "bridgestream.so")
	src := filepath.Join("..", "module", "cabi", "testdata", "bridgestream.c")
	if out, err := exec.Command(cc, "-Wall", "-pthread", "-fPIC", "-shared", "-O1", "-I../../include", "-o", so, src).CombinedOutput(); err != nil {
		t.Fatalf("compile: %v\n%s", err, out)
	}
	if _, err := os.Stat(so); err != nil {
		t.Fatal(err)
	}
	r := difftest.StartRedis(t, "--loadmodule", so, "--stream-node-max-entries", "3")
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes"; c.StreamNodeMaxEntries = 3 })
	mc := dial(t, s.Addr().String())
	mustDo(t, mc, "MODULE", "LOAD", "gostream")
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	for _, cmd := range [][]string{
		{"st.add", "s", "1-1", "a", "1"}, {"st.add", "s", "1-1", "a", "1"}, {"st.add", "s", "1-2", "a", "2", "b", "3"},
		{"st.add", "s", "2", "c", "4"}, {"st.add", "s", "0-0", "c", "4"}, {"st.add", "s", "3-0"},
		{"st.add", "s", "5-5", "x", "", "y", "12"}, {"st.add", "s", "bad", "x", "y"}, {"st.add", "auto", "*", "f", "v"}, {"XLEN", "auto"},
		{"XLEN", "s"}, {"st.len", "s"}, {"st.len", "nokey"}, {"XRANGE", "s", "-", "5-5"},
		{"st.range", "s", "null", "null", "0"}, {"st.range", "s", "null", "5-5", "0"}, {"st.range", "s", "1-2", "5-5", "2"},
		{"st.range", "s", "1-1", "3-0", "1"}, {"st.range", "s", "1-1", "3-0", "3"}, {"st.range", "s", "-", "+", "1"},
		{"st.range", "s", "null", "null", "8"}, {"st.range", "nokey", "null", "null", "0"},
		{"st.add", "a", "1-0", "f", "v"}, {"st.add", "a", "2-0", "f", "v"}, {"st.add", "a", "3-0", "f", "v"},
		{"st.add", "a", "4-0", "f", "v"}, {"st.del", "a", "2-0"}, {"st.del", "a", "2-0"}, {"st.del", "nokey", "2-0"},
		{"st.delevery", "a", "1"}, {"XINFO", "STREAM", "a"}, {"st.delevery", "nokey", "1"},
		{"st.add", "t", "1-0", "f", "v"}, {"st.add", "t", "2-0", "f", "v"}, {"st.add", "t", "3-0", "f", "v"},
		{"st.add", "t", "4-0", "f", "v"}, {"st.add", "t", "5-0", "f", "v"}, {"st.add", "t", "6-0", "f", "v"},
		{"st.add", "t", "7-0", "f", "v"}, {"st.add", "t", "8-0", "f", "v"},
		{"st.trimlen", "t", "6", "1"}, {"st.trimlen", "t", "6", "0"}, {"st.trimid", "t", "5-0", "1"},
		{"st.trimid", "t", "5-0", "0"}, {"XINFO", "STREAM", "t"}, {"st.trimlen", "t", "-1", "0"},
		{"st.trimlen", "t", "1", "2"}, {"st.trimlen", "nokey", "1", "0"},
		{"st.conv", "1-2"}, {"st.conv", "5"}, {"st.conv", "-"}, {"st.conv", "+"}, {"st.conv", "x"},
		{"SET", "str", "x"}, {"st.add", "str", "1-0", "f", "v"}, {"st.range", "str", "null", "null", "0"},
		{"st.add", "full", "18446744073709551615-18446744073709551615", "f", "v"}, {"st.add", "full", "*", "f", "v"},
		{"HELLO", "3"}, {"st.range", "s", "null", "null", "0"},
	} {
		mode := difftest.Exact
		if cmd[0] == "HELLO" {
			mode = difftest.Ignore
		}
		if err := p.Compare(mode, cmd...); err != nil {
			t.Errorf("%q: %v", cmd, err)
		}
	}
}
