package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestConfigSetPort moves the listener with CONFIG SET port, refuses a
// port in use (rolling back), and applies loglevel and hz at run time.
func TestConfigSetPort(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	busy := startTestServer(t, nil)
	bp := busy.Addr().String()[len("127.0.0.1:"):]
	raw, _, _ := c.Do("CONFIG", "SET", "port", bp)
	if string(raw) != "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n" {
		t.Errorf("CONFIG SET port (busy) = %q", raw)
	}
	raw, _, _ = c.Do("CONFIG", "GET", "port")
	if string(raw) != "*2\r\n$4\r\nport\r\n$1\r\n0\r\n" {
		t.Errorf("port not rolled back: %q", raw)
	}
	free := difftest.FreePort(t)
	raw, _, _ = c.Do("CONFIG", "SET", "port", strconv.Itoa(free))
	if string(raw) != "+OK\r\n" {
		t.Fatalf("CONFIG SET port = %q", raw)
	}
	difftest.WaitReady(t, "127.0.0.1:"+strconv.Itoa(free))
	if s.Addr().String() != "127.0.0.1:"+strconv.Itoa(free) {
		t.Errorf("listening on %s, want port %d", s.Addr(), free)
	}

	raw, _, _ = c.Do("CONFIG", "SET", "loglevel", "debug", "hz", "100")
	if string(raw) != "+OK\r\n" {
		t.Fatalf("CONFIG SET loglevel hz = %q", raw)
	}
	s.Lock()
	level, hz := s.logger.level.Load(), s.cfg.HZ
	s.Unlock()
	if level != LogDebug || hz != 100 {
		t.Errorf("level %d hz %d", level, hz)
	}
	c.Do("CONFIG", "SET", "loglevel", "warning")
}

// TestConfigResetstat checks CONFIG RESETSTAT clears the counters and runs
// the registered hooks.
func TestConfigResetstat(t *testing.T) {
	called := 0
	resetStatHooks = append(resetStatHooks, func(*Server) { called++ })
	defer func() { resetStatHooks = resetStatHooks[:len(resetStatHooks)-1] }()
	s := startTestServer(t, func(c *config.Config) {})
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Do("GET", "x")
	c.Do("NOSUCHCMD")
	c.Do("CONFIG", "RESETSTAT")
	s.Lock()
	defer s.Unlock()
	if s.stats.keyspaceMisses != 0 || s.stats.errorReplies != 0 || len(s.stats.errorCodes) != 0 || called != 1 {
		t.Errorf("after RESETSTAT: misses %d errors %d codes %v hooks %d", s.stats.keyspaceMisses, s.stats.errorReplies, s.stats.errorCodes, called)
	}
	for _, cp := range s.procs {
		if cp.spec.Name == "get" && cp.calls != 0 {
			t.Errorf("get calls %d", cp.calls)
		}
	}
}

// TestConfigSetRedactsSecrets checks sensitive values never reach the slow
// log.
func TestConfigSetRedactsSecrets(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Do("CONFIG", "SET", "slowlog-log-slower-than", "0")
	c.Do("CONFIG", "SET", "masterauth", "s3cret", "hz", "10")
	c.Do("CONFIG", "SET", "slowlog-log-slower-than", "10000")
	raw, _, _ := c.Do("SLOWLOG", "GET", "2")
	if !strings.Contains(string(raw), "$10\r\n(redacted)\r\n$2\r\nhz\r\n$2\r\n10\r\n") || strings.Contains(string(raw), "s3cret") {
		t.Errorf("SLOWLOG GET = %q", raw)
	}
}

// TestRenameCommand checks rename-command moves and removes commands.
func TestRenameCommand(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) {
		if err := c.LoadString("rename-command flushall \"\"\nrename-command GET fetch\n"); err != nil {
			t.Fatal(err)
		}
	})
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Do("SET", "k", "v")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"FETCH", "k"}, "$1\r\nv\r\n"},
		{[]string{"GET", "k"}, "-ERR unknown command 'GET', with args beginning with: 'k' \r\n"},
		{[]string{"FLUSHALL"}, "-ERR unknown command 'FLUSHALL', with args beginning with: \r\n"},
	} {
		if raw, _, _ := c.Do(tc.args...); string(raw) != tc.want {
			t.Errorf("%q = %q, want %q", tc.args, raw, tc.want)
		}
	}
}
