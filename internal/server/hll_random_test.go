package server

import (
	"strconv"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestHLLRandomDiff sends the same pseudo-random stream of HyperLogLog
// commands (fixed seed; MODIS_HLL_SEED picks another) to redis-server and
// Modis and compares every reply byte for byte, GETs of the raw strings
// included: sparse updates, promotions at varying hll-sparse-max-bytes,
// merges of mixed encodings, cached counts, and bytes overwritten with
// SETRANGE to corrupt the values.
func TestHLLRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_HLL_SEED", 5)
	keys := []string{"h0", "h1", "h2", "h3"}
	key := func() string { return keys[rng.Intn(len(keys))] }
	elems := func(cmd []string, n int) []string {
		for ; n > 0; n-- {
			cmd = append(cmd, "e"+strconv.Itoa(rng.Intn(5000)))
		}
		return cmd
	}
	var history [][]string
	for i := 0; i < 1500; i++ {
		var cmd []string
		switch rng.Intn(14) {
		case 0, 1, 2, 3:
			cmd = elems([]string{"PFADD", key()}, rng.Intn(8))
		case 4:
			cmd = elems([]string{"PFADD", key()}, 50+rng.Intn(300))
		case 5, 6:
			cmd = []string{"PFCOUNT", key()}
			for n := rng.Intn(3); n > 0; n-- {
				cmd = append(cmd, key())
			}
		case 7:
			cmd = []string{"PFMERGE", key(), key(), key()}
		case 8, 9:
			cmd = []string{"GET", key()}
		case 10:
			cmd = []string{"CONFIG", "SET", "hll-sparse-max-bytes", []string{"40", "300", "3000", "20000"}[rng.Intn(4)]}
		case 11:
			cmd = []string{"PFDEBUG", []string{"ENCODING", "DECODE", "TODENSE"}[rng.Intn(3)], key()}
		case 12:
			if rng.Intn(8) == 0 {
				// Corrupt a byte of the body (rarely: most values die).
				cmd = []string{"SETRANGE", key(), strconv.Itoa(16 + rng.Intn(30)), string(rune('A' + rng.Intn(60)))}
			} else {
				cmd = []string{"DEL", key()}
			}
		default:
			cmd = []string{"STRLEN", key()}
		}
		history = append(history, cmd)
		if len(history) > 30 {
			history = history[1:]
		}
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("command %d %.200q: %v\nrecent commands: %.3000q", i, cmd, err, history)
		}
	}
	for _, k := range keys {
		if err := p.Compare(difftest.Exact, "GET", k); err != nil {
			t.Fatalf("final GET %s: %v", k, err)
		}
	}
}
