package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestListDebugObject compares the encoding and serializedlength fields of
// DEBUG OBJECT for lists (one or many nodes, integers and strings,
// compressible and not) between redis-server and Modis.
func TestListDebugObject(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	field := regexp.MustCompile(`encoding:\S+ serializedlength:\d+`)
	debugObject := func(c *difftest.Conn, key string) string {
		_, v, err := c.Do("DEBUG", "OBJECT", key)
		if err != nil {
			t.Fatal(err)
		}
		return field.FindString(string(v.Str))
	}
	var cmds [][]string
	cmds = append(cmds, []string{"RPUSH", "a", "x"}, []string{"RPUSH", "b", "1", "-2", "300", "70000", "-9000000000"})
	long := []string{"RPUSH", "c"}
	for i := 0; i < 300; i++ {
		long = append(long, strings.Repeat("ab", i%40), strconv.Itoa(i*i-5000))
	}
	cmds = append(cmds, long, []string{"CONFIG", "SET", "list-max-listpack-size", "3"}, long[:1+100], []string{"CONFIG", "SET", "list-max-listpack-size", "-2"})
	cmds[len(cmds)-2] = append([]string{"RPUSH", "d"}, long[2:102]...)
	rnd := []string{"RPUSH", "e"}
	for i := 0; i < 50; i++ {
		rnd = append(rnd, strconv.FormatUint(uint64(i)*0x9E3779B97F4A7C15, 36))
	}
	cmds = append(cmds, rnd, []string{"RPUSH", "f", strings.Repeat("z", 20000)})
	for _, cmd := range cmds {
		for _, c := range []*difftest.Conn{rc, mc} {
			mustDo(t, c, cmd...)
		}
	}
	for _, key := range []string{"a", "b", "c", "d", "e", "f"} {
		want, got := debugObject(rc, key), debugObject(mc, key)
		if want == "" || got != want {
			t.Errorf("DEBUG OBJECT %s: redis %q, modis %q", key, want, got)
		}
	}
}
