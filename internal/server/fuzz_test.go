package server

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// Commands that act on the whole server (stop it, block it, change how
// others connect) are left out of random inputs: they are not crashes.
var fuzzSkip = [][]byte{
	[]byte("shutdown"), []byte("debug"), []byte("pause"), []byte("sleep"),
	[]byte("requirepass"), []byte("config"), []byte("monitor"), []byte("kill"),
	[]byte("subscribe"), []byte("bl"), []byte("wait"), []byte("acl"),
	[]byte("module"), []byte("replicaof"), []byte("slaveof"), []byte("failover"),
	[]byte("sync"), []byte("save"), []byte("xread"), []byte("client"),
}

// FuzzServer sends random bytes to an in-process server on a fresh
// connection and checks that the server survives: it still answers PING
// on a new connection. Run it with go test -fuzz FuzzServer.
func FuzzServer(f *testing.F) {
	s := startTestServer(f, nil)
	addr := s.Addr().String()
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n"))
	f.Add([]byte("MULTI\r\nSET a 1\r\nGET a\r\nEXEC\r\n"))
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$-5\r\n"))
	f.Add([]byte("SELECT 15\r\nDEL a b c\r\nECHO \"\\x00\"\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lower := bytes.ToLower(data)
		for _, w := range fuzzSkip {
			if bytes.Contains(lower, w) {
				return
			}
		}
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.Write(data)
		// Drain whatever comes back for a moment, then hang up.
		conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		buf := make([]byte, 64*1024)
		for {
			if _, err := conn.Read(buf); err != nil {
				break
			}
		}
		conn.Close()
		c, err := difftest.Dial(addr)
		if err != nil {
			t.Fatalf("server stopped accepting after %q: %v", data, err)
		}
		defer c.Close()
		raw, _, err := c.Do("PING")
		if err != nil || string(raw) != "+PONG\r\n" {
			t.Fatalf("server stopped answering after %q: %q %v", data, raw, err)
		}
	})
}
