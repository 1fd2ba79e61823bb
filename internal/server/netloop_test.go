package server

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

func dialT(t *testing.T, s *Server) *difftest.Conn {
	t.Helper()
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func expect(t *testing.T, c *difftest.Conn, want string, args ...string) {
	t.Helper()
	raw, _, err := c.Do(args...)
	if err != nil || string(raw) != want {
		t.Fatalf("%q: got %q %v, want %q", args, raw, err, want)
	}
}

// A client whose command must wait for CLIENT PAUSE leaves the event loop
// for a goroutine; others keep being served meanwhile, and it keeps
// working afterwards.
func TestPausedClientDoesNotBlockOthers(t *testing.T) {
	s := startTestServer(t, nil)
	admin, writer, reader := dialT(t, s), dialT(t, s), dialT(t, s)
	expect(t, writer, "+OK\r\n", "SET", "k", "v0")
	expect(t, admin, "+OK\r\n", "CLIENT", "PAUSE", "5000", "WRITE")
	start := time.Now()
	if err := writer.Send("SET", "k", "v1"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	expect(t, reader, "$2\r\nv0\r\n", "GET", "k") // reads are not paused
	expect(t, admin, "+OK\r\n", "CLIENT", "UNPAUSE")
	raw, _, err := writer.Read()
	if err != nil || string(raw) != "+OK\r\n" {
		t.Fatalf("paused SET: %q %v", raw, err)
	}
	if d := time.Since(start); d < 50*time.Millisecond || d > 3*time.Second {
		t.Fatalf("SET finished after %v", d)
	}
	expect(t, writer, "$2\r\nv1\r\n", "GET", "k")
	expect(t, reader, "$2\r\nv1\r\n", "GET", "k")
}

// A client that sends requests without reading the replies fills its
// socket; the replies are finished by a writer goroutine and everyone else
// is still served.
func TestSlowReaderDoesNotStallLoop(t *testing.T) {
	s := startTestServer(t, nil)
	fast, slow := dialT(t, s), dialT(t, s)
	big := strings.Repeat("x", 512*1024)
	expect(t, fast, "+OK\r\n", "SET", "big", big)
	var req []byte
	for i := 0; i < 64; i++ {
		req = append(req, "GET big\r\n"...)
	}
	if err := slow.SendRaw(req); err != nil { // 32 MB of replies, unread
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := difftest.Dial(s.Addr().String())
		if err != nil {
			return
		}
		defer c.Close()
		c.Do("PING")
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("server stalled by a client that does not read")
	}
	expect(t, fast, "+PONG\r\n", "PING")
	for i := 0; i < 64; i++ {
		raw, _, err := slow.Read()
		if err != nil || len(raw) != len(big)+len("$524288\r\n\r\n") {
			t.Fatalf("reply %d: %d bytes, %v", i, len(raw), err)
		}
	}
	expect(t, slow, "+PONG\r\n", "PING")
}

// CLIENT KILL and QUIT close loop clients; the server keeps serving.
func TestLoopClientClose(t *testing.T) {
	s := startTestServer(t, nil)
	a, b := dialT(t, s), dialT(t, s)
	expect(t, a, "+OK\r\n", "CLIENT", "SETNAME", "victim")
	expect(t, b, ":1\r\n", "CLIENT", "KILL", "SKIPME", "yes", "ID", clientID(t, a))
	if _, _, err := a.Do("PING"); err == nil {
		t.Fatal("killed client still answered")
	}
	expect(t, b, "+OK\r\n", "QUIT")
	c := dialT(t, s)
	expect(t, c, "+PONG\r\n", "PING")
}

func clientID(t *testing.T, c *difftest.Conn) string {
	t.Helper()
	_, v, err := c.Do("CLIENT", "ID")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(v.String(), "(integer) ")
}

// A client that starts unauthenticated is served by a goroutine (commands
// parsed one at a time with the unauthenticated limits) and joins the
// event loop once AUTH succeeds.
func TestAuthenticatedClientJoinsLoop(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.RequirePass = "pw" })
	c := dialT(t, s)
	expect(t, c, "-NOAUTH Authentication required.\r\n", "GET", "k")
	expect(t, c, "+OK\r\n", "AUTH", "pw")
	expect(t, c, "+OK\r\n", "SET", "k", "v")
	expect(t, c, "$1\r\nv\r\n", "GET", "k")
	if !useEventLoop || runtime.GOOS != "linux" {
		return
	}
	s.mu.Lock()
	onLoop := 0
	for _, cl := range s.clients {
		if cl.loop != nil {
			onLoop++
		}
	}
	s.mu.Unlock()
	if onLoop != 1 {
		t.Fatalf("%d clients on the event loop after AUTH, want 1", onLoop)
	}
}
