package server

import "testing"

// TestModuleHelloworldZset runs the sorted set commands of the helloworld
// example (HELLO.ZSUMRANGE, HELLO.LEXRANGE) with replies as Redis's C
// example gives them.
func TestModuleHelloworldZset(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "helloworld")
	modExpect(t, c, ":4\r\n", "ZADD", "z", "1", "a", "2.5", "b", "4", "c", "10", "d")
	modExpect(t, c, "*2\r\n$3\r\n7.5\r\n$3\r\n7.5\r\n", "hello.zsumrange", "z", "1", "4")
	modExpect(t, c, "*2\r\n$4\r\n17.5\r\n$4\r\n17.5\r\n", "hello.zsumrange", "z", "-inf", "+inf")
	modExpect(t, c, "*2\r\n$1\r\n0\r\n$1\r\n0\r\n", "hello.zsumrange", "z", "5", "6")
	modExpect(t, c, "-ERR invalid range\r\n", "hello.zsumrange", "z", "a", "6")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.zsumrange", "nokey", "1", "2")
	modExpect(t, c, "-ERR wrong number of arguments for 'hello.zsumrange' command\r\n", "hello.zsumrange", "z")
	modExpect(t, c, ":4\r\n", "ZADD", "people", "0", "Anna:52", "0", "Bob:17", "0", "Carl:33", "0", "Dora:70")
	modExpect(t, c, "*2\r\n$6\r\nBob:17\r\n$7\r\nCarl:33\r\n", "hello.lexrange", "people", "[B", "(D", "0", "100")
	modExpect(t, c, "*4\r\n$7\r\nAnna:52\r\n$6\r\nBob:17\r\n$7\r\nCarl:33\r\n$7\r\nDora:70\r\n", "hello.lexrange", "people", "-", "+", "0", "100")
	modExpect(t, c, "*0\r\n", "hello.lexrange", "people", "[X", "+", "0", "100")
	modExpect(t, c, "-invalid range\r\n", "hello.lexrange", "people", "B", "+", "0", "100")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.lexrange", "nokey", "-", "+", "0", "1")
	modExpect(t, c, "+OK\r\n", "SET", "s", "x")
	modExpect(t, c, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "hello.lexrange", "s", "-", "+", "0", "1")
	// Read-only commands: the keys were not touched.
	modExpect(t, c, ":4\r\n", "ZCARD", "people")
	modExpect(t, c, ":0\r\n", "EXISTS", "nokey")
}
