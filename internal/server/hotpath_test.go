package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// memClient is a client without a connection, for driving the dispatcher
// directly.
func memClient(s *Server) *Client {
	return &Client{srv: s, db: s.ks.DBs[0], resp: 2, authenticated: true}
}

// dispatch returns a function that runs one command the way serve does;
// the reply is left in c.out.
func dispatch(c *Client, args ...string) func() {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	return func() {
		s := c.srv
		c.out = c.out[:0]
		s.mu.Lock()
		s.beforeCommand()
		c.argv = argv
		s.processCommand(c)
		c.argv = nil
		s.mu.Unlock()
	}
}

// The steady path of GET and SET allocates nothing beyond the stored value.
func TestDispatchAllocs(t *testing.T) {
	s := New(config.Default())
	c := memClient(s)
	reply := func(fn func()) string { fn(); return string(c.out) }
	set := dispatch(c, "SET", "key:000000001", "value-16-bytes!!")
	if got := reply(set); got != "+OK\r\n" {
		t.Fatalf("SET replied %q", got)
	}
	get := dispatch(c, "GET", "key:000000001")
	if got := reply(get); got != "$16\r\nvalue-16-bytes!!\r\n" {
		t.Fatalf("GET replied %q", got)
	}
	miss := dispatch(c, "get", "nokey")
	if got := reply(miss); got != "$-1\r\n" {
		t.Fatalf("GET miss replied %q", got)
	}
	setInt := dispatch(c, "SET", "counter", "12345")
	setInt()
	for _, tc := range []struct {
		name string
		fn   func()
		max  float64
	}{
		{"GET hit", get, 0},
		{"GET miss", miss, 0},
		{"SET overwrite", set, 1}, // the value's copy
		{"SET int", setInt, 0},
		{"PING", dispatch(c, "PING"), 0},
	} {
		if n := testing.AllocsPerRun(200, tc.fn); n > tc.max {
			t.Errorf("%s: %v allocations per command, want <= %v", tc.name, n, tc.max)
		}
	}
}

// A panicking command procedure is logged and answered with an error; the
// connection and the server keep working.
func TestCommandPanicIsRecovered(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "modis.log")
	s := startTestServer(t, func(cfg *config.Config) { cfg.LogFile = logFile })
	s.mu.Lock()
	cp := s.procs[s.cmds.Lookup([]byte("echo"))]
	cp.proc = func(c *Client) {
		c.addBulkString("partial")
		var m map[string]int
		m["x"] = 1 // nil map write: a runtime panic
	}
	s.mu.Unlock()
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	raw, _, err := c.Do("ECHO", "x")
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != "$7\r\npartial\r\n" {
		t.Fatalf("ECHO replied %q", raw)
	}
	raw, _, err = c.Read()
	if err != nil || string(raw) != "-ERR internal error in command 'echo'\r\n" {
		t.Fatalf("after panic: %q %v", raw, err)
	}
	raw, _, err = c.Do("PING")
	if err != nil || string(raw) != "+PONG\r\n" {
		t.Fatalf("PING after panic: %q %v", raw, err)
	}
	log, _ := os.ReadFile(logFile)
	if !strings.Contains(string(log), "panic in command 'echo'") || !strings.Contains(string(log), "goroutine") {
		t.Fatalf("panic not logged with its stack:\n%s", log)
	}
}

// Pipelined commands parsed in one read each keep their own arguments
// (regression: every command of a batch used to run with the last one's).
func TestPipelinedBatch(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var req []byte
	req = append(req, "SET a 1\r\nSET b \"2\"\r\n"...)
	req = append(req, "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\nGET a\r\nGET b\r\n*2\r\n$3\r\nGET\r\n$1\r\nc\r\n"...)
	if err := c.SendRaw(req); err != nil {
		t.Fatal(err)
	}
	want := []string{"+OK\r\n", "+OK\r\n", "+OK\r\n", "$1\r\n1\r\n", "$1\r\n2\r\n", "$1\r\n3\r\n"}
	for i, w := range want {
		raw, _, err := c.Read()
		if err != nil || string(raw) != w {
			t.Fatalf("reply %d: %q %v, want %q", i, raw, err, w)
		}
	}
}

func BenchmarkDispatchGET(b *testing.B) {
	s := New(config.Default())
	c := memClient(s)
	dispatch(c, "SET", "key:000000001", "value-16-bytes!!")()
	get := dispatch(c, "GET", "key:000000001")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		get()
	}
}

func BenchmarkDispatchSET(b *testing.B) {
	s := New(config.Default())
	c := memClient(s)
	set := dispatch(c, "SET", "key:000000001", "value-16-bytes!!")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		set()
	}
}
