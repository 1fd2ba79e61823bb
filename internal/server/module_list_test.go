package server

import (
	"strings"
	"testing"
	"time"
)

// TestModuleHelloworldLists drives helloworld's list commands, written with
// the list key API (ListPush, ListPop, ValueLength) and with Call.
func TestModuleHelloworldLists(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, ":1\r\n", "hello.push.native", "l", "a")
	modExpect(t, c, ":2\r\n", "hello.push.native", "l", "b")
	modExpect(t, c, ":3\r\n", "hello.push.call", "l", "c")
	modExpect(t, c, ":4\r\n", "hello.push.call2", "l", "dd")
	modExpect(t, c, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\ndd\r\n", "LRANGE", "l", "0", "-1")
	modExpect(t, c, "$9\r\nquicklist\r\n", "OBJECT", "ENCODING", "l")
	modExpect(t, c, ":5\r\n", "hello.list.sum.len", "l")
	modExpect(t, c, ":0\r\n", "hello.list.sum.len", "nokey")
	modExpect(t, c, "-ERR wrong number of arguments for 'hello.push.native' command\r\n", "hello.push.native", "l")
	// A string key: ListPush refuses, ValueLength is the string length.
	modExpect(t, c, "+OK\r\n", "SET", "s", "hello")
	modExpect(t, c, ":5\r\n", "hello.push.native", "s", "x")
	modExpect(t, c, "$5\r\nhello\r\n", "GET", "s")
	// As in helloworld.c, the Call error reply read as an integer.
	modExpect(t, c, ":-9223372036854775808\r\n", "hello.push.call", "s", "x")

	// Splice moves from the tail of src to the head of dst.
	modExpect(t, c, ":2\r\n", "hello.list.splice", "l", "m", "2")
	modExpect(t, c, "*2\r\n$1\r\nc\r\n$2\r\ndd\r\n", "LRANGE", "m", "0", "-1")
	modExpect(t, c, ":0\r\n", "hello.list.splice.auto", "l", "m", "10")
	modExpect(t, c, ":0\r\n", "EXISTS", "l")
	modExpect(t, c, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\ndd\r\n", "LRANGE", "m", "0", "-1")
	modExpect(t, c, ":0\r\n", "hello.list.splice", "nokey", "m", "3")
	modExpect(t, c, ":0\r\n", "EXISTS", "nokey")
	modExpect(t, c, ":4\r\n", "hello.list.splice", "m", "n", "0")
	modExpect(t, c, ":0\r\n", "EXISTS", "n")
	modExpect(t, c, "-ERR invalid count\r\n", "hello.list.splice", "m", "n", "-1")
	modExpect(t, c, "-ERR invalid count\r\n", "hello.list.splice.auto", "m", "n", "x")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.list.splice", "s", "m", "1")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.list.splice.auto", "m", "s", "1")
	modExpect(t, c, "-ERR wrong number of arguments for 'hello.list.splice' command\r\n", "hello.list.splice", "m", "n")
	modExpect(t, c, ":4\r\n", "hello.list.splice.auto", "m", "m", "1")
	modExpect(t, c, "*4\r\n$2\r\ndd\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", "LRANGE", "m", "0", "-1")
	// HELLO.REPL2 increments every element in place.
	modExpect(t, c, ":4\r\n", "RPUSH", "r2", "1", "x", "10", "-3")
	modExpect(t, c, ":12\r\n", "hello.repl2", "r2")
	modExpect(t, c, "*4\r\n$1\r\n2\r\n$1\r\n1\r\n$2\r\n11\r\n$2\r\n-2\r\n", "LRANGE", "r2", "0", "-1")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.repl2", "nokey")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.repl2", "s")
	// The pushes re-measure the value: deleting the keys leaves nothing
	// booked but the string key.
	modExpect(t, c, ":1\r\n", "DEL", "m")
}

// TestModuleListPushWakesBlocked: a list created by the module list API
// serves a client blocked on the key, as Redis's dbAdd signals it ready.
func TestModuleListPushWakesBlocked(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	b := dial(t, s.Addr().String())
	if err := b.Send("BLPOP", "wq", "5"); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		_, v, _ := c.Do("INFO", "clients")
		if strings.Contains(string(v.Str), "blocked_clients:1\r\n") {
			break
		}
		if i > 200 {
			t.Fatal("client never blocked")
		}
		time.Sleep(5 * time.Millisecond)
	}
	modExpect(t, c, ":1\r\n", "hello.push.native", "wq", "v")
	raw, _, err := b.Read()
	if err != nil || string(raw) != "*2\r\n$2\r\nwq\r\n$1\r\nv\r\n" {
		t.Fatalf("BLPOP served %q, %v", raw, err)
	}
	modExpect(t, c, ":0\r\n", "EXISTS", "wq")
}
