package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestDumpRandomDiff builds values of every type with a pseudo-random
// stream of commands (fixed seed) on redis-server and Modis, and now and
// then DUMPs a key on both: the payloads must be identical where the
// encoding is deterministic (everything but hash tables), and each
// server's payload RESTOREd on the other server (with random options) must
// give the same digest and encoding.
func TestDumpRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_DUMP_SEED", 7)
	val := func() string {
		switch rng.Intn(7) {
		case 0:
			return strconv.FormatInt(rng.Int63n(100000)-50000, 10)
		case 1:
			return strings.Repeat("v", rng.Intn(100))
		case 2:
			return strconv.FormatInt(rng.Int63()-rng.Int63(), 10)
		case 3:
			return strings.Repeat("ab", rng.Intn(30))
		default:
			return string("abcdefgh"[rng.Intn(8)]) + strconv.Itoa(rng.Intn(300))
		}
	}
	score := func() string {
		switch rng.Intn(4) {
		case 0:
			return strconv.Itoa(rng.Intn(100) - 50)
		case 1:
			return strconv.FormatFloat(rng.NormFloat64()*1e6, 'g', -1, 64)
		case 2:
			return []string{"inf", "-inf", "0", "1e20", "4611686018427387904"}[rng.Intn(5)]
		}
		return strconv.FormatFloat(rng.Float64(), 'g', -1, 64)
	}
	types := []string{"s", "l", "set", "h", "z", "x"}
	key := func() string { return types[rng.Intn(len(types))] + strconv.Itoa(rng.Intn(3)) }
	gen := func(k string) []string {
		n := 1 + rng.Intn(8)
		if rng.Intn(10) == 0 {
			n = 100 + rng.Intn(300)
		}
		switch {
		case strings.HasPrefix(k, "set"):
			if rng.Intn(4) == 0 {
				return []string{"SREM", k, val(), val()}
			}
			cmd := []string{"SADD", k}
			for ; n > 0; n-- {
				if rng.Intn(3) > 0 {
					cmd = append(cmd, strconv.Itoa(rng.Intn(2000)-1000))
				} else {
					cmd = append(cmd, val())
				}
			}
			return cmd
		case k[0] == 's':
			switch rng.Intn(3) {
			case 0:
				return []string{"APPEND", k, val()}
			case 1:
				return []string{"SETRANGE", k, strconv.Itoa(rng.Intn(60)), val()}
			}
			return []string{"SET", k, val()}
		case k[0] == 'l':
			switch rng.Intn(4) {
			case 0:
				return []string{"LREM", k, strconv.Itoa(rng.Intn(3) - 1), val()}
			case 1:
				return []string{"LTRIM", k, strconv.Itoa(rng.Intn(5)), strconv.Itoa(-1 - rng.Intn(5))}
			}
			cmd := []string{[]string{"LPUSH", "RPUSH"}[rng.Intn(2)], k}
			for ; n > 0; n-- {
				cmd = append(cmd, val())
			}
			return cmd
		case k[0] == 'h':
			if rng.Intn(4) == 0 {
				return []string{"HDEL", k, val(), val()}
			}
			cmd := []string{"HSET", k}
			for ; n > 0; n-- {
				cmd = append(cmd, val(), val())
			}
			return cmd
		case k[0] == 'z':
			if rng.Intn(4) == 0 {
				return []string{"ZREM", k, val(), val()}
			}
			cmd := []string{"ZADD", k}
			for ; n > 0; n-- {
				cmd = append(cmd, score(), val())
			}
			return cmd
		}
		switch rng.Intn(6) {
		case 0:
			return []string{"XDEL", k, "1-" + strconv.Itoa(rng.Intn(50)), "2-" + strconv.Itoa(rng.Intn(50))}
		case 1:
			return []string{"XTRIM", k, "MAXLEN", strconv.Itoa(rng.Intn(200))}
		case 2:
			return []string{"XGROUP", "CREATE", k, "g" + strconv.Itoa(rng.Intn(3)), "0", "MKSTREAM"}
		}
		cmd := []string{"XADD", k, "*"}
		for i := 1 + rng.Intn(3); i > 0; i-- {
			cmd = append(cmd, []string{"f", "g", "h"}[rng.Intn(3)], val())
		}
		return cmd
	}
	ops := 600
	if testing.Short() {
		ops = 200
	}
	restored := 0
	for i := 0; i < ops; i++ {
		k := key()
		cmd := gen(k)
		if cmd[0] == "XADD" {
			// IDs must agree: explicit, increasing.
			cmd[2] = strconv.Itoa(1+i/50) + "-" + strconv.Itoa(i%50)
		}
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("op %d %v: %v", i, cmd, err)
		}
		if rng.Intn(5) != 0 {
			continue
		}
		_, enc, _ := p.Redis.Do("OBJECT", "ENCODING", k)
		if enc.Null {
			continue
		}
		rd, rv, _ := p.Redis.Do("DUMP", k)
		md, mv, _ := p.Modis.Do("DUMP", k)
		if string(enc.Str) != "hashtable" && string(rd) != string(md) {
			t.Fatalf("op %d: DUMP %s (%s) differs:\n redis %q\n modis %q", i, k, enc.Str, rd, md)
		}
		// Cross RESTORE, then compare digest and encoding.
		restored++
		dst := "r" + strconv.Itoa(restored)
		opts := []string{}
		if rng.Intn(2) == 0 {
			opts = append(opts, "IDLETIME", strconv.Itoa(rng.Intn(1000)))
		}
		if rng.Intn(3) == 0 {
			opts = append(opts, "REPLACE")
		}
		mustDo(t, p.Redis, append([]string{"RESTORE", dst, "0", string(mv.Str)}, opts...)...)
		mustDo(t, p.Modis, append([]string{"RESTORE", dst, "0", string(rv.Str)}, opts...)...)
		for _, c := range [][]string{{"DEBUG", "DIGEST-VALUE", dst}, {"OBJECT", "ENCODING", dst}, {"DEBUG", "DIGEST-VALUE", k}} {
			if err := p.Compare(difftest.Exact, c...); err != nil {
				t.Fatalf("op %d %v: %v", i, c, err)
			}
		}
		mustDo(t, p.Redis, "DEL", dst)
		mustDo(t, p.Modis, "DEL", dst)
	}
	if err := p.Compare(difftest.Exact, "DEBUG", "DIGEST"); err != nil {
		t.Fatal(err)
	}
}
