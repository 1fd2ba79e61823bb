package server

import (
	"math/rand"
	"os"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// randomSeed is the generator of a randomized differential test and its
// seed: def, or the value of the environment variable env, to replay
// another seed after a failure.
func randomSeed(env string, def int64) (*rand.Rand, int64) {
	seed := def
	if v, err := strconv.ParseInt(os.Getenv(env), 10, 64); err == nil {
		seed = v
	}
	return rand.New(rand.NewSource(seed)), seed
}

// debugPair starts redis-server and Modis, both with DEBUG enabled, and
// returns a connection pair to them.
func debugPair(t *testing.T) *difftest.Pair {
	t.Helper()
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	return difftest.NewPair(t, r.Addr, s.Addr().String())
}
