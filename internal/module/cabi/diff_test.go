//go:build cgo

package cabi

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestBridgeDiffRedis loads the same C test module into redis-server and
// into Modis and compares the raw replies of its commands byte for byte
// (RESP2 and RESP3). Commands whose replies depend on server state that
// differs by design are not listed here.
func TestBridgeDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgetest"), "hello"}, [][]string{
		{"bt.replies"}, {"bt.replies", "x"},
		{"bt.conv", "123"}, {"bt.conv", "1.5"}, {"bt.conv", "zz"}, {"bt.conv", "abc"}, {"bt.conv", "-0"},
		{"bt.conv", "1e3"}, {"bt.conv", " 1"}, {"bt.conv", "9223372036854775808"}, {"bt.conv", "inf"},
		{"bt.dmawrite", "k1", "hello"}, {"GET", "k1"}, {"bt.dmaread", "k1"}, {"SET", "k2", "12345"},
		{"bt.dmaread", "k2"}, {"bt.dmawrite", "k2", "abc"}, {"GET", "k2"}, {"bt.dmaread", "nokey"},
		{"bt.call", "ck", "v1"}, {"bt.callarr"}, {"bt.auto"}, {"GET", "bt:auto"}, {"bt.alloc"},
		{"bt.retained"}, {"bt.parent", "sub"}, {"bt.parent", "nosub"}, {"bt.parent"},
		{"COMMAND", "GETKEYS", "bt.getkeys", "a", "b", "c"}, {"bt.getkeys", "a", "b", "c"},
		{"COMMAND", "GETKEYS", "bt.info", "foo", "bar"}, {"bt.info"}, {"bt.repl", "rk"},
		{"bt.dict"}, {"bt.notify", "ev:2"}, {"bt.block", "5", "9"},
		// CallReplyAttribute is NULL until another accessor parsed the
		// reply, in redis-server 7.0.15 and Modis alike.
		{"bt.attr"}, {"bt.sinfo"}, {"bt.nosuch"},
		{"bt.cmdkeys", "SET", "a", "b"}, {"bt.cmdkeys", "PING"},
		{"bt.cmdkeys", "GET", "a"}, {"bt.cmdkeys", "MSET", "a", "1", "b", "2"}, {"bt.cmdkeys", "SET", "a", "b", "GET"},
		{"bt.cmdkeys", "SORT", "a", "BY", "x", "STORE", "b"}, {"bt.cmdkeys", "SORT_RO", "a"},
		{"bt.cmdkeys", "BITFIELD", "a", "GET", "u8", "0"}, {"bt.cmdkeys", "BITFIELD", "a", "INCRBY", "u8", "0", "1"},
		{"bt.cmdkeys", "BITFIELD_RO", "a", "GET", "u8", "0"}, {"bt.cmdkeys", "MIGRATE", "h", "1", "", "0", "0", "KEYS", "a", "b"},
		{"bt.cmdkeys", "ZUNIONSTORE", "d", "2", "a", "b"}, {"bt.cmdkeys", "ZDIFFSTORE", "d", "1", "a"}, {"bt.cmdkeys", "EVAL", "s", "2", "a", "b"},
		{"bt.cmdkeys", "GEORADIUS", "a", "0", "0", "1", "m", "STORE", "b"}, {"bt.cmdkeys", "XREAD", "STREAMS", "a", "b", "0", "0"},
		{"bt.cmdkeys", "NOSUCH", "x"}, {"bt.cmdkeys", "GET"},
		{"FLUSHALL"}, {"SET", "s1", "abc"}, {"SET", "s2", "12345"}, {"bt.scan"},
		{"bt.bpop", "nokey", "10"}, {"SET", "bk", "v"}, {"bt.bpop", "bk", "10"}, {"bt.signal", "bk"},
		{"bt.f"}, {"bt.f", "a", "b", "c"}, {"bt.f", "x"}, {"bt.unfilter"}, {"bt.f"},
		{"SELECT", "2"}, {"FLUSHDB"}, {"SWAPDB", "3", "4"}, {"bt.events"}, {"SELECT", "0"},
	})
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgetype")}, [][]string{
		{"bt.tget", "t1"}, {"bt.tset", "t1", "5"}, {"bt.tget", "t1"}, {"TYPE", "t1"}, {"bt.tswap", "t1", "7"},
		{"SET", "s1", "x"}, {"bt.tset", "s1", "1"}, {"bt.tget", "s1"}, {"GET", "t1"}, {"bt.tfrees"},
		{"DEL", "t1"}, {"bt.tfrees"}, {"bt.tfrees", "version"}, {"INFO", "bridgetype"}, {"MODULE", "UNLOAD", "bridgetype"},
	})
	// CONFIG GET with a pattern is not compared: Redis's order is its
	// dict's (unordered).
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgeconf"), "--bridgeconf.num", "42"}, [][]string{
		{"bc.get"}, // apply callbacks do not run at load
		{"CONFIG", "GET", "bridgeconf.num"}, {"CONFIG", "GET", "bridgeconf.str"}, {"CONFIG", "GET", "bridgeconf.mode"}, {"CONFIG", "GET", "bridgeconf.flag"}, {"CONFIG", "SET", "bridgeconf.num", "13"},
		{"CONFIG", "SET", "bridgeconf.num", "101"}, {"CONFIG", "SET", "bridgeconf.mode", "three"},
		{"CONFIG", "SET", "bridgeconf.flag", "maybe"}, {"CONFIG", "SET", "bridgeconf.str", "w", "bridgeconf.num", "7"},
		{"CONFIG", "GET", "bridgeconf.num"}, {"CONFIG", "GET", "bridgeconf.str"}, {"CONFIG", "GET", "bridgeconf.mode"}, {"CONFIG", "GET", "bridgeconf.flag"},
		{"bc.get"},
		// Server and module configs in one CONFIG SET: all set, then
		// applied (a shared module apply callback once per function and
		// private data), or all restored on a failure.
		{"CONFIG", "SET", "bridgeconf.str", "a", "maxmemory-samples", "7", "bridgeconf.num", "5", "bridgeconf.flag", "no"},
		{"bc.get"}, {"CONFIG", "GET", "maxmemory-samples"},
		{"CONFIG", "SET", "maxmemory-samples", "9", "bridgeconf.num", "101"}, {"CONFIG", "GET", "maxmemory-samples"}, {"bc.get"},
		{"CONFIG", "SET", "bridgeconf.num", "9", "maxmemory-samples", "x"}, {"CONFIG", "GET", "bridgeconf.num"}, {"bc.get"},
		{"CONFIG", "SET", "maxmemory-samples", "3", "bridgeconf.str", "failapply"}, {"CONFIG", "GET", "maxmemory-samples"},
		{"CONFIG", "GET", "bridgeconf.str"}, {"bc.get"},
		{"CONFIG", "SET", "bridgeconf.num", "6", "nosuch", "1"}, {"CONFIG", "SET", "bridgeconf.num", "1", "bridgeconf.num", "2"},
		{"CONFIG", "SET", "hz", "20", "bridgeconf.NUM", "8"}, {"bc.get"}, {"CONFIG", "GET", "hz"},
	})
}

// diffModule runs cmds against redis-server and Modis started with the
// same module arguments and compares the raw replies, in RESP2 and RESP3
// (each server restarted per protocol so state matches).
func diffModule(t *testing.T, args []string, cmds [][]string) {
	t.Helper()
	for _, proto := range []string{"2", "3"} {
		r := difftest.StartRedis(t, append([]string{"--enable-module-command", "yes"}, args...)...)
		m := startServer(t, args...)
		rc, err := difftest.Dial(r.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		mc := m.dial(t)
		for _, c := range []*difftest.Conn{rc, mc} {
			if _, _, err := c.Do("HELLO", proto); err != nil {
				t.Fatal(err)
			}
		}
		for _, cmd := range cmds {
			want, _, err := rc.Do(cmd...)
			if err != nil {
				t.Fatalf("redis %q: %v", cmd, err)
			}
			got, _, err := mc.Do(cmd...)
			if err != nil {
				t.Fatalf("modis %q: %v", cmd, err)
			}
			if string(got) != string(want) {
				t.Errorf("RESP%s %s:\n modis %q\n redis %q", proto, strings.Join(cmd, " "), got, want)
			}
		}
	}
}
