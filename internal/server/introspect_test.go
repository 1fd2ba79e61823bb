package server

import (
	"sort"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// normCommandInfo renders one COMMAND INFO entry with its subcommands
// sorted by name: Redis lists them in its hash table's random order.
func normCommandInfo(v resp.Value) string {
	if v.Type != '*' || len(v.Elems) != 10 {
		return v.String()
	}
	var b strings.Builder
	for _, e := range v.Elems[:9] {
		b.WriteString(e.String())
		b.WriteByte('|')
	}
	var subs []string
	for _, s := range v.Elems[9].Elems {
		subs = append(subs, normCommandInfo(s))
	}
	sort.Strings(subs)
	b.WriteString("[" + strings.Join(subs, ",") + "]")
	return b.String()
}

// TestCommandTableMatchesRedis compares the whole COMMAND reply, entry by
// entry, with the reference server's.
func TestCommandTableMatchesRedis(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	get := func(addr string) map[string]string {
		c, err := difftest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, v, err := c.Do("COMMAND")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range v.Elems {
			out[string(e.Elems[0].Str)] = normCommandInfo(e)
		}
		return out
	}
	want, got := get(r.Addr), get(s.Addr().String())
	if len(want) != len(got) {
		t.Errorf("COMMAND lists %d commands, redis %d", len(got), len(want))
	}
	for name, w := range want {
		if g := got[name]; g != w {
			t.Errorf("COMMAND entry %q differs:\n redis: %s\n modis: %s", name, w, g)
		}
	}
}
