package server

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"

	_ "github.com/modis/modis/examples/modules/helloblock"
	_ "github.com/modis/modis/examples/modules/hellodict"
	_ "github.com/modis/modis/examples/modules/hellotimer"
	_ "github.com/modis/modis/examples/modules/hellotype"
	_ "github.com/modis/modis/examples/modules/helloworld"
	engine "github.com/modis/modis/internal/module"
)

// replytest is a module exercising reply types, Call and command flags
// from a real client connection.
type replyTest struct{}

func init() {
	module.Register(module.Info{Name: "replytest", New: func() module.Module { return &replyTest{} }})
	module.Register(module.Info{Name: "failtest", New: func() module.Module { return &failTest{} }})
	module.Register(module.Info{Name: "asynctest", New: func() module.Module { return &asyncTest{} }})
	module.Register(module.Info{Name: "infotest", New: func() module.Module { return &infoTest{} }})
	module.Register(module.Info{Name: "cfgtest", New: func() module.Module { return &cfgTest{} }})
	module.Register(module.Info{Name: "filtertest", New: func() module.Module { return &filterTest{} }})
	module.Register(module.Info{Name: "sharer", New: func() module.Module { return sharer{} }})
	module.Register(module.Info{Name: "sharee", New: func() module.Module { return sharee{} }})
}

func (replyTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("replytest", 3); err != nil {
		return err
	}
	cmds := map[string]module.CommandFunc{
		"rt.types": func(ctx *module.Ctx, args [][]byte) error {
			ctx.ReplyWithArray(module.PostponedLen)
			ctx.ReplyWithMap(1)
			ctx.ReplyWithCString("k")
			ctx.ReplyWithDouble(1.5)
			ctx.ReplyWithSet(module.PostponedLen)
			ctx.ReplyWithBool(true)
			ctx.ReplyWithNull()
			ctx.ReplySetSetLength(2)
			ctx.ReplyWithBigNumber("123456789012345678901234567890")
			ctx.ReplyWithVerbatimStringType([]byte("hi"), "txt")
			ctx.ReplyWithLongDouble(module.LongDoubleFromFloat64(3.25))
			ctx.ReplyWithNullArray()
			ctx.ReplyWithEmptyArray()
			ctx.ReplyWithEmptyString()
			ctx.ReplyWithMap(module.PostponedLen)
			ctx.ReplyWithCString("a")
			ctx.ReplyWithLongLong(1)
			ctx.ReplySetMapLength(1)
			ctx.ReplySetArrayLength(9)
			return nil
		},
		"rt.err": func(ctx *module.Ctx, args [][]byte) error {
			return ctx.ReplyWithError("MYERR custom\nline")
		},
		"rt.call": func(ctx *module.Ctx, args [][]byte) error {
			var argv [][]byte
			for _, a := range args[2:] {
				argv = append(argv, a)
			}
			r, err := ctx.Call(string(args[1]), "v0E", argv)
			if r == nil {
				return ctx.ReplyWithError("ERR call failed: " + err.Error())
			}
			return ctx.ReplyWithCallReply(r)
		},
		"rt.callinfo": func(ctx *module.Ctx, args [][]byte) error {
			r, err := ctx.Call(string(args[1]), "v", args[2:])
			if err != nil {
				return ctx.ReplyWithError("ERR " + err.Error())
			}
			ctx.ReplyWithArray(2)
			ctx.ReplyWithLongLong(int64(r.Type()))
			return ctx.ReplyWithLongLong(int64(r.Len()))
		},
		"rt.dma": func(ctx *module.Ctx, args [][]byte) error {
			k := ctx.OpenKey(args[1], module.Write)
			defer k.Close()
			if err := k.StringTruncate(5); err != nil {
				return ctx.ReplyWithError("ERR truncate")
			}
			b := k.StringDMA(module.Write)
			copy(b, "hello")
			return ctx.ReplyWithLongLong(k.ValueLength())
		},
		"rt.db": func(ctx *module.Ctx, args [][]byte) error {
			n, _ := module.StringToLongLong(args[1])
			if err := ctx.SelectDb(int(n)); err != nil {
				return ctx.ReplyWithError("ERR bad db")
			}
			return ctx.ReplyWithLongLong(ctx.DbSize())
		},
	}
	for name, fn := range cmds {
		if err := ctx.CreateCommand(name, fn, "", 0, 0, 0); err != nil {
			return err
		}
	}
	okFn := func(ctx *module.Ctx, args [][]byte) error { return ctx.ReplyWithSimpleString("OK") }
	ctx.CreateCommand("rt.callflags", func(ctx *module.Ctx, args [][]byte) error {
		r, err := ctx.Call(string(args[2]), string(args[1])+"v", args[3:])
		if r == nil {
			var ce *module.CallError
			errors.As(err, &ce)
			return ctx.ReplyWithLongLong(int64(ce.Errno))
		}
		return ctx.ReplyWithCallReply(r)
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.keymisc", func(ctx *module.Ctx, args [][]byte) error {
		b := func(v bool) int64 {
			if v {
				return 1
			}
			return 0
		}
		e := func(err error) int64 { return b(err != nil) }
		k := ctx.OpenKey(args[1], module.Read)
		ctx.ReplyWithArray(6)
		ctx.ReplyWithLongLong(b(k == nil))
		ctx.ReplyWithLongLong(int64(k.Type()))
		ctx.ReplyWithLongLong(e(k.Delete()))
		k.Close()
		k = ctx.OpenKey(args[1], module.Write)
		ctx.ReplyWithLongLong(k.AbsExpire())
		ctx.ReplyWithLongLong(e(k.Delete()))
		k.Close()
		return ctx.ReplyWithLongLong(b(ctx.KeyExists(args[1])))
	}, "write", 1, 1, 1)
	ctx.CreateCommand("rt.repl", func(ctx *module.Ctx, args [][]byte) error {
		e := func(err error) int64 {
			if err != nil {
				return 1
			}
			return 0
		}
		ctx.ReplyWithArray(2)
		ctx.ReplyWithLongLong(e(ctx.Replicate("NOSUCHCMD", "c", "x")))
		return ctx.ReplyWithLongLong(e(ctx.Replicate("SET", "cc", "x", "y")))
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.dbops", func(ctx *module.Ctx, args [][]byte) error {
		e := func(err error) int64 {
			if err != nil {
				return 1
			}
			return 0
		}
		ctx.ReplyWithArray(5)
		ctx.ReplyWithLongLong(e(ctx.SelectDb(99)))
		ctx.ReplyWithLongLong(e(ctx.SelectDb(5)))
		ctx.ReplyWithLongLong(int64(ctx.GetSelectedDb()))
		ctx.ReplyWithLongLong(ctx.DbSize())
		if k := ctx.RandomKey(); k != nil {
			ctx.ReplyWithStringBuffer(k)
		} else {
			ctx.ReplyWithNull()
		}
		return ctx.SelectDb(0)
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.attr", func(ctx *module.Ctx, args [][]byte) error {
		if ctx.ReplyWithAttribute(1) != nil {
			return ctx.ReplyWithError("ERR attribute refused")
		}
		ctx.ReplyWithCString("meta")
		ctx.ReplyWithLongLong(1)
		return ctx.ReplyWithCString("value")
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.call3", func(ctx *module.Ctx, args [][]byte) error {
		r, _ := ctx.Call(string(args[1]), "3v", args[2:])
		if r == nil {
			return ctx.ReplyWithError("ERR call failed")
		}
		if ctx.ReplyWithCallReply(r) != nil {
			ctx.ReplyWithError("ERR resp3 reply refused")
		}
		return nil
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.callinfo3", func(ctx *module.Ctx, args [][]byte) error {
		r, _ := ctx.Call(string(args[1]), "3v", args[2:])
		if r == nil {
			return ctx.ReplyWithError("ERR call failed")
		}
		ctx.ReplyWithArray(4)
		ctx.ReplyWithLongLong(int64(r.Type()))
		ctx.ReplyWithLongLong(int64(r.Len()))
		ctx.ReplyWithLongLong(r.Integer())
		if s := r.StringValue(); s != nil {
			return ctx.ReplyWithStringBuffer(s)
		}
		return ctx.ReplyWithNull()
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.strconv", func(ctx *module.Ctx, args [][]byte) error {
		ctx.ReplyWithArray(3)
		if v, err := module.StringToLongLong(args[1]); err == nil {
			ctx.ReplyWithLongLong(v)
		} else {
			ctx.ReplyWithNull()
		}
		if v, err := module.StringToULongLong(args[1]); err == nil {
			ctx.ReplyWithCString(strconv.FormatUint(v, 10))
		} else {
			ctx.ReplyWithNull()
		}
		if v, err := module.StringToDouble(args[1]); err == nil {
			return ctx.ReplyWithDouble(v)
		}
		return ctx.ReplyWithNull()
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.keyops", func(ctx *module.Ctx, args [][]byte) error {
		n, _ := module.StringToLongLong(args[2])
		k := ctx.OpenKey(args[1], module.Read|module.Write)
		defer k.Close()
		ok := func(err error) int64 {
			if err != nil {
				return 1
			}
			return 0
		}
		ctx.ReplyWithArray(5)
		ctx.ReplyWithLongLong(int64(k.Type()))
		ctx.ReplyWithLongLong(ok(k.StringTruncate(n)))
		ctx.ReplyWithLongLong(k.ValueLength())
		if p := k.StringDMA(module.Write); len(p) > 0 {
			p[0] = 'X'
		}
		ctx.ReplyWithLongLong(ok(k.SetExpire(100000)))
		if k.Expire() > 0 {
			return ctx.ReplyWithLongLong(1)
		}
		return ctx.ReplyWithLongLong(0)
	}, "write", 1, 1, 1)
	ctx.CreateCommand("rt.arity", func(ctx *module.Ctx, args [][]byte) error { return ctx.WrongArity() }, "", 0, 0, 0)
	ctx.CreateCommand("rt.dbl", func(ctx *module.Ctx, args [][]byte) error {
		d, _ := module.StringToDouble(args[1])
		ld, _ := module.StringToLongDouble(args[1])
		ctx.ReplyWithArray(4)
		ctx.ReplyWithDouble(d)
		ctx.ReplyWithLongDouble(ld)
		ctx.ReplyWithStringBuffer(module.FormatDouble(d))
		return ctx.ReplyWithStringBuffer(module.FormatLongDouble(ld))
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.plain", okFn, "", 0, 0, 0)
	ctx.CreateCommand("rt.ro", okFn, "readonly", 1, 1, 1)
	ctx.CreateCommand("rt.flags", okFn, "write readonly admin deny-oom deny-script allow-loading pubsub random blocking allow-stale no-monitor no-slowlog fast no-auth may-replicate getkeys-api no-cluster no-mandatory-keys allow-busy", 0, 0, 0)
	if err := ctx.CreateCommand("rt.keyed", func(ctx *module.Ctx, args [][]byte) error {
		return ctx.ReplyWithSimpleString("OK")
	}, "write deny-oom fast", 1, 2, 1); err != nil {
		return err
	}
	info := &module.CommandInfo{
		Summary: "A keyed test command", Complexity: "O(1)", Since: "1.0.0", Arity: -3,
		KeySpecs: []module.CommandKeySpec{{Flags: module.CmdKeyRW | module.CmdKeyUpdate, BeginSearchType: module.KSpecBSIndex, Pos: 1, FindKeysType: module.KSpecFKRange, LastKey: 1, KeyStep: 1}},
		Args:     []module.CommandArg{{Name: "key", Type: module.ArgTypeKey, KeySpecIndex: 0, Flags: module.CmdArgMultiple}},
	}
	if err := ctx.GetCommand("rt.keyed").SetCommandInfo(info); err != nil {
		return err
	}
	if ctx.GetCommand("rt.keyed").SetCommandInfo(info) == nil {
		return errors.New("second SetCommandInfo accepted")
	}
	typ, err := ctx.CreateDataType("rt-type-1", 3, &module.TypeMethods{
		RdbLoad: func(io *module.IO, encver int) any { return io.LoadStringBuffer() },
		RdbSave: func(io *module.IO, v any) { io.SaveStringBuffer(v.([]byte)) },
		Free:    func(any) { freed.Add(1) },
	})
	if err != nil {
		return err
	}
	// Redis 7.0 lets the loading module register a name twice.
	if _, err := ctx.CreateDataType("rt-type-1", 3, &module.TypeMethods{}); err != nil {
		return errors.New("second registration of the type name refused")
	}
	if _, err := ctx.CreateDataType("short", 0, &module.TypeMethods{}); err == nil {
		return errors.New("bad type name accepted")
	}
	ctx.CreateCommand("rt.setval", func(ctx *module.Ctx, args [][]byte) error {
		k := ctx.OpenKey(args[1], module.Write)
		defer k.Close()
		if err := k.ModuleTypeSetValue(typ, append([]byte(nil), args[2]...)); err != nil {
			return ctx.ReplyWithError("ERR set")
		}
		return ctx.ReplyWithLongLong(freed.Load())
	}, "write", 1, 1, 1)
	ctx.CreateCommand("rt.scan", func(ctx *module.Ctx, args [][]byte) error {
		n := 0
		cur := module.NewScanCursor()
		for ctx.Scan(cur, func(ctx *module.Ctx, name []byte, key *module.Key) {
			if key.Type() == module.KeyTypeString {
				n++
			}
		}) {
		}
		return ctx.ReplyWithLongLong(int64(n))
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.getkeys", func(ctx *module.Ctx, args [][]byte) error {
		pos, err := ctx.GetCommandKeys(args[1:])
		if err != nil {
			return ctx.ReplyWithError("ERR " + err.Error())
		}
		ctx.ReplyWithArray(int64(len(pos)))
		for _, p := range pos {
			ctx.ReplyWithLongLong(int64(p))
		}
		return nil
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.name", func(ctx *module.Ctx, args [][]byte) error {
		id := ctx.GetClientId()
		if err := ctx.SetClientNameById(id, args[1]); err != nil {
			return ctx.ReplyWithError("ERR " + err.Error())
		}
		return ctx.ReplyWithStringBuffer(ctx.GetClientNameById(id))
	}, "", 0, 0, 0)
	ctx.CreateCommand("rt.roundtrip", func(ctx *module.Ctx, args [][]byte) error {
		k := ctx.OpenKey(args[1], module.Read)
		defer k.Close()
		if k.ModuleTypeGetType() != typ {
			return ctx.ReplyWithError("ERR not rt-type-1")
		}
		b, err := ctx.SaveDataTypeToString(k.ModuleTypeGetValue(), typ)
		if err != nil {
			return ctx.ReplyWithError("ERR save")
		}
		v, err := ctx.LoadDataTypeFromString(b, typ, 3)
		if err != nil {
			return ctx.ReplyWithError("ERR load")
		}
		if _, err := ctx.LoadDataTypeFromString(b[:len(b)-1], typ, 3); err == nil {
			return ctx.ReplyWithError("ERR truncated data loaded")
		}
		return ctx.ReplyWithStringBuffer(v.([]byte))
	}, "", 1, 1, 1)
	ctx.CreateCommand("rt.freed", func(ctx *module.Ctx, args [][]byte) error {
		return ctx.ReplyWithLongLong(freed.Load())
	}, "", 0, 0, 0)
	if err := ctx.CreateCommand("rt.container", nil, "", 0, 0, 0); err != nil {
		return err
	}
	parent := ctx.GetCommand("rt.container")
	if err := ctx.CreateSubcommand(parent, "sub", func(ctx *module.Ctx, args [][]byte) error {
		return ctx.ReplyWithSimpleString("sub " + string(args[2]))
	}, "readonly", 0, 0, 0); err != nil {
		return err
	}
	if ctx.CreateCommand("get", nil, "", 0, 0, 0) == nil {
		return nil // must fail: name in use
	}
	if ctx.CreateCommand("rt.bad", nil, "bogus", 0, 0, 0) == nil {
		return nil
	}
	return nil
}

// freed counts rt-type-1 values released through their free method.
var freed atomic.Int64

// failTest registers a command, then fails OnLoad: the command must go.
type failTest struct{}

func (failTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("failtest", 1)
	ctx.CreateCommand("ft.cmd", func(ctx *module.Ctx, args [][]byte) error { return nil }, "", 0, 0, 0)
	return errTestFail
}

var errTestFail = errors.New("failtest: failing on purpose")

func moduleTestServer(t *testing.T) (*Server, *difftest.Conn) {
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes"; c.EnableDebugCommand = "yes" })
	conn, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return s, conn
}

func modExpect(t *testing.T, conn *difftest.Conn, want string, args ...string) {
	t.Helper()
	raw, _, err := conn.Do(args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if string(raw) != want {
		t.Errorf("%v:\n got %q\nwant %q", args, raw, want)
	}
}

func TestModuleLoadUnload(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "*0\r\n", "MODULE", "LIST")
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "nosuchmodule")
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "/tmp/x.so")
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld", "a", "b")
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, "*1\r\n*8\r\n$4\r\nname\r\n$10\r\nhelloworld\r\n$3\r\nver\r\n:1\r\n$4\r\npath\r\n$10\r\nhelloworld\r\n$4\r\nargs\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", "MODULE", "LIST")
	modExpect(t, c, ":0\r\n", "hello.simple")
	modExpect(t, c, "-ERR Error unloading module: no such module with that name\r\n", "MODULE", "UNLOAD", "nope")
	modExpect(t, c, "+OK\r\n", "MODULE", "UNLOAD", "helloworld")
	modExpect(t, c, "-ERR unknown command 'hello.simple', with args beginning with: \r\n", "hello.simple")
	modExpect(t, c, "*0\r\n", "MODULE", "LIST")
	// A failing OnLoad leaves nothing behind.
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "failtest")
	modExpect(t, c, "-ERR unknown command 'ft.cmd', with args beginning with: \r\n", "ft.cmd")
	// LOADEX syntax.
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOADEX", "helloworld", "CONFIG", "a")
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOADEX", "helloworld", "CONFIG", "a", "b")
	modExpect(t, c, "+OK\r\n", "MODULE", "LOADEX", "helloworld", "ARGS", "x")
	modExpect(t, c, "*1\r\n*8\r\n$4\r\nname\r\n$10\r\nhelloworld\r\n$3\r\nver\r\n:1\r\n$4\r\npath\r\n$10\r\nhelloworld\r\n$4\r\nargs\r\n*1\r\n$1\r\nx\r\n", "MODULE", "LIST")
	raw, _, _ := c.Do("HELLO", "3")
	if !strings.HasSuffix(string(raw), "$7\r\nmodules\r\n*1\r\n%4\r\n$4\r\nname\r\n$10\r\nhelloworld\r\n$3\r\nver\r\n:1\r\n$4\r\npath\r\n$10\r\nhelloworld\r\n$4\r\nargs\r\n*1\r\n$1\r\nx\r\n") {
		t.Errorf("HELLO modules: %q", raw)
	}
	raw, _, _ = c.Do("MODULE", "LIST")
	if !strings.HasPrefix(string(raw), "*1\r\n%4\r\n") {
		t.Errorf("RESP3 MODULE LIST: %q", raw)
	}
}

func TestModuleHelloworld(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, "+OK\r\n", "SELECT", "3")
	modExpect(t, c, ":3\r\n", "hello.simple")
	modExpect(t, c, "+OK\r\n", "SET", "k", "HeLLo")
	modExpect(t, c, "+OK\r\n", "hello.toggle.case", "k")
	modExpect(t, c, "$5\r\nhEllO\r\n", "GET", "k")
	modExpect(t, c, "+OK\r\n", "SET", "n", "12")
	modExpect(t, c, "+OK\r\n", "hello.toggle.case", "n")
	modExpect(t, c, "$2\r\n12\r\n", "GET", "n")
	modExpect(t, c, "-ERR wrong number of arguments for 'hello.toggle.case' command\r\n", "hello.toggle.case")
	modExpect(t, c, "$5\r\nxxabc\r\n", "hello.leftpad", "abc", "5", "x")
	modExpect(t, c, "$3\r\nabc\r\n", "hello.leftpad", "abc", "2", "x")
	modExpect(t, c, "-ERR padding must be a single char\r\n", "hello.leftpad", "abc", "5", "xy")
	modExpect(t, c, "-ERR invalid padding length\r\n", "hello.leftpad", "abc", "-1", "x")
	modExpect(t, c, "*0\r\n", "hello.rand.array", "0")
	raw, v, _ := c.Do("hello.rand.array", "3")
	if len(v.Elems) != 3 {
		t.Errorf("rand.array 3: %q", raw)
	}
	modExpect(t, c, "-ERR invalid count\r\n", "hello.rand.array", "x")
	modExpect(t, c, ":0\r\n", "hello.repl1")
	modExpect(t, c, "$1\r\n1\r\n", "GET", "foo")
	modExpect(t, c, "+OK\r\n", "SET", "e", "v", "PX", "100000")
	modExpect(t, c, "+OK\r\n", "hello.more.expire", "e", "100000")
	_, v, _ = c.Do("PTTL", "e")
	if v.Int <= 100000 {
		t.Errorf("more.expire: pttl %d", v.Int)
	}
	modExpect(t, c, "+OK\r\n", "hello.more.expire", "nokey", "10")
	modExpect(t, c, "-ERR invalid expire time\r\n", "hello.more.expire", "e", "x")
	// Module commands in the command table and statistics.
	raw, _, _ = c.Do("COMMAND", "INFO", "hello.toggle.case")
	for _, want := range []string{"hello.toggle.case", "write", "module"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("COMMAND INFO lacks %q: %q", want, raw)
		}
	}
	modExpect(t, c, "*1\r\n$1\r\nk\r\n", "COMMAND", "GETKEYS", "hello.toggle.case", "k")
	raw, _, _ = c.Do("INFO", "commandstats")
	if !strings.Contains(string(raw), "cmdstat_hello.toggle.case:calls=") {
		t.Errorf("commandstats: %q", raw)
	}
	raw, _, _ = c.Do("INFO", "modules")
	if !strings.Contains(string(raw), "module:name=helloworld,ver=1,api=1,filters=0,usedby=[],using=[],options=[]") {
		t.Errorf("INFO modules: %q", raw)
	}
	// MULTI/EXEC queues module commands like any other.
	modExpect(t, c, "+OK\r\n", "MULTI")
	modExpect(t, c, "+QUEUED\r\n", "hello.simple")
	modExpect(t, c, "*1\r\n:3\r\n", "EXEC")
}

func TestModuleReplies(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "replytest")
	resp2 := "*9\r\n*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n*2\r\n:1\r\n$-1\r\n$30\r\n123456789012345678901234567890\r\n$2\r\nhi\r\n$4\r\n3.25\r\n*-1\r\n*0\r\n$0\r\n\r\n*2\r\n$1\r\na\r\n:1\r\n"
	modExpect(t, c, resp2, "rt.types")
	modExpect(t, c, "-MYERR custom line\r\n", "rt.err")
	raw, _, _ := c.Do("INFO", "errorstats")
	if !strings.Contains(string(raw), "errorstat_MYERR:count=1") {
		t.Errorf("errorstats: %q", raw)
	}
	modExpect(t, c, "$-1\r\n", "rt.call", "GET", "nokey")
	modExpect(t, c, "-ERR unknown command 'NOPE', with args beginning with: 'a' \r\n", "rt.call", "NOPE", "a")
	modExpect(t, c, "-ERR wrong number of arguments for 'get' command\r\n", "rt.call", "GET")
	modExpect(t, c, "-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n", "rt.call", "CONFIG", "NOPE")
	modExpect(t, c, "+OK\r\n", "rt.call", "SET", "s", "v")
	modExpect(t, c, "*2\r\n:0\r\n:1\r\n", "rt.callinfo", "GET", "s")
	modExpect(t, c, "-ERR module call failed (errno 2)\r\n", "rt.callinfo", "NOPE")
	modExpect(t, c, ":5\r\n", "rt.dma", "d")
	modExpect(t, c, "$5\r\nhello\r\n", "GET", "d")
	modExpect(t, c, ":0\r\n", "rt.db", "2")
	modExpect(t, c, "-ERR bad db\r\n", "rt.db", "99")
	modExpect(t, c, "$-1\r\n", "GET", "d") // SelectDb moved this client to db 2
	modExpect(t, c, "+OK\r\n", "SELECT", "0")
	modExpect(t, c, "+sub x\r\n", "rt.container", "sub", "x")
	modExpect(t, c, "-ERR unknown subcommand 'nope'. Try RT.CONTAINER HELP.\r\n", "rt.container", "nope")
	modExpect(t, c, "-ERR wrong number of arguments for 'rt.container' command\r\n", "rt.container")
	modExpect(t, c, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "COMMAND", "GETKEYS", "rt.keyed", "a", "b", "c")
	modExpect(t, c, "+OK\r\n", "MSET", "s1", "a", "s2", "b")
	modExpect(t, c, ":4\r\n", "rt.scan") // s, d, s1, s2
	modExpect(t, c, "*2\r\n:1\r\n:3\r\n", "rt.getkeys", "MSET", "a", "1", "b", "2")
	modExpect(t, c, "-ERR module call failed (errno 2)\r\n", "rt.getkeys", "NOPE", "a")
	modExpect(t, c, "-ERR module call failed (errno 22)\r\n", "rt.getkeys", "GET")
	modExpect(t, c, "$3\r\nbob\r\n", "rt.name", "bob")
	modExpect(t, c, "$3\r\nbob\r\n", "CLIENT", "GETNAME")
	modExpect(t, c, "-ERR module call failed (errno 22)\r\n", "rt.name", "a b")
	// Module values are freed through the type on overwrite, DEL, expiry
	// and FLUSHALL.
	freed.Store(0)
	modExpect(t, c, ":0\r\n", "rt.setval", "mv", "a")
	modExpect(t, c, ":1\r\n", "rt.setval", "mv", "b")
	modExpect(t, c, "+rt-type-1\r\n", "TYPE", "mv")
	modExpect(t, c, "$1\r\nb\r\n", "rt.roundtrip", "mv")
	modExpect(t, c, ":1\r\n", "DEL", "mv")
	modExpect(t, c, ":2\r\n", "rt.freed")
	c.Do("rt.setval", "mv", "c")
	modExpect(t, c, "+OK\r\n", "SET", "mv", "str")
	modExpect(t, c, ":3\r\n", "rt.freed")
	c.Do("rt.setval", "mv", "d")
	c.Do("rt.setval", "mv2", "e")
	modExpect(t, c, "+OK\r\n", "FLUSHALL")
	modExpect(t, c, ":5\r\n", "rt.freed")
	// RESP3 shapes.
	c.Do("HELLO", "3")
	resp3 := "*9\r\n%1\r\n$1\r\nk\r\n,1.5\r\n~2\r\n#t\r\n_\r\n(123456789012345678901234567890\r\n=6\r\ntxt:hi\r\n,3.25\r\n_\r\n*0\r\n$0\r\n\r\n%1\r\n$1\r\na\r\n:1\r\n"
	modExpect(t, c, resp3, "rt.types")
	_ = resp3
}

func TestModuleStartupQueue(t *testing.T) {
	cfg, err := config.ParseArgs([]string{"--loadmodule", "helloworld", "x", "--port", "0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.LoadModules) != 1 || cfg.LoadModules[0][1] != "x" {
		t.Fatalf("LoadModules = %q", cfg.LoadModules)
	}
	s := New(cfg)
	if err := s.LoadModules(); err != nil {
		t.Fatal(err)
	}
	if s.Modules().Module("helloworld") == nil {
		t.Fatal("helloworld not loaded from the queue")
	}
	cfg2, _ := config.ParseArgs([]string{"--loadmodule", "nosuch", "--port", "0"}, nil)
	if err := New(cfg2).LoadModules(); err == nil {
		t.Fatal("a bad loadmodule did not fail start-up")
	}
}

func TestModuleHellotype(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "hellotype")
	modExpect(t, c, ":1\r\n", "hellotype.insert", "t", "5")
	modExpect(t, c, ":2\r\n", "hellotype.insert", "t", "-3")
	modExpect(t, c, ":3\r\n", "hellotype.insert", "t", "10")
	modExpect(t, c, "-ERR invalid value: must be a signed 64 bit integer\r\n", "hellotype.insert", "t", "x")
	modExpect(t, c, "*2\r\n:5\r\n:10\r\n", "hellotype.range", "t", "1", "5")
	modExpect(t, c, "*0\r\n", "hellotype.range", "nokey", "0", "5")
	modExpect(t, c, "-ERR invalid first or count parameters\r\n", "hellotype.range", "t", "-1", "5")
	modExpect(t, c, ":3\r\n", "hellotype.len", "t")
	modExpect(t, c, ":0\r\n", "hellotype.len", "nokey")
	modExpect(t, c, "+hellotype\r\n", "TYPE", "t")
	modExpect(t, c, "+OK\r\n", "SET", "str", "x")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hellotype.insert", "str", "1")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "GET", "t")
	modExpect(t, c, "-ERR Error unloading module: the module exports one or more module-side data types, can't unload\r\n", "MODULE", "UNLOAD", "hellotype")

	// In-memory RDB round trip through the type's rdb_save / rdb_load.
	s.mu.Lock()
	o := s.ks.DBs[0].Lookup([]byte("t"))
	typ, val := engine.ValueOf(o)
	id, payload := s.Modules().SaveValue([]byte("t"), 0, typ, val)
	lt, lv, ok := s.Modules().LoadValue(id, payload, []byte("t2"), 0)
	if !ok || lt != typ {
		t.Fatalf("LoadValue failed: %v %v", ok, lt)
	}
	s.ks.DBs[0].Set([]byte("t2"), engine.NewModuleObject(lt, lv), false)
	// A corrupt payload is refused.
	if _, _, ok := s.Modules().LoadValue(id, payload[:len(payload)-2], []byte("t3"), 0); ok {
		t.Error("truncated payload loaded")
	}
	if engine.TypeNameFromID(id) != "hellotype" {
		t.Errorf("TypeNameFromID = %q", engine.TypeNameFromID(id))
	}
	s.mu.Unlock()
	modExpect(t, c, "*3\r\n:-3\r\n:5\r\n:10\r\n", "hellotype.range", "t2", "0", "10")
	// BRANGE blocks on an empty key until another client inserts.
	modExpect(t, c, "*1\r\n:5\r\n", "hellotype.brange", "t", "1", "1", "0")
	modExpect(t, c, "+Request timedout\r\n", "hellotype.brange", "empty", "0", "5", "20")
	c.Send("hellotype.brange", "b", "0", "5", "0")
	c2, _ := difftest.Dial(s.Addr().String())
	defer c2.Close()
	time.Sleep(20 * time.Millisecond)
	modExpect(t, c2, "+OK\r\n", "SET", "b", "x") // wrong type: keeps waiting
	modExpect(t, c2, ":1\r\n", "DEL", "b")
	modExpect(t, c2, ":1\r\n", "hellotype.insert", "b", "7")
	if _, v, _ := c.Read(); v.String() != "[(integer) 7]" {
		t.Errorf("brange after insert: %v", v)
	}
	modExpect(t, c, ":1\r\n", "DEL", "t")
	modExpect(t, c, "+OK\r\n", "FLUSHALL")
	modExpect(t, c, ":0\r\n", "hellotype.len", "t2")
}

// asyncTest exercises timers and keyspace-event subscriptions.
type asyncTest struct {
	events []string
	timer  module.TimerID
}

func (a *asyncTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("asynctest", 1)
	ctx.SubscribeToKeyspaceEvents(module.NotifyGeneric|module.NotifyString, func(ctx *module.Ctx, class int, event string, key []byte) {
		a.events = append(a.events, event+":"+string(key))
		// A write from the subscriber does not re-enter it.
		ctx.Call("INCR", "c", "at.writes")
	})
	ctx.CreateCommand("at.events", func(ctx *module.Ctx, args [][]byte) error {
		ctx.ReplyWithArray(int64(len(a.events)))
		for _, e := range a.events {
			ctx.ReplyWithCString(e)
		}
		a.events = nil
		return nil
	}, "", 0, 0, 0)
	ctx.CreateCommand("at.timer", func(ctx *module.Ctx, args [][]byte) error {
		ms, _ := module.StringToLongLong(args[1])
		a.timer = ctx.CreateTimer(ms, func(ctx *module.Ctx, data any) {
			ctx.Call("SET", "cc", "fired", data.(string))
		}, "yes")
		return ctx.ReplyWithSimpleString("OK")
	}, "", 0, 0, 0)
	ctx.CreateCommand("at.timerinfo", func(ctx *module.Ctx, args [][]byte) error {
		left, data, err := ctx.GetTimerInfo(a.timer)
		if err != nil {
			return ctx.ReplyWithNull()
		}
		ctx.ReplyWithArray(2)
		ctx.ReplyWithBool(left > 0)
		return ctx.ReplyWithCString(data.(string))
	}, "", 0, 0, 0)
	ctx.CreateCommand("at.stoptimer", func(ctx *module.Ctx, args [][]byte) error {
		data, err := ctx.StopTimer(a.timer)
		if err != nil {
			return ctx.ReplyWithNull()
		}
		return ctx.ReplyWithCString(data.(string))
	}, "", 0, 0, 0)
	return nil
}

func TestModuleTimersAndEvents(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "asynctest")
	modExpect(t, c, "+OK\r\n", "SET", "k", "v")
	modExpect(t, c, ":1\r\n", "DEL", "k")
	modExpect(t, c, "*2\r\n$5\r\nset:k\r\n$5\r\ndel:k\r\n", "at.events")
	modExpect(t, c, "$1\r\n2\r\n", "GET", "at.writes")
	modExpect(t, c, "*0\r\n", "at.events")

	modExpect(t, c, "+OK\r\n", "at.timer", "100000")
	modExpect(t, c, "*2\r\n:1\r\n$3\r\nyes\r\n", "at.timerinfo")
	modExpect(t, c, "-ERR Error unloading module: the module holds timer that is not fired. Please stop the timer or wait until it fires.\r\n", "MODULE", "UNLOAD", "asynctest")
	modExpect(t, c, "$3\r\nyes\r\n", "at.stoptimer")
	modExpect(t, c, "$-1\r\n", "at.stoptimer")
	modExpect(t, c, "+OK\r\n", "at.timer", "10")
	deadline := time.Now().Add(2 * time.Second)
	for {
		_, v, _ := c.Do("GET", "fired")
		if string(v.Str) == "yes" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("timer did not fire")
		}
		time.Sleep(5 * time.Millisecond)
	}
	modExpect(t, c, "$-1\r\n", "at.timerinfo")
	c.Do("at.events")
	modExpect(t, c, "+OK\r\n", "MODULE", "UNLOAD", "asynctest")
	// Subscriptions went with the module.
	modExpect(t, c, "+OK\r\n", "SET", "k", "v")
}

func TestModuleBlocking(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloblock")
	_, v, err := c.Do("hello.block", "0", "0")
	if err != nil || v.Type != ':' {
		t.Fatalf("hello.block: %v %v", v, err)
	}
	modExpect(t, c, "+Request timedout\r\n", "hello.block", "1", "20")
	// Pipelined commands wait for the blocked one.
	c.SendRaw([]byte("*3\r\n$11\r\nhello.block\r\n$1\r\n0\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"))
	_, v1, _ := c.Read()
	_, v2, _ := c.Read()
	if v1.Type != ':' || string(v2.Str) != "PONG" {
		t.Errorf("pipelined after block: %v %v", v1, v2)
	}
	// Another client is served while this one is blocked.
	c2, _ := difftest.Dial(s.Addr().String())
	defer c2.Close()
	c.Send("hello.block", "1", "0")
	modExpect(t, c2, "+PONG\r\n", "PING")
	time.Sleep(20 * time.Millisecond)
	if _, v, _ := c2.Do("CLIENT", "LIST"); !strings.Contains(string(v.Str), "flags=b ") {
		t.Errorf("CLIENT LIST lacks the blocked flag: %q", v.Str)
	}
	if _, v, _ := c.Read(); v.Type != ':' {
		t.Errorf("late reply %v", v)
	}
	modExpect(t, c, "+OK\r\n", "MULTI")
	modExpect(t, c, "+QUEUED\r\n", "hello.block", "0", "0")
	modExpect(t, c, "*1\r\n-ERR Blocking module command called from transaction\r\n", "EXEC")
	modExpect(t, c, "+OK\r\n", "MSET", "a", "1", "b", "2")
	_, v, _ = c.Do("hello.keys")
	if len(v.Elems) < 2 {
		t.Errorf("hello.keys: %v", v)
	}
	modExpect(t, c, "+Request timedout\r\n", "hello.block", "5", "10")
	modExpect(t, c, "-ERR Error unloading module: the module has blocked clients. Please wait them unblocked and try again\r\n", "MODULE", "UNLOAD", "helloblock")
}

func TestModuleExamples(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "hellodict")
	for _, kv := range [][2]string{{"b", "2"}, {"a", "1"}, {"d", "4"}, {"c", "3"}} {
		modExpect(t, c, "+OK\r\n", "hellodict.set", kv[0], kv[1])
	}
	modExpect(t, c, "+OK\r\n", "hellodict.set", "a", "changed")
	modExpect(t, c, "$1\r\n1\r\n", "hellodict.get", "a")
	modExpect(t, c, "$-1\r\n", "hellodict.get", "zz")
	modExpect(t, c, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "hellodict.keyrange", "b", "z", "10")
	modExpect(t, c, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "hellodict.keyrange", "", "c", "2")
	modExpect(t, c, "-ERR invalid count\r\n", "hellodict.keyrange", "a", "b", "x")
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "hellotimer")
	modExpect(t, c, "+OK\r\n", "hellotimer.timer")
	modExpect(t, c, "-ERR Error unloading module: the module holds timer that is not fired. Please stop the timer or wait until it fires.\r\n", "MODULE", "UNLOAD", "hellotimer")
}

func TestModuleIntrospection(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes"; c.SlowlogLogSlowerThan = 0 })
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "replytest")
	raw, _, _ := c.Do("COMMAND", "INFO", "rt.keyed")
	want := "*1\r\n*10\r\n$8\r\nrt.keyed\r\n:-3\r\n*4\r\n+write\r\n+denyoom\r\n+module\r\n+fast\r\n:1\r\n:2\r\n:1\r\n"
	if !strings.HasPrefix(string(raw), want) {
		t.Errorf("COMMAND INFO rt.keyed:\n got %q\nwant prefix %q", raw, want)
	}
	raw, _, _ = c.Do("COMMAND", "DOCS", "rt.keyed")
	for _, w := range []string{"A keyed test command", "module", "multiple"} {
		if !strings.Contains(string(raw), w) {
			t.Errorf("COMMAND DOCS lacks %q: %q", w, raw)
		}
	}
	raw, _, _ = c.Do("COMMAND", "LIST", "FILTERBY", "MODULE", "replytest")
	if !strings.Contains(string(raw), "rt.keyed") {
		t.Errorf("COMMAND LIST FILTERBY MODULE: %q", raw)
	}
	c.Do("SLOWLOG", "RESET")
	c.Do("rt.keyed", "k1", "k2")
	raw, _, _ = c.Do("SLOWLOG", "GET")
	if !strings.Contains(string(raw), "rt.keyed") {
		t.Errorf("SLOWLOG lacks the module command: %q", raw)
	}
	m, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	modExpect(t, m, "+OK\r\n", "MONITOR")
	c.Do("rt.keyed", "k1", "k2")
	raw, _, _ = m.Read()
	if !strings.Contains(string(raw), `"rt.keyed" "k1" "k2"`) {
		t.Errorf("MONITOR line: %q", raw)
	}
}

// A loadmodule that fails aborts start-up with exit code 1 and a log line.
func TestModuleStartupFailureExits(t *testing.T) {
	logf := t.TempDir() + "/log"
	port := strconv.Itoa(difftest.FreePort(t))
	code := Main([]string{"--port", port, "--bind", "127.0.0.1", "--logfile", logf, "--loadmodule", "nosuchmodule"}, nil, io.Discard, io.Discard)
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	b, _ := os.ReadFile(logf)
	if !strings.Contains(string(b), "Can't load module from nosuchmodule: server aborting") {
		t.Errorf("log: %q", b)
	}
}

// infoTest registers INFO sections and server-event subscriptions.
type infoTest struct{ events []string }

func (it *infoTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("infotest", 1)
	ctx.RegisterInfoFunc(func(ic *module.InfoCtx, crash bool) {
		ic.AddSection("")
		ic.AddFieldLongLong("n", 42)
		ic.AddFieldDouble("d", 1.5)
		ic.AddSection("extra")
		ic.BeginDictField("dict")
		ic.AddFieldString("a", "x")
		ic.AddFieldLongLong("b", 2)
		ic.EndDictField()
		ic.AddFieldString("s", "v")
	})
	record := func(ctx *module.Ctx, event, sub uint64, data any) {
		e := strconv.FormatUint(event, 10) + "/" + strconv.FormatUint(sub, 10)
		switch d := data.(type) {
		case *module.FlushInfo:
			e += "/db" + strconv.Itoa(d.DBNum)
		case *module.ModuleChangeInfo:
			e += "/" + d.ModuleName
		}
		it.events = append(it.events, e)
	}
	for _, ev := range []uint64{module.EventFlushDB, module.EventClientChange, module.EventModuleChange, module.EventSwapDB} {
		ctx.SubscribeToServerEvent(ev, record)
	}
	return ctx.CreateCommand("it.events", func(ctx *module.Ctx, args [][]byte) error {
		ctx.ReplyWithArray(int64(len(it.events)))
		for _, e := range it.events {
			ctx.ReplyWithCString(e)
		}
		it.events = nil
		return nil
	}, "", 0, 0, 0)
}

func TestModuleInfoAndEvents(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "infotest")
	full := "# infotest\r\ninfotest_n:42\r\ninfotest_d:1.5\r\n\r\n# infotest_extra\r\ninfotest_dict:a=x,b=2\r\ninfotest_s:v\r\n"
	_, v, _ := c.Do("INFO", "infotest")
	if string(v.Str) != full {
		t.Errorf("INFO infotest = %q", v.Str)
	}
	_, v, _ = c.Do("INFO", "infotest_extra")
	if string(v.Str) != "# infotest_extra\r\ninfotest_dict:a=x,b=2\r\ninfotest_s:v\r\n" {
		t.Errorf("INFO infotest_extra = %q", v.Str)
	}
	_, v, _ = c.Do("INFO", "modules")
	if !strings.HasSuffix(string(v.Str), "\r\n\r\n"+full) || !strings.HasPrefix(string(v.Str), "# Modules\r\nmodule:name=infotest") {
		t.Errorf("INFO modules = %q", v.Str)
	}
	_, v, _ = c.Do("INFO")
	if strings.Contains(string(v.Str), "infotest_n") {
		t.Error("default INFO shows module sections")
	}
	_, v, _ = c.Do("INFO", "everything")
	if !strings.Contains(string(v.Str), "infotest_n:42") {
		t.Error("INFO everything lacks module sections")
	}

	c.Do("it.events")
	modExpect(t, c, "+OK\r\n", "FLUSHDB")
	modExpect(t, c, "+OK\r\n", "FLUSHALL")
	c2, _ := difftest.Dial(s.Addr().String())
	c2.Do("PING")
	c2.Close()
	time.Sleep(50 * time.Millisecond)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, "*7\r\n$7\r\n2/0/db0\r\n$7\r\n2/1/db0\r\n$8\r\n2/0/db-1\r\n$8\r\n2/1/db-1\r\n$3\r\n4/0\r\n$3\r\n4/1\r\n$14\r\n9/0/helloworld\r\n", "it.events")

	// MEMORY USAGE and DEBUG DIGEST-VALUE go through the type methods.
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "hellotype")
	c.Do("hellotype.insert", "t", "1")
	c.Do("hellotype.insert", "t", "2")
	_, v, _ = c.Do("MEMORY", "USAGE", "t")
	if v.Type != ':' || v.Int < 48 {
		t.Errorf("MEMORY USAGE of a module value: %v", v)
	}
	_, d1, _ := c.Do("DEBUG", "DIGEST-VALUE", "t")
	c.Do("hellotype.insert", "t", "3")
	_, d2, _ := c.Do("DEBUG", "DIGEST-VALUE", "t")
	if len(d1.Elems) != 1 || string(d1.Elems[0].Str) == string(d2.Elems[0].Str) || string(d1.Elems[0].Str) == strings.Repeat("0", 40) {
		t.Errorf("DEBUG DIGEST-VALUE did not use the digest method: %v %v", d1, d2)
	}
}

// cfgTest registers one config of each kind.
type cfgTest struct {
	str  string
	b    bool
	n    int64
	enum int
}

func (ct *cfgTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("cfgtest", 1)
	errs := []error{
		ctx.RegisterStringConfig("str", "hello", module.ConfigDefault, func() string { return ct.str }, func(v string) error {
			if v == "bad" {
				return errors.New("bad value")
			}
			ct.str = v
			return nil
		}, nil),
		ctx.RegisterBoolConfig("flag", true, module.ConfigDefault, func() bool { return ct.b }, func(v bool) error { ct.b = v; return nil }, nil),
		ctx.RegisterNumericConfig("num", 5, module.ConfigDefault, 0, 100, func() int64 { return ct.n }, func(v int64) error { ct.n = v; return nil }, nil),
		ctx.RegisterEnumConfig("mode", 1, module.ConfigDefault, []string{"one", "two"}, []int{1, 2}, func() int { return ct.enum }, func(v int) error { ct.enum = v; return nil }, nil),
		ctx.RegisterNumericConfig("fixed", 1, module.ConfigImmutable, 0, 10, func() int64 { return 1 }, func(int64) error { return nil }, nil),
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if len(args) > 0 && string(args[0]) == "noload" {
		return nil // forgets LoadConfigs: the load must fail
	}
	return ctx.LoadConfigs()
}

func TestModuleConfigs(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "cfgtest", "noload")
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOADEX", "cfgtest", "CONFIG", "cfgtest.num", "1000")
	modExpect(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOADEX", "cfgtest", "CONFIG", "cfgtest.nosuch", "1")
	modExpect(t, c, "+OK\r\n", "MODULE", "LOADEX", "cfgtest", "CONFIG", "cfgtest.num", "42", "CONFIG", "cfgtest.mode", "two")
	modExpect(t, c, "*4\r\n$12\r\ncfgtest.mode\r\n$3\r\ntwo\r\n$11\r\ncfgtest.num\r\n$2\r\n42\r\n", "CONFIG", "GET", "cfgtest.num", "cfgtest.mode")
	modExpect(t, c, "*2\r\n$11\r\ncfgtest.str\r\n$5\r\nhello\r\n", "CONFIG", "GET", "cfgtest.s*")
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "cfgtest.str", "world", "cfgtest.flag", "no")
	modExpect(t, c, "*4\r\n$12\r\ncfgtest.flag\r\n$2\r\nno\r\n$11\r\ncfgtest.str\r\n$5\r\nworld\r\n", "CONFIG", "GET", "cfgtest.str", "cfgtest.flag")
	modExpect(t, c, "-ERR CONFIG SET failed (possibly related to argument 'cfgtest.str') - bad value\r\n", "CONFIG", "SET", "cfgtest.str", "bad")
	modExpect(t, c, "-ERR CONFIG SET failed (possibly related to argument 'cfgtest.num') - argument must be between 0 and 100 inclusive\r\n", "CONFIG", "SET", "cfgtest.num", "101")
	modExpect(t, c, "-ERR CONFIG SET failed (possibly related to argument 'cfgtest.fixed') - can't set immutable config\r\n", "CONFIG", "SET", "cfgtest.fixed", "2")
	modExpect(t, c, "+OK\r\n", "MODULE", "UNLOAD", "cfgtest")
	modExpect(t, c, "*0\r\n", "CONFIG", "GET", "cfgtest.*")
}

// filterTest rewrites FT.SETX k v into SET k v-filtered.
type filterTest struct{ f *module.CommandFilter }

func (ft *filterTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("filtertest", 1)
	ft.f = ctx.RegisterCommandFilter(func(f *module.CommandFilterCtx) {
		if strings.EqualFold(string(f.Arg(0)), "ft.setx") && f.Len() == 3 {
			f.Replace(0, []byte("SET"))
			f.Replace(2, append(f.Arg(2), "-filtered"...))
		}
		if strings.EqualFold(string(f.Arg(0)), "ft.echo2") {
			f.Replace(0, []byte("ECHO"))
			f.Delete(1)
			f.Insert(1, []byte("inserted"))
		}
	}, 0)
	ctx.CreateCommand("ft.unreg", func(ctx *module.Ctx, args [][]byte) error {
		if err := ctx.UnregisterCommandFilter(ft.f); err != nil {
			return ctx.ReplyWithError("ERR unregister")
		}
		return ctx.ReplyWithSimpleString("OK")
	}, "", 0, 0, 0)
	return ctx.CreateCommand("ft.info", func(ctx *module.Ctx, args [][]byte) error {
		si := ctx.GetServerInfo("server")
		v, _ := si.Field("redis_version")
		_, err := si.Signed("redis_version")
		ctx.ReplyWithArray(2)
		ctx.ReplyWithCString(v)
		return ctx.ReplyWithBool(err != nil)
	}, "", 0, 0, 0)
}

func TestModuleFiltersAndServerInfo(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "filtertest")
	modExpect(t, c, "+OK\r\n", "ft.setx", "k", "v")
	modExpect(t, c, "$10\r\nv-filtered\r\n", "GET", "k")
	modExpect(t, c, "$8\r\ninserted\r\n", "ft.echo2", "gone")
	modExpect(t, c, "*2\r\n$6\r\n7.0.15\r\n:1\r\n", "ft.info")
	modExpect(t, c, "+OK\r\n", "ft.unreg")
	modExpect(t, c, "-ERR unregister\r\n", "ft.unreg")
	modExpect(t, c, "-ERR unknown command 'ft.setx', with args beginning with: 'k' 'v' \r\n", "ft.setx", "k", "v")
}

type sharer struct{}

func (sharer) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("sharer", 1)
	return ctx.ExportSharedAPI("sharer.double", func(n int64) int64 { return 2 * n })
}

type sharee struct{}

func (sharee) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("sharee", 1)
	return ctx.CreateCommand("sharee.double", func(ctx *module.Ctx, args [][]byte) error {
		fn, _ := ctx.GetSharedAPI("sharer.double").(func(int64) int64)
		if fn == nil {
			return ctx.ReplyWithError("ERR no shared API")
		}
		n, _ := module.StringToLongLong(args[1])
		return ctx.ReplyWithLongLong(fn(n))
	}, "", 0, 0, 0)
}

func TestModuleSharedAPI(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "sharee")
	modExpect(t, c, "-ERR no shared API\r\n", "sharee.double", "2")
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "sharer")
	modExpect(t, c, ":42\r\n", "sharee.double", "21")
	_, v, _ := c.Do("INFO", "modules")
	if !strings.Contains(string(v.Str), "module:name=sharer,ver=1,api=1,filters=0,usedby=[sharee],using=[],options=[]") ||
		!strings.Contains(string(v.Str), "module:name=sharee,ver=1,api=1,filters=0,usedby=[],using=[sharer],options=[]") {
		t.Errorf("INFO modules: %q", v.Str)
	}
	modExpect(t, c, "-ERR Error unloading module: the module exports APIs used by other modules. Please unload them first and try again\r\n", "MODULE", "UNLOAD", "sharer")
	modExpect(t, c, "+OK\r\n", "MODULE", "UNLOAD", "sharee")
	modExpect(t, c, "+OK\r\n", "MODULE", "UNLOAD", "sharer")
}
