package helloworld

import "github.com/modis/modis/module"

// zsumRange is HELLO.ZSUMRANGE key startscore endscore: the sum of the
// scores of the elements in the score range, computed twice (walking
// forward from the first element, and backward from the last), replied
// as a two-element array whose values should match.
func zsumRange(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 4 {
		return ctx.WrongArity()
	}
	start, err1 := module.StringToDouble(args[2])
	end, err2 := module.StringToDouble(args[3])
	if err1 != nil || err2 != nil {
		return ctx.ReplyWithError("ERR invalid range")
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	defer key.Close()
	if key.Type() != module.KeyTypeZset {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	var sumA, sumB float64
	key.ZsetFirstInScoreRange(start, end, false, false)
	for !key.ZsetRangeEndReached() {
		_, score, _ := key.ZsetRangeCurrentElement()
		sumA += score
		key.ZsetRangeNext()
	}
	key.ZsetRangeStop()
	key.ZsetLastInScoreRange(start, end, false, false)
	for !key.ZsetRangeEndReached() {
		_, score, _ := key.ZsetRangeCurrentElement()
		sumB += score
		key.ZsetRangePrev()
	}
	key.ZsetRangeStop()
	ctx.ReplyWithArray(2)
	ctx.ReplyWithDouble(sumA)
	return ctx.ReplyWithDouble(sumB)
}

// lexRange is HELLO.LEXRANGE key min_lex max_lex min_age max_age: the
// members of a sorted set of "<name>:<age>" elements (all scored 0) in
// the ZRANGEBYLEX range min_lex..max_lex. The age arguments are accepted
// but, as in Redis's example, not used.
func lexRange(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 6 {
		return ctx.WrongArity()
	}
	key := ctx.OpenKey(args[1], module.Read|module.Write)
	defer key.Close()
	if key.Type() != module.KeyTypeZset {
		return ctx.ReplyWithError(module.ErrWrongType)
	}
	if key.ZsetFirstInLexRange(args[2], args[3]) != nil {
		return ctx.ReplyWithError("invalid range")
	}
	ctx.ReplyWithArray(module.PostponedLen)
	n := int64(0)
	for !key.ZsetRangeEndReached() {
		m, _, _ := key.ZsetRangeCurrentElement()
		ctx.ReplyWithStringBuffer(m)
		key.ZsetRangeNext()
		n++
	}
	key.ZsetRangeStop()
	ctx.ReplySetArrayLength(n)
	return nil
}
