package server

import (
	"strconv"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestStreamRandomDiff sends the same pseudo-random sequence of stream
// commands (fixed seed, explicit IDs so replies are deterministic) to
// redis-server and Modis and compares every reply byte for byte. Small
// node limits make node splits, tombstones and whole-node trimming
// frequent; XINFO STREAM checks the metadata (radix tree sizes, first and
// last IDs, entries added, max deleted ID) after every few steps.
func TestStreamRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_STREAM_SEED", 11)
	for _, cfg := range [][]string{{"stream-node-max-entries", "4"}, {"stream-node-max-bytes", "120"}} {
		if err := p.Compare(difftest.Exact, "CONFIG", "SET", cfg[0], cfg[1]); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		p.Compare(difftest.Exact, "CONFIG", "SET", "stream-node-max-entries", "100")
		p.Compare(difftest.Exact, "CONFIG", "SET", "stream-node-max-bytes", "4096")
	})
	keys := []string{"s0", "s1", "s2"}
	key := func() string { return keys[rng.Intn(len(keys))] }
	num := func(lo, hi int) string { return strconv.Itoa(lo + rng.Intn(hi-lo+1)) }
	id := func() string {
		switch rng.Intn(8) {
		case 0:
			return num(0, 40)
		case 1:
			return "-"
		case 2:
			return "+"
		case 3:
			return "(" + num(0, 40) + "-" + num(0, 3)
		}
		return num(0, 40) + "-" + num(0, 3)
	}
	val := func() string {
		switch rng.Intn(4) {
		case 0:
			return num(-200, 70000)
		case 1:
			return ""
		}
		return "v" + num(0, 999999)
	}
	fields := func() []string {
		var out []string
		n := 1 + rng.Intn(3)
		for i := 0; i < n; i++ {
			out = append(out, []string{"a", "b", "c", "d"}[rng.Intn(4)], val())
		}
		return out
	}
	trim := func() []string {
		var out []string
		switch rng.Intn(3) {
		case 0:
			out = []string{"MAXLEN"}
		case 1:
			out = []string{"MINID"}
		default:
			return nil
		}
		approx := rng.Intn(3)
		if approx == 1 {
			out = append(out, "~")
		} else if approx == 2 {
			out = append(out, "=")
		}
		if out[0] == "MAXLEN" {
			out = append(out, num(0, 12))
		} else {
			out = append(out, num(0, 40)+"-"+num(0, 3))
		}
		if approx == 1 && rng.Intn(3) == 0 {
			out = append(out, "LIMIT", num(0, 10))
		}
		return out
	}
	groups := []string{"g1", "g2"}
	group := func() string { return groups[rng.Intn(len(groups))] }
	consumer := func() string { return []string{"c1", "c2", "c3"}[rng.Intn(3)] }
	next := map[string]int{}
	gen := func() []string {
		k := key()
		switch rng.Intn(20) {
		case 0, 1, 2, 3, 4:
			next[k] += rng.Intn(3)
			cmd := []string{"XADD", k}
			cmd = append(cmd, trim()...)
			idArg := strconv.Itoa(next[k]) + "-*"
			if rng.Intn(2) == 0 {
				idArg = strconv.Itoa(next[k]) + "-" + num(0, 3)
			}
			return append(append(cmd, idArg), fields()...)
		case 5:
			tr := trim()
			if tr == nil {
				tr = []string{"MAXLEN", num(0, 10)}
			}
			return append([]string{"XTRIM", k}, tr...)
		case 6:
			return []string{"XDEL", k, id(), num(0, 40) + "-" + num(0, 3)}
		case 7:
			return []string{"XRANGE", k, id(), id(), "COUNT", num(-1, 5)}
		case 8:
			return []string{"XREVRANGE", k, id(), id()}
		case 9:
			return []string{"XLEN", k}
		case 10:
			return []string{"XINFO", "STREAM", k}
		case 11:
			return []string{"XGROUP", "CREATE", k, group(), []string{"0", "$", num(0, 30)}[rng.Intn(3)], "MKSTREAM"}
		case 12:
			return []string{"XREADGROUP", "GROUP", group(), consumer(), "COUNT", num(1, 4), "STREAMS", k, []string{">", "0", ">"}[rng.Intn(3)]}
		case 13:
			return []string{"XACK", k, group(), num(0, 40) + "-" + num(0, 3), num(0, 40) + "-" + num(0, 3)}
		case 14:
			return []string{"XPENDING", k, group()}
		case 15:
			return []string{"XCLAIM", k, group(), consumer(), "0", num(0, 40) + "-" + num(0, 3), "TIME", "1000", "JUSTID"}
		case 16:
			return []string{"XAUTOCLAIM", k, group(), consumer(), "0", id(), "COUNT", num(1, 3), "JUSTID"}
		case 17:
			return []string{"XINFO", "GROUPS", k}
		case 18:
			return []string{"XREAD", "COUNT", num(1, 5), "STREAMS", k, id()}
		}
		return []string{"XGROUP", "SETID", k, group(), num(0, 40)}
	}
	for i := 0; i < 3000; i++ {
		if i == 1500 {
			// Second half in RESP3 (XREAD maps, XINFO maps, nulls).
			if err := p.Compare(difftest.Ignore, "HELLO", "3"); err != nil {
				t.Fatal(err)
			}
		}
		cmd := gen()
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("step %d %q: %v", i, cmd, err)
		}
	}
}
