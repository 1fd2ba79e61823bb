//go:build cgo

package cabi

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestBridgeDumpRestoreDiff: DUMP of a C module type's value gives Redis's
// payload byte for byte (the module's strings integer-encoded or
// LZF-compressed as rdbSaveRawString does), and each server RESTOREs the
// other's payloads through the type's rdb_load.
func TestBridgeDumpRestoreDiff(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	long := "a-rather-long-key-name-" + strings.Repeat("x", 40)
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgetype")}, [][]string{
		{"bt.tset", "t1", "5"}, {"DUMP", "t1"},
		{"bt.tset", long, "-123456789012"}, {"DUMP", long},
		{"bt.tset", "12345", "1"}, {"DUMP", "12345"},
	})
	args := []string{"--loadmodule", modulePath(t, "bridgetype")}
	r := difftest.StartRedis(t, append([]string{"--enable-module-command", "yes"}, args...)...)
	m := startServer(t, args...)
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mc := m.dial(t)
	for _, c := range []*difftest.Conn{rc, mc} {
		c.Do("bt.tset", long, "42")
	}
	for _, pair := range [][2]*difftest.Conn{{rc, mc}, {mc, rc}} {
		_, p, _ := pair[0].Do("DUMP", long)
		raw, _, _ := pair[1].Do("RESTORE", long, "0", string(p.Str), "REPLACE")
		if string(raw) != "+OK\r\n" {
			t.Fatalf("RESTORE: %q", raw)
		}
		raw, _, _ = pair[1].Do("bt.tget", long)
		if string(raw) != ":42\r\n" {
			t.Fatalf("bt.tget after RESTORE: %q", raw)
		}
	}
}
