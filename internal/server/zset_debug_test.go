package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestZsetSerializedLength compares DEBUG OBJECT's serializedlength (the
// RDB size Redis would write) and, for listpacks, MEMORY USAGE of sorted
// sets of both encodings with redis-server.
func TestZsetSerializedLength(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	long := strings.Repeat("abc", 30)
	var many []string
	for i := 0; i < 300; i++ {
		many = append(many, strconv.Itoa(i*7-500), "m"+strconv.Itoa(i))
	}
	cmds := [][]string{
		{"ZADD", "small", "1", "a", "2.5", "b", "-3", "c", "100000", "d", "1e20", "e", "-0.0", "f", "inf", "g"},
		{"ZADD", "ints", "1", "127", "2", "-4096", "3", "70000", "4", "-9000000", "5", "123456789012", "6", "007"},
		{"ZADD", "longm", "1", long + "x", "2", "b"},
		append([]string{"ZADD", "big"}, many...),
		{"ZADD", "lp200", "1", strings.Repeat("z", 60)},
	}
	for _, c := range cmds {
		mustDo(t, rc, c...)
		mustDo(t, mc, c...)
	}
	re := regexp.MustCompile(`encoding:(\S+) serializedlength:(\d+)`)
	for _, k := range []string{"small", "ints", "longm", "big", "lp200"} {
		_, rv, err := rc.Do("DEBUG", "OBJECT", k)
		if err != nil {
			t.Fatal(err)
		}
		_, mv, err := mc.Do("DEBUG", "OBJECT", k)
		if err != nil {
			t.Fatal(err)
		}
		rm, mm := re.FindStringSubmatch(string(rv.Str)), re.FindStringSubmatch(string(mv.Str))
		if rm == nil || mm == nil || rm[1] != mm[1] || rm[2] != mm[2] {
			t.Errorf("%s: redis %q modis %q", k, rv.Str, mv.Str)
		}
		if rm != nil && rm[1] == "listpack" {
			rraw, _, _ := rc.Do("MEMORY", "USAGE", k)
			mraw, _, _ := mc.Do("MEMORY", "USAGE", k)
			if string(rraw) != string(mraw) {
				t.Errorf("MEMORY USAGE %s: redis %q modis %q", k, rraw, mraw)
			}
		}
	}
}
