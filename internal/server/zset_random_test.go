package server

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestZsetRandomDiff sends the same pseudo-random stream of sorted set
// commands (fixed seed) to redis-server and Modis and compares every reply
// byte for byte, with the full content, encoding and digest of every key
// checked now and then. Low listpack limits make conversions frequent;
// scores repeat so that ties ordered by member are common.
func TestZsetRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_ZSET_SEED", 11)
	for _, cfg := range [][]string{{"zset-max-listpack-entries", "12"}, {"zset-max-listpack-value", "6"}} {
		if err := p.Compare(difftest.Exact, append([]string{"CONFIG", "SET"}, cfg...)...); err != nil {
			t.Fatal(err)
		}
	}
	// Lex ranges are only defined when all scores are equal: they run on
	// their own keys whose scores are all 0.
	keys := []string{"z0", "z1", "z2", "z3", "l0", "l1"}
	key := func() string { return keys[rng.Intn(4)] }
	lkey := func() string { return keys[4+rng.Intn(2)] }
	num := func(lo, hi int) string { return strconv.Itoa(lo + rng.Intn(hi-lo+1)) }
	member := func() string {
		if rng.Intn(8) == 0 {
			return "longmember" + num(0, 9)
		}
		return string("abcdefghij"[rng.Intn(10)]) + num(0, 2)
	}
	score := func() string {
		switch rng.Intn(8) {
		case 0:
			return fmt.Sprintf("%.2f", rng.Float64()*10-5)
		case 1:
			return []string{"inf", "-inf", "+inf", "0", "-0"}[rng.Intn(5)]
		case 2:
			return fmt.Sprintf("%de%d", rng.Intn(9), rng.Intn(5))
		}
		return num(-5, 5)
	}
	bound := func() string {
		b := score()
		if rng.Intn(3) == 0 {
			b = "(" + b
		}
		return b
	}
	lex := func() string {
		switch rng.Intn(6) {
		case 0:
			return "-"
		case 1:
			return "+"
		}
		return string("[("[rng.Intn(2)]) + member()[:1+rng.Intn(2)]
	}
	gen := func() []string {
		switch rng.Intn(26) {
		case 0, 1, 2, 3:
			cmd := []string{"ZADD", key()}
			for _, f := range []string{"NX", "XX", "GT", "LT", "CH"} {
				if rng.Intn(6) == 0 {
					cmd = append(cmd, f)
				}
			}
			if rng.Intn(8) == 0 {
				return append(cmd, "INCR", score(), member())
			}
			for n := 1 + rng.Intn(4); n > 0; n-- {
				cmd = append(cmd, score(), member())
			}
			return cmd
		case 4:
			return []string{"ZINCRBY", key(), score(), member()}
		case 5:
			return []string{"ZREM", key(), member(), member()}
		case 6:
			return []string{"ZSCORE", key(), member()}
		case 7:
			return []string{[]string{"ZRANK", "ZREVRANK"}[rng.Intn(2)], key(), member()}
		case 8:
			return []string{"ZCOUNT", key(), bound(), bound()}
		case 9:
			if rng.Intn(2) == 0 {
				return []string{"ZADD", lkey(), "0", member(), "0", member()}
			}
			return []string{"ZLEXCOUNT", lkey(), lex(), lex()}
		case 10:
			cmd := []string{"ZRANGE", key(), num(-8, 8), num(-8, 8)}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "REV")
			}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "WITHSCORES")
			}
			return cmd
		case 11:
			cmd := []string{[]string{"ZRANGEBYSCORE", "ZREVRANGEBYSCORE"}[rng.Intn(2)], key(), bound(), bound()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "WITHSCORES")
			}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "LIMIT", num(-1, 5), num(-1, 5))
			}
			return cmd
		case 12:
			cmd := []string{[]string{"ZRANGEBYLEX", "ZREVRANGEBYLEX"}[rng.Intn(2)], lkey(), lex(), lex()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "LIMIT", num(-1, 5), num(-1, 5))
			}
			return cmd
		case 13:
			return []string{"ZREMRANGEBYRANK", key(), num(-6, 6), num(-6, 6)}
		case 14:
			return []string{"ZREMRANGEBYSCORE", key(), bound(), bound()}
		case 15:
			if rng.Intn(2) == 0 {
				return []string{"ZADD", lkey(), "0", member(), "0", member(), "0", member()}
			}
			return []string{"ZREMRANGEBYLEX", lkey(), lex(), lex()}
		case 16:
			cmd := []string{[]string{"ZPOPMIN", "ZPOPMAX"}[rng.Intn(2)], key()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, num(0, 4))
			}
			return cmd
		case 17:
			return []string{"ZMPOP", "2", key(), key(), []string{"MIN", "MAX"}[rng.Intn(2)], "COUNT", num(1, 4)}
		case 18, 19:
			op := []string{"ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"}[rng.Intn(6)]
			cmd := []string{op}
			if len(op) > 6 {
				cmd = append(cmd, key())
			}
			cmd = append(cmd, "3", key(), key(), key())
			if op != "ZDIFF" && op != "ZDIFFSTORE" {
				if rng.Intn(2) == 0 {
					cmd = append(cmd, "WEIGHTS", score(), score(), score())
				}
				if rng.Intn(2) == 0 {
					cmd = append(cmd, "AGGREGATE", []string{"SUM", "MIN", "MAX"}[rng.Intn(3)])
				}
			}
			if len(op) <= 6 && rng.Intn(2) == 0 {
				cmd = append(cmd, "WITHSCORES")
			}
			return cmd
		case 20:
			return []string{"ZINTERCARD", "2", key(), key(), "LIMIT", num(0, 3)}
		case 21:
			cmd := []string{"ZRANGESTORE", key(), key(), num(-5, 5), num(-5, 5)}
			if rng.Intn(2) == 0 {
				cmd = []string{"ZRANGESTORE", key(), key(), bound(), bound(), "BYSCORE"}
			}
			return cmd
		case 22:
			return []string{"ZMSCORE", key(), member(), member()}
		case 23:
			return []string{"ZRANDMEMBER", key(), num(45, 50), "WITHSCORES"}
		case 24:
			return []string{"ZCARD", key()}
		}
		return []string{"ZRANGE", key(), "0", "-1", "WITHSCORES"}
	}
	check := func(i int, cmd []string) {
		for _, k := range keys {
			for _, c := range [][]string{{"ZRANGE", k, "0", "-1", "WITHSCORES"}, {"OBJECT", "ENCODING", k}, {"DEBUG", "DIGEST-VALUE", k}} {
				if err := p.Compare(difftest.Exact, c...); err != nil {
					t.Fatalf("state after command %d %q: %v", i, cmd, err)
				}
			}
		}
	}
	for i := 0; i < 3000; i++ {
		cmd := gen()
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("command %d %q: %v", i, cmd, err)
		}
		if i%25 == 0 {
			check(i, cmd)
		}
	}
	check(-1, nil)
	for _, cfg := range [][]string{{"zset-max-listpack-entries", "128"}, {"zset-max-listpack-value", "64"}} {
		if err := p.Compare(difftest.Exact, append([]string{"CONFIG", "SET"}, cfg...)...); err != nil {
			t.Fatal(err)
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
