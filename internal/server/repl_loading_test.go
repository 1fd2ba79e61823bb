package server

import (
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// waitLoading asks c GET until it answers -LOADING (the replica is loading
// its master's RDB) and returns false if it never does.
func waitLoading(t *testing.T, c *difftest.Conn) bool {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		raw, _, err := c.Do("GET", "key:1")
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(raw), "-LOADING") {
			if string(raw) != "-LOADING Redis is loading the dataset in memory\r\n" {
				t.Fatalf("LOADING reply %q", raw)
			}
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return false
}

// A Modis replica loading a large RDB from a redis-server master serves
// clients meanwhile as a redis-server replica does: -LOADING for commands
// without the loading flag (REPLICAOF included), INFO with loading:1 and
// the loading_* fields in redis-server's order, then the full dataset.
// SHUTDOWN during the load stops the server without saving or deadlock.
func TestReplLoadingServesClients(t *testing.T) {
	r := difftest.StartRedis(t, redisMasterArgs(false)...)
	rc := dial(t, r.Addr)
	mustDo(t, rc, "DEBUG", "POPULATE", "1000000", "key", "50")
	host, port := hostPort(t, r.Addr)

	s := startTestServer(t, func(c *config.Config) { c.Dir = t.TempDir() })
	mc := dial(t, s.Addr().String())
	mustDo(t, mc, "REPLICAOF", host, port)
	if !waitLoading(t, mc) {
		t.Fatal("the replica never answered -LOADING")
	}
	_, v, _ := mc.Do("INFO", "persistence")
	info := string(v.Str)
	var names []string
	for _, l := range strings.Split(info, "\r\n") {
		if name, _, ok := strings.Cut(l, ":"); ok {
			names = append(names, name)
		}
	}
	got := strings.Join(names, ",")
	want := "module_fork_last_cow_size,loading_start_time,loading_total_bytes,loading_rdb_used_mem,loading_loaded_bytes,loading_loaded_perc,loading_eta_seconds"
	if !strings.Contains(info, "\r\nloading:1\r\n") || !strings.HasSuffix(got, want) {
		t.Errorf("INFO persistence while loading:\n%s", info)
	}
	if raw, _, _ := mc.Do("REPLICAOF", "NO", "ONE"); string(raw) != "-LOADING Redis is loading the dataset in memory\r\n" {
		t.Errorf("REPLICAOF while loading: %q", raw)
	}
	if raw, _, _ := mc.Do("DBSIZE"); string(raw) != "-LOADING Redis is loading the dataset in memory\r\n" {
		t.Errorf("DBSIZE while loading: %q", raw)
	}
	waitInSync(t, rc, mc)
	if raw, _, _ := mc.Do("DBSIZE"); string(raw) != ":1000000\r\n" {
		t.Errorf("DBSIZE after loading: %q", raw)
	}
	_, v, _ = mc.Do("INFO", "persistence")
	if !strings.Contains(string(v.Str), "\r\nloading:0\r\n") || strings.Contains(string(v.Str), "loading_start_time") {
		t.Errorf("INFO persistence after loading:\n%s", v.Str)
	}

	// SHUTDOWN while loading: no save (save points are configured), no
	// deadlock with the loader.
	dir := t.TempDir()
	s2 := startTestServer(t, func(c *config.Config) { c.Dir = dir; c.Save = []config.SavePoint{{Seconds: 3600, Changes: 1}} })
	mc2 := dial(t, s2.Addr().String())
	mustDo(t, mc2, "REPLICAOF", host, port)
	if !waitLoading(t, mc2) {
		t.Fatal("the second replica never answered -LOADING")
	}
	mc2.Do("SHUTDOWN")
	select {
	case <-s2.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SHUTDOWN while loading did not stop the server")
	}
}
