package server

import (
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestStreamSerializedLength compares DEBUG OBJECT serializedlength of
// streams with redis-server: it is the RDB size, so it checks the node
// listpacks byte for byte (through LZF), the metadata and the groups.
func TestStreamSerializedLength(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	serlen := func(c *difftest.Conn, key string) string {
		_, v, err := c.Do("DEBUG", "OBJECT", key)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(string(v.Str)) {
			if strings.HasPrefix(f, "serializedlength:") {
				return f
			}
		}
		return "error: " + string(v.Str)
	}
	long := strings.Repeat("compressible ", 20)
	steps := [][]string{
		{"FLUSHALL"},
		{"XADD", "s", "1-0", "a", "1", "b", "2"},
		{"XADD", "s", "2-0", "a", "3", "b", "4"},
		{"XADD", "s", "3-0", "a", "-5", "b", "123456789012", "c", "7"},
		{"XADD", "s", "4-0", "t", "x", "name", long},
		{"XADD", "s", "18446744073709551615-5", "t", "x"},
		{"XDEL", "s", "2-0"},
		{"XGROUP", "CREATE", "s", "g1", "0"},
		{"XGROUP", "CREATE", "s", "12345", "$"},
		{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "s", ">"},
		{"XGROUP", "CREATECONSUMER", "s", "g1", "bob"},
		{"XGROUP", "CREATECONSUMER", "s", "g1", long},
		{"XGROUP", "SETID", "s", "g1", "3-0", "ENTRIESREAD", "100000"},
		{"CONFIG", "SET", "stream-node-max-entries", "2"},
		{"XADD", "s", "18446744073709551615-6", "t", "x"},
		{"XADD", "s", "18446744073709551615-7", "t", "x"},
		{"XTRIM", "s", "MAXLEN", "3"},
		{"CONFIG", "SET", "stream-node-max-entries", "100"},
	}
	for _, st := range steps {
		for _, c := range []*difftest.Conn{rc, mc} {
			if _, _, err := c.Do(st...); err != nil {
				t.Fatal(err)
			}
		}
		if st[0] == "FLUSHALL" || st[0] == "CONFIG" {
			continue
		}
		if a, b := serlen(rc, "s"), serlen(mc, "s"); a != b {
			t.Errorf("after %q: redis %s modis %s", st, a, b)
		}
	}
}
