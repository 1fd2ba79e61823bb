package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestSetSerializedLength compares DEBUG OBJECT's serializedlength of sets
// (the RDB size: an intset blob saved as a string, LZF-compressed when it
// pays; or the members one by one) with redis-server. The rest of the DEBUG
// OBJECT line (address, LRU) cannot match.
func TestSetSerializedLength(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	re := regexp.MustCompile(`serializedlength:(\d+)`)
	ints := func(n, step int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = strconv.Itoa(i * step)
		}
		return out
	}
	cases := [][]string{
		{"1", "2", "3"},
		ints(10, 1),
		ints(40, 1),
		ints(40, 100000),
		ints(40, 1000000007),
		{"a", "b", "c"},
		{"1", "2", "x"},
		{strings.Repeat("a", 30), strings.Repeat("b", 21), "12345678901", "123456789012", "-5", "1000"},
		ints(600, 3),
	}
	for i, members := range cases {
		key := "k" + strconv.Itoa(i)
		for _, c := range []*difftest.Conn{rc, mc} {
			mustDo(t, c, append([]string{"SADD", key}, members...)...)
		}
		_, rv, err := rc.Do("DEBUG", "OBJECT", key)
		if err != nil {
			t.Fatal(err)
		}
		_, mv, err := mc.Do("DEBUG", "OBJECT", key)
		if err != nil {
			t.Fatal(err)
		}
		rm, mm := re.FindStringSubmatch(string(rv.Str)), re.FindStringSubmatch(string(mv.Str))
		if rm == nil || mm == nil || rm[1] != mm[1] {
			t.Errorf("case %d: redis %q modis %q", i, rv.Str, mv.Str)
		}
	}
}
