package server

import (
	"bytes"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// Helpers for multi-connection differential tests: a twin is one
// connection to redis-server and one to Modis driven in lock step.

type servers struct {
	redis, modis string
	srv          *Server
}

// startServers starts a reference redis-server (with extra arguments) and
// a Modis (with mutate) for one test.
func startServers(t *testing.T, redisArgs []string, mutate func(*config.Config)) servers {
	t.Helper()
	r := difftest.StartRedis(t, redisArgs...)
	s := startTestServer(t, mutate)
	return servers{redis: r.Addr, modis: s.Addr().String(), srv: s}
}

type twin struct {
	t    *testing.T
	r, m *difftest.Conn
	// norm rewrites volatile parts (ids, ports, timestamps) before
	// comparing.
	norm func([]byte) []byte
}

func (sv servers) dial(t *testing.T) *twin {
	t.Helper()
	rc, err := difftest.Dial(sv.redis)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := difftest.Dial(sv.modis)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close(); mc.Close() })
	return &twin{t: t, r: rc, m: mc}
}

// do sends a command to both and requires identical replies.
func (w *twin) do(args ...string) []byte {
	w.t.Helper()
	w.send(args...)
	return w.read()
}

func (w *twin) send(args ...string) {
	w.t.Helper()
	if err := w.r.Send(args...); err != nil {
		w.t.Fatal(err)
	}
	if err := w.m.Send(args...); err != nil {
		w.t.Fatal(err)
	}
}

// read reads one reply from each side and compares them.
func (w *twin) read() []byte {
	w.t.Helper()
	rraw, _, err := w.r.Read()
	if err != nil {
		w.t.Fatalf("redis: %v", err)
	}
	mraw, _, err := w.m.Read()
	if err != nil {
		w.t.Fatalf("modis: %v (redis sent %q)", err, rraw)
	}
	a, b := rraw, mraw
	if w.norm != nil {
		a, b = w.norm(a), w.norm(b)
	}
	if !bytes.Equal(a, b) {
		w.t.Fatalf("replies differ:\n redis: %q\n modis: %q", rraw, mraw)
	}
	return mraw
}

// do1 sends a command to a single server connection and returns the reply.
func do1(t *testing.T, c *difftest.Conn, args ...string) resp.Value {
	t.Helper()
	_, v, err := c.Do(args...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rawConn is a plain TCP connection for tests that need to observe
// silence or closing.
func rawConn(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readAll reads until the peer closes or stays silent for quiet.
func readAll(c net.Conn, quiet time.Duration) (data []byte, closed bool) {
	buf := make([]byte, 64*1024)
	for {
		c.SetReadDeadline(time.Now().Add(quiet))
		n, err := c.Read(buf)
		data = append(data, buf[:n]...)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return data, false
			}
			return data, true
		}
	}
}

var (
	reIDField   = regexp.MustCompile(`id=\d+`)
	reAddrField = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)
