//go:build cgo

package cabi

import "testing"

// TestBridgeFastPaths covers what the bridge does for command contexts
// without calling into Go each time (testdata/fastpath.c): replies encoded
// in C interleaved with replies the engine encodes, the key type and READ
// DMA cached at OpenKey and invalidated by writes (through the handle or
// Call), argv strings reused between commands unless the module retained
// them, and key/reply structs reused without leaking.
func TestBridgeFastPaths(t *testing.T) {
	so := modulePath(t, "fastpath")
	_, c := inProcessServer(t)
	do := func(want string, args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if string(raw) != want {
			t.Errorf("%q = %q, want %q", args, raw, want)
		}
	}
	do("+OK\r\n", "MODULE", "LOAD", so)

	do("*8\r\n$1\r\na\r\n:-42\r\n-ERR x\r\n$-1\r\n*2\r\n+ok\r\n$0\r\n\r\n*-1\r\n*0\r\n$3\r\nend\r\n", "fp.order")
	do("*4\r\n:0\r\n:1\r\n$1\r\nv\r\n:0\r\n", "fp.keytype", "k")
	do(":0\r\n", "EXISTS", "k")
	do("$-1\r\n", "fp.retain", "first-value")
	do("$11\r\nfirst-value\r\n", "fp.retain", "x")
	do("$1\r\nx\r\n", "fp.retain", "y")
	do("+OK\r\n", "SET", "dk", "hello")
	do("*3\r\n$5\r\nhello\r\n$9\r\nrewritten\r\n:1\r\n", "fp.dma", "dk")
	do("+OK\r\n", "SET", "dn", "123")
	do("*3\r\n$3\r\n123\r\n$9\r\nrewritten\r\n:1\r\n", "fp.dma", "dn")
	do("$-1\r\n", "fp.dma", "nokey")
	do("+OK\r\n", "SET", "lk", "hello")
	do(":1000\r\n", "fp.loop", "lk", "100")

	// A handle kept past its command (which Redis forbids) must not trust
	// what it cached then: other clients' commands changed the key.
	do(":1\r\n", "fp.keep", "lk")
	do(":1\r\n", "DEL", "lk")
	do(":0\r\n", "fp.kepttype")
	do("+OK\r\n", "SET", "lk", "hello")

	// RESP3: the replies encoded in C follow the client's protocol.
	if _, _, err := c.Do("HELLO", "3"); err != nil {
		t.Fatal(err)
	}
	do("*8\r\n$1\r\na\r\n:-42\r\n-ERR x\r\n_\r\n*2\r\n+ok\r\n$0\r\n\r\n_\r\n*0\r\n$3\r\nend\r\n", "fp.order")
	if _, _, err := c.Do("HELLO", "2"); err != nil {
		t.Fatal(err)
	}

	// Reused structs and strings: C memory stays level over more rounds.
	do(":1000\r\n", "fp.loop", "lk", "100")
	base := UsedMemory()
	for i := 0; i < 5; i++ {
		do(":1000\r\n", "fp.loop", "lk", "100")
		do("*3\r\n$5\r\nhello\r\n$9\r\nrewritten\r\n:1\r\n", "fp.dma", "lk")
		do("+OK\r\n", "SET", "lk", "hello")
		do("*8\r\n$1\r\na\r\n:-42\r\n-ERR x\r\n$-1\r\n*2\r\n+ok\r\n$0\r\n\r\n*-1\r\n*0\r\n$3\r\nend\r\n", "fp.order")
	}
	if got := UsedMemory(); got != base {
		t.Errorf("C memory after 5 rounds: %d bytes, want %d", got, base)
	}
}
