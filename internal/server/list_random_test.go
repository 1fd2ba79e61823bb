package server

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestListRandomDiff sends the same pseudo-random stream of list commands
// (fixed seed) to redis-server and Modis and compares every reply byte for
// byte, with the full content and MEMORY USAGE (which reveals the node
// layout) of every key now and then. Small fills make node splits and
// merges frequent.
func TestListRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_LIST_SEED", 11)
	keys := []string{"l0", "l1", "l2", "l3"}
	key := func() string { return keys[rng.Intn(len(keys))] }
	num := func(lo, hi int) string { return strconv.Itoa(lo + rng.Intn(hi-lo+1)) }
	val := func() string {
		switch rng.Intn(8) {
		case 0:
			return strconv.FormatInt(rng.Int63n(100000)-50000, 10)
		case 1:
			return strings.Repeat("v", rng.Intn(400))
		case 2:
			return strconv.FormatInt(rng.Int63()-rng.Int63(), 10)
		default:
			return string("abcde"[rng.Intn(5)])
		}
	}
	end := func() string { return []string{"LEFT", "RIGHT"}[rng.Intn(2)] }
	gen := func() []string {
		switch rng.Intn(20) {
		case 0, 1:
			cmd := []string{[]string{"LPUSH", "RPUSH"}[rng.Intn(2)], key()}
			for n := 1 + rng.Intn(6); n > 0; n-- {
				cmd = append(cmd, val())
			}
			return cmd
		case 2:
			return []string{[]string{"LPUSHX", "RPUSHX"}[rng.Intn(2)], key(), val()}
		case 3:
			return []string{"LINSERT", key(), []string{"BEFORE", "AFTER"}[rng.Intn(2)], val(), val()}
		case 4:
			return []string{"LINDEX", key(), num(-20, 20)}
		case 5:
			return []string{"LSET", key(), num(-20, 20), val()}
		case 6:
			return []string{"LRANGE", key(), num(-20, 20), num(-20, 20)}
		case 7:
			return []string{"LTRIM", key(), num(-20, 20), num(-20, 40)}
		case 8:
			return []string{"LREM", key(), num(-3, 3), val()}
		case 9:
			cmd := []string{[]string{"LPOP", "RPOP"}[rng.Intn(2)], key()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, num(0, 8))
			}
			return cmd
		case 10:
			return []string{"RPOPLPUSH", key(), key()}
		case 11:
			return []string{"LMOVE", key(), key(), end(), end()}
		case 12:
			cmd := []string{"LMPOP", "2", key(), key(), end()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "COUNT", num(1, 5))
			}
			return cmd
		case 13:
			cmd := []string{"LPOS", key(), val()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "RANK", []string{"-2", "-1", "1", "2", "3"}[rng.Intn(5)])
			}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "COUNT", num(0, 3))
			}
			if rng.Intn(3) == 0 {
				cmd = append(cmd, "MAXLEN", num(0, 10))
			}
			return cmd
		case 14:
			return []string{"LLEN", key()}
		case 15:
			return []string{"CONFIG", "SET", "list-max-listpack-size", []string{"1", "2", "3", "7", "-1", "-2"}[rng.Intn(6)]}
		case 16:
			return []string{"COPY", key(), key(), "REPLACE"}
		case 17:
			return []string{"DEBUG", "DIGEST-VALUE", key()}
		}
		return []string{"LRANGE", key(), "0", "-1"}
	}
	for i := 0; i < 3000; i++ {
		cmd := gen()
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("command %d %q: %v", i, cmd, err)
		}
		if i%40 == 0 {
			for _, k := range keys {
				for _, c := range [][]string{{"LRANGE", k, "0", "-1"}, {"MEMORY", "USAGE", k, "SAMPLES", "0"}} {
					if err := p.Compare(difftest.Exact, c...); err != nil {
						if os.Getenv("LISTDBG") != "" {
							s.mu.Lock()
							o := s.ks.DBs[0].Lookup([]byte(k))
							asList(o).EachNode(func(lp int) bool { t.Logf("node lp %d", lp); return true })
							s.mu.Unlock()
						}
						t.Fatalf("state after command %d %q: %v", i, cmd, err)
					}
				}
			}
		}
	}
	if err := p.Compare(difftest.Exact, "CONFIG", "SET", "list-max-listpack-size", "-2"); err != nil {
		t.Fatal(err)
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
