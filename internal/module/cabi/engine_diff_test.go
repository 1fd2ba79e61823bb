//go:build cgo

package cabi

import (
	"os/exec"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestEngineDiffRedis compares RM_Call's flags, the LRU/LFU APIs, ScanKey
// on types Modis has, and call-reply attributes between redis-server and
// Modis with the enginetest module.
func TestEngineDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "enginetest")}, [][]string{
		// RM_Call flags: errno, or the 'E' error reply.
		{"et.callflags", "S", "save"}, {"et.callflags", "SE", "save"}, {"et.callflags", "S", "set", "k", "v"},
		{"et.callflags", "W", "set", "k", "v"}, {"et.callflags", "WE", "set", "k", "v"}, {"et.callflags", "W", "get", "k"},
		{"et.callflags", "E", "nosuch", "a"}, {"et.callflags", "", "nosuch"}, {"et.callflags", "WE", "set", "k"},
		{"et.callflags", "E", "config", "nosub"}, {"et.callflags", "C", "set", "k", "v"}, {"et.callflags", "CE", "get", "k"},
		{"et.callflags", "x", "get", "k"}, {"et.callflags", "E", "incr", "k"}, {"et.callflags", "SWE", "save"},
		{"et.callflags", "K", "get", "k"}, {"et.callflags", "0", "get", "k"},
		{"CONFIG", "SET", "min-replicas-to-write", "1"}, {"et.callflags", "SE", "del", "k"}, {"et.callflags", "S", "del", "k"},
		{"et.callflags", "SE", "get", "k"}, {"et.callflags", "E", "del", "nokey"}, {"CONFIG", "SET", "min-replicas-to-write", "0"},
		{"CONFIG", "SET", "maxmemory", "1"}, {"et.callflags", "ME", "set", "k", "v"}, {"et.callflags", "M", "set", "k", "v"},
		{"et.callflags", "", "set", "k", "v"}, {"et.callflags", "M", "get", "k"}, {"CONFIG", "SET", "maxmemory", "0"},
		{"et.callflags", "M", "set", "k", "v"},
		// Access times.
		{"SET", "k", "v"}, {"et.lru", "k", "100000"}, {"OBJECT", "IDLETIME", "k"}, {"et.lru", "k", "-5"},
		{"et.lfu", "k"}, {"et.lfu", "k", "3"},
		{"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}, {"et.lfu", "k", "7"}, {"OBJECT", "FREQ", "k"},
		{"et.lfu", "k"}, {"et.lru", "k", "1000"}, {"et.lru", "k"},
		{"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}, {"et.lfu", "k"}, {"et.lru", "k", "20000"},
		{"CONFIG", "SET", "maxmemory-policy", "noeviction"},
		// ScanKey on what it refuses. (A missing key opened for reading is
		// NULL: redis-server crashes on GetLRU(NULL) and the like.)
		{"et.scankey", "k"}, {"et.scankey", "nokey"},
		// Attributes on RM_Call replies.
		{"et.callflags", "3", "et.attrsrc"}, {"et.callflags", "", "et.attrsrc"},
		// One OnLoad may create the same data type twice.
		{"et.duptype"},
	})
}

// TestEngineYieldRedis checks RM_Yield against redis-server: while a
// command yields with the clients flag, another client gets -BUSY (the
// module's text) and allow-busy commands run.
func TestEngineYieldRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	args := []string{"--loadmodule", modulePath(t, "enginetest"), "--busy-reply-threshold", "50"}
	r := difftest.StartRedis(t, append([]string{"--enable-module-command", "yes"}, args...)...)
	m := startServer(t, args...)
	for _, addr := range []string{r.Addr, m.addr} {
		a, err := difftest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		b, err := difftest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, cmd := range [][]string{{"et.yield", "700", "2", "busy here"}, {"et.yield", "700", "2"}} {
			a.Send(cmd...)
			time.Sleep(250 * time.Millisecond)
			for _, c := range [][]string{{"PING"}, {"MULTI"}, {"DISCARD"}, {"GET", "x"}} {
				raw, _, _ := b.Do(c...)
				got = append(got, string(raw))
			}
			raw, _, _ := a.Read()
			got = append(got, string(raw))
		}
		a.Close()
		b.Close()
		want := []string{"-BUSY busy here\r\n", "+OK\r\n", "+OK\r\n", "-BUSY busy here\r\n", "+OK\r\n",
			"-BUSY Redis is busy running a module command.\r\n", "+OK\r\n", "+OK\r\n", "-BUSY Redis is busy running a module command.\r\n", "+OK\r\n"}
		for i := range want {
			if i >= len(got) || got[i] != want[i] {
				t.Errorf("%s: replies %q, want %q", addr, got, want)
				break
			}
		}
	}
}
