// Package hellotimer is a Go port of Redis's example module
// src/modules/hellotimer.c: HELLOTIMER.TIMER arms ten timers with random
// delays below five seconds; each logs when it fires.
package hellotimer

import (
	"fmt"
	"math/rand"

	"github.com/modis/modis/module"
)

func init() {
	module.Register(module.Info{Name: "hellotimer", New: func() module.Module { return &helloTimer{} }})
}

type helloTimer struct{}

func (helloTimer) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("hellotimer", 1); err != nil {
		return err
	}
	return ctx.CreateCommand("hellotimer.timer", timerCommand, "readonly", 0, 0, 0)
}

func timerHandler(ctx *module.Ctx, data any) {
	ctx.Log(module.LogNotice, "Fired %s!", data.(string))
}

func timerCommand(ctx *module.Ctx, args [][]byte) error {
	for i := 0; i < 10; i++ {
		delay := rand.Intn(5000)
		ctx.CreateTimer(int64(delay), timerHandler, fmt.Sprintf("After %d", delay))
	}
	return ctx.ReplyWithSimpleString("OK")
}
