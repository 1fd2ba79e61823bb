package server

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/module"
)

// Replication interop: Modis and redis-server 7.0 as master and replica
// both ways, full (disk and diskless) and partial resynchronization,
// the stream of every family (DEBUG DIGEST compared), WAIT, ROLE, INFO.

func replInfo(t *testing.T, c *difftest.Conn, name string) string {
	t.Helper()
	_, v, err := c.Do("INFO", "replication")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(v.Str), "\r\n") {
		if val, ok := strings.CutPrefix(l, name+":"); ok {
			return val
		}
	}
	return ""
}

func statInfo(t *testing.T, c *difftest.Conn, name string) string {
	t.Helper()
	_, v, _ := c.Do("INFO", "stats")
	for _, l := range strings.Split(string(v.Str), "\r\n") {
		if val, ok := strings.CutPrefix(l, name+":"); ok {
			return val
		}
	}
	return ""
}

// waitInSync waits until the replica's link is up and its offset is the
// master's.
func waitInSync(t *testing.T, master, replica *difftest.Conn) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if replInfo(t, replica, "master_link_status") == "up" {
			mo := replInfo(t, master, "master_repl_offset")
			if mo != "" && mo == replInfo(t, replica, "slave_repl_offset") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("replica not in sync: master offset %s, replica %s, link %s", replInfo(t, master, "master_repl_offset"),
		replInfo(t, replica, "slave_repl_offset"), replInfo(t, replica, "master_link_status"))
}

// streamWrites runs writes of every family on the master.
func streamWrites(t *testing.T, c *difftest.Conn) {
	t.Helper()
	cmds := [][]string{
		{"SET", "w:s", "v"}, {"APPEND", "w:s", "x"}, {"INCRBY", "w:n", "5"}, {"INCRBYFLOAT", "w:f", "1.5"},
		{"SET", "w:ex", "v", "EX", "100"}, {"GETEX", "w:ex", "PX", "90000"}, {"GETSET", "w:s", "z"},
		{"RPUSH", "biglist", "n1", "n2"}, {"LPOP", "list"}, {"SPOP", "bigintset", "3"}, {"XADD", "bigstream", "*", "f", "new"}, {"HINCRBYFLOAT", "hash", "hf", "1.5"}, {"LINSERT", "list", "BEFORE", "1", "q"},
		{"SADD", "set", "d"}, {"SPOP", "bigset"}, {"SREM", "intset", "2"},
		{"HSET", "hash", "g", "w"}, {"HINCRBY", "hash", "n", "3"}, {"HDEL", "bighash", "f1"},
		{"ZADD", "zset", "2", "d"}, {"ZINCRBY", "bigzset", "5", "m3"}, {"ZPOPMIN", "zset"},
		{"PFADD", "hll", "x", "y"}, {"XADD", "stream", "3-1", "a", "b"}, {"XDEL", "stream", "1-1"},
		{"XACK", "stream", "grp", "1-1"}, {"XGROUP", "CREATE", "bigstream", "g9", "0"}, {"XREADGROUP", "GROUP", "g9", "bob", "COUNT", "3", "STREAMS", "bigstream", ">"}, {"XAUTOCLAIM", "bigstream", "g9", "carol", "0", "0", "COUNT", "1"}, {"ZADD", "bigzset", "GT", "CH", "9", "m1"}, {"ZREMRANGEBYRANK", "bigzset", "0", "2"}, {"XTRIM", "bigstream", "MAXLEN", "600"},
		{"SETBIT", "bits", "77", "1"}, {"EXPIRE", "set", "1000"}, {"PERSIST", "hash"},
		{"MULTI"}, {"INCR", "w:tx"}, {"LPUSH", "w:txl", "a"}, {"EXEC"},
		{"SELECT", "5"}, {"SET", "db5b", "y"}, {"DEL", "db5"}, {"SELECT", "0"},
		{"COPY", "hash", "hashcopy"}, {"RENAME", "w:s", "w:s2"}, {"SWAPDB", "0", "5"}, {"SWAPDB", "0", "5"},
	}
	for _, cmd := range cmds {
		_, v, err := c.Do(cmd...)
		if err != nil {
			t.Fatal(err)
		}
		if v.Type == '-' {
			t.Fatalf("%v: %s", cmd, v.Str)
		}
	}
}

func redisMasterArgs(diskless bool) []string {
	if diskless {
		return []string{"--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes"}
	}
	return []string{"--repl-diskless-sync", "no", "--enable-debug-command", "yes"}
}

func hostPort(t *testing.T, addr string) (string, string) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}

// A redis-server master and a Modis replica: full sync (disk and
// diskless), the stream, READONLY, ROLE, expiry, partial resync after the
// link is killed from either end.
func TestReplRedisMasterModisReplica(t *testing.T) {
	for _, diskless := range []bool{false, true} {
		t.Run("diskless="+strconv.FormatBool(diskless), func(t *testing.T) {
			r := difftest.StartRedis(t, redisMasterArgs(diskless)...)
			s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes"; c.Dir = t.TempDir() })
			rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
			fillEverything(t, rc)
			host, port := hostPort(t, r.Addr)
			if _, v, _ := mc.Do("REPLICAOF", host, port); string(v.Str) != "OK" {
				t.Fatalf("REPLICAOF: %q", v.Str)
			}
			if raw, v, _ := mc.Do("REPLICAOF", host, port); string(raw) != "+OK Already connected to specified master\r\n" {
				_ = v
				t.Fatalf("REPLICAOF again: %q", raw)
			}
			waitInSync(t, rc, mc)
			s.mu.Lock()
			flags, mflags := s.replContextFlags(nil), s.replContextFlags(s.repl.master)
			s.mu.Unlock()
			want := module.CtxFlagsSlave | module.CtxFlagsReadonly | module.CtxFlagsReplicaIsOnline
			if flags != want || mflags != want|module.CtxFlagsReplicated {
				t.Errorf("context flags %#x, master client %#x", flags, mflags)
			}
			streamWrites(t, rc)
			waitInSync(t, rc, mc)
			compareDigests(t, rc, mc)

			raw, _, _ := mc.Do("SET", "x", "y")
			if string(raw) != "-READONLY You can't write against a read only replica.\r\n" {
				t.Errorf("write on replica: %q", raw)
			}
			_, role, _ := mc.Do("ROLE")
			if len(role.Elems) != 5 || string(role.Elems[0].Str) != "slave" || string(role.Elems[3].Str) != "connected" ||
				role.Elems[2].Int != int64(mustAtoi(t, port)) {
				t.Errorf("ROLE: %+v", role)
			}
			// Logical expiry: the key reads as gone, the master deletes it.
			mustDo(t, rc, "SET", "short", "v", "PX", "50")
			waitInSync(t, rc, mc)
			time.Sleep(80 * time.Millisecond)
			if raw, _, _ := mc.Do("GET", "short"); string(raw) != "$-1\r\n" {
				t.Errorf("expired key on replica: %q", raw)
			}

			// Partial resync after the master drops us, then after we drop it.
			// The stream's selected db survives the drop (no new SELECT).
			before := statInfo(t, rc, "sync_partial_ok")
			mustDo(t, rc, "SELECT", "5")
			mustDo(t, rc, "SET", "before", "drop")
			waitInSync(t, rc, mc)
			mustDo(t, rc, "CLIENT", "KILL", "TYPE", "replica")
			mustDo(t, rc, "SET", "during", "drop")
			waitInSync(t, rc, mc)
			mustDo(t, mc, "CLIENT", "KILL", "TYPE", "master")
			mustDo(t, rc, "RPUSH", "during2", "drop")
			mustDo(t, rc, "SELECT", "0")
			waitInSync(t, rc, mc)
			after := statInfo(t, rc, "sync_partial_ok")
			if mustAtoi(t, after)-mustAtoi(t, before) != 2 {
				t.Errorf("sync_partial_ok %s -> %s", before, after)
			}
			if statInfo(t, rc, "sync_full") != "1" {
				t.Errorf("sync_full %s", statInfo(t, rc, "sync_full"))
			}
			compareDigests(t, rc, mc)

			// Promotion keeps the data and the history as replid2.
			oldID := replInfo(t, mc, "master_replid")
			mustDo(t, mc, "REPLICAOF", "NO", "ONE")
			if replInfo(t, mc, "role") != "master" || replInfo(t, mc, "master_replid2") != oldID {
				t.Errorf("after REPLICAOF NO ONE: role %s replid2 %s (was %s)", replInfo(t, mc, "role"), replInfo(t, mc, "master_replid2"), oldID)
			}
			if _, v, _ := mc.Do("SET", "x", "y"); string(v.Str) != "OK" {
				t.Errorf("write after promotion: %q", v.Str)
			}
			s.mu.Lock()
			flags = s.replContextFlags(nil)
			s.mu.Unlock()
			if flags != module.CtxFlagsMaster {
				t.Errorf("context flags after promotion %#x", flags)
			}
		})
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// A Modis master and a redis-server replica: full sync (disk and
// diskless), the stream, WAIT, INFO and ROLE of the master, partial
// resync.
func TestReplModisMasterRedisReplica(t *testing.T) {
	for _, diskless := range []bool{false, true} {
		t.Run("diskless="+strconv.FormatBool(diskless), func(t *testing.T) {
			s := startTestServer(t, func(c *config.Config) {
				c.EnableDebugCommand = "yes"
				c.ReplDisklessSync = diskless
				c.ReplDisklessSyncDelay = 0
				c.Dir = t.TempDir() // the disk-target sync writes dump.rdb
			})
			mc := dial(t, s.Addr().String())
			fillEverything(t, mc)
			host, port := hostPort(t, s.Addr().String())
			r := difftest.StartRedis(t, "--enable-debug-command", "yes", "--replicaof", host, port)
			rc := dial(t, r.Addr)
			waitInSync(t, mc, rc)
			compareDigests(t, mc, rc)
			streamWrites(t, mc)
			if _, v, _ := mc.Do("WAIT", "1", "2000"); v.Int != 1 {
				t.Errorf("WAIT: %+v", v)
			}
			waitInSync(t, mc, rc)
			compareDigests(t, mc, rc)

			_, role, _ := mc.Do("ROLE")
			if len(role.Elems) != 3 || string(role.Elems[0].Str) != "master" || len(role.Elems[2].Elems) != 1 {
				t.Errorf("ROLE: %+v", role)
			}
			if l := replInfo(t, mc, "slave0"); !strings.HasPrefix(l, "ip=127.0.0.1,port=") || !strings.Contains(l, ",state=online,") {
				t.Errorf("slave0: %q", l)
			}
			_, list, _ := mc.Do("CLIENT", "LIST", "TYPE", "replica")
			if !strings.Contains(string(list.Str), "flags=S ") {
				t.Errorf("CLIENT LIST TYPE replica: %q", list.Str)
			}
			if replInfo(t, rc, "master_replid") != replInfo(t, mc, "master_replid") {
				t.Errorf("replication IDs differ")
			}

			mustDo(t, mc, "CLIENT", "KILL", "TYPE", "replica")
			mustDo(t, mc, "HSET", "afterkill", "a", "b")
			waitInSync(t, mc, rc)
			mustDo(t, rc, "CLIENT", "KILL", "TYPE", "master")
			mustDo(t, mc, "SADD", "afterkill2", "a")
			waitInSync(t, mc, rc)
			if v := statInfo(t, mc, "sync_partial_ok"); v != "2" {
				t.Errorf("sync_partial_ok %s", v)
			}
			compareDigests(t, mc, rc)
		})
	}
}

// Modis -> Modis -> redis-server: the middle replica proxies the stream.
func TestReplChained(t *testing.T) {
	m := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes"; c.ReplDisklessSyncDelay = 0 })
	host, port := hostPort(t, m.Addr().String())
	mid := startTestServer(t, func(c *config.Config) {
		c.EnableDebugCommand = "yes"
		c.ReplDisklessSyncDelay = 0
		c.Dir = t.TempDir()
	})
	mc, midc := dial(t, m.Addr().String()), dial(t, mid.Addr().String())
	fillEverything(t, mc)
	mustDo(t, midc, "REPLICAOF", host, port)
	waitInSync(t, mc, midc)
	mh, mp := hostPort(t, mid.Addr().String())
	r := difftest.StartRedis(t, "--enable-debug-command", "yes", "--replicaof", mh, mp)
	rc := dial(t, r.Addr)
	waitInSync(t, midc, rc)
	streamWrites(t, mc)
	waitInSync(t, mc, midc)
	waitInSync(t, midc, rc)
	compareDigests(t, mc, rc)
	if replInfo(t, rc, "master_replid") != replInfo(t, mc, "master_replid") {
		t.Errorf("replication IDs differ along the chain")
	}
	// INFO replication of a replica has redis-server's fields, in order.
	names := func(c *difftest.Conn) string {
		_, v, _ := c.Do("INFO", "replication")
		var out []string
		for _, l := range strings.Split(string(v.Str), "\r\n") {
			if k, _, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(k, "slave0") {
				out = append(out, k)
			}
		}
		return strings.Join(out, ",")
	}
	if w, g := names(rc), names(midc); w != g {
		t.Errorf("INFO replication fields:\nredis %s\nmodis %s", w, g)
	}
}

// REPLICAOF, WAIT and REPLCONF argument errors, as redis-server.
func TestReplErrors(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	for _, cmd := range [][]string{
		{"REPLICAOF", "localhost", "notaport"}, {"REPLICAOF", "localhost", "70000"}, {"REPLICAOF", "NO", "ONE"},
		{"SLAVEOF", "no", "one"}, {"REPLICAOF", "x"},
		{"WAIT", "x", "0"}, {"WAIT", "0", "x"}, {"WAIT", "0", "-1"}, {"WAIT", "0", "0"}, {"WAIT", "1", "10"},
		{"REPLCONF", "listening-port"}, {"REPLCONF", "foo", "bar"}, {"REPLCONF", "listening-port", "x"},
		{"REPLCONF", "capa", "eof"}, {"PING"},
		{"ROLE"},
	} {
		w, _, _ := rc.Do(cmd...)
		g, _, _ := mc.Do(cmd...)
		if cmd[0] == "ROLE" {
			continue // offsets differ
		}
		if string(w) != string(g) {
			t.Errorf("%v: redis %q, modis %q", cmd, w, g)
		}
	}
}

// NOREPLICAS, MASTERDOWN and READONLY (also inside MULTI), ROLE of a
// replica that cannot connect, as redis-server answers them.
func TestReplRejections(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	dead := strconv.Itoa(difftest.FreePort(t))
	script := [][]string{
		{"CONFIG", "SET", "min-replicas-to-write", "1"},
		{"SET", "k", "v"}, {"GET", "k"}, {"MULTI"}, {"SET", "k", "v"}, {"EXEC"},
		{"CONFIG", "SET", "min-replicas-to-write", "0"},
		{"SET", "k", "v"},
		{"REPLICAOF", "127.0.0.1", dead},
		{"SET", "k", "v"}, {"GET", "k"}, {"MULTI"}, {"SET", "k", "v"}, {"EXEC"},
		{"CONFIG", "SET", "replica-serve-stale-data", "no"},
		{"GET", "k"}, {"PING"}, {"INFO", "nosuchsection"}, {"ROLE"},
		{"CONFIG", "SET", "replica-read-only", "no"}, {"CONFIG", "SET", "replica-serve-stale-data", "yes"},
		{"SET", "k2", "v"}, {"WAIT", "0", "0"},
		{"REPLICAOF", "NO", "ONE"}, {"GET", "k2"},
	}
	for _, cmd := range script {
		w, _, _ := rc.Do(cmd...)
		g, _, _ := mc.Do(cmd...)
		if cmd[0] == "ROLE" {
			// The link state may be "connect" or "connecting" on either.
			if !strings.HasPrefix(string(g), "*5\r\n$5\r\nslave\r\n") {
				t.Errorf("ROLE: %q", g)
			}
			continue
		}
		if string(w) != string(g) {
			t.Errorf("%v: redis %q, modis %q", cmd, w, g)
		}
	}
}

// client-output-buffer-limit replica drops a replica whose output grows
// past the limit; it comes back with PSYNC.
func TestReplOutputLimit(t *testing.T) {
	dir := t.TempDir()
	s := startTestServer(t, func(c *config.Config) {
		c.EnableDebugCommand = "yes"
		c.ReplDisklessSyncDelay = 0
		c.LogFile = filepath.Join(dir, "modis.log")
		c.LogLevel = "notice"
	})
	mc := dial(t, s.Addr().String())
	host, port := hostPort(t, s.Addr().String())
	r := difftest.StartRedis(t, "--replicaof", host, port)
	rc := dial(t, r.Addr)
	waitInSync(t, mc, rc)
	mustDo(t, mc, "CONFIG", "SET", "client-output-buffer-limit", "replica 10 0 0")
	mustDo(t, mc, "SET", "k", strings.Repeat("x", 100))
	mustDo(t, mc, "CONFIG", "SET", "client-output-buffer-limit", "replica 256mb 64mb 60")
	waitInSync(t, mc, rc)
	log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
	if !strings.Contains(string(log), "for overcoming of output buffer limits") {
		t.Errorf("replica not dropped over its output limit:\n%s", log)
	}
	if _, v, _ := rc.Do("GET", "k"); len(v.Str) != 100 {
		t.Errorf("replica after reconnect: %q", v.Str)
	}
}

// masterauth/masteruser: the replica authenticates to a master with
// requirepass or an ACL user.
func TestReplMasterAuth(t *testing.T) {
	r := difftest.StartRedis(t, "--repl-diskless-sync-delay", "0")
	rc := dial(t, r.Addr)
	mustDo(t, rc, "CONFIG", "SET", "requirepass", "sekret")
	mustDo(t, rc, "AUTH", "sekret")
	mustDo(t, rc, "ACL", "SETUSER", "repl", "on", ">rpass", "+@all", "~*")
	mustDo(t, rc, "SET", "k", "v")
	host, port := hostPort(t, r.Addr)
	for _, user := range []string{"", "repl"} {
		s := startTestServer(t, func(c *config.Config) {
			c.Dir = t.TempDir()
			c.MasterUser = user
			c.MasterAuth = "sekret"
			if user != "" {
				c.MasterAuth = "rpass"
			}
		})
		mc := dial(t, s.Addr().String())
		mustDo(t, mc, "REPLICAOF", host, port)
		waitInSync(t, rc, mc)
		if _, v, _ := mc.Do("GET", "k"); string(v.Str) != "v" {
			t.Errorf("user %q: GET k = %q", user, v.Str)
		}
	}
	// A wrong password keeps the link down.
	s := startTestServer(t, func(c *config.Config) { c.Dir = t.TempDir(); c.MasterAuth = "wrong" })
	mc := dial(t, s.Addr().String())
	mustDo(t, mc, "REPLICAOF", host, port)
	time.Sleep(300 * time.Millisecond)
	if st := replInfo(t, mc, "master_link_status"); st != "down" {
		t.Errorf("link with a wrong password: %s", st)
	}
}

// redis-cli --rdb (REPLCONF rdb-only, SYNC) gets a loadable RDB.
func TestReplRedisCliRDB(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes"; c.ReplDisklessSyncDelay = 0 })
	mc := dial(t, s.Addr().String())
	fillEverything(t, mc)
	host, port := hostPort(t, s.Addr().String())
	out := filepath.Join(t.TempDir(), "dump.rdb")
	cmd := exec.Command("redis-cli", "-h", host, "-p", port, "--rdb", out)
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "Transfer finished with success") {
		t.Fatalf("redis-cli --rdb: %v\n%s", err, b)
	}
	r := difftest.StartRedis(t, "--enable-debug-command", "yes", "--dbfilename", "dump.rdb", "--dir", filepath.Dir(out))
	compareDigests(t, mc, dial(t, r.Addr))
}

// A replica restarted with its own RDB (which records the replication ID
// and offset) continues with PSYNC instead of a full sync.
func TestReplRestartPartial(t *testing.T) {
	r := difftest.StartRedis(t, "--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes")
	rc := dial(t, r.Addr)
	mustDo(t, rc, "SET", "k", "v")
	host, port := hostPort(t, r.Addr)
	dir := t.TempDir()
	replicaOf := func(c *config.Config) {
		c.ReplicaOfHost, c.ReplicaOfPort = host, mustAtoi(t, port)
		c.Save = nil
	}
	s := startPersistServer(t, dir, replicaOf)
	mc := dial(t, s.Addr().String())
	waitInSync(t, rc, mc)
	mustDo(t, rc, "SELECT", "3")
	mustDo(t, rc, "RPUSH", "l", "a")
	waitInSync(t, rc, mc)
	mustDo(t, mc, "SAVE")
	mc.Close()
	s.Close()
	mustDo(t, rc, "RPUSH", "l", "b") // while the replica is down
	s2 := startPersistServer(t, dir, replicaOf)
	mc2 := dial(t, s2.Addr().String())
	waitInSync(t, rc, mc2)
	if v := statInfo(t, rc, "sync_partial_ok"); v != "1" {
		log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
		rlog, _ := os.ReadFile(filepath.Join(r.Dir, "redis.log"))
		t.Errorf("sync_partial_ok after the restart: %s (sync_full %s)\n%s\n%s", v, statInfo(t, rc, "sync_full"), log, rlog)
	}
	compareDigests(t, rc, mc2)
}
