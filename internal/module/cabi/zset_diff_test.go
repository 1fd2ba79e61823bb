//go:build cgo

package cabi

import (
	"os/exec"
	"testing"
)

// TestZsetDiffRedis runs the sorted set key API through the same C module
// on redis-server and Modis and compares the replies (RESP2 and RESP3),
// with ZRANGE and OBJECT ENCODING checking what the API left behind.
func TestZsetDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgezset"), "--zset-max-listpack-entries", "4"}, [][]string{
		{"bz.add", "z", "1", "a"}, {"bz.add", "z", "2", "b"}, {"bz.add", "z", "1", "a"},
		{"bz.add", "z", "5", "a"}, {"bz.add", "z", "9", "a", "NX"}, {"bz.add", "z", "9", "new", "XX"},
		{"bz.add", "z", "1", "a", "GT"}, {"bz.add", "z", "9", "a", "GT"}, {"bz.add", "z", "0", "a", "LT", "XX"},
		{"bz.add", "z", "3", "c", "NX"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"OBJECT", "ENCODING", "z"},
		{"bz.incr", "z", "1.5", "a"}, {"bz.incr", "z", "2", "d"}, {"bz.incr", "z", "1", "a", "NX"},
		{"bz.incr", "z", "1", "zz", "XX"}, {"bz.incr", "z", "-100", "a", "GT"},
		{"bz.add", "z", "inf", "i"}, {"bz.incr", "z", "-inf", "i"}, {"bz.score", "z", "i"},
		{"bz.score", "z", "a"}, {"bz.score", "z", "nosuch"}, {"bz.score", "nokey", "a"},
		{"bz.add", "z", "7", "e"}, {"OBJECT", "ENCODING", "z"}, {"bz.info", "z"}, {"bz.info", "nokey"},
		{"bz.srange", "z", "-inf", "inf", "0", "0", "first"}, {"bz.srange", "z", "-inf", "inf", "0", "0", "last"},
		{"bz.srange", "z", "1", "3", "1", "0", "first"}, {"bz.srange", "z", "1", "3", "0", "1", "last"},
		{"bz.srange", "z", "5", "1", "0", "0", "first"}, {"bz.srange", "z", "100", "200", "0", "0", "last"},
		{"bz.srange", "nokey", "0", "1", "0", "0", "first"},
		{"bz.rem", "z", "a"}, {"bz.rem", "z", "a"}, {"bz.rem", "nokey", "a"},
		{"bz.add", "l", "0", "a"}, {"bz.add", "l", "0", "b"}, {"bz.add", "l", "0", "c"}, {"bz.add", "l", "0", "d"},
		{"bz.lrange", "l", "-", "+", "first"}, {"bz.lrange", "l", "-", "+", "last"},
		{"bz.lrange", "l", "[b", "(d", "first"}, {"bz.lrange", "l", "(a", "[c", "last"},
		{"bz.lrange", "l", "[x", "+", "first"}, {"bz.lrange", "l", "bad", "+", "first"},
		{"bz.lrange", "l", "+", "-", "last"}, {"bz.lrange", "nokey", "-", "+", "first"},
		{"bz.add", "l", "0", "e"}, {"OBJECT", "ENCODING", "l"}, {"bz.lrange", "l", "(b", "+", "first"},
		{"bz.lrange", "l", "-", "(e", "last"},
		{"bz.rem", "l", "a"}, {"bz.rem", "l", "b"}, {"bz.rem", "l", "c"}, {"bz.rem", "l", "d"}, {"bz.rem", "l", "e"},
		{"EXISTS", "l"}, {"SET", "s", "x"}, {"bz.add", "s", "1", "a"}, {"bz.incr", "s", "1", "a"},
		{"bz.rem", "s", "a"}, {"bz.score", "s", "a"}, {"bz.srange", "s", "0", "1", "0", "0", "first"},
		{"bz.lrange", "s", "-", "+", "first"}, {"bz.ro", "z", "1", "b"}, {"bz.ro", "nokey", "1", "b"},
		{"bz.add", "long", "1", "a-member-longer-than-sixty-four-bytes-a-member-longer-than-sixty-four"},
		{"OBJECT", "ENCODING", "long"}, {"bz.add", "nan", "1", "a"}, {"bz.incr", "nan", "inf", "a"},
		{"bz.incr", "nan", "-inf", "a"}, {"ZRANGE", "nan", "0", "-1", "WITHSCORES"},
	})
	// ScanKey over a listpack sorted set (a skiplist's order is its
	// dict's, which differs by design).
	diffModule(t, []string{"--loadmodule", modulePath(t, "enginetest")}, [][]string{
		{"ZADD", "z", "1", "a", "2.5", "b", "-0.0", "c", "1e20", "d", "inf", "e", "0.1", "f"},
		{"et.scankey", "z"},
	})
}
