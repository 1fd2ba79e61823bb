// Package helloworld is a Go port of Redis's example module
// src/modules/helloworld.c: small commands showing the module API
// (replies, keys, Call, replication). Load it with
// `MODULE LOAD helloworld` or `loadmodule helloworld`.
//
// Commands that need the list, sorted-set and hash key APIs
// (hello.push.native, hello.list.splice, hello.repl2, hello.zsumrange,
// hello.lexrange) are not ported yet: those key APIs arrive with the
// collection types.
package helloworld

import (
	"math/rand"

	"github.com/modis/modis/module"
)

func init() {
	module.Register(module.Info{Name: "helloworld", New: func() module.Module { return &helloWorld{} }})
}

type helloWorld struct{}

// OnLoad registers the commands; arguments are only logged.
func (h *helloWorld) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("helloworld", 1); err != nil {
		return err
	}
	for i, a := range args {
		ctx.Log(module.LogNotice, "Module loaded with ARGV[%d] = %s", i, a)
	}
	cmds := []struct {
		name              string
		fn                module.CommandFunc
		flags             string
		first, last, step int
	}{
		{"hello.simple", simple, "readonly", 0, 0, 0},
		{"hello.push.call", pushCall, "write deny-oom", 1, 1, 1},
		{"hello.push.call2", pushCall2, "write deny-oom", 1, 1, 1},
		{"hello.list.sum.len", listSumLen, "readonly", 1, 1, 1},
		{"hello.rand.array", randArray, "readonly", 0, 0, 0},
		{"hello.repl1", repl1, "write", 0, 0, 0},
		{"hello.toggle.case", toggleCase, "write", 1, 1, 1},
		{"hello.more.expire", moreExpire, "write", 1, 1, 1},
		{"hello.leftpad", leftPad, "", 1, 1, 1},
		{"hello.hcopy", hcopy, "write deny-oom", 1, 1, 1},
	}
	for _, c := range cmds {
		if err := ctx.CreateCommand(c.name, c.fn, c.flags, c.first, c.last, c.step); err != nil {
			return err
		}
	}
	return nil
}

// simple replies with the selected database: HELLO.SIMPLE.
func simple(ctx *module.Ctx, args [][]byte) error {
	return ctx.ReplyWithLongLong(int64(ctx.GetSelectedDb()))
}

// pushCall is HELLO.PUSH.CALL key value: RPUSH through Call, replying
// with the new length.
func pushCall(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	r, err := ctx.Call("RPUSH", "bb", args[1], args[2])
	if err != nil {
		return err
	}
	return ctx.ReplyWithLongLong(r.Integer())
}

// pushCall2 is HELLO.PUSH.CALL2: the same, passing RPUSH's reply through.
func pushCall2(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	r, err := ctx.Call("RPUSH", "bb", args[1], args[2])
	if err != nil {
		return err
	}
	return ctx.ReplyWithCallReply(r)
}

// listSumLen is HELLO.LIST.SUM.LEN key: the total length of a list's
// elements, read with LRANGE through Call.
func listSumLen(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	r, err := ctx.Call("LRANGE", "bll", args[1], 0, -1)
	if err != nil {
		return err
	}
	var sum int64
	for i := 0; i < r.Len(); i++ {
		sum += int64(r.Element(i).Len())
	}
	return ctx.ReplyWithLongLong(sum)
}

// randArray is HELLO.RAND.ARRAY count: count random numbers in an array
// whose length is set afterwards (a postponed length).
func randArray(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	count, err := module.StringToLongLong(args[1])
	if err != nil || count < 0 {
		return ctx.ReplyWithError("ERR invalid count")
	}
	ctx.ReplyWithArray(module.PostponedLen)
	for i := int64(0); i < count; i++ {
		ctx.ReplyWithLongLong(rand.Int63n(1 << 31))
	}
	ctx.ReplySetArrayLength(count)
	return nil
}

// repl1 is HELLO.REPL1: replication of Call ("!") and Replicate.
func repl1(ctx *module.Ctx, args [][]byte) error {
	ctx.AutoMemory()
	ctx.Replicate("ECHO", "c", "foo")
	ctx.Call("INCR", "c!", "foo")
	ctx.Call("INCR", "c!", "bar")
	return ctx.ReplyWithLongLong(0)
}

// toggleCase is HELLO.TOGGLE.CASE key: flips the case of a string value
// in place through StringDMA.
func toggleCase(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	t := key.Type()
	if t != module.KeyTypeString && t != module.KeyTypeEmpty {
		key.Close()
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	if t == module.KeyTypeString {
		s := key.StringDMA(module.Write)
		for i, c := range s {
			switch {
			case c >= 'A' && c <= 'Z':
				s[i] = c + 'a' - 'A'
			case c >= 'a' && c <= 'z':
				s[i] = c - ('a' - 'A')
			}
		}
	}
	key.Close()
	ctx.ReplyWithSimpleString("OK")
	return ctx.ReplicateVerbatim()
}

// moreExpire is HELLO.MORE.EXPIRE key ms: adds ms to an existing TTL.
func moreExpire(ctx *module.Ctx, args [][]byte) error {
	ctx.AutoMemory()
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	addms, err := module.StringToLongLong(args[2])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid expire time")
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	if exp := key.Expire(); exp != module.NoExpire {
		key.SetExpire(exp + addms)
	}
	return ctx.ReplyWithSimpleString("OK")
}

// leftPad is HELLO.LEFTPAD str len ch.
func leftPad(ctx *module.Ctx, args [][]byte) error {
	ctx.AutoMemory()
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	padlen, err := module.StringToLongLong(args[2])
	if err != nil || padlen < 0 {
		return ctx.ReplyWithError("ERR invalid padding length")
	}
	str, ch := args[1], args[3]
	if int64(len(str)) >= padlen {
		return ctx.ReplyWithStringBuffer(str)
	}
	if len(ch) != 1 {
		return ctx.ReplyWithError("ERR padding must be a single char")
	}
	buf := make([]byte, padlen)
	n := int(padlen) - len(str)
	for i := 0; i < n; i++ {
		buf[i] = ch[0]
	}
	copy(buf[n:], str)
	return ctx.ReplyWithStringBuffer(buf)
}
