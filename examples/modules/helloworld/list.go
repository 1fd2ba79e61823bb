package helloworld

import (
	"strconv"

	"github.com/modis/modis/module"
)

// The list commands of helloworld, written with the list key API rather
// than Call.

// pushNative is HELLO.PUSH.NATIVE key value: RPUSH through ListPush,
// replying with the value's length afterwards (ValueLength, so a string
// key, which ListPush refuses, answers its string length).
func pushNative(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	key.ListPush(module.ListTail, args[2])
	n := key.ValueLength()
	key.Close()
	return ctx.ReplyWithLongLong(n)
}

// listSplice is HELLO.LIST.SPLICE src dst count: moves up to count
// elements from the tail of src to the head of dst, replying with the
// length left in src.
func listSplice(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	src := ctx.OpenKey(args[1], module.Read|module.Write)
	dst := ctx.OpenKey(args[2], module.Read|module.Write)
	defer src.Close()
	defer dst.Close()
	return splice(ctx, src, dst, args[3])
}

// listSpliceAuto is HELLO.LIST.SPLICE.AUTO: the same with automatic memory
// management, the keys closed when the command returns.
func listSpliceAuto(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	ctx.AutoMemory()
	src := ctx.OpenKey(args[1], module.Read|module.Write)
	dst := ctx.OpenKey(args[2], module.Read|module.Write)
	return splice(ctx, src, dst, args[3])
}

func splice(ctx *module.Ctx, src, dst *module.Key, countArg []byte) error {
	listOrEmpty := func(k *module.Key) bool {
		t := k.Type()
		return t == module.KeyTypeList || t == module.KeyTypeEmpty
	}
	if !listOrEmpty(src) || !listOrEmpty(dst) {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	count, err := module.StringToLongLong(countArg)
	if err != nil || count < 0 {
		return ctx.ReplyWithError("ERR invalid count")
	}
	for ; count > 0; count-- {
		v, err := src.ListPop(module.ListTail)
		if err != nil {
			break
		}
		dst.ListPush(module.ListHead, v)
	}
	return ctx.ReplyWithLongLong(src.ValueLength())
}

// repl2 is HELLO.REPL2 key: increments every element of a list (non
// integers count as 0) by popping from the tail and pushing at the head,
// replies with the sum of the new values and replicates verbatim.
func repl2(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 2 {
		return ctx.WrongArity()
	}
	ctx.AutoMemory()
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	if key.Type() != module.KeyTypeList {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	var sum int64
	for n := key.ValueLength(); n > 0; n-- {
		ele, _ := key.ListPop(module.ListTail)
		val, err := module.StringToLongLong(ele)
		if err != nil {
			val = 0
		}
		val++
		sum += val
		key.ListPush(module.ListHead, []byte(strconv.FormatInt(val, 10)))
	}
	ctx.ReplyWithLongLong(sum)
	return ctx.ReplicateVerbatim()
}
