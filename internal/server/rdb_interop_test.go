package server

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/persist/rdb"
)

// RDB files between redis-server 7.0 and Modis: a file Redis saved loads
// into a Modis keyspace with the same digests, and a file written from a
// Modis keyspace passes redis-check-rdb and loads into Redis with the same
// digests.

// keyspaceSink adds loaded keys to a server's databases.
type keyspaceSink struct {
	s *Server
}

func (k keyspaceSink) Aux(key, value []byte) error         { return nil }
func (k keyspaceSink) SelectDB(db int) error               { return nil }
func (k keyspaceSink) ResizeDB(keys, expires uint64) error { return nil }
func (k keyspaceSink) ModuleAux(uint64, int, []byte) error { return nil }
func (k keyspaceSink) Function([]byte) error               { return nil }
func (k keyspaceSink) Key(db int, key []byte, o keyspace.Object, info rdb.KeyInfo) error {
	d := k.s.dbByIndex(db)
	v := d.Add(key, o)
	if info.ExpireMs >= 0 {
		d.SetExpire(key, info.ExpireMs)
	}
	k.s.setLRUOrLFU(v, int64(info.Freq), info.Idle)
	return nil
}

// fillEverything creates keys of every type and encoding in two databases.
func fillEverything(t *testing.T, c *difftest.Conn) {
	t.Helper()
	cmds := [][]string{
		{"DEBUG", "POPULATE", "200", "pop", "20"},
		{"SET", "big", strings.Repeat("compressible ", 40)},
		{"SET", "int", "-123456789"},
		{"SET", "ttl", "v", "PX", "900000"},
		{"RPUSH", "list", "a", "1", "-2", strings.Repeat("x", 100)},
		{"SADD", "intset", "1", "2", "300000", "-5"},
		{"SADD", "set", "a", "b", "c"},
		{"HSET", "hash", "f", "v", "n", "1"},
		{"HSET", "hashlong", "f", strings.Repeat("v", 100)},
		{"PEXPIRE", "hash", "800000"},
		{"ZADD", "zset", "1", "a", "1.5", "b", "-inf", "c"},
		{"ZADD", "zsetlong", "1", strings.Repeat("m", 100)},
		{"PFADD", "hll", "a", "b", "c"},
		{"XADD", "stream", "1-1", "f", "v"},
		{"XADD", "stream", "2-1", "f", "v", "g", "w"},
		{"XGROUP", "CREATE", "stream", "grp", "0"},
		{"XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "stream", ">"},
		{"XGROUP", "CREATE", "stream", "grp2", "$"},
		{"SELECT", "5"},
		{"SET", "db5", "x"},
		{"RPUSH", "db5list", "a", "b"},
		{"SELECT", "0"},
	}
	for _, cmd := range cmds {
		mustDo(t, c, cmd...)
	}
	for i := 0; i < 700; i++ {
		n := strconv.Itoa(i)
		for _, cmd := range [][]string{{"RPUSH", "biglist", "e" + n}, {"SADD", "bigintset", n}, {"SADD", "bigset", "m" + n},
			{"HSET", "bighash", "f" + n, n}, {"ZADD", "bigzset", n, "m" + n}, {"XADD", "bigstream", "*", "f", n}} {
			c.Send(cmd...)
		}
	}
	for i := 0; i < 700*6; i++ {
		if _, _, err := c.Read(); err != nil {
			t.Fatal(err)
		}
	}
}

// compareDigests compares DEBUG DIGEST and every key's DEBUG DIGEST-VALUE
// of databases 0 and 5.
func compareDigests(t *testing.T, want, got *difftest.Conn) {
	t.Helper()
	w, _, _ := want.Do("DEBUG", "DIGEST")
	g, _, _ := got.Do("DEBUG", "DIGEST")
	if string(w) != string(g) || strings.Contains(string(w), "00000000000000000000") {
		t.Errorf("DEBUG DIGEST: want %q, got %q", w, g)
	}
	for _, db := range []string{"0", "5"} {
		mustDo(t, want, "SELECT", db)
		mustDo(t, got, "SELECT", db)
		_, keys, _ := want.Do("KEYS", "*")
		for _, k := range keys.Elems {
			for _, cmd := range [][]string{{"DEBUG", "DIGEST-VALUE", string(k.Str)}, {"PEXPIRETIME", string(k.Str)}, {"OBJECT", "ENCODING", string(k.Str)}} {
				w, _, _ := want.Do(cmd...)
				g, _, _ := got.Do(cmd...)
				if string(w) != string(g) && !(cmd[0] == "OBJECT" && string(w) == "$3\r\nraw\r\n") {
					t.Errorf("db %s %v: want %q, got %q", db, cmd, w, g)
				}
			}
		}
		w, _, _ := want.Do("DBSIZE")
		g, _, _ := got.Do("DBSIZE")
		if string(w) != string(g) {
			t.Errorf("db %s DBSIZE: want %q, got %q", db, w, g)
		}
	}
	mustDo(t, want, "SELECT", "0")
	mustDo(t, got, "SELECT", "0")
}

func TestRDBFileFromRedis(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	fillEverything(t, rc)
	mustDo(t, rc, "DEBUG", "RELOAD") // the encodings values have after a load
	f, err := os.Open(filepath.Join(r.Dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s.mu.Lock()
	err = rdb.Load(f, s.rdbLoadOptions(false), keyspaceSink{s})
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	compareDigests(t, rc, mc)
}

func TestRDBFileToRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-check-rdb"); err != nil {
		t.Skip("no redis-check-rdb")
	}
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	mc := dial(t, s.Addr().String())
	fillEverything(t, mc)
	var buf bytes.Buffer
	s.mu.Lock()
	e := rdb.NewEncoder(&buf, s.rdbSaveOptions())
	err := e.Header([][2]string{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}})
	for _, d := range s.ks.DBs {
		if err != nil || d.Len() == 0 {
			continue
		}
		if err = e.SelectDB(d.ID, uint64(d.Len()), uint64(d.ExpiresLen())); err != nil {
			break
		}
		d.Main().Each(func(n *dict.Node[keyspace.Object]) bool {
			err = e.KeyValue([]byte(n.Key), &n.Val, d.Expire([]byte(n.Key)), d.ID)
			return err == nil
		})
	}
	if err == nil {
		err = e.Footer()
	}
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dump.rdb")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("redis-check-rdb", path).CombinedOutput(); err != nil || !strings.Contains(string(out), "RDB looks OK") {
		t.Fatalf("redis-check-rdb: %v\n%s", err, out)
	}
	r := difftest.StartRedis(t, "--dir", dir, "--dbfilename", "dump.rdb", "--enable-debug-command", "yes")
	rc := dial(t, r.Addr)
	compareDigests(t, mc, rc)
}
