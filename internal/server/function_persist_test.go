package server

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/modis/modis/internal/config"
)

// TestFunctionsPersist: libraries survive SAVE and restart, and an AOF
// rewrite with or without RDB preamble (FUNCTION2 records or FUNCTION
// LOAD commands).
func TestFunctionsPersist(t *testing.T) {
	lib := "#!lua name=plib\nredis.register_function('pf', function(keys, args) return 'kept ' .. args[1] end)"
	check := func(t *testing.T, addr string) {
		t.Helper()
		if got := string(pdo(t, addr, "FCALL", "pf", "0", "x").Str); got != "kept x" {
			t.Fatalf("FCALL after restart: %q", got)
		}
	}
	t.Run("rdb", func(t *testing.T) {
		dir := t.TempDir()
		s := startPersistServer(t, dir, nil)
		addr := s.Addr().String()
		pdo(t, addr, "FUNCTION", "LOAD", lib)
		mustOK(t, pdo(t, addr, "SAVE"), "save")
		s.Close()
		check(t, startPersistServer(t, dir, nil).Addr().String())
	})
	for _, preamble := range []bool{true, false} {
		t.Run(fmt.Sprintf("aof-preamble=%v", preamble), func(t *testing.T) {
			dir := t.TempDir()
			mut := func(c *config.Config) { c.AOFUseRDBPreamble = preamble }
			s := aofServer(t, dir, mut)
			addr := s.Addr().String()
			pdo(t, addr, "FUNCTION", "LOAD", lib)
			mustOK(t, pdo(t, addr, "BGREWRITEAOF"), "bgrewriteaof")
			waitRewrite(t, addr)
			s.Close()
			m := readManifest(t, dir)
			base, err := os.ReadFile(filepath.Join(dir, "appendonlydir", m.Base.Name))
			if err != nil {
				t.Fatal(err)
			}
			if !preamble && !bytes.Contains(base, []byte("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n")) {
				t.Fatalf("base file without FUNCTION LOAD:\n%q", base)
			}
			check(t, aofServer(t, dir, mut).Addr().String())
		})
	}
}
