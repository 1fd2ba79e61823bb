//go:build cgo

package cabi

import (
	"os/exec"
	"testing"
)

// TestBridgeListDiffRedis runs the list key API test module on
// redis-server and Modis and compares the replies (RESP2 and RESP3):
// every API, its errno on each failure, and the key's state after.
func TestBridgeListDiffRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	// A list a module creates follows list-compress-depth, as one LPUSH
	// creates: its DUMP (compressed interior nodes) is Redis's.
	// (rdbcompression no: only nodes kept compressed are LZF in the dump.)
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgelist"), "--list-compress-depth", "1", "--list-max-listpack-size", "2", "--rdbcompression", "no"}, [][]string{
		{"bl.push", "cl", "tail", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
			"cccccccccccccccccccccccccccccccccccccccccccccccc", "dddddddddddddddddddddddddddddddddddddddddddddd", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
			"ffffffffffffffffffffffffffffffffffffffffffffffffff", "gggggggggggggggggggggggggggggggggggggggggggggggggggg"},
		{"DUMP", "cl"}, {"OBJECT", "ENCODING", "cl"}, {"LRANGE", "cl", "0", "-1"},
	})
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgelist")}, [][]string{
		{"bl.push", "l", "tail", "a", "b", "c"}, {"bl.push", "l", "head", "z", "12345", "-7"},
		{"LRANGE", "l", "0", "-1"}, {"OBJECT", "ENCODING", "l"},
		{"bl.get", "l", "0"}, {"bl.get", "l", "-1"}, {"bl.get", "l", "5"}, {"bl.get", "l", "6"},
		{"bl.get", "l", "-6"}, {"bl.get", "l", "-7"}, {"bl.get", "nokey", "0"},
		{"bl.getall", "l"}, {"bl.getall", "l", "reverse"}, {"bl.getall", "nokey"},
		{"bl.set", "l", "1", "X"}, {"bl.set", "l", "-1", "Y"}, {"bl.set", "l", "6", "Q"}, {"bl.set", "nokey", "0", "Q"},
		{"LRANGE", "l", "0", "-1"},
		{"bl.insert", "l", "0", "h"}, {"bl.insert", "l", "7", "t"}, {"bl.insert", "l", "-1", "t2"},
		{"bl.insert", "l", "2", "m"}, {"bl.insert", "l", "-2", "n"}, {"bl.insert", "l", "-11", "h2"},
		{"bl.insert", "l", "12", "x"}, {"bl.insert", "l", "-13", "x"}, {"bl.insert", "l", "13", "x"},
		{"LRANGE", "l", "0", "-1"},
		{"bl.insert", "new1", "0", "a"}, {"bl.insert", "new2", "-1", "a"}, {"bl.insert", "new3", "1", "a"},
		{"EXISTS", "new3"}, {"LRANGE", "new1", "0", "-1"},
		{"bl.delete", "l", "0"}, {"bl.delete", "l", "-1"}, {"bl.delete", "l", "3"}, {"bl.delete", "l", "20"},
		{"bl.delete", "new1", "0"}, {"EXISTS", "new1"}, {"bl.delete", "new1", "0"},
		{"LRANGE", "l", "0", "-1"},
		{"bl.pop", "l", "head", "2"}, {"bl.pop", "l", "tail", "2"}, {"bl.pop", "l", "tail", "20"},
		{"EXISTS", "l"}, {"bl.pop", "l", "head", "1"},
		{"RPUSH", "e", "1", "2", "3", "4", "5", "6", "7", "8"},
		{"bl.edit", "e", "kdkirdkk"}, {"LRANGE", "e", "0", "-1"},
		{"bl.edit", "e", "dddddddddddd"}, {"EXISTS", "e"},
		{"SET", "s", "str"}, {"bl.push", "s", "tail", "x"}, {"bl.pop", "s", "head", "1"}, {"bl.get", "s", "0"},
		{"bl.set", "s", "0", "x"}, {"bl.insert", "s", "0", "x"}, {"bl.delete", "s", "0"}, {"bl.getall", "s"},
		{"bl.errors", "ek"}, {"LRANGE", "ek", "0", "-1"}, {"EXISTS", "ek:other"},
		{"RPUSH", "au", "a", "b", "c"}, {"bl.auto", "au"}, {"bl.auto", "nokey"}, {"LRANGE", "au", "0", "-1"},
		{"CONFIG", "SET", "list-max-listpack-size", "2"},
		{"bl.push", "small", "tail", "1", "2", "3", "4", "5"}, {"MEMORY", "USAGE", "small", "SAMPLES", "0"},
		{"bl.insert", "small", "1", "x"}, {"MEMORY", "USAGE", "small", "SAMPLES", "0"},
		{"bl.getall", "small"},
	})
}
