// Package modbench is a module for measuring the cost of the module API
// against a built-in command (bench/module.sh): MODBENCH.DMAGET key reads
// a string through OpenKey + StringDMA + ReplyWithStringBuffer, and
// MODBENCH.CALLGET key through Call("GET") + ReplyWithCallReply. Both
// reply exactly as GET does.
package modbench

import "github.com/modis/modis/module"

func init() {
	module.Register(module.Info{Name: "modbench", New: func() module.Module { return modBench{} }})
}

type modBench struct{}

func (modBench) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("modbench", 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("modbench.dmaget", dmaGet, "readonly fast", 1, 1, 1); err != nil {
		return err
	}
	return ctx.CreateCommand("modbench.callget", callGet, "readonly fast", 1, 1, 1)
}

func dmaGet(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	k := ctx.OpenKey(args[1], module.Read)
	if k == nil {
		return ctx.ReplyWithNull()
	}
	defer k.Close()
	if k.Type() != module.KeyTypeString {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	return ctx.ReplyWithStringBuffer(k.StringDMA(module.Read))
}

func callGet(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	r, err := ctx.Call("GET", "b", args[1])
	if err != nil {
		return err
	}
	// Freeing is optional in Go; done here as the C twin does, it lets
	// the engine reuse the reply and its buffer.
	defer r.Free(ctx)
	return ctx.ReplyWithCallReply(r)
}
