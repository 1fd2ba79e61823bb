package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestListBlockingDiff runs the same multi-client scenario of the blocking
// list commands on redis-server and Modis and compares every reply: FIFO
// service of several clients blocked on one key, timeouts, CLIENT UNBLOCK
// (TIMEOUT and ERROR), BLMOVE/BRPOPLPUSH served by a push (and refused
// with WRONGTYPE for a bad destination), BLMPOP with COUNT, a push inside
// MULTI/EXEC, a key created and deleted in one transaction, and clients
// waiting on one key for different types.
func TestListBlockingDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	want := listBlockScenario(t, r.Addr)
	got := listBlockScenario(t, s.Addr().String())
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("step %d:\n redis %q\n modis %q", i, w, g)
		}
	}
}

// listBlockScenario plays the scenario against addr and returns the
// transcript of replies.
func listBlockScenario(t *testing.T, addr string) []string {
	p := dial(t, addr)
	var out []string
	do := func(c *difftest.Conn, args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(args, " ")+" -> "+string(raw))
	}
	// doAs is do with a fixed label (client ids differ between servers).
	doAs := func(label string, c *difftest.Conn, args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, label+" -> "+string(raw))
	}
	read := func(c *difftest.Conn, what string) {
		t.Helper()
		raw, _, err := c.Read()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, what+" -> "+string(raw))
	}
	// waitBlocked waits until n clients are blocked.
	waitBlocked := func(n int) {
		t.Helper()
		for i := 0; i < 500; i++ {
			_, v, err := p.Do("INFO", "clients")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(v.Str), fmt.Sprintf("blocked_clients:%d\r\n", n)) {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("%s: never %d blocked clients", addr, n)
	}
	send := func(c *difftest.Conn, args ...string) {
		t.Helper()
		if err := c.Send(args...); err != nil {
			t.Fatal(err)
		}
	}
	do(p, "FLUSHALL")
	b := []*difftest.Conn{dial(t, addr), dial(t, addr), dial(t, addr)}

	// FIFO among three clients on one key.
	for i, c := range b {
		send(c, "BLPOP", "q", "0")
		waitBlocked(i + 1)
	}
	do(p, "RPUSH", "q", "a", "b")
	read(b[0], "b0")
	read(b[1], "b1")
	waitBlocked(1)
	do(p, "LPUSH", "q", "c")
	read(b[2], "b2")
	do(p, "EXISTS", "q")

	// Several keys: served by the first one to get data.
	send(b[0], "BRPOP", "k1", "k2", "0")
	waitBlocked(1)
	do(p, "RPUSH", "k2", "x", "y")
	read(b[0], "brpop")
	do(p, "LRANGE", "k2", "0", "-1")

	// Timeout.
	send(b[0], "BLPOP", "t", "0.05")
	read(b[0], "timeout")
	send(b[0], "BLMPOP", "0.05", "1", "t", "LEFT")
	read(b[0], "blmpop timeout")
	send(b[0], "BRPOPLPUSH", "t", "d", "0.05")
	read(b[0], "brpoplpush timeout")

	// CLIENT UNBLOCK.
	_, idv, _ := b[1].Do("CLIENT", "ID")
	id := fmt.Sprint(idv.Int)
	send(b[1], "BLPOP", "u", "0")
	waitBlocked(1)
	doAs("unblock", p, "CLIENT", "UNBLOCK", id)
	read(b[1], "unblocked")
	send(b[1], "BLMOVE", "u", "d", "LEFT", "LEFT", "0")
	waitBlocked(1)
	doAs("unblock error", p, "CLIENT", "UNBLOCK", id, "ERROR")
	read(b[1], "unblocked error")
	doAs("unblock again", p, "CLIENT", "UNBLOCK", id)

	// BLMOVE served by a push.
	send(b[0], "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")
	waitBlocked(1)
	do(p, "RPUSH", "src", "m1", "m2")
	read(b[0], "blmove")
	do(p, "LRANGE", "src", "0", "-1")
	do(p, "LRANGE", "dst", "0", "-1")

	// A destination of the wrong type: WRONGTYPE, the element stays.
	do(p, "SET", "bad", "str")
	send(b[0], "BRPOPLPUSH", "src2", "bad", "0")
	waitBlocked(1)
	do(p, "RPUSH", "src2", "y")
	read(b[0], "brpoplpush wrongtype")
	do(p, "LRANGE", "src2", "0", "-1")

	// BLMPOP with COUNT.
	send(b[0], "BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "3")
	waitBlocked(1)
	do(p, "RPUSH", "m2", "1", "2", "3", "4")
	read(b[0], "blmpop")
	do(p, "LRANGE", "m2", "0", "-1")

	// A push inside MULTI serves the client after EXEC.
	send(b[0], "BLPOP", "mq", "0")
	waitBlocked(1)
	do(p, "MULTI")
	do(p, "RPUSH", "mq", "x")
	do(p, "RPUSH", "mq", "y")
	do(p, "EXEC")
	read(b[0], "served after exec")
	do(p, "LRANGE", "mq", "0", "-1")

	// Created and deleted in one transaction: still blocked.
	send(b[0], "BLPOP", "gone", "0")
	waitBlocked(1)
	do(p, "MULTI")
	do(p, "RPUSH", "gone", "x")
	do(p, "DEL", "gone")
	do(p, "EXEC")
	waitBlocked(1)
	do(p, "RPUSH", "gone", "z")
	read(b[0], "served later")
	waitBlocked(0)

	// Clients waiting for different types on one key: a list serves the
	// BLPOP client even behind a BZPOPMIN client, which stays blocked
	// until a sorted set appears.
	send(b[0], "BZPOPMIN", "mixed", "0")
	waitBlocked(1)
	send(b[1], "BLPOP", "mixed", "0")
	waitBlocked(2)
	do(p, "RPUSH", "mixed", "l")
	read(b[1], "blpop behind bzpopmin")
	waitBlocked(1)
	do(p, "ZADD", "mixed", "1", "z")
	read(b[0], "bzpopmin")
	waitBlocked(0)
	return out
}
