package server

import (
	"errors"
	"fmt"
	"testing"

	"github.com/modis/modis/module"
)

// A Go test module exercising the public hash key API:
//
//	ht.set key flags f v [f v ...]   flags: n x a or -; v "__del__" deletes
//	ht.get key f [f ...]             values, null for missing
//	ht.exists key f [f ...]          0/1 per field
//
// ht.set replies [count, errno] like the C bridgehash module, so the two
// front-ends can be checked against the same Redis semantics.
type hashTestModule struct{}

func init() {
	module.Register(module.Info{Name: "hashtest", New: func() module.Module { return hashTestModule{} }})
}

func (hashTestModule) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("hashtest", 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("ht.set", htSet, "write", 1, 1, 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("ht.get", htGet, "readonly", 1, 1, 1); err != nil {
		return err
	}
	return ctx.CreateCommand("ht.exists", htExists, "readonly", 1, 1, 1)
}

func htSet(ctx *module.Ctx, args [][]byte) error {
	if len(args) < 5 || len(args)%2 == 0 {
		return ctx.WrongArity()
	}
	flags := module.HashNone
	for _, c := range args[2] {
		switch c {
		case 'n':
			flags |= module.HashNX
		case 'x':
			flags |= module.HashXX
		case 'a':
			flags |= module.HashCountAll
		}
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	defer key.Close()
	var fields []module.HashField
	for i := 3; i < len(args); i += 2 {
		fields = append(fields, module.HashField{Field: args[i], Value: args[i+1], Delete: string(args[i+1]) == "__del__"})
	}
	n, err := key.HashSet(flags, fields...)
	errno := 0
	var ce *module.CallError
	if errors.As(err, &ce) {
		errno = int(ce.Errno)
	}
	ctx.ReplyWithArray(2)
	ctx.ReplyWithLongLong(int64(n))
	return ctx.ReplyWithLongLong(int64(errno))
}

func htGet(ctx *module.Ctx, args [][]byte) error {
	key := ctx.OpenKey(args[1], module.Read)
	defer key.Close()
	vals, err := key.HashGet(args[2:]...)
	if err != nil {
		return ctx.ReplyWithError("ERR HashGet failed")
	}
	ctx.ReplyWithArray(int64(len(vals)))
	for _, v := range vals {
		if v == nil {
			ctx.ReplyWithNull()
		} else {
			ctx.ReplyWithStringBuffer(v)
		}
	}
	return nil
}

func htExists(ctx *module.Ctx, args [][]byte) error {
	key := ctx.OpenKey(args[1], module.Read)
	defer key.Close()
	ex, err := key.HashExists(args[2:]...)
	if err != nil {
		return ctx.ReplyWithError("ERR HashGet failed")
	}
	ctx.ReplyWithArray(int64(len(ex)))
	for _, e := range ex {
		v := int64(0)
		if e {
			v = 1
		}
		ctx.ReplyWithLongLong(v)
	}
	return nil
}

// htSetReply is the RESP of a [count, errno] reply.
func htSetReply(n, errno int) string { return fmt.Sprintf("*2\r\n:%d\r\n:%d\r\n", n, errno) }

func TestModuleHashAPI(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "hashtest")
	modExpect(t, c, htSetReply(0, 2), "ht.set", "h", "-", "a", "1")
	modExpect(t, c, htSetReply(1, 0), "ht.set", "h", "-", "a", "2", "b", "3")
	modExpect(t, c, htSetReply(2, 0), "ht.set", "h", "a", "a", "2", "c", "4")
	modExpect(t, c, htSetReply(0, 2), "ht.set", "h", "n", "a", "x")
	modExpect(t, c, htSetReply(1, 0), "ht.set", "h", "x", "a", "y", "zz", "1")
	modExpect(t, c, htSetReply(2, 0), "ht.set", "h", "-", "b", "__del__", "c", "__del__", "q", "__del__")
	modExpect(t, c, htSetReply(0, 2), "ht.set", "h", "n", "d", "1")
	modExpect(t, c, "*4\r\n$1\r\na\r\n$1\r\ny\r\n$1\r\nd\r\n$1\r\n1\r\n", "HGETALL", "h")
	modExpect(t, c, "*3\r\n$1\r\ny\r\n$-1\r\n$1\r\n1\r\n", "ht.get", "h", "a", "nosuch", "d")
	modExpect(t, c, "*2\r\n:1\r\n:0\r\n", "ht.exists", "h", "a", "b")
	modExpect(t, c, "*1\r\n$-1\r\n", "ht.get", "nokey", "a")
	modExpect(t, c, "*1\r\n:0\r\n", "ht.exists", "nokey", "a")
	modExpect(t, c, htSetReply(0, 2), "ht.set", "new", "x", "a", "1")
	modExpect(t, c, ":0\r\n", "EXISTS", "new")
	modExpect(t, c, htSetReply(2, 0), "ht.set", "h", "-", "a", "__del__", "d", "__del__")
	modExpect(t, c, ":0\r\n", "EXISTS", "h")
	modExpect(t, c, "+OK\r\n", "SET", "s", "v")
	modExpect(t, c, htSetReply(0, 95), "ht.set", "s", "-", "a", "1")
	modExpect(t, c, "-ERR HashGet failed\r\n", "ht.get", "s", "a")
	// Encodings follow the configured thresholds.
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "1")
	modExpect(t, c, htSetReply(0, 2), "ht.set", "e", "-", "a", "1")
	modExpect(t, c, "$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "e")
	modExpect(t, c, htSetReply(0, 2), "ht.set", "e", "-", "b", "1")
	modExpect(t, c, "$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "e")
}

func TestModuleHelloHCopy(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, ":0\r\n", "hello.hcopy", "h", "a", "b")
	modExpect(t, c, ":0\r\n", "EXISTS", "h")
	modExpect(t, c, ":1\r\n", "HSET", "h", "a", "1")
	modExpect(t, c, ":1\r\n", "hello.hcopy", "h", "a", "b")
	modExpect(t, c, ":0\r\n", "hello.hcopy", "h", "nosuch", "c")
	modExpect(t, c, "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n1\r\n", "HGETALL", "h")
	modExpect(t, c, ":0\r\n", "HSET", "h", "a", "new")
	modExpect(t, c, ":1\r\n", "hello.hcopy", "h", "a", "b")
	modExpect(t, c, "$3\r\nnew\r\n", "HGET", "h", "b")
	modExpect(t, c, "+OK\r\n", "SET", "s", "v")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.hcopy", "s", "a", "b")
	modExpect(t, c, "-ERR wrong number of arguments for 'hello.hcopy' command\r\n", "hello.hcopy", "h", "a")
}
