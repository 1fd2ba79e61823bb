package server

import (
	"bytes"
	"net"
	"strings"
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
	// Tricky framing: huge and negative counts and lengths, inline quoting,
	// binary, and pipelines mixing both protocols.
	for _, seed := range []string{
		"*2147483647\r\n$3\r\nGET\r\n",
		"*1048577\r\n",
		"*-1\r\nPING\r\n",
		"*1\r\n$-1\r\n",
		"*1\r\n$2147483648\r\n",
		"*1\r\n$536870913\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nshort\r\n",
		"*1\r\n$4\r\nPINGxx",
		"*x\r\n",
		"$3\r\nGET\r\n",
		"SET k \"a\\x00b\\\"c\" 'd e'\r\nGET k\r\n",
		"SET \"unbalanced\r\n",
		"SET 'a'b\r\n",
		"\r\n\r\n\n\nPING\n",
		"\x00\xff\xfe*\r\n",
		strings.Repeat("A", 70000),
		strings.Repeat("*1\r\n$4\r\nPING\r\n", 100) + "GET k\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n",
		"MULTI\r\nSET a 1\r\nEXEC\r\nEXEC\r\nWATCH a\r\nMULTI\r\nINCR a\r\nDISCARD\r\n",
		"HELLO 3\r\nLCS a b IDX\r\nHELLO 2\r\n",
		"SETRANGE k 5368709 x\r\nSETBIT k 42949672 1\r\nBITFIELD k SET u63 #100000000 1\r\n",
		"GETRANGE k 0 -1\r\nBITCOUNT k 0 -1 BIT\r\nBITPOS k 1 0 -1 BIT\r\n",
	} {
		f.Add([]byte(seed))
	}
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
