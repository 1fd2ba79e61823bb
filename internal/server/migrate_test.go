package server

import (
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestMigrateDiff runs the same MIGRATE commands on a redis-server and on
// Modis, each migrating to its own redis-server target, and compares the
// replies byte for byte and then the sources and targets by DEBUG DIGEST.
func TestMigrateDiff(t *testing.T) {
	rsrc := difftest.StartRedis(t, "--enable-debug-command", "yes")
	rdst := difftest.StartRedis(t, "--enable-debug-command", "yes")
	mdst := difftest.StartRedis(t, "--enable-debug-command", "yes")
	m := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, rsrc.Addr), dial(t, m.Addr().String())
	rt, mt := dial(t, rdst.Addr), dial(t, mdst.Addr)
	port := func(addr string) string { return addr[strings.LastIndex(addr, ":")+1:] }
	closed := strconv.Itoa(difftest.FreePort(t))
	script := `
SET a 1
SET b hello
RPUSH l x y z
HSET h f v
SET ttl v PX 500000
SADD s 1 2 3
MIGRATE 127.0.0.1 PORT nokey 0 1000
MIGRATE 127.0.0.1 PORT a 0 1000
EXISTS a
MIGRATE 127.0.0.1 PORT b 0 1000 COPY
EXISTS b
MIGRATE 127.0.0.1 PORT b 0 1000 COPY
MIGRATE 127.0.0.1 PORT b 0 1000 COPY REPLACE
MIGRATE 127.0.0.1 PORT "" 0 1000 KEYS l h nokey
EXISTS l h
MIGRATE 127.0.0.1 PORT "" 0 1000 KEYS nokey nokey2
MIGRATE 127.0.0.1 PORT b 0 1000 KEYS l
MIGRATE 127.0.0.1 PORT ttl 3 1000
MIGRATE 127.0.0.1 PORT s 3 0 REPLACE
MIGRATE 127.0.0.1 PORT b 0 abc
MIGRATE 127.0.0.1 PORT b x 1000
MIGRATE 127.0.0.1 PORT b 0 1000 BADOPT
MIGRATE 127.0.0.1 PORT b 0 1000 AUTH
MIGRATE 127.0.0.1 PORT b 0 1000 AUTH2 user
MIGRATE 127.0.0.1 PORT b 0 1000 AUTH secret
MIGRATE 127.0.0.1 PORT b 0 1000 AUTH2 user secret
MIGRATE 127.0.0.1 CLOSED b 0 200
MIGRATE 127.0.0.1 notaport b 0 200
MIGRATE 127.0.0.1 PORT b 0 1000 REPLACE
EXISTS b
DBSIZE
`
	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
		var rargs, margs []string
		for _, f := range strings.Fields(line) {
			if f == `""` {
				f = ""
			}
			rf, mf := f, f
			switch f {
			case "PORT":
				rf, mf = port(rdst.Addr), port(mdst.Addr)
			case "CLOSED":
				rf, mf = closed, closed
			}
			rargs, margs = append(rargs, rf), append(margs, mf)
		}
		want, _, err1 := rc.Do(rargs...)
		got, _, err2 := mc.Do(margs...)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", line, err1, err2)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n modis %q\n redis %q", line, got, want)
		}
	}
	for _, db := range []string{"0", "3"} {
		mustDo(t, rt, "SELECT", db)
		mustDo(t, mt, "SELECT", db)
		want, _, _ := rt.Do("DEBUG", "DIGEST")
		got, _, _ := mt.Do("DEBUG", "DIGEST")
		if string(got) != string(want) || string(want) == "+0000000000000000000000000000000000000000\r\n" {
			t.Errorf("target db %s digest: modis's %q, redis's %q", db, got, want)
		}
		_, pt, _ := mt.Do("PTTL", "ttl")
		if db == "3" && (pt.Int < 400000 || pt.Int > 500000) {
			t.Errorf("migrated TTL %d", pt.Int)
		}
	}
	want, _, _ := rc.Do("DEBUG", "DIGEST")
	got, _, _ := mc.Do("DEBUG", "DIGEST")
	if string(got) != string(want) {
		t.Errorf("source digest: modis %q, redis %q", got, want)
	}
	_, info, _ := mc.Do("INFO", "stats")
	if !strings.Contains(string(info.Str), "migrate_cached_sockets:1\r\n") {
		t.Errorf("INFO: no cached socket")
	}
}

// TestMigratePropagation: MIGRATE propagates as DEL of the keys moved;
// with COPY, nothing.
func TestMigratePropagation(t *testing.T) {
	dst := difftest.StartRedis(t)
	_, sink, c := propTestServer(t)
	p := dst.Addr[strings.LastIndex(dst.Addr, ":")+1:]
	all := "0 " + strconv.Itoa(PropagateAOF|PropagateRepl) + " "
	modExpect(t, c, "+OK\r\n", "MSET", "a", "1", "b", "2")
	sink.take()
	modExpect(t, c, "+OK\r\n", "MIGRATE", "127.0.0.1", p, "", "0", "1000", "KEYS", "a", "b", "c")
	expectProp(t, sink, all+"DEL a b")
	modExpect(t, c, "+OK\r\n", "SET", "a", "1")
	sink.take()
	modExpect(t, c, "+OK\r\n", "MIGRATE", "127.0.0.1", p, "a", "0", "1000", "COPY", "REPLACE")
	expectProp(t, sink)
}

// TestMigrateTimeout: a target that accepts but never answers makes
// MIGRATE fail with Redis's reading error after the timeout, keeping the
// key, and a later MIGRATE connects afresh.
func TestMigrateTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go io.Copy(io.Discard, c)
		}
	}()
	rsrc := difftest.StartRedis(t)
	m := startTestServer(t, nil)
	rc, mc := dial(t, rsrc.Addr), dial(t, m.Addr().String())
	p := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	for _, c := range []*difftest.Conn{rc, mc} {
		mustDo(t, c, "SET", "k", "v")
	}
	for _, cmd := range [][]string{
		{"MIGRATE", "127.0.0.1", p, "k", "0", "100"},
		{"EXISTS", "k"},
		{"MIGRATE", "127.0.0.1", p, "k", "0", "100", "AUTH", "pw"},
	} {
		want, _, _ := rc.Do(cmd...)
		got, _, _ := mc.Do(cmd...)
		if string(got) != string(want) {
			t.Errorf("%v: modis %q, redis %q", cmd, got, want)
		}
	}
}

// TestMigrateEventsAndDirty compares MIGRATE's keyspace events, change
// counter and hit/miss counters with redis-server, both migrating to one
// target (with REPLACE, so the second migration of a key succeeds too).
func TestMigrateEventsAndDirty(t *testing.T) {
	dst := difftest.StartRedis(t)
	tc := dial(t, dst.Addr)
	mustDo(t, tc, "SET", "busy", "taken")
	p := dst.Addr[strings.LastIndex(dst.Addr, ":")+1:]
	script := strings.ReplaceAll(`
SET a 1
SET b 2
SET c 3
SET busy x
MIGRATE 127.0.0.1 PORT a 0 1000 REPLACE
MIGRATE 127.0.0.1 PORT b 0 1000 COPY REPLACE
MIGRATE 127.0.0.1 PORT "" 0 1000 REPLACE KEYS b c nokey
MIGRATE 127.0.0.1 PORT nokey 0 1000
MIGRATE 127.0.0.1 PORT busy 0 1000
EXISTS busy
MIGRATE 127.0.0.1 PORT busy 0 abc
`, "PORT", p)
	diffEvents(t, script, eventDiff{Flags: "KEAm"})
}

// TestMigrateReconnects: when the target closed the cached connection,
// MIGRATE retries once on a new one, as Redis does.
func TestMigrateReconnects(t *testing.T) {
	dst := difftest.StartRedis(t)
	tc := dial(t, dst.Addr)
	m := startTestServer(t, nil)
	mc := dial(t, m.Addr().String())
	p := dst.Addr[strings.LastIndex(dst.Addr, ":")+1:]
	mustDo(t, mc, "MSET", "a", "1", "b", "2")
	modExpect(t, mc, "+OK\r\n", "MIGRATE", "127.0.0.1", p, "a", "0", "1000")
	mustDo(t, tc, "CLIENT", "KILL", "SKIPME", "yes")
	modExpect(t, mc, "+OK\r\n", "MIGRATE", "127.0.0.1", p, "b", "3", "1000")
	mustDo(t, tc, "SELECT", "3")
	modExpect(t, tc, "$1\r\n2\r\n", "GET", "b")
}

// TestMigrateAuthDiff: AUTH and AUTH2 against a target with a password,
// right and wrong, from redis-server and from Modis.
func TestMigrateAuthDiff(t *testing.T) {
	rsrc := difftest.StartRedis(t)
	rdst, mdst := difftest.StartRedis(t), difftest.StartRedis(t)
	for _, d := range []*difftest.Redis{rdst, mdst} {
		mustDo(t, dial(t, d.Addr), "CONFIG", "SET", "requirepass", "pw")
	}
	m := startTestServer(t, nil)
	rc, mc := dial(t, rsrc.Addr), dial(t, m.Addr().String())
	port := func(addr string) string { return addr[strings.LastIndex(addr, ":")+1:] }
	for _, cmd := range [][]string{
		{"MSET", "a", "1", "b", "2", "c", "3"},
		{"MIGRATE", "127.0.0.1", "PORT", "a", "0", "1000"},
		{"MIGRATE", "127.0.0.1", "PORT", "a", "0", "1000", "AUTH", "wrong"},
		{"MIGRATE", "127.0.0.1", "PORT", "a", "0", "1000", "AUTH", "pw"},
		{"MIGRATE", "127.0.0.1", "PORT", "b", "2", "1000", "AUTH2", "default", "pw"},
		{"MIGRATE", "127.0.0.1", "PORT", "c", "2", "1000", "AUTH2", "nobody", "pw"},
		{"EXISTS", "a", "b", "c"},
	} {
		rargs := append([]string(nil), cmd...)
		margs := append([]string(nil), cmd...)
		for i := range cmd {
			if cmd[i] == "PORT" {
				rargs[i], margs[i] = port(rdst.Addr), port(mdst.Addr)
			}
		}
		want, _, _ := rc.Do(rargs...)
		got, _, _ := mc.Do(margs...)
		if string(got) != string(want) {
			t.Errorf("%v: modis %q, redis %q", cmd, got, want)
		}
	}
}
