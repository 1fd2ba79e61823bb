package helloworld

import "github.com/modis/modis/module"

// hcopy is HELLO.HCOPY key srcfield dstfield: sets dstfield to the value
// of srcfield through the hash key API and replies 1, or replies 0 and
// does nothing when srcfield does not exist.
func hcopy(ctx *module.Ctx, args [][]byte) error {
	ctx.AutoMemory()
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	t := key.Type()
	if t != module.KeyTypeHash && t != module.KeyTypeEmpty {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	vals, err := key.HashGet(args[2])
	if err != nil {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	if vals[0] == nil {
		return ctx.ReplyWithLongLong(0)
	}
	key.HashSet(module.HashNone, module.HashField{Field: args[3], Value: vals[0]})
	return ctx.ReplyWithLongLong(1)
}
