package server

import (
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/module"
)

// FAILOVER: the error replies (byte for byte against redis-server), a
// coordinated failover from Modis to redis-server and back, the paused
// writes, the timeout, FORCE and ABORT.

func waitInfo(t *testing.T, c *difftest.Conn, field, want string) {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for time.Now().Before(deadline) {
		if replInfo(t, c, field) == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: %q, want %q", field, replInfo(t, c, field), want)
}

func TestFailoverErrors(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, func(c *config.Config) { c.Dir = t.TempDir() })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	cmds := [][]string{
		{"FAILOVER", "ABORT"}, {"FAILOVER", "abort", "x"}, {"FAILOVER", "TIMEOUT", "0"},
		{"FAILOVER", "TIMEOUT", "-5"}, {"FAILOVER", "TIMEOUT", "x"}, {"FAILOVER", "TIMEOUT"},
		{"FAILOVER", "TIMEOUT", "10", "TIMEOUT", "10"}, {"FAILOVER", "TO", "h"}, {"FAILOVER", "TO", "h", "x"},
		{"FAILOVER", "TO", "h", "1", "TO", "h", "2"}, {"FAILOVER", "FORCE", "FORCE"}, {"FAILOVER", "foo"},
		{"FAILOVER"}, {"FAILOVER", "FORCE"}, {"FAILOVER", "TO", "127.0.0.1", "1", "FORCE"},
		{"FAILOVER", "TIMEOUT", "100"}, {"PSYNC", "abc", "1", "FAILOVER"},
	}
	compare := func() {
		t.Helper()
		for _, cmd := range cmds {
			w, _, _ := rc.Do(cmd...)
			g, _, _ := mc.Do(cmd...)
			if string(w) != string(g) {
				t.Errorf("%v: redis %q, modis %q", cmd, w, g)
			}
		}
	}
	compare()
	// As replicas (of a master that does not answer).
	mustDo(t, rc, "REPLICAOF", "127.0.0.1", "1")
	mustDo(t, mc, "REPLICAOF", "127.0.0.1", "1")
	compare()
}

// failoverPair runs a coordinated FAILOVER from master m to replica rp,
// then checks roles, data and the paused write.
func failoverPair(t *testing.T, m, rp *difftest.Conn, rpAddr string, args ...string) {
	t.Helper()
	waitInSync(t, m, rp)
	host, port := hostPort(t, rpAddr)
	// Both errors that need a replica.
	if _, v, _ := m.Do("FAILOVER", "TO", host, "1"); string(v.Str) != "ERR FAILOVER target HOST and PORT is not a replica." {
		t.Errorf("FAILOVER TO wrong port: %q", v.Str)
	}
	if _, v, _ := m.Do("FAILOVER", "FORCE", "TIMEOUT", "100"); string(v.Str) != "ERR FAILOVER with force option requires both a timeout and target HOST and IP." {
		t.Errorf("FORCE without TO: %q", v.Str)
	}
	cmd := append([]string{"FAILOVER"}, args...)
	if len(args) > 0 && args[0] == "TO" {
		cmd = append([]string{"FAILOVER", "TO", host, port}, args[1:]...)
	}
	if _, v, _ := m.Do(cmd...); string(v.Str) != "OK" {
		t.Fatalf("%v: %q", cmd, v.Str)
	}
	waitInfo(t, m, "role", "slave")
	waitInfo(t, rp, "role", "master")
	waitInfo(t, m, "master_link_status", "up")
	if st := replInfo(t, m, "master_failover_state"); st != "no-failover" {
		t.Errorf("old master failover state %q", st)
	}
	// The new master's writes reach the old one.
	mustDo(t, rp, "SET", "after-failover", "1")
	waitInSync(t, rp, m)
	sameDigest(t, rp, m)
	if _, v, _ := m.Do("SET", "x", "y"); string(v.Str) != "READONLY You can't write against a read only replica." {
		t.Errorf("write on the demoted master: %q", v.Str)
	}
}

// Modis master -> redis-server replica, then back (redis-server's FAILOVER
// to a Modis replica).
func TestFailoverModisRedis(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) {
		c.EnableDebugCommand = "yes"
		c.ReplDisklessSyncDelay = 0
		c.Dir = t.TempDir()
	})
	mc := dial(t, s.Addr().String())
	fillEverything(t, mc)
	host, port := hostPort(t, s.Addr().String())
	r := difftest.StartRedis(t, "--enable-debug-command", "yes", "--replicaof", host, port)
	rc := dial(t, r.Addr)
	failoverPair(t, mc, rc, r.Addr)
	if v := statInfo(t, rc, "sync_partial_ok"); v != "1" {
		t.Errorf("redis sync_partial_ok after failover %s", v)
	}
	// And back: redis-server hands over to Modis.
	failoverPair(t, rc, mc, s.Addr().String(), "TO", "TIMEOUT", "5000")
}

// A FAILOVER whose replica cannot catch up: writes wait, the TIMEOUT and
// ABORT end it, FORCE fails over anyway; AvoidReplicaTraffic meanwhile.
func TestFailoverTimeoutAbortForce(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes"; c.ReplDisklessSyncDelay = 0; c.Dir = t.TempDir() })
	mc := dial(t, s.Addr().String())
	host, port := hostPort(t, s.Addr().String())
	r := difftest.StartRedis(t, "--enable-debug-command", "yes", "--replicaof", host, port)
	rc := dial(t, r.Addr)
	waitInSync(t, mc, rc)
	rhost, rport := hostPort(t, r.Addr)

	// The replica sleeps: it cannot acknowledge the write below.
	stall := func(ms string) {
		rc2 := dial(t, r.Addr)
		go rc2.Do("DEBUG", "SLEEP", ms)
		time.Sleep(50 * time.Millisecond)
		mustDo(t, mc, "SET", "k", "v")
	}
	stall("1.5")
	if module.AvoidReplicaTraffic() {
		t.Errorf("AvoidReplicaTraffic before FAILOVER")
	}
	mustDo(t, mc, "FAILOVER", "TIMEOUT", "300")
	if st := replInfo(t, mc, "master_failover_state"); st != "waiting-for-sync" {
		t.Errorf("state %q", st)
	}
	if !module.AvoidReplicaTraffic() {
		t.Errorf("AvoidReplicaTraffic false during FAILOVER")
	}
	if _, v, _ := mc.Do("FAILOVER"); string(v.Str) != "ERR FAILOVER already in progress." {
		t.Errorf("second FAILOVER: %q", v.Str)
	}
	// A write waits for the failover to end (here: its timeout).
	wc := dial(t, s.Addr().String())
	start := time.Now()
	mustDo(t, wc, "CLIENT", "UNPAUSE") // does not end the failover's pause
	if _, v, _ := wc.Do("SET", "paused", "1"); string(v.Str) != "OK" {
		t.Errorf("paused SET: %q", v.Str)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("SET not paused (%v)", d)
	}
	waitInfo(t, mc, "master_failover_state", "no-failover")
	if replInfo(t, mc, "role") != "master" {
		t.Errorf("role after timeout: %s", replInfo(t, mc, "role"))
	}
	if module.AvoidReplicaTraffic() {
		t.Errorf("AvoidReplicaTraffic after FAILOVER")
	}

	// ABORT.
	waitInSync(t, mc, rc)
	stall("1")
	mustDo(t, mc, "FAILOVER", "TO", rhost, rport)
	mustDo(t, mc, "FAILOVER", "ABORT")
	if st := replInfo(t, mc, "master_failover_state"); st != "no-failover" {
		t.Errorf("state after ABORT %q", st)
	}
	mustDo(t, mc, "SET", "after-abort", "1")

	// FORCE: fails over when the timeout expires, caught up or not.
	waitInSync(t, mc, rc)
	stall("0.8")
	mustDo(t, mc, "FAILOVER", "TO", rhost, rport, "TIMEOUT", "200", "FORCE")
	waitInfo(t, mc, "role", "slave")
	waitInfo(t, rc, "role", "master")
	waitInfo(t, mc, "master_link_status", "up")
	waitInSync(t, rc, mc)
	sameDigest(t, rc, mc)
}

// sameDigest compares DEBUG DIGEST (encodings may differ: a value made by
// a command on one side was loaded from an RDB on the other).
func sameDigest(t *testing.T, a, b *difftest.Conn) {
	t.Helper()
	w, _, _ := a.Do("DEBUG", "DIGEST")
	g, _, _ := b.Do("DEBUG", "DIGEST")
	if string(w) != string(g) || strings.Contains(string(w), "00000000000000000000") {
		t.Errorf("DEBUG DIGEST: %q and %q", w, g)
	}
}
