package server

import (
	"os"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestSetRandomDiff sends the same pseudo-random stream of set commands
// (fixed seed) to redis-server and Modis and compares every reply: byte for
// byte where Redis's reply is deterministic (intset order, counts, errors),
// ignoring order for hashtable iteration, by shape only for random picks
// (SPOP only pops whole sets, so the two datasets stay equal). Every 40
// commands (every command with MODIS_SET_CHECKALL set) it compares each
// key's members, encoding, digest and, for intsets, MEMORY USAGE; a
// MODIS_SET_STOP=n run logs the state before command n. A low set-max-intset-entries makes conversions frequent.
func TestSetRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	if err := p.Compare(difftest.Exact, "CONFIG", "SET", "set-max-intset-entries", "12"); err != nil {
		t.Fatal(err)
	}
	rng, _ := randomSeed("MODIS_SET_SEED", 11)
	keys := []string{"s0", "s1", "s2", "s3", "str"}
	key := func() string { return keys[rng.Intn(len(keys))] }
	member := func() string {
		switch rng.Intn(8) {
		case 0:
			return []string{"a", "b", "c", "", "longer-member-xyz", "01", "-0"}[rng.Intn(7)]
		case 1:
			return strconv.FormatInt(rng.Int63()-rng.Int63(), 10)
		case 2:
			return strconv.Itoa(rng.Intn(70000) - 35000)
		}
		return strconv.Itoa(rng.Intn(30))
	}
	members := func(cmd []string, n int) []string {
		for ; n > 0; n-- {
			cmd = append(cmd, member())
		}
		return cmd
	}
	keyList := func(cmd []string) []string {
		for n := 1 + rng.Intn(3); n > 0; n-- {
			cmd = append(cmd, key())
		}
		return cmd
	}
	type op struct {
		mode difftest.Mode
		cmd  []string
	}
	gen := func() op {
		switch rng.Intn(20) {
		case 0, 1, 2, 3:
			return op{difftest.Exact, members([]string{"SADD", key()}, 1+rng.Intn(6))}
		case 4, 5:
			return op{difftest.Exact, members([]string{"SREM", key()}, 1+rng.Intn(4))}
		case 6:
			return op{difftest.Exact, []string{"SMOVE", key(), key(), member()}}
		case 7:
			return op{difftest.Exact, []string{"SISMEMBER", key(), member()}}
		case 8:
			return op{difftest.Exact, members([]string{"SMISMEMBER", key()}, 1+rng.Intn(4))}
		case 9:
			return op{difftest.Sorted, keyList([]string{"SINTER"})}
		case 10:
			return op{difftest.Sorted, keyList([]string{"SUNION"})}
		case 11:
			return op{difftest.Sorted, keyList([]string{"SDIFF"})}
		case 12:
			return op{difftest.Exact, keyList([]string{[]string{"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"}[rng.Intn(3)], key()})}
		case 13:
			cmd := append([]string{"SINTERCARD", strconv.Itoa(2)}, key(), key())
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "LIMIT", strconv.Itoa(rng.Intn(5)))
			}
			return op{difftest.Exact, cmd}
		case 14:
			n := rng.Intn(40) - 20
			mode := difftest.Shape
			if n >= 20 {
				mode = difftest.Sorted
			}
			return op{mode, []string{"SRANDMEMBER", key(), strconv.Itoa(n)}}
		case 15:
			return op{difftest.Sorted, []string{"SPOP", key(), "1000"}}
		case 16:
			return op{difftest.Exact, []string{"SCARD", key()}}
		case 17:
			return op{difftest.Exact, []string{"SET", "str", member()}}
		case 18:
			return op{difftest.Exact, []string{"COPY", key(), key(), "REPLACE"}}
		}
		return op{difftest.Sorted, []string{"SMEMBERS", key()}}
	}
	var history [][]string // commands since the last state check
	check := func(i int, last []string) {
		defer func() { history = history[:0] }()
		for _, k := range keys {
			for _, c := range []struct {
				mode difftest.Mode
				cmd  []string
			}{
				{difftest.Sorted, []string{"SMEMBERS", k}},
				{difftest.Exact, []string{"OBJECT", "ENCODING", k}},
				{difftest.Exact, []string{"DEBUG", "DIGEST-VALUE", k}},
			} {
				if err := p.Compare(c.mode, c.cmd...); err != nil {
					t.Fatalf("after command %d %q: %q: %v\ncommands since the last check: %q", i, last, c.cmd, err, history)
				}
			}
			// A hashtable's bucket count while it rehashes depends on where
			// the hash function put the members (a rehash step skips at
			// most ten empty buckets), so MEMORY USAGE of a hashtable set
			// only matches Redis outside rehashing: compare intsets.
			_, enc, err := p.Redis.Do("OBJECT", "ENCODING", k)
			if err != nil {
				t.Fatal(err)
			}
			mode := difftest.Shape
			if string(enc.Str) == "intset" {
				mode = difftest.Exact
			}
			if err := p.Compare(mode, "MEMORY", "USAGE", k, "SAMPLES", "0"); err != nil {
				t.Fatalf("after command %d %q: MEMORY USAGE %s: %v", i, last, k, err)
			}
		}
	}
	for i := 0; i < 3000; i++ {
		o := gen()
		history = append(history, o.cmd)
		if strconv.Itoa(i) == os.Getenv("MODIS_SET_STOP") {
			for _, k := range keys {
				for _, cmd := range [][]string{{"SMEMBERS", k}, {"OBJECT", "ENCODING", k}, {"MEMORY", "USAGE", k}} {
					a, _, _ := p.Redis.Do(cmd...)
					b, _, _ := p.Modis.Do(cmd...)
					t.Logf("%q: redis %q modis %q", cmd, a, b)
				}
			}
		}
		if err := p.Compare(o.mode, o.cmd...); err != nil {
			t.Fatalf("command %d %q: %v", i, o.cmd, err)
		}
		if i%40 == 0 || os.Getenv("MODIS_SET_CHECKALL") != "" {
			check(i, o.cmd)
		}
	}
	if err := p.Compare(difftest.Exact, append([]string{"DEL"}, keys...)...); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	left := s.ks.DBs[0].EstimatedBytes()
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("memory estimate %d bytes after deleting every key", left)
	}
}
