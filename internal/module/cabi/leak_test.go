//go:build cgo

package cabi

import (
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
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
	round := func() { leakRound(do) }
	round()
	base, hbase := UsedMemory(), LiveHandles()
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
	if got := LiveHandles(); got != hbase {
		t.Errorf("cgo handles after 20 rounds: %d, want %d", got, hbase)
	}
	do("MODULE", "UNLOAD", "bridgetest")
}

// leakRound runs every test-module command once.
func leakRound(do func(args ...string)) {
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

// TestBridgeLoadUnloadNoLeak loads a module, runs every command, drops a
// connection blocked on a key, unloads, and also loads a module whose
// OnLoad fails after creating a type and commands, many times; the
// bridge's cgo handles and C memory must come back to their start.
func TestBridgeLoadUnloadNoLeak(t *testing.T) {
	so, more := modulePath(t, "bridgetest"), modulePath(t, "bridgemore")
	s, c := inProcessServer(t)
	reply := func(args ...string) string {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		return string(raw)
	}
	do := func(args ...string) {
		t.Helper()
		if raw := reply(args...); len(raw) > 0 && raw[0] == '-' && args[0] != "bt.replies" {
			t.Fatalf("%q: %q", args, raw)
		}
	}
	h0, m0 := LiveHandles(), UsedMemory()
	for i := 0; i < 10; i++ {
		do("MODULE", "LOAD", so, "keep")
		leakRound(do)
		bc, err := difftest.Dial(s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if err := bc.Send("bt.bpop", "never", "0"); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(2 * time.Second); !strings.Contains(reply("CLIENT", "LIST"), "cmd=bt.bpop"); {
			if time.Now().After(deadline) {
				t.Fatalf("bt.bpop did not block: %q", reply("CLIENT", "LIST"))
			}
			time.Sleep(2 * time.Millisecond)
		}
		bc.Close()
		for deadline := time.Now().Add(2 * time.Second); ; {
			if raw := reply("MODULE", "UNLOAD", "bridgetest"); raw == "+OK\r\n" {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("MODULE UNLOAD: %q", raw)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if raw := reply("MODULE", "LOAD", more, "fail"); raw[0] != '-' {
			t.Fatalf("failing OnLoad: %q", raw)
		}
	}
	for deadline := time.Now().Add(2 * time.Second); (LiveHandles() != h0 || UsedMemory() != m0) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if h, m := LiveHandles(), UsedMemory(); h != h0 || m != m0 {
		t.Errorf("after 10 load/run/unload rounds: %d cgo handles (start %d), %d bytes of C memory (start %d)", h, h0, m, m0)
	}
}

// TestBridgeMoreNoLeak: the long-double, value-string, blocked-handle,
// client-name, event and allocation APIs of testdata/bridgemore.c leave
// neither C memory nor cgo handles behind.
func TestBridgeMoreNoLeak(t *testing.T) {
	so := modulePath(t, "bridgemore")
	_, c := inProcessServer(t)
	do := func(args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if len(raw) > 0 && raw[0] == '-' {
			t.Fatalf("%q: %q", args, raw)
		}
	}
	do("MODULE", "LOAD", so)
	round := func() {
		do("mx.ld", "0.1")
		do("mx.ld", "-1e300")
		do("mx.tset", "t", "5")
		do("mx.tget", "t")
		do("mx.tstr", "t")
		do("mx.setname", "self", "leaky")
		do("mx.block")
		do("mx.keyto", "kt", "5")
		do("CONFIG", "SET", "hz", "10", "maxmemory-policy", "noeviction")
		do("mx.evlog")
		do("mx.hold", "1000")
		do("mx.release")
		do("DEL", "t")
	}
	round()
	m0, h0 := UsedMemory(), LiveHandles()
	for i := 0; i < 10; i++ {
		round()
	}
	for deadline := time.Now().Add(2 * time.Second); (UsedMemory() != m0 || LiveHandles() != h0) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if m, h := UsedMemory(), LiveHandles(); m != m0 || h != h0 {
		t.Errorf("after 10 rounds: %d bytes of C memory (start %d), %d cgo handles (start %d)", m, m0, h, h0)
	}
}

// TestCExamplesNoLeak runs the C example modules' commands in rounds: the
// bridge's C memory and cgo handles (and what the modules free) return to
// their level.
func TestCExamplesNoLeak(t *testing.T) {
	_, c := inProcessServer(t)
	do := func(args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if len(raw) > 0 && raw[0] == '-' {
			t.Fatalf("%q: %q", args, raw)
		}
	}
	for _, n := range []string{"helloworld", "hellotype", "hellodict", "helloblock"} {
		do("MODULE", "LOAD", examplePath(t, n))
	}
	round := func() {
		do("SET", "k", "Hello")
		do("hello.simple")
		do("hello.toggle.case", "k")
		do("hello.leftpad", "abc", "10", "-")
		do("hello.more.expire", "k", "1000")
		do("hello.repl1")
		do("hellodict.set", "a", "1")
		do("hellodict.get", "a")
		do("hellodict.keyrange", "a", "z", "5")
		do("hellotype.insert", "t", "3")
		do("hellotype.insert", "t", "1")
		do("hellotype.range", "t", "0", "5")
		do("hellotype.brange", "t", "0", "5", "10")
		do("hellotype.brange", "empty", "0", "5", "5")
		do("DEL", "t")
		do("hello.block", "0", "1000")
		do("hello.keys")
	}
	round()
	m0, h0 := UsedMemory(), LiveHandles()
	for i := 0; i < 10; i++ {
		round()
	}
	for deadline := time.Now().Add(2 * time.Second); (UsedMemory() != m0 || LiveHandles() != h0) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if m, h := UsedMemory(), LiveHandles(); m != m0 || h != h0 {
		t.Errorf("after 10 rounds: %d bytes of C memory (start %d), %d cgo handles (start %d)", m, m0, h, h0)
	}
}
