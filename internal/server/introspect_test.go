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

// infoLayout returns INFO's section headers and field names in order, with
// values dropped. Per-command and per-error lines are dynamic and skipped.
func infoLayout(t *testing.T, c *difftest.Conn, args ...string) []string {
	t.Helper()
	_, v, err := c.Do(append([]string{"INFO"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			out = append(out, line)
			continue
		}
		name, _, _ := strings.Cut(line, ":")
		switch {
		case strings.HasPrefix(name, "cmdstat_"), strings.HasPrefix(name, "errorstat_"),
			strings.HasPrefix(name, "latency_percentiles_usec_"), strings.HasPrefix(name, "db"):
			continue
		}
		out = append(out, name)
	}
	return out
}

// infoAllowedMissing lists Redis INFO fields Modis does not print, each
// with the reason. It is empty today: every field is present, with values
// that make sense for Modis (zeros where a subsystem does not exist yet).
var infoAllowedMissing = map[string]string{}

// TestInfoFieldsMatchRedis compares section headers and field names, in
// order, for the INFO variants.
func TestInfoFieldsMatchRedis(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mc, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	for _, c := range []*difftest.Conn{rc, mc} {
		c.Do("SET", "k", "v")
		c.Do("GET", "k")
		c.Do("NOSUCHCMD")
	}
	for _, args := range [][]string{{"everything"}, {}, {"default"}, {"all"}, {"server"}, {"memory", "stats"},
		{"STATS", "server"}, {"commandstats"}, {"nosuch"}, {"keyspace", "nosuch"}} {
		want := infoLayout(t, rc, args...)
		got := infoLayout(t, mc, args...)
		var filtered []string
		for _, f := range want {
			if _, ok := infoAllowedMissing[f]; !ok {
				filtered = append(filtered, f)
			}
		}
		if strings.Join(filtered, "\n") != strings.Join(got, "\n") {
			t.Errorf("INFO %v layout differs:\n redis: %v\n modis: %v", args, filtered, got)
		}
	}
}
