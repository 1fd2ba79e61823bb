//go:build cgo

package cabi

import (
	"os/exec"
	"testing"
)

// TestBridgeHashDiffRedis runs the bridgehash C module (RedisModule_HashSet
// and RedisModule_HashGet with every flag, HASH_DELETE, KeyType and
// ValueLength of hashes) on redis-server and Modis and compares the
// replies, including the encodings and contents the calls leave behind.
func TestBridgeHashDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgehash")}, [][]string{
		{"bh.info", "h"}, {"bh.get", "h", "-", "a"}, {"bh.get", "h", "e", "a", "b"},
		{"bh.set", "h", "-", "a", "1"}, {"bh.set", "h", "-", "a", "2", "b", "3"},
		{"bh.set", "h", "a", "a", "2", "c", "4"}, {"HGETALL", "h"}, {"bh.info", "h"},
		{"bh.set", "h", "n", "a", "x", "d", "5"}, {"bh.set", "h", "x", "a", "y", "e", "6"},
		{"bh.set", "h", "n", "a", "x"}, {"bh.set", "h", "nx", "a", "x"}, {"HGETALL", "h"},
		{"bh.set", "h", "-", "a", "__del__", "zz", "__del__"}, {"bh.set", "h", "-", "zz", "__del__"},
		{"bh.set", "h", "a", "b", "__del__", "f", "7"}, {"HGETALL", "h"},
		{"bh.set", "h", "c", "cf1", "v1", "cf2", "v2", "c", "__del__"}, {"HGETALL", "h"},
		{"bh.get", "h", "-", "cf1", "nosuch", "d"}, {"bh.get", "h", "c", "cf1", "cf2"},
		{"bh.get", "h", "e", "cf1", "nosuch", "d"}, {"bh.get", "h", "ec", "cf1", "x"},
		{"bh.auto", "h", "cf1"}, {"bh.auto", "h", "nosuch"},
		{"bh.set", "h", "z", "a", "1"}, {"bh.set", "h", "r", "a", "1"}, {"bh.set", "nokey", "r", "a", "1"},
		{"SET", "s", "str"}, {"bh.set", "s", "-", "a", "1"}, {"bh.get", "s", "-", "a"}, {"bh.get", "s", "e", "a"},
		{"bh.info", "s"}, {"bh.set", "new", "n", "a", "1"}, {"bh.set", "new2", "x", "a", "1"}, {"EXISTS", "new2"},
		{"bh.set", "new3", "-", "a", "__del__"}, {"EXISTS", "new3"},
		{"bh.set", "h", "-", "cf1", "__del__", "cf2", "__del__", "d", "__del__"}, {"bh.set", "h", "-", "f", "__del__", "e", "__del__"},
		{"EXISTS", "h"}, {"bh.info", "h"},
		{"bh.set", "big", "-", "f", "0123456789012345678901234567890123456789012345678901234567890123456789"},
		{"OBJECT", "ENCODING", "big"}, {"bh.get", "big", "-", "f"}, {"bh.info", "big"},
		{"CONFIG", "SET", "hash-max-listpack-entries", "2"}, {"bh.set", "lp", "-", "a", "1", "b", "2"},
		{"OBJECT", "ENCODING", "lp"}, {"bh.set", "lp", "-", "c", "3"}, {"OBJECT", "ENCODING", "lp"},
		{"CONFIG", "SET", "hash-max-listpack-entries", "512"}, {"bh.set", "e", "-", "", ""}, {"bh.get", "e", "-", ""},
	})
}
