//go:build cgo

package cabi

import (
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/server"
)

// inProcessServer starts a Modis server in the test process (MODULE
// enabled, no persistence, loopback on a free port) and connects to it.
// DEBUG is enabled too. Tests that need the engine's internals use it; the rest run the server
// as a child process so a module crash fails the test instead of killing it.
func inProcessServer(t *testing.T) (*server.Server, *difftest.Conn) {
	t.Helper()
	cfg := config.Default()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.LogLevel = "warning"
	cfg.Save = nil
	cfg.EnableModuleCommand = "yes"
	cfg.EnableDebugCommand = "yes"
	s := server.New(cfg)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return s, c
}
