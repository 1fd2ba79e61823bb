//go:build cgo

package cabi

import (
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestProcDiffRedis compares the cluster APIs (outside cluster mode) and
// defrag registration of testdata/bridgeproc.c with redis-server.
func TestProcDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgeproc")}, [][]string{
		{"pr.cluster"}, {"pr.defrag"}, {"pr.forkdone"}, {"pr.kill"}, {"pr.kill", "1"}, {"pr.forkevents"},
	})
	// Module strings in payloads use Redis's RDB string encodings
	// (integers, LZF under rdbcompression): SaveDataTypeToString and DUMP
	// bytes equal Redis's (the module's load checks both copies).
	long := strings.Repeat("abcdefgh", 20)
	var cmds [][]string
	for i, v := range []string{"abc", "12345", "-129", "70000", "4294967296", "007", long, "x" + long, ""} {
		k := fmt.Sprint("s", i)
		cmds = append(cmds, []string{"pr.sset", k, v}, []string{"pr.sraw", k}, []string{"DUMP", k})
	}
	cmds = append(cmds, []string{"CONFIG", "SET", "rdbcompression", "no"}, []string{"pr.sraw", "s6"}, []string{"DUMP", "s6"})
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgeproc")}, cmds)
	// A payload that is not one: redis-server 7.0 aborts (the module does
	// not handle IO errors); Modis refuses it.
	ms := startServer(t, "--loadmodule", modulePath(t, "bridgeproc"))
	mc := ms.dial(t)
	for _, bad := range []string{"", "garbage", "\x05\xc3\x10\xff\x00"} {
		raw, _, err := mc.Do("pr.sload", bad)
		if err != nil || string(raw) != "-ERR load failed\r\n" {
			t.Errorf("pr.sload %q = %q %v", bad, raw, err)
		}
	}
	// GetClusterNodeInfo outside cluster mode crashes redis-server 7.0
	// (it looks the node up in a cluster state that does not exist);
	// Modis answers ERR, as for an unknown node.
	m := startServer(t, "--loadmodule", modulePath(t, "bridgeproc"))
	c := m.dial(t)
	raw, _, err := c.Do("pr.cluster", "info")
	if err != nil {
		t.Fatal(err)
	}
	if want := "*7\r\n:0\r\n:1\r\n:1\r\n:12345\r\n:1\r\n:1\r\n:0\r\n"; string(raw) != want {
		t.Errorf("pr.cluster info = %q, want %q", raw, want)
	}
}

// TestForkDiffRedis runs module fork children in redis-server and Modis
// and compares what the module and INFO see: the done handler's exit code
// and signal, EEXIST for a second child, KillForkChild (no done handler),
// a child killed from outside, the ForkChild events, heartbeat progress
// and the fork counters.
func TestForkDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	so := modulePath(t, "bridgeproc")
	r := difftest.StartRedis(t, "--loadmodule", so)
	m := startServer(t, "--loadmodule", so)
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mc := m.dial(t)
	want := forkScenario(t, rc)
	got := forkScenario(t, mc)
	if w, g := strings.Join(want, "\n"), strings.Join(got, "\n"); w != g {
		t.Errorf("fork scenario differs\nredis:\n%s\nmodis:\n%s", w, g)
	}
	// The child logged through the server's log, as a child ('C').
	deadline := time.Now().Add(5 * time.Second)
	for !regexp.MustCompile(`\d+:C .* \* <bridgeproc> child hello`).MatchString(m.out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no child log line in:\n%s", m.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func forkScenario(t *testing.T, c *difftest.Conn) []string {
	t.Helper()
	var out []string
	do := func(args ...string) string {
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	rec := func(args ...string) { out = append(out, strings.Join(args, " ")+" -> "+strconv.Quote(do(args...))) }
	// poll waits until cmd answers want, then records it.
	poll := func(want string, args ...string) {
		deadline := time.Now().Add(10 * time.Second)
		for do(args...) != want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		rec(args...)
	}
	info := func(field string) string {
		text := do("INFO", "everything")
		m := regexp.MustCompile(`(?m)^` + field + `:(.*)\r$`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("INFO has no %s", field)
		}
		return m[1]
	}
	rec("pr.fork", "7", "0", "hello")
	poll("*3\r\n:7\r\n:0\r\n:1\r\n", "pr.forkdone")
	poll("*2\r\n:1\r\n:1\r\n", "pr.forkevents")
	out = append(out, "total_forks "+info("total_forks"), "in_progress "+info("module_fork_in_progress"))

	rec("pr.fork", "0", "5000")
	rec("pr.fork", "0", "0") // EEXIST
	out = append(out, "in_progress "+info("module_fork_in_progress"))
	deadline := time.Now().Add(5 * time.Second)
	for info("current_fork_perc") != "50.00" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out = append(out, "perc "+info("current_fork_perc"))
	rec("pr.kill")
	rec("pr.kill")
	rec("pr.forkdone")
	rec("pr.forkevents")
	out = append(out, "in_progress "+info("module_fork_in_progress"), "perc "+info("current_fork_perc"))

	// A child killed from outside: the done handler sees the signal.
	rec("pr.fork", "0", "5000")
	pid, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(do("pr.pid"), ":")))
	if err != nil || pid <= 0 {
		t.Fatalf("pr.pid: %v", err)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	poll(fmt.Sprintf("*3\r\n:-1\r\n:%d\r\n:1\r\n", int(syscall.SIGKILL)), "pr.forkdone")
	poll("*2\r\n:3\r\n:3\r\n", "pr.forkevents")
	out = append(out, "total_forks "+info("total_forks"))
	return out
}

// TestBlockedStatsDiffRedis checks, in redis-server and Modis alike, how a
// module-blocked command is accounted: counted once when it runs, but
// logged in the slow log only when unblocked, with the background time the
// module measured (BlockedClientMeasureTime) included there and in the
// command's time.
func TestBlockedStatsDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	so := modulePath(t, "bridgeproc")
	r := difftest.StartRedis(t, "--loadmodule", so, "--slowlog-log-slower-than", "0")
	m := startServer(t, "--loadmodule", so, "--slowlog-log-slower-than", "0")
	for name, addr := range map[string]string{"redis": r.Addr, "modis": m.addr} {
		t.Run(name, func(t *testing.T) {
			a, err := difftest.Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			b, err := difftest.Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			do := func(c *difftest.Conn, args ...string) string {
				raw, _, err := c.Do(args...)
				if err != nil {
					t.Fatal(err)
				}
				return string(raw)
			}
			stat := regexp.MustCompile(`cmdstat_pr\.bgwork:calls=(\d+),usec=(\d+)`)
			do(a, "SLOWLOG", "RESET")
			if err := b.Send("pr.bgwork", "300"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			if m := stat.FindStringSubmatch(do(a, "INFO", "commandstats")); m == nil || m[1] != "1" {
				t.Errorf("while blocked: commandstats %v, want calls=1", m)
			}
			if log := do(a, "SLOWLOG", "GET"); strings.Contains(log, "pr.bgwork") {
				t.Errorf("while blocked the slow log has the command: %q", log)
			}
			if raw, _, err := b.Read(); err != nil || string(raw) != "+OK\r\n" {
				t.Fatalf("pr.bgwork: %q %v", raw, err)
			}
			_, v, err := a.Do("SLOWLOG", "GET", "1")
			if err != nil || len(v.Elems) != 1 || len(v.Elems[0].Elems) < 4 {
				t.Fatalf("SLOWLOG GET 1: %+v %v", v, err)
			}
			e := v.Elems[0].Elems
			if args := e[3].Elems; len(args) != 2 || string(args[0].Str) != "pr.bgwork" {
				t.Errorf("slow log entry args %+v", args)
			}
			if e[2].Int < 300000 {
				t.Errorf("slow log duration %d us, want the 300 ms of background work included", e[2].Int)
			}
			m := stat.FindStringSubmatch(do(a, "INFO", "commandstats"))
			if m == nil || m[1] != "1" {
				t.Fatalf("after: commandstats %v", m)
			}
			if usec, _ := strconv.Atoi(m[2]); usec < 300000 {
				t.Errorf("commandstats usec %d, want the background time included", usec)
			}
		})
	}
}

// TestMoveModuleValueDiffRedis: MOVE hands the same module value to the
// other db: its free callback must not run (Redis only notifies the
// unlink from the source key).
func TestMoveModuleValueDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgetype")}, [][]string{
		{"bt.tset", "t1", "5"}, {"MOVE", "t1", "1"}, {"bt.tfrees"}, {"SELECT", "1"}, {"bt.tget", "t1"},
		{"bt.tset", "t2", "6"}, {"RENAME", "t2", "t1"}, {"bt.tfrees"}, {"bt.tget", "t1"}, {"DEL", "t1"}, {"bt.tfrees"},
	})
	// The unlink, free effort and free callbacks per way a value leaves
	// its key, with the lazyfree-lazy-* configs off and on.
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgemore")}, [][]string{
		{"mx.tset", "a", "1"}, {"RENAME", "a", "b"}, {"mx.counts"},
		{"mx.tset", "c", "2"}, {"RENAME", "c", "b"}, {"mx.counts"},
		{"MOVE", "b", "1"}, {"mx.counts"}, {"SELECT", "1"}, {"mx.tget", "b"}, {"DEL", "b"}, {"mx.counts"}, {"SELECT", "0"},
		{"CONFIG", "SET", "lazyfree-lazy-server-del", "yes"},
		{"mx.tset", "d", "3"}, {"SET", "d", "x"}, {"mx.counts"},
		{"mx.tset", "e", "4"}, {"mx.tset", "f", "5"}, {"RENAME", "e", "f"}, {"mx.counts"},
		{"MOVE", "f", "2"}, {"mx.counts"}, {"COPY", "d", "f", "DB", "2", "REPLACE"}, {"mx.counts"},
		{"mx.tset", "g", "6"}, {"PEXPIRE", "g", "1"}, {"DEBUG", "SLEEP", "0.01"}, {"GET", "g"}, {"mx.counts"},
		{"CONFIG", "SET", "lazyfree-lazy-expire", "yes"},
		{"mx.tset", "g", "6"}, {"PEXPIRE", "g", "1"}, {"DEBUG", "SLEEP", "0.01"}, {"GET", "g"}, {"mx.counts"},
		{"mx.tset", "h", "7"}, {"UNLINK", "h"}, {"mx.counts"},
		{"CONFIG", "SET", "lazyfree-lazy-eviction", "yes"}, {"CONFIG", "SET", "maxmemory-policy", "allkeys-random"},
		{"FLUSHALL"}, {"mx.tset", "i", "8"}, {"mx.tset", "j", "9"}, {"mx.counts"},
		{"CONFIG", "SET", "maxmemory", "1"}, {"SET", "k", "v"}, {"CONFIG", "SET", "maxmemory", "0"}, {"DBSIZE"}, {"mx.counts"},
	})
}
