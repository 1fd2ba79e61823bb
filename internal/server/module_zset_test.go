package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/modis/modis/module"
)

// TestModuleHelloworldZset runs the sorted set commands of the helloworld
// example (HELLO.ZSUMRANGE, HELLO.LEXRANGE) with replies as Redis's C
// example gives them.
func TestModuleHelloworldZset(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, ":4\r\n", "ZADD", "z", "1", "a", "2.5", "b", "4", "c", "10", "d")
	modExpect(t, c, "*2\r\n$3\r\n7.5\r\n$3\r\n7.5\r\n", "hello.zsumrange", "z", "1", "4")
	modExpect(t, c, "*2\r\n$4\r\n17.5\r\n$4\r\n17.5\r\n", "hello.zsumrange", "z", "-inf", "+inf")
	modExpect(t, c, "*2\r\n$1\r\n0\r\n$1\r\n0\r\n", "hello.zsumrange", "z", "5", "6")
	modExpect(t, c, "-ERR invalid range\r\n", "hello.zsumrange", "z", "a", "6")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.zsumrange", "nokey", "1", "2")
	modExpect(t, c, "-ERR wrong number of arguments for 'hello.zsumrange' command\r\n", "hello.zsumrange", "z")
	modExpect(t, c, ":4\r\n", "ZADD", "people", "0", "Anna:52", "0", "Bob:17", "0", "Carl:33", "0", "Dora:70")
	modExpect(t, c, "*2\r\n$6\r\nBob:17\r\n$7\r\nCarl:33\r\n", "hello.lexrange", "people", "[B", "(D", "0", "100")
	modExpect(t, c, "*4\r\n$7\r\nAnna:52\r\n$6\r\nBob:17\r\n$7\r\nCarl:33\r\n$7\r\nDora:70\r\n", "hello.lexrange", "people", "-", "+", "0", "100")
	modExpect(t, c, "*0\r\n", "hello.lexrange", "people", "[X", "+", "0", "100")
	modExpect(t, c, "-invalid range\r\n", "hello.lexrange", "people", "B", "+", "0", "100")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.lexrange", "nokey", "-", "+", "0", "1")
	modExpect(t, c, "+OK\r\n", "SET", "s", "x")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.lexrange", "s", "-", "+", "0", "1")
	// Read-only commands: the keys were not touched.
	modExpect(t, c, ":4\r\n", "ZCARD", "people")
	modExpect(t, c, ":0\r\n", "EXISTS", "nokey")
}

// zsetAPITest is a Go module driving the public sorted set key API.
type zsetAPITest struct{}

func init() {
	module.Register(module.Info{Name: "zsetapitest", New: func() module.Module { return zsetAPITest{} }})
}

func (zsetAPITest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("zsetapitest", 1); err != nil {
		return err
	}
	// zt.add key score member [flags]: [out flags, new score or error].
	if err := ctx.CreateCommand("zt.add", func(ctx *module.Ctx, args [][]byte) error {
		score, _ := module.StringToDouble(args[2])
		flags := 0
		for _, f := range args[4:] {
			switch strings.ToLower(string(f)) {
			case "xx":
				flags |= module.ZaddXX
			case "nx":
				flags |= module.ZaddNX
			case "gt":
				flags |= module.ZaddGT
			case "lt":
				flags |= module.ZaddLT
			case "incr":
				flags |= 1 << 30
			}
		}
		k := ctx.OpenKey(args[1], module.Write)
		defer k.Close()
		ctx.ReplyWithArray(2)
		if flags&(1<<30) != 0 {
			ns, out, err := k.ZsetIncrby(score, args[3], flags&^(1<<30))
			ctx.ReplyWithLongLong(int64(out))
			if err != nil {
				return ctx.ReplyWithError("ERR failed")
			}
			return ctx.ReplyWithDouble(ns)
		}
		out, err := k.ZsetAdd(score, args[3], flags)
		ctx.ReplyWithLongLong(int64(out))
		if err != nil {
			return ctx.ReplyWithError("ERR failed")
		}
		s, err := k.ZsetScore(args[3])
		if err != nil {
			return ctx.ReplyWithNull()
		}
		return ctx.ReplyWithDouble(s)
	}, "write", 1, 1, 1); err != nil {
		return err
	}
	// zt.rem key member: 1/0, or an error.
	if err := ctx.CreateCommand("zt.rem", func(ctx *module.Ctx, args [][]byte) error {
		k := ctx.OpenKey(args[1], module.Write)
		defer k.Close()
		d, err := k.ZsetRem(args[2])
		if err != nil {
			return ctx.ReplyWithError("ERR failed")
		}
		if d {
			return ctx.ReplyWithLongLong(1)
		}
		return ctx.ReplyWithLongLong(0)
	}, "write", 1, 1, 1); err != nil {
		return err
	}
	// zt.revlex key min max: members from the top of the lex range.
	return ctx.CreateCommand("zt.revlex", func(ctx *module.Ctx, args [][]byte) error {
		k := ctx.OpenKey(args[1], module.Read)
		if k == nil {
			return ctx.ReplyWithNull()
		}
		defer k.Close()
		if err := k.ZsetLastInLexRange(args[2], args[3]); err != nil {
			return ctx.ReplyWithError("ERR bad range")
		}
		ctx.ReplyWithArray(module.PostponedLen)
		n := int64(0)
		for !k.ZsetRangeEndReached() {
			m, _, _ := k.ZsetRangeCurrentElement()
			ctx.ReplyWithStringBuffer(m)
			n++
			k.ZsetRangePrev()
		}
		ctx.ReplySetArrayLength(n)
		return nil
	}, "readonly", 1, 1, 1)
}

// TestModuleZsetAPI drives the public Go sorted set API: adds with every
// flag, increments, removal (deleting the emptied key), lex iteration
// backwards, and the failures on other types and NaN.
func TestModuleZsetAPI(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "zsetapitest")
	added, updated, nop := module.ZaddAdded, module.ZaddUpdated, module.ZaddNop
	arr := func(flags int, score string) string {
		return fmt.Sprintf("*2\r\n:%d\r\n$%d\r\n%s\r\n", flags, len(score), score)
	}
	modExpect(t, c, arr(added, "1"), "zt.add", "z", "1", "a")
	modExpect(t, c, arr(updated, "2"), "zt.add", "z", "2", "a")
	modExpect(t, c, arr(0, "2"), "zt.add", "z", "2", "a")
	modExpect(t, c, arr(nop, "2"), "zt.add", "z", "5", "a", "nx")
	modExpect(t, c, arr(nop, "2"), "zt.add", "z", "1", "a", "gt")
	modExpect(t, c, arr(updated, "0.5"), "zt.add", "z", "0.5", "a", "lt")
	modExpect(t, c, fmt.Sprintf("*2\r\n:%d\r\n$-1\r\n", nop), "zt.add", "z", "1", "b", "xx")
	modExpect(t, c, arr(added, "3"), "zt.add", "z", "3", "b", "incr")
	modExpect(t, c, arr(updated, "4.5"), "zt.add", "z", "1.5", "b", "incr")
	modExpect(t, c, arr(added, "inf"), "zt.add", "z", "inf", "c")
	modExpect(t, c, "*2\r\n:0\r\n-ERR failed\r\n", "zt.add", "z", "-inf", "c", "incr")
	modExpect(t, c, "*6\r\n$1\r\na\r\n$3\r\n0.5\r\n$1\r\nb\r\n$3\r\n4.5\r\n$1\r\nc\r\n$3\r\ninf\r\n", "ZRANGE", "z", "0", "-1", "WITHSCORES")
	modExpect(t, c, ":1\r\n", "zt.rem", "z", "a")
	modExpect(t, c, ":0\r\n", "zt.rem", "z", "a")
	modExpect(t, c, ":1\r\n", "zt.rem", "z", "b")
	modExpect(t, c, ":1\r\n", "zt.rem", "z", "c")
	modExpect(t, c, ":0\r\n", "EXISTS", "z")
	modExpect(t, c, ":0\r\n", "zt.rem", "z", "c")
	modExpect(t, c, ":4\r\n", "ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d")
	modExpect(t, c, "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", "zt.revlex", "l", "-", "(d")
	modExpect(t, c, "*0\r\n", "zt.revlex", "l", "(d", "+")
	modExpect(t, c, "-ERR bad range\r\n", "zt.revlex", "l", "x", "+")
	modExpect(t, c, "+OK\r\n", "SET", "s", "v")
	modExpect(t, c, "*2\r\n:0\r\n-ERR failed\r\n", "zt.add", "s", "1", "a")
	modExpect(t, c, "-ERR failed\r\n", "zt.rem", "s", "a")
	modExpect(t, c, "-ERR bad range\r\n", "zt.revlex", "s", "-", "+")
}
