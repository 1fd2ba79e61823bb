package server

import "testing"

// TestModuleSetKey checks the module key API on a set: KeyType reports
// REDISMODULE_KEYTYPE_SET (4), ValueLength the cardinality, string
// operations fail, and a module Call of the set commands replies as a
// client would see it.
func TestModuleSetKey(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "replytest")
	modExpect(t, c, ":4\r\n", "SADD", "s", "1", "2", "x", "y")
	modExpect(t, c, "*5\r\n:4\r\n:1\r\n:4\r\n:0\r\n:1\r\n", "rt.keyops", "s", "0")
	modExpect(t, c, ":1\r\n", "rt.call", "SISMEMBER", "s", "x")
	modExpect(t, c, ":2\r\n", "SADD", "i", "2", "1")
	modExpect(t, c, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "rt.call", "SINTER", "i", "s", "i")
	modExpect(t, c, "*0\r\n", "rt.call", "SINTER", "s", "nokey")
}
