package server

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/config"
)

// BenchmarkZAddRandom is redis-benchmark's zadd test in process: a random
// score for one of 100,000 members of one sorted set.
func BenchmarkZAddRandom(b *testing.B) {
	cfg := config.Default()
	cfg.SlowlogLogSlowerThan = -1 // a memClient has no connection to log
	s := New(cfg)
	c := memClient(s)
	const n = 100000
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([]func(), 4096)
	for i := range cmds {
		cmds[i] = dispatch(c, "ZADD", "myzset", strconv.Itoa(rng.IntN(n)), "element:"+strconv.Itoa(rng.IntN(n)))
	}
	for i := 0; i < 2*n; i++ {
		dispatch(c, "ZADD", "myzset", strconv.Itoa(rng.IntN(n)), "element:"+strconv.Itoa(rng.IntN(n)))()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmds[i&4095]()
	}
}
