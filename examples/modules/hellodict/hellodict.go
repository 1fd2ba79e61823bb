// Package hellodict is a Go port of Redis's example module
// src/modules/hellodict.c: a key-value store kept in a module dictionary
// (not in the keyspace), with ordered range queries.
package hellodict

import "github.com/modis/modis/module"

func init() {
	module.Register(module.Info{Name: "hellodict", New: func() module.Module { return &helloDict{} }})
}

type helloDict struct {
	keyspace *module.Dict
}

func (h *helloDict) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("hellodict", 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("hellodict.set", h.set, "write deny-oom", 1, 1, 0); err != nil {
		return err
	}
	if err := ctx.CreateCommand("hellodict.get", h.get, "readonly", 1, 1, 0); err != nil {
		return err
	}
	if err := ctx.CreateCommand("hellodict.keyrange", h.keyRange, "readonly", 1, 1, 0); err != nil {
		return err
	}
	h.keyspace = ctx.CreateDict()
	return nil
}

// set is HELLODICT.SET key value (an existing key keeps its value, as in
// the C example, whose DictSet refuses existing keys).
func (h *helloDict) set(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	h.keyspace.Set(args[1], append([]byte(nil), args[2]...))
	return ctx.ReplyWithSimpleString("OK")
}

// get is HELLODICT.GET key.
func (h *helloDict) get(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	v, ok := h.keyspace.Get(args[1])
	if !ok {
		return ctx.ReplyWithNull()
	}
	return ctx.ReplyWithStringBuffer(v.([]byte))
}

// keyRange is HELLODICT.KEYRANGE startkey endkey count: up to count keys
// from startkey to endkey in order.
func (h *helloDict) keyRange(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	count, err := module.StringToLongLong(args[3])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid count")
	}
	it := h.keyspace.Iterator(">=", args[1])
	defer it.Stop()
	ctx.ReplyWithArray(module.PostponedLen)
	var n int64
	for {
		key, _, ok := it.Next()
		if !ok || n >= count || !it.Compare("<=", args[2]) {
			break
		}
		ctx.ReplyWithStringBuffer(key)
		n++
	}
	ctx.ReplySetArrayLength(n)
	return nil
}
