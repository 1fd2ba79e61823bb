//go:build cgo

package cabi

import (
	"os/exec"
	"testing"
)

// TestBridgeOptCtxDiffRedis checks the key names and db ids the v4 type
// methods (mem_usage2 from MEMORY USAGE, copy2 from COPY) and the digest
// method (DEBUG DIGEST, DEBUG DIGEST-VALUE) see through the OptCtx and
// Digest accessors, against redis-server. Deletions and overwrites of the
// type's keys are left out: Redis calls unlink2 there and the server does
// not yet.
func TestBridgeOptCtxDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--enable-debug-command", "yes", "--loadmodule", modulePath(t, "bridgeoptctx")}, [][]string{
		{"ox.log"}, {"ox.set", "a", "1"}, {"MEMORY", "USAGE", "a"}, {"MEMORY", "USAGE", "a", "SAMPLES", "0"},
		{"MEMORY", "USAGE", "a", "SAMPLES", "9"}, {"MEMORY", "USAGE", "nokey"}, {"ox.log"},
		{"SELECT", "3"}, {"ox.set", "b", "2"}, {"COPY", "b", "c"}, {"COPY", "b", "d", "DB", "5"},
		{"COPY", "b", "c"}, {"ox.log"}, {"MEMORY", "USAGE", "b"}, {"ox.log"},
		{"DEBUG", "DIGEST-VALUE", "b", "nokey"}, {"ox.log"},
		{"SELECT", "0"}, {"ox.set", "a", "7"}, {"ox.log"}, {"DEL", "a"}, {"ox.log"},
		{"ox.set", "u", "3"}, {"UNLINK", "u"}, {"ox.log"}, {"CONFIG", "SET", "lazyfree-lazy-user-del", "yes"},
		{"ox.set", "v", "4"}, {"DEL", "v"}, {"ox.log"}, {"CONFIG", "SET", "lazyfree-lazy-user-del", "no"},
		{"ox.set", "e", "1"}, {"PEXPIRE", "e", "1"}, {"DEBUG", "SLEEP", "0.01"}, {"GET", "e"}, {"ox.log"},
		{"FLUSHALL"}, {"SELECT", "7"}, {"ox.set", "z", "5"}, {"DEBUG", "DIGEST"}, {"ox.log"}, {"SELECT", "0"},
	})
}
