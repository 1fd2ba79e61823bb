//go:build cgo

package cabi

import (
	"testing"
	"time"
)

// TestBridgeNoLeak runs the test module's commands in an in-process
// server and checks that the C memory the bridge and module hold through
// RedisModule_Alloc (UsedMemory) returns to its level after each round:
// strings, keys, DMA buffers, call replies, contexts and auto memory are
// all released.
func TestBridgeNoLeak(t *testing.T) {
	so := modulePath(t, "bridgetest")
	_, c := inProcessServer(t)
	do := func(args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if len(raw) > 0 && raw[0] == '-' && args[0] != "bt.replies" {
			t.Fatalf("%q: %q", args, raw)
		}
	}
	do("MODULE", "LOAD", so, "keep")
	round := func() {
		do("bt.replies")
		do("bt.conv", "123")
		do("bt.conv", "zz")
		do("bt.dmawrite", "k", "hello")
		do("bt.dmaread", "k")
		do("bt.call", "ck", "v")
		do("bt.callarr")
		do("bt.auto")
		do("bt.alloc")
		do("bt.misc")
		do("bt.dict")
		do("bt.sinfo")
		do("bt.attr")
		do("bt.scan")
		do("bt.f", "a", "b")
		do("bt.events")
		do("bt.bpop", "nokey", "5")
		do("SET", "bk", "v")
		do("bt.signal", "bk")
		do("bt.cmdkeys", "MSET", "a", "1", "b", "2")
		do("SET", "ev:x", "1")
		do("bt.notify", "ev:y")
		do("bt.block", "1", "5")
		do("bt.repl", "rk")
		do("bt.parent", "sub")
		do("bt.retained")
		do("COMMAND", "GETKEYS", "bt.getkeys", "a", "b", "c")
	}
	round()
	base := UsedMemory()
	for i := 0; i < 20; i++ {
		round()
	}
	// Worker threads free their own state just after unblocking.
	for deadline := time.Now().Add(2 * time.Second); UsedMemory() != base && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if got := UsedMemory(); got != base {
		t.Errorf("C memory after 20 rounds: %d bytes, want %d (leak of %d)", got, base, got-base)
	}
	do("MODULE", "UNLOAD", "bridgetest")
}
