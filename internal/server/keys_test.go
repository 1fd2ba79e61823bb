package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// recordEvents captures keyspace notifications (all classes) as
// "db:event:key" strings.
func recordKeyEvents(s *Server) *[]string {
	var evs []string
	s.mu.Lock()
	s.notifyHook = func(class int, event string, key []byte, db int) {
		if event == "new" {
			return // class n, tested with the notification code
		}
		evs = append(evs, fmt.Sprintf("%d:%s:%s", db, event, key))
	}
	s.mu.Unlock()
	return &evs
}

func keysDo(t *testing.T, c *difftest.Conn, args ...string) string {
	t.Helper()
	raw, _, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return string(raw)
}

// TestKeyspaceEvents checks the events of the generic commands against
// what redis-server 7.0 publishes for the same sequence.
func TestKeyspaceEvents(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	evs := recordKeyEvents(s)
	for _, cmd := range []string{
		"SET a 1", "EXPIRE a 100", "PERSIST a", "PERSIST a", "RENAME a b",
		"RENAMENX b c", "COPY c d", "MOVE d 1", "EXPIRE c -1",
		"SET e 1", "PEXPIRE e 1", "!sleep", "EXISTS e",
		"EXISTS m1", "TYPE m2", "OBJECT ENCODING m3", "TTL m4", "DEL m6",
		"TOUCH m7", "EXPIRE m8 10", "COPY m9 x", "RENAME m10 y",
		"SET f 1", "DEL f", "SET g 1", "UNLINK g", "FLUSHALL",
	} {
		if cmd == "!sleep" {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		keysDo(t, c, strings.Fields(cmd)...)
	}
	s.mu.Lock()
	got := strings.Join(*evs, " ")
	s.mu.Unlock()
	want := strings.Join([]string{
		"0:set:a", "0:expire:a", "0:persist:a", "0:rename_from:a", "0:rename_to:b",
		"0:rename_from:b", "0:rename_to:c", "0:copy_to:d", "0:move_from:d", "1:move_to:d",
		"0:del:c", "0:set:e", "0:expire:e", "0:expired:e", "0:keymiss:e",
		"0:keymiss:m1", "0:keymiss:m2", "0:keymiss:m4", "0:keymiss:m7", "0:keymiss:m9",
		"0:set:f", "0:del:f", "0:set:g", "0:del:g",
	}, " ")
	if got != want {
		t.Fatalf("events:\n got: %s\nwant: %s", got, want)
	}
}

// TestActiveExpiryReclaims: many keys with short TTLs that nobody touches
// again are removed by the active cycle, not left in memory.
func TestActiveExpiryReclaims(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.HZ = 50 })
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 20000
	for i := 0; i < n; i++ {
		k := fmt.Sprint("k", i)
		c.Send("SET", k, "v")
		c.Send("PEXPIRE", k, "50")
	}
	for i := 0; i < 2*n; i++ {
		raw, _, err := c.Read()
		if err != nil {
			t.Fatal(err)
		}
		if want := [2]string{"+OK\r\n", ":1\r\n"}[i%2]; string(raw) != want {
			t.Fatalf("reply %d = %q, want %q", i, raw, want)
		}
	}
	keysDo(t, c, "SET", "keep", "v")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if got := keysDo(t, c, "DBSIZE"); got == ":1\r\n" {
			break
		} else if time.Now().After(deadline) {
			db := s.ks.DBs[0]
			t.Fatalf("expired keys pile up: DBSIZE %q (expires %d, buckets %d/%d, rehashing %v)", got, db.ExpiresLen(), db.Expires().Buckets(), db.Main().Buckets(), db.Expires().IsRehashing())
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	expired := s.stats.expiredKeys
	s.mu.Unlock()
	if expired != n {
		t.Fatalf("expired_keys = %d, want %d", expired, n)
	}
}

// TestActiveExpireDisabled: with the cycle off (DEBUG SET-ACTIVE-EXPIRE 0)
// keys stay until accessed.
func TestActiveExpireDisabled(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.HZ = 50 })
	s.mu.Lock()
	s.activeExpireEnabled = false
	s.mu.Unlock()
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	keysDo(t, c, "SET", "k", "v")
	keysDo(t, c, "PEXPIRE", "k", "10")
	time.Sleep(150 * time.Millisecond)
	if got := keysDo(t, c, "DBSIZE"); got != ":1\r\n" {
		t.Fatalf("DBSIZE = %q, want the key still stored", got)
	}
	if got := keysDo(t, c, "EXISTS", "k"); got != ":0\r\n" {
		t.Fatalf("EXISTS = %q", got)
	}
}

// TestScanCursorThroughServer: a full SCAN with small COUNTs, while keys
// are added and removed between calls, returns every key that existed for
// the whole scan.
func TestScanCursorThroughServer(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 1000; i++ {
		c.Send("SET", fmt.Sprint("stable:", i), "v")
	}
	for i := 0; i < 1000; i++ {
		c.Read()
	}
	seen := map[string]bool{}
	cursor := "0"
	added := 0
	for step := 0; ; step++ {
		raw, v, err := c.Do("SCAN", cursor, "COUNT", "7")
		if err != nil || len(v.Elems) != 2 {
			t.Fatalf("SCAN: %q %v", raw, err)
		}
		cursor = string(v.Elems[0].Str)
		for _, k := range v.Elems[1].Elems {
			seen[string(k.Str)] = true
		}
		if cursor == "0" {
			break
		}
		// Grow the table mid-scan, then shrink it again.
		if step < 40 {
			for i := 0; i < 100; i++ {
				keysDo(t, c, "SET", fmt.Sprint("tmp:", added), "v")
				added++
			}
		} else if step == 40 {
			for i := 0; i < added; i++ {
				c.Send("DEL", fmt.Sprint("tmp:", i))
			}
			for i := 0; i < added; i++ {
				c.Read()
			}
		}
	}
	for i := 0; i < 1000; i++ {
		if !seen[fmt.Sprint("stable:", i)] {
			t.Fatalf("stable:%d never returned", i)
		}
	}
}

// TestScanMatchAndType filters after the table walk, so a sparse match
// still finishes with cursor 0 and returns only matching keys.
func TestScanMatchAndType(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 300; i++ {
		keysDo(t, c, "SET", fmt.Sprint("k", i), "v")
	}
	found := 0
	cursor := "0"
	for {
		_, v, err := c.Do("SCAN", cursor, "MATCH", "k1?", "TYPE", "string")
		if err != nil {
			t.Fatal(err)
		}
		cursor = string(v.Elems[0].Str)
		for _, k := range v.Elems[1].Elems {
			if ks := string(k.Str); !strings.HasPrefix(ks, "k1") || len(ks) != 3 {
				t.Fatalf("SCAN MATCH returned %q", k.Str)
			}
			found++
		}
		if cursor == "0" {
			break
		}
	}
	if found != 10 {
		t.Fatalf("found %d keys, want 10", found)
	}
}

// TestObjectUnderEvictionPolicies compares OBJECT FREQ / IDLETIME /
// REFCOUNT with redis-server under LFU and LRU maxmemory policies.
func TestObjectUnderEvictionPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy    string
		maxmemory int64
	}{
		{"allkeys-lfu", 0},
		{"volatile-lfu", 100 << 20},
		{"allkeys-lru", 100 << 20},
		{"allkeys-lru", 0},
		{"noeviction", 100 << 20},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.policy, tc.maxmemory), func(t *testing.T) {
			r := difftest.StartRedis(t, "--maxmemory-policy", tc.policy, "--maxmemory", fmt.Sprint(tc.maxmemory))
			s := startTestServer(t, func(cfg *config.Config) {
				cfg.MaxMemoryPolicy = tc.policy
				cfg.MaxMemory = tc.maxmemory
			})
			p := difftest.NewPair(t, r.Addr, s.Addr().String())
			for _, cmd := range [][]string{
				{"SET", "k", "v"}, {"OBJECT", "FREQ", "k"}, {"OBJECT", "IDLETIME", "k"},
				{"OBJECT", "REFCOUNT", "k"}, {"SET", "n", "5"}, {"OBJECT", "REFCOUNT", "n"},
				{"SET", "big", "123456"}, {"OBJECT", "REFCOUNT", "big"}, {"OBJECT", "FREQ", "big"},
				{"GET", "k"}, {"OBJECT", "FREQ", "k"}, {"TOUCH", "big"}, {"OBJECT", "FREQ", "big"},
				{"OBJECT", "FREQ", "nokey"}, {"OBJECT", "IDLETIME", "nokey"},
			} {
				if err := p.Compare(difftest.Exact, cmd...); err != nil {
					t.Fatalf("%v: %v", cmd, err)
				}
			}
		})
	}
}
