package server

import (
	"strconv"
	"sync"

	engine "github.com/modis/modis/internal/module"
	"github.com/modis/modis/module"
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

// loadEventsModule counts the Loading and LoadingProgress server events.
type loadEventsModule struct {
	mu     sync.Mutex
	events []string
}

func init() {
	module.Register(module.Info{Name: "loadevents", New: func() module.Module { return &loadEventsModule{} }})
}

func (m *loadEventsModule) OnLoad(ctx *module.Ctx, args [][]byte) error {
	ctx.Init("loadevents", 1)
	record := func(ctx *module.Ctx, event, sub uint64, data any) {
		e := strconv.FormatUint(event, 10) + "/" + strconv.FormatUint(sub, 10)
		if ctx.GetContextFlags()&engine.CtxFlagsLoading != 0 {
			e += "L"
		}
		m.mu.Lock()
		if n := len(m.events); event == engine.EventLoadingProgress && n > 0 && m.events[n-1] == e {
			m.mu.Unlock()
			return // progress events: one is enough to record
		}
		m.events = append(m.events, e)
		m.mu.Unlock()
	}
	ctx.SubscribeToServerEvent(engine.EventLoading, record)
	ctx.SubscribeToServerEvent(engine.EventLoadingProgress, record)
	return ctx.CreateCommand("le.events", func(ctx *module.Ctx, args [][]byte) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		ctx.ReplyWithCString(strings.Join(m.events, " "))
		return nil
	}, "", 0, 0, 0)
}

// A replica's full-sync load fires Loading repl-start, LoadingProgress
// while it reads (GetContextFlags has LOADING meanwhile), and Loading
// ended.
func TestReplLoadingModuleEvents(t *testing.T) {
	r := difftest.StartRedis(t, redisMasterArgs(false)...)
	rc := dial(t, r.Addr)
	mustDo(t, rc, "DEBUG", "POPULATE", "300000", "key", "50")
	host, port := hostPort(t, r.Addr)
	s := startTestServer(t, func(c *config.Config) {
		c.Dir = t.TempDir()
		c.LoadingProcessEventsIntervalBytes = 1 << 20
		c.EnableModuleCommand = "yes"
	})
	mc := dial(t, s.Addr().String())
	modExpect(t, mc, "+OK\r\n", "MODULE", "LOAD", "loadevents")
	if raw, _, _ := mc.Do("le.events"); string(raw) != "$0\r\n\r\n" {
		t.Fatalf("le.events: %q", raw)
	}
	mustDo(t, mc, "REPLICAOF", host, port)
	waitInSync(t, rc, mc)
	_, v, _ := mc.Do("le.events")
	want := strconv.FormatUint(engine.EventLoading, 10) + "/2L " + strconv.FormatUint(engine.EventLoadingProgress, 10) + "/0L " +
		strconv.FormatUint(engine.EventLoading, 10) + "/3"
	if string(v.Str) != want {
		t.Errorf("events %q, want %q", v.Str, want)
	}
}
