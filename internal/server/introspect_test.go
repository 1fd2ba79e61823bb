package server

import (
	"fmt"
	"github.com/modis/modis/internal/config"
	"math/rand"
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

// startPair starts redis-server and Modis with the same options (given as
// redis.conf names and values) and connects to both.
func startPair(t *testing.T, opts ...string) (*difftest.Conn, *difftest.Conn) {
	t.Helper()
	var args []string
	for i := 0; i+1 < len(opts); i += 2 {
		args = append(args, "--"+opts[i], opts[i+1])
	}
	r := difftest.StartRedis(t, args...)
	s := startTestServer(t, func(c *config.Config) {
		var text strings.Builder
		for i := 0; i+1 < len(opts); i += 2 {
			text.WriteString(opts[i] + " " + opts[i+1] + "\n")
		}
		if err := c.LoadString(text.String()); err != nil {
			t.Fatal(err)
		}
	})
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	mc, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Close() })
	return rc, mc
}

// TestSlowlogEntriesMatchRedis logs every command and compares the entries'
// ids, shortened arguments and client names (time, duration and address
// naturally differ), including trimming to slowlog-max-len.
func TestSlowlogEntriesMatchRedis(t *testing.T) {
	rc, mc := startPair(t, "slowlog-log-slower-than", "0", "slowlog-max-len", "10", "enable-debug-command", "yes")
	long := strings.Repeat("v", 200)
	var many []string
	many = append(many, "DEL")
	for i := 0; i < 40; i++ {
		many = append(many, "k"+strings.Repeat("x", i))
	}
	steps := [][]string{
		{"ECHO", "trimmed away"},
		{"SET", "a", long},
		{"CLIENT", "SETNAME", "tester"},
		{"AUTH", "secret"},
		{"HELLO", "2", "AUTH", "user", "pw"},
		many,
		{"GET", "a"},
		{"MULTI"},
		{"INCR", "n"},
		{"EXEC"},
		{"DEBUG", "SLEEP", "0"},
		{"SLOWLOG", "LEN"},
	}
	for _, c := range []*difftest.Conn{rc, mc} {
		for _, st := range steps {
			if _, _, err := c.Do(st...); err != nil {
				t.Fatal(err)
			}
		}
	}
	norm := func(c *difftest.Conn) []string {
		_, v, err := c.Do("SLOWLOG", "GET", "-1")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range v.Elems {
			if len(e.Elems) != 6 {
				t.Fatalf("entry with %d fields", len(e.Elems))
			}
			// IDs compared relative to the newest: the harness's
			// readiness PING reaches only redis-server's log.
			id := v.Elems[0].Elems[0].Int - e.Elems[0].Int
			out = append(out, fmt.Sprint(id)+" "+e.Elems[3].String()+" "+e.Elems[5].String())
		}
		return out
	}
	want, got := norm(rc), norm(mc)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("slowlog differs:\n redis: %q\n modis: %q", want, got)
	}
	for _, c := range []*difftest.Conn{rc, mc} {
		raw, _, _ := c.Do("SLOWLOG", "LEN")
		if string(raw) != ":10\r\n" {
			t.Errorf("SLOWLOG LEN after trimming = %q", raw)
		}
	}
}

// TestLatencyMonitorMatchesRedis records a spike above the threshold and
// compares the events LATENCY LATEST and HISTORY report.
func TestLatencyMonitorMatchesRedis(t *testing.T) {
	rc, mc := startPair(t, "latency-monitor-threshold", "5", "enable-debug-command", "yes")
	events := func(c *difftest.Conn) string {
		if _, _, err := c.Do("DEBUG", "SLEEP", "0.02"); err != nil {
			t.Fatal(err)
		}
		c.Do("GET", "x") // fast, below the threshold
		_, v, err := c.Do("LATENCY", "LATEST")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range v.Elems {
			if len(e.Elems) != 4 || (string(e.Elems[0].Str) == "command" && (e.Elems[2].Int < 20 || e.Elems[3].Int < 20)) {
				t.Errorf("bad LATENCY LATEST entry %s", e.String())
			}
			// Only the spike is compared: on a loaded machine a fast
			// command may cross the threshold too (fast-command).
			if name := string(e.Elems[0].Str); name == "command" {
				names = append(names, name)
			}
		}
		_, h, _ := c.Do("LATENCY", "HISTORY", "command")
		if len(h.Elems) != 1 || len(h.Elems[0].Elems) != 2 {
			t.Errorf("LATENCY HISTORY command = %s", h.String())
		}
		raw, _, _ := c.Do("LATENCY", "RESET")
		return strings.Join(names, ",") + " " + string(raw)
	}
	if want, got := events(rc), events(mc); want != got {
		t.Errorf("latency events differ: redis %q, modis %q", want, got)
	}
}

// normDocs renders a COMMAND DOCS entry without its prose (summary,
// complexity, history, replaced_by, argument summaries: Modis writes its
// own) and with subcommands sorted.
func normDocs(v resp.Value) string {
	switch v.Type {
	case '*', '%', '~':
	default:
		return v.String()
	}
	// Maps in RESP2 arrive as flat arrays; every docs aggregate here with
	// string keys at even positions is a map.
	isMap := len(v.Elems)%2 == 0 && len(v.Elems) > 0
	for i := 0; isMap && i < len(v.Elems); i += 2 {
		if v.Elems[i].Type != '$' {
			isMap = false
		}
	}
	if !isMap {
		var parts []string
		for _, e := range v.Elems {
			parts = append(parts, normDocs(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	var parts []string
	for i := 0; i < len(v.Elems); i += 2 {
		k := string(v.Elems[i].Str)
		switch k {
		case "summary", "complexity", "history", "replaced_by":
			continue
		}
		parts = append(parts, k+"="+normDocs(v.Elems[i+1]))
	}
	if len(parts) > 0 && strings.Contains(parts[0], "|") {
		sort.Strings(parts) // subcommand maps: Redis's order is random
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// TestCommandDocsStructureMatchesRedis compares COMMAND DOCS for every
// command with the prose left out.
func TestCommandDocsStructureMatchesRedis(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	get := func(addr string) map[string]string {
		c, err := difftest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, v, err := c.Do("COMMAND", "DOCS")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for i := 0; i+1 < len(v.Elems); i += 2 {
			out[string(v.Elems[i].Str)] = normDocs(v.Elems[i+1])
		}
		return out
	}
	want, got := get(r.Addr), get(s.Addr().String())
	if len(want) != len(got) {
		t.Errorf("COMMAND DOCS has %d entries, redis %d", len(got), len(want))
	}
	n := 0
	for name, w := range want {
		if g := got[name]; g != w && n < 5 {
			n++
			t.Errorf("COMMAND DOCS %q differs:\n redis: %s\n modis: %s", name, w, g)
		}
	}
}

// TestInfoPubsubCounts checks the pub/sub figures INFO stats takes from the
// subscription registry.
func TestInfoPubsubCounts(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Send("SUBSCRIBE", "a", "b")
	c.Read()
	c.Read()
	c.Send("PSUBSCRIBE", "p*")
	c.Read()
	o, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	_, v, _ := o.Do("INFO", "stats")
	for _, want := range []string{"pubsub_channels:2\r\n", "pubsub_patterns:1\r\n", "pubsubshard_channels:0\r\n"} {
		if !strings.Contains(string(v.Str), want) {
			t.Errorf("INFO stats lacks %q", want)
		}
	}
}

// TestErrorAndCommandStatsMatchRedis runs the same failing and succeeding
// commands on fresh servers and compares INFO errorstats exactly and INFO
// commandstats without the timings.
func TestErrorAndCommandStatsMatchRedis(t *testing.T) {
	rc, mc := startPair(t, "enable-debug-command", "yes")
	steps := [][]string{
		{"NOSUCHCMD", "x"},
		{"GET"},
		{"SET", "k", "v"},
		{"INCR", "k"},
		{"SELECT", "99"},
		{"CLIENT", "NOSUCH"},
		{"CONFIG", "GET"},
		{"DEBUG", "ERROR", "foo"},
		{"DEBUG", "NOSUCH"},
		{"AUTH", "x"},
		{"GET", "k"},
		{"COMMAND", "GETKEYS", "nosuch"},
		{"MULTI"}, {"INCR", "k"}, {"GET"}, {"EXEC"},
	}
	stats := func(c *difftest.Conn) string {
		// Start from zero: the harness talks to the servers while starting them.
		if _, _, err := c.Do("CONFIG", "RESETSTAT"); err != nil {
			t.Fatal(err)
		}
		for _, st := range steps {
			if _, _, err := c.Do(st...); err != nil {
				t.Fatal(err)
			}
		}
		_, v, err := c.Do("INFO", "errorstats", "commandstats")
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(string(v.Str), "\r\n") {
			if strings.HasPrefix(l, "cmdstat_") {
				// keep calls, rejected_calls and failed_calls
				name, rest, _ := strings.Cut(l, ":")
				var keep []string
				for _, f := range strings.Split(rest, ",") {
					if !strings.HasPrefix(f, "usec") {
						keep = append(keep, f)
					}
				}
				l = name + ":" + strings.Join(keep, ",")
			}
			lines = append(lines, l)
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	// The readiness PING the harness sends reaches only redis-server.
	mc.Do("PING")
	if want, got := stats(rc), stats(mc); want != got {
		t.Errorf("stats differ:\n redis:\n%s\n modis:\n%s", want, got)
	}
}

// TestDebugObjectSerializedLength compares DEBUG OBJECT's serializedlength
// (RDB size with Redis's integer and LZF encodings) for many strings.
func TestDebugObjectSerializedLength(t *testing.T) {
	rc, mc := startPair(t, "enable-debug-command", "yes")
	r := rand.New(rand.NewSource(7))
	values := []string{"", "a", "123", "-5", "70000", "12345678901", "007",
		strings.Repeat("x", 21), strings.Repeat("x", 73), strings.Repeat("ab", 40),
		strings.Repeat("hello world ", 30), strings.Repeat("z", 5000)}
	for i := 0; i < 150; i++ {
		n := r.Intn(600) + 15
		alpha := r.Intn(26) + 1
		b := make([]byte, n)
		for j := range b {
			b[j] = byte('a' + r.Intn(alpha))
		}
		values = append(values, string(b))
	}
	serlen := func(c *difftest.Conn, v string) string {
		c.Do("SET", "k", v)
		_, reply, err := c.Do("DEBUG", "OBJECT", "k")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(string(reply.Str)) {
			if strings.HasPrefix(f, "serializedlength:") {
				return f
			}
		}
		return "missing in " + string(reply.Str)
	}
	for _, v := range values {
		if want, got := serlen(rc, v), serlen(mc, v); want != got {
			t.Errorf("value %.40q (%d bytes): redis %s, modis %s", v, len(v), want, got)
		}
	}
}

// TestDebugRefusedByDefault checks the enable-debug-command refusal: its
// text, that it rejects the command before it runs (so MULTI is aborted)
// and how it is counted.
func TestDebugRefusedByDefault(t *testing.T) {
	rc, mc := startPair(t, "hz", "10")
	steps := [][]string{
		{"DEBUG", "SLEEP", "0"},
		{"DEBUG"},
		{"MULTI"}, {"DEBUG", "DIGEST"}, {"EXEC"},
		{"INFO", "errorstats"},
	}
	mc.Do("PING") // the harness's readiness PING reached redis-server only
	for _, st := range steps {
		want, _, err := rc.Do(st...)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := mc.Do(st...)
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != string(got) {
			t.Errorf("%v:\n redis: %q\n modis: %q", st, want, got)
		}
	}
}
