package server

import (
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestStringLimits runs testdata/strings-limits.txt, which lowers
// proto-max-bulk-len with CONFIG SET to test the size limits of SETRANGE,
// APPEND, SETBIT, BITFIELD and LCS without half-gigabyte strings. It is
// kept out of testdata/diff (whose scripts share one redis-server) and
// skipped while Modis has no CONFIG SET.
func TestStringLimits(t *testing.T) {
	s := startTestServer(t, nil)
	c := dial(t, s.Addr().String())
	raw, _, err := c.Do("CONFIG", "SET", "proto-max-bulk-len", "536870912")
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != "+OK\r\n" {
		t.Skipf("CONFIG SET not available: %q", raw)
	}
	r := difftest.StartRedis(t)
	difftest.RunScript(t, "testdata/strings-limits.txt", r.Addr, s.Addr().String())
}
