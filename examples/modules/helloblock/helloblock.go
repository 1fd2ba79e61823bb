// Package helloblock is a Go port of Redis's example module
// src/modules/helloblock.c: blocking commands served by worker
// goroutines. HELLO.BLOCK delay timeout replies with a random number
// after delay seconds (or "Request timedout"); HELLO.KEYS lists every key
// by running SCAN from a goroutine through a thread-safe context.
package helloblock

import (
	"math/rand"
	"time"

	"github.com/modis/modis/module"
)

func init() {
	module.Register(module.Info{Name: "helloblock", New: func() module.Module { return &helloBlock{} }})
}

type helloBlock struct{}

func (helloBlock) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("helloblock", 1); err != nil {
		return err
	}
	if err := ctx.CreateCommand("hello.block", block, "", 0, 0, 0); err != nil {
		return err
	}
	return ctx.CreateCommand("hello.keys", keys, "", 0, 0, 0)
}

// blockReply runs when the worker unblocks the client.
func blockReply(ctx *module.Ctx, args [][]byte) error {
	return ctx.ReplyWithLongLong(ctx.GetBlockedClientPrivateData().(int64))
}

// blockTimeout runs when the client's timeout passes first.
func blockTimeout(ctx *module.Ctx, args [][]byte) error {
	return ctx.ReplyWithSimpleString("Request timedout")
}

// block is HELLO.BLOCK delay timeout.
func block(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 3 {
		return ctx.WrongArity()
	}
	delay, err := module.StringToLongLong(args[1])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid count")
	}
	timeout, err := module.StringToLongLong(args[2])
	if err != nil {
		return ctx.ReplyWithError("ERR invalid count")
	}
	bc := ctx.BlockClient(blockReply, blockTimeout, nil, timeout)
	bc.SetDisconnectCallback(func(ctx *module.Ctx, bc *module.BlockedClient) {
		ctx.Log(module.LogWarning, "Blocked client %p disconnected!", bc)
	})
	go func() {
		time.Sleep(time.Duration(delay) * time.Second)
		bc.UnblockClient(rand.Int63n(1 << 31))
	}()
	return nil
}

// keys is HELLO.KEYS: SCAN from a goroutine, replying through a
// thread-safe context bound to the blocked client.
func keys(ctx *module.Ctx, args [][]byte) error {
	if len(args) != 1 {
		return ctx.WrongArity()
	}
	bc := ctx.BlockClient(nil, nil, nil, 0)
	tctx := ctx.GetThreadSafeContext(bc)
	go func() {
		tctx.ReplyWithArray(module.PostponedLen)
		var n int64
		cursor := int64(0)
		for {
			tctx.ThreadSafeContextLock()
			r, err := tctx.Call("SCAN", "l", cursor)
			tctx.ThreadSafeContextUnlock()
			if err != nil {
				break
			}
			cursor, _ = module.StringToLongLong(r.Element(0).Bytes())
			ks := r.Element(1)
			for i := 0; i < ks.Len(); i++ {
				tctx.ReplyWithCallReply(ks.Element(i))
				n++
			}
			if cursor == 0 {
				break
			}
		}
		tctx.ReplySetArrayLength(n)
		tctx.FreeThreadSafeContext()
		bc.UnblockClient(nil)
	}()
	return nil
}
