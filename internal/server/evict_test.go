package server

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/keyspace"
)

// The pool stays sorted and, once full, keeps the best (highest idle)
// candidates seen.
func TestEvictionPool(t *testing.T) {
	var pool [evpoolSize]evictionPoolEntry
	rng := rand.New(rand.NewPCG(3, 4))
	var all []uint64
	for i := 0; i < 500; i++ {
		idle := rng.Uint64N(1 << 40)
		all = append(all, idle)
		evictionPoolInsert(&pool, i%3, "k"+strconv.Itoa(i), idle)
		for k := 1; k < evpoolSize; k++ {
			if pool[k-1].key != "" && pool[k].key != "" && pool[k-1].idle > pool[k].idle {
				t.Fatalf("pool out of order after %d inserts", i+1)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] > all[j] })
	for k := 0; k < evpoolSize; k++ {
		if pool[evpoolSize-1-k].idle != all[k] {
			t.Fatalf("slot %d holds %d, want %d", evpoolSize-1-k, pool[evpoolSize-1-k].idle, all[k])
		}
	}
	// A partly filled pool inserts in order.
	var small [evpoolSize]evictionPoolEntry
	for _, idle := range []uint64{5, 1, 9, 3} {
		evictionPoolInsert(&small, 0, "x", idle)
	}
	for k, want := range []uint64{1, 3, 5, 9} {
		if small[k].idle != want {
			t.Fatalf("small pool %v", small[:4])
		}
	}
}

// noeviction (and an over-limit server with nothing to evict): the OOM
// error, its effect on MULTI queueing and on EXEC, byte for byte.
func TestOOMLikeRedis(t *testing.T) {
	d := newDual(t, 3, nil)
	setMax := func(v string, n int64) {
		d.redis(2, "CONFIG", "SET", "maxmemory", v)
		d.s.mu.Lock()
		d.s.cfg.MaxMemory = n
		d.s.mu.Unlock()
	}
	d.do(0, "FLUSHALL")
	d.do(0, "SET", "pre", "1")
	// A transaction queued before memory ran out, executed after: EXEC of
	// deny-oom commands is refused and discards the transaction.
	d.do(0, "MULTI")
	d.do(0, "SET", "a", "b")
	d.do(1, "MULTI")
	d.do(1, "GET", "pre")
	setMax("1", 1)
	d.do(0, "EXEC")
	d.do(0, "EXEC")
	d.do(1, "EXEC") // read-only transactions still run
	for _, cmd := range [][]string{
		{"SET", "a", "b"}, {"GET", "pre"}, {"PING"},
		{"MULTI"}, {"SET", "a", "b"}, {"GET", "a"}, {"PING"}, {"WATCH", "x"}, {"EXEC"},
		{"MULTI"}, {"EXEC"},
		{"MULTI"}, {"DISCARD"}, {"EXEC"},
		{"INCR", "c"},
		{"MULTI"}, {"FOO"}, {"EXEC"},
		{"DEL", "pre"},
	} {
		d.do(0, cmd...)
	}
	setMax("0", 0)
	d.do(0, "SET", "a", "b")
}

// fillForEviction stores n persistent keys "p:i" and n volatile keys "v:i"
// (TTL growing with i) of size bytes each, straight in the keyspace.
func fillForEviction(s *Server, n, size int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeCommand()
	db := s.ks.DBs[0]
	val := make([]byte, size)
	for i := 0; i < n; i++ {
		db.Set([]byte("p:"+strconv.Itoa(i)), keyspace.NewString(val), false)
		k := []byte("v:" + strconv.Itoa(i))
		db.Set(k, keyspace.NewString(val), false)
		db.SetExpire(k, s.ks.Now+int64(i+1)*100000)
	}
}

type evictionOutcome struct {
	persistentGone, volatileGone []int
	used, max                    int64
	evicted                      int64
}

// runEviction fills a server, lowers maxmemory by about quarter of the
// data and runs one write, which must evict.
func runEviction(t *testing.T, policy string, prepare func(s *Server)) evictionOutcome {
	t.Helper()
	s := startTestServer(t, func(c *config.Config) {
		c.MaxMemoryPolicy = policy
		// No eviction time budget: a slow (race-enabled, loaded) run must
		// still finish evicting within the command, not in a later cron.
		c.MaxMemoryEvictionTenacity = 100
	})
	const n, size = 300, 1000
	fillForEviction(s, n, size)
	if prepare != nil {
		s.mu.Lock()
		prepare(s)
		s.mu.Unlock()
	}
	conn := dialTest(t, s)
	conn.Do("PING") // the connection is registered and counted
	s.mu.Lock()
	used := s.usedMemory()
	s.cfg.MaxMemory = used - 150*1100
	s.mu.Unlock()
	raw, _, err := conn.Do("SET", "trigger", "x")
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != "+OK\r\n" {
		t.Fatalf("%s: SET answered %q", policy, raw)
	}
	var out evictionOutcome
	s.mu.Lock()
	defer s.mu.Unlock()
	db := s.ks.DBs[0]
	for i := 0; i < n; i++ {
		if db.Main().FindString("p:"+strconv.Itoa(i)) == nil {
			out.persistentGone = append(out.persistentGone, i)
		}
		if db.Main().FindString("v:"+strconv.Itoa(i)) == nil {
			out.volatileGone = append(out.volatileGone, i)
		}
	}
	out.used, out.max, out.evicted = s.usedMemory(), s.cfg.MaxMemory, s.stats.evictedKeys
	// the written key itself is in (SET ran after the eviction)
	if db.Main().FindString("trigger") == nil {
		t.Errorf("%s: the triggering SET did not store its key", policy)
	}
	return out
}

func mean(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s int
	for _, x := range xs {
		s += x
	}
	return float64(s) / float64(len(xs))
}

func TestEvictionPolicies(t *testing.T) {
	// Keys with even index are "hot" (recently used, frequently used).
	markHot := func(s *Server) {
		db := s.ks.DBs[0]
		clock := keyspace.LRUClock(s.ks.Now)
		for _, prefix := range []string{"p:", "v:"} {
			for i := 0; i < 300; i++ {
				o := &db.Main().FindString(prefix + strconv.Itoa(i)).Val
				if s.ks.LFU {
					c := uint32(2)
					if i%2 == 0 {
						c = 200
					}
					o.LRU = keyspace.LFUMinutes(s.ks.Now)<<8 | c
				} else if i%2 == 0 {
					o.LRU = clock
				} else {
					o.LRU = clock - 5000
				}
			}
		}
	}
	for _, policy := range []string{"allkeys-lru", "allkeys-lfu", "allkeys-random",
		"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"} {
		t.Run(policy, func(t *testing.T) {
			out := runEviction(t, policy, markHot)
			gone := len(out.persistentGone) + len(out.volatileGone)
			t.Logf("gone: %d persistent, %d volatile (mean ttl index %.0f) used %d max %d", len(out.persistentGone), len(out.volatileGone), mean(out.volatileGone), out.used, out.max)
			if gone < 100 || out.used > out.max {
				t.Fatalf("evicted %d keys, used %d max %d", gone, out.used, out.max)
			}
			if out.evicted != int64(gone) {
				t.Errorf("evicted_keys %d, keys gone %d", out.evicted, gone)
			}
			volatile := strings.HasPrefix(policy, "volatile-")
			if volatile && len(out.persistentGone) > 0 {
				t.Fatalf("%s evicted %d keys without TTL", policy, len(out.persistentGone))
			}
			if !volatile && (len(out.persistentGone) == 0 || len(out.volatileGone) == 0) {
				t.Errorf("%s should evict from both kinds: %d persistent, %d volatile",
					policy, len(out.persistentGone), len(out.volatileGone))
			}
			all := append(append([]int(nil), out.persistentGone...), out.volatileGone...)
			cold := 0
			for _, i := range all {
				if i%2 == 1 {
					cold++
				}
			}
			t.Logf("cold %d of %d", cold, len(all))
			switch {
			case strings.HasSuffix(policy, "-lru"), strings.HasSuffix(policy, "-lfu"):
				// sampling is approximate, but cold keys must dominate
				if float64(cold) < 0.8*float64(len(all)) {
					t.Errorf("%s: only %d of %d evicted keys were cold", policy, cold, len(all))
				}
			case policy == "volatile-ttl":
				// shortest TTL first: evicted indexes are the low ones
				if m := mean(out.volatileGone); m > 0.35*300 {
					t.Errorf("volatile-ttl: mean evicted index %.0f, want low", m)
				}
			}
		})
	}
}

// volatile-* with no volatile key: nothing can be evicted, deny-oom
// commands fail, others run.
func TestEvictionNothingToEvict(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.MaxMemoryPolicy = "volatile-lru" })
	s.mu.Lock()
	db := s.ks.DBs[0]
	for i := 0; i < 100; i++ {
		db.Set([]byte("p:"+strconv.Itoa(i)), keyspace.NewString(make([]byte, 1000)), false)
	}
	s.mu.Unlock()
	conn := dialTest(t, s)
	conn.Do("PING") // the connection is registered and counted
	s.mu.Lock()
	s.cfg.MaxMemory = s.usedMemory() - 10000
	s.mu.Unlock()
	raw, _, _ := conn.Do("SET", "x", "y")
	if string(raw) != "-"+errOOM+"\r\n" {
		t.Fatalf("SET: %q", raw)
	}
	raw, _, _ = conn.Do("GET", "p:1")
	if !strings.HasPrefix(string(raw), "$1000\r\n") {
		t.Fatalf("GET: %q", raw)
	}
	raw, _, _ = conn.Do("DEL", "p:1", "p:2", "p:3", "p:4", "p:5", "p:6", "p:7", "p:8", "p:9", "p:10", "p:11", "p:12")
	if string(raw) != ":12\r\n" {
		t.Fatalf("DEL: %q", raw)
	}
	raw, _, _ = conn.Do("SET", "x", "y")
	if string(raw) != "+OK\r\n" {
		t.Fatalf("SET after DEL: %q", raw)
	}
}

func dialTest(t *testing.T, s *Server) *difftest.Conn {
	t.Helper()
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// INFO memory reports the eviction estimate and the live settings, and the
// human forms agree with the numbers.
func TestInfoMemoryConsistent(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) {
		c.MaxMemory = 3 << 20
		c.MaxMemoryPolicy = "allkeys-lru"
	})
	fillForEviction(s, 50, 100)
	conn := dialTest(t, s)
	_, v, err := conn.Do("INFO", "memory")
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok {
			fields[k] = val
		}
	}
	s.mu.Lock()
	used := s.usedMemory()
	s.mu.Unlock()
	want := map[string]string{
		"used_memory":       strconv.FormatInt(used, 10),
		"used_memory_human": bytesToHuman(uint64(used)),
		"maxmemory":         strconv.Itoa(3 << 20),
		"maxmemory_human":   "3.00M",
		"maxmemory_policy":  "allkeys-lru",
	}
	for k, w := range want {
		if fields[k] != w {
			t.Errorf("%s = %q, want %q", k, fields[k], w)
		}
	}
	if r, err := strconv.ParseFloat(fields["mem_fragmentation_ratio"], 64); err != nil || r <= 0 {
		t.Errorf("mem_fragmentation_ratio %q", fields["mem_fragmentation_ratio"])
	}
	if used <= baseMemory+100*100 {
		t.Errorf("used_memory %d does not include the data", used)
	}
}

// With no time budget (tenacity 0) eviction stops every 16 keys, the
// command still runs, and the cron finishes the job.
func TestEvictionTimeLimitContinuesInCron(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) {
		c.MaxMemoryPolicy = "allkeys-random"
		c.MaxMemoryEvictionTenacity = 0
	})
	fillForEviction(s, 300, 1000)
	conn := dialTest(t, s)
	conn.Do("PING")
	s.mu.Lock()
	s.cfg.MaxMemory = s.usedMemory() - 60*1100
	s.mu.Unlock()
	raw, _, _ := conn.Do("SET", "x", "y")
	if string(raw) != "+OK\r\n" {
		t.Fatalf("SET: %q", raw)
	}
	s.mu.Lock()
	first := s.stats.evictedKeys
	s.mu.Unlock()
	// (the cron may have run a pass before the SET did)
	if first == 0 || first%16 != 0 || first >= 60 {
		t.Errorf("evicted %d keys before the cron finished, want passes of 16", first)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		over := s.usedMemory() > s.cfg.MaxMemory
		s.mu.Unlock()
		if !over {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cron did not finish the eviction")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
