package server

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestMonitor compares the MONITOR feed (timestamps and client ports
// normalised): redaction, quoting, db numbers, excluded admin commands and
// transactions.
func TestMonitor(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	mon := sv.dial(t)
	ts := regexp.MustCompile(`^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]`)
	mon.norm = func(b []byte) []byte { return ts.ReplaceAll(b, []byte("+TS [$1 ADDR]")) }
	mon.do("MONITOR")
	c := sv.dial(t)
	ids := regexp.MustCompile(`(\$2\r\nid\r\n:)\d+|^:\d+\r\n$`)
	c.norm = func(b []byte) []byte { return ids.ReplaceAll(b, []byte("${1}ID")) }
	cmds := [][]string{
		{"SET", "k", "v"},
		{"GET", "k"},
		{"SELECT", "2"},
		{"SET", "bin\x01\"\\ key", "\xff\n\r\t\a\b"},
		{"AUTH", "pw"},
		{"AUTH", "user", "pw"},
		{"AUTH", "a", "b", "c"},
		{"HELLO", "2", "AUTH", "default", "x", "SETNAME", "nm"},
		{"HELLO", "9", "AUTH", "a", "b"},
		{"HELLO", "2", "AUTH", "a"},
		{"HELLO", "2", "SETNAME", "n", "AUTH", "default", "pw", "BAD"},
		{"MULTI"},
		{"SET", "a", "1"},
		{"DEL", "a"},
		{"EXEC"},
		{"CLIENT", "ID"},
		{"HELLO", "3"},
		{"GET", "nokey"},
		{"HELLO", "3", "SETNAME", "r3"},
		{"HELLO", "2"},
		{"PING"},
		{"NOSUCHCOMMAND"},
		{"GET"},
		{"RESET"},
	}
	for _, args := range cmds {
		c.do(args...)
		if args[0] == "NOSUCHCOMMAND" || (args[0] == "GET" && len(args) == 1) {
			continue // rejected before running: not fed
		}
		if args[0] == "MULTI" {
			mon.read()
			continue
		}
		if args[0] == "SET" && args[1] == "a" || args[0] == "DEL" {
			continue // queued: fed when EXEC runs them
		}
		if args[0] == "EXEC" {
			mon.read() // SET
			mon.read() // DEL
		}
		mon.read()
	}
	// Admin commands are not shown; the next line is the PING.
	c.send("CLIENT", "LIST")
	c.r.Read()
	c.m.Read()
	c.send("CONFIG", "RESETSTAT") // admin (not implemented here yet)
	c.r.Read()
	c.m.Read()
	c.do("MONITOR")
	c.do("PING")
	mon.read()
	// The monitor's own commands are fed to it.
	mon.do("PING")
	mon.read()
}

// TestRequirePass runs the authentication script against servers started
// with requirepass.
func TestRequirePass(t *testing.T) {
	t.Parallel()
	port := difftest.FreePort(t)
	dir := t.TempDir()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--dir", dir, "--logfile", filepath.Join(dir, "log"), "--requirepass", "secret")
	if err := cmd.Start(); err != nil {
		t.Skip("redis-server:", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for i := 0; ; i++ {
		c, err := difftest.Dial(addr)
		if err == nil {
			raw, _, err := c.Do("PING")
			c.Close()
			if err == nil && strings.HasPrefix(string(raw), "-NOAUTH") {
				break
			}
		}
		if i > 200 {
			t.Fatal("redis-server with requirepass did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s := startTestServer(t, func(c *config.Config) { c.RequirePass = "secret" })
	difftest.RunScript(t, filepath.Join("testdata", "requirepass", "hello-auth.txt"), addr, s.Addr().String())
}
