package server

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// startTestServer runs an in-process Modis on a free loopback port.
func startTestServer(t testing.TB, mutate func(*config.Config)) *Server {
	t.Helper()
	cfg := config.Default()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.LogLevel = "warning"
	cfg.Save = nil // as the reference's --save ""
	if mutate != nil {
		mutate(cfg)
	}
	s := New(cfg)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestDiff runs every script in testdata/diff against redis-server and
// Modis and compares the replies byte for byte.
func TestDiff(t *testing.T) {
	files, err := filepath.Glob("testdata/diff/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no diff scripts: %v", err)
	}
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			difftest.RunScript(t, f, r.Addr, s.Addr().String())
		})
	}
}
