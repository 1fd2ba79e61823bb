package config

import (
	"errors"
	"strings"
	"testing"
)

func TestParseMemory(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"kb", 0, true}, {"007", 7, true},
		{"5b", 5, true}, {"5B", 5, true}, {"5k", 5000, true}, {"5KB", 5120, true},
		{"3m", 3000000, true}, {"3Mb", 3 << 20, true}, {"2g", 2000000000, true}, {"1GB", 1 << 30, true},
		{"18446744073709551615", 1<<64 - 1, true}, {"99999999999999999999999", 1<<64 - 1, true},
		{"+5", 0, false}, {" 5", 0, false}, {"-1", 0, false}, {"-0", 0, false},
		{"1.5gb", 0, false}, {"1tb", 0, false}, {"10x", 0, false}, {"17179869184gb", 0, false},
	} {
		got, ok := parseMemory(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseMemory(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseStrictInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-5", -5, true}, {"123", 123, true}, {"9223372036854775807", 1<<63 - 1, true},
		{"", 0, false}, {"-0", 0, false}, {"007", 0, false}, {"+5", 0, false}, {" 5", 0, false},
		{"5 ", 0, false}, {"0x10", 0, false}, {"9223372036854775808", 0, false}, {"-", 0, false},
	} {
		got, ok := parseStrictInt(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseStrictInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCommandLineOptions(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		want  string
		stdin bool
	}{
		{[]string{"--port", "7000"}, `port "7000" `, false},
		{[]string{"--port", "7000", "--save", ""}, "port \"7000\" \nsave \"\" ", false},
		{[]string{"--save", "--port", "1"}, "save \"\"\nport \"1\" ", false},
		{[]string{"--save"}, `save ""`, false},
		{[]string{"--foo", "--port", "1"}, `foo "--port" "1" `, false},
		{[]string{"--port 7000", "--hz", "5"}, "port 7000 \nhz \"5\" ", false},
		{[]string{"--maxmemory", "1 gb"}, `maxmemory "1 gb" `, false},
		{[]string{"-", "--port", "1"}, `port "1" `, true},
		{[]string{"--port", "1", "-"}, `port "1" `, true},
		{[]string{"--port", "-", "--hz", "1"}, "port \"-\" \nhz \"1\" ", false},
	} {
		got, stdin := commandLineOptions(tc.args, 0)
		if got != tc.want || stdin != tc.stdin {
			t.Errorf("%q: got %q (stdin %v), want %q (stdin %v)", tc.args, got, stdin, tc.want, tc.stdin)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		line int
		msg  string
	}{
		{"port abc", 1, "argument couldn't be parsed into an integer"},
		{"\n\nfoo bar", 3, "Bad directive or wrong number of arguments"},
		{"port 1 2", 1, "wrong number of arguments"},
		{"port", 1, "wrong number of arguments"},
		{"requirepass \"abc", 1, "Unbalanced quotes in configuration line"},
		{"daemonize 1", 1, "argument must be 'yes' or 'no'"},
		{"maxmemory 1x", 1, "argument must be a memory value"},
		{"loglevel loud", 1, "argument(s) must be one of the following: debug, verbose, notice, warning"},
		{"databases 0", 1, "argument must be between 1 and 2147483647 inclusive"},
		{"maxclients 0", 1, "argument must be between 1 and 4294967295 inclusive"},
		{"unixsocketperm 1777", 1, "argument must be between 0 and 777 inclusive"},
		{"maxmemory-clients 101%", 1, "percentage argument must be less or equal to 100"},
		{"maxmemory-clients x", 1, "argument must be a memory or percent value"},
		{"save 1", 1, "Invalid save parameters"},
		{"client-output-buffer-limit master 1 2 3", 1, "Invalid client class specified in buffer limit configuration."},
		{"loadmodule", 1, "Bad directive or wrong number of arguments"},
		{"a.b", 1, "Module config specified without value"},
	} {
		err := Default().LoadString(tc.text)
		var ce *Error
		if !errors.As(err, &ce) || ce.Line != tc.line || ce.Message != tc.msg {
			t.Errorf("%q: got %v, want line %d %q", tc.text, err, tc.line, tc.msg)
		}
	}
}

func TestLoadValues(t *testing.T) {
	c := Default()
	err := c.LoadString(strings.Join([]string{
		"# comment", "PORT 7000", "save 100 1", "save 200 2", "hz 1000", "slave-priority 5",
		"client-output-buffer-limit pubsub 1mb 2mb 3 replica 4gb 5k 6", "bind 10.0.0.1 -::1",
		"notify-keyspace-events KEA", "unixsocketperm 700", "maxmemory 1gb", "list-max-ziplist-entries 5",
		"rename-command get ''", "loadmodule /x.so a b", "user bob on", "m.opt 5", "replicaof h 1",
	}, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"port": "7000", "save": "100 1 200 2", "hz": "500", "replica-priority": "5", "slave-priority": "5",
		"client-output-buffer-limit": "normal 0 0 0 slave 4294967296 5000 6 pubsub 1048576 2097152 3",
		"bind":                       "10.0.0.1 -::1", "notify-keyspace-events": "AKE", "unixsocketperm": "700",
		"maxmemory": "1073741824", "replicaof": "h 1",
	} {
		if got := c.Get(Lookup(name)); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if c.Unixsocketperm != 0o700 || c.HZ != 500 || len(c.RenameCommands) != 1 || len(c.LoadModules) != 1 ||
		len(c.Users) != 1 || len(c.ModuleConfigs) != 1 {
		t.Errorf("fields: %+v", c)
	}
}

func TestSetAtomicPieces(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name, value, err string
		changed          bool
	}{
		{"hz", "10", "", false},
		{"hz", "11", "", true},
		{"save", "", "", true},
		{"save", "", "", false},
		{"bind", "", "", true},
		{"oom-score-adj-values", "", "wrong number of arguments", false},
		{"shutdown-on-sigterm", "now NOSAVE", "", true},
		{"shutdown-on-sigterm", "save nosave", "shutdown options SAVE and NOSAVE can't be used simultaneously", false},
		{"activedefrag", "yes", "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution", false},
		{"latency-tracking-info-percentiles", "nan", "Invalid latency-tracking-info-percentiles parameters", false},
	} {
		changed, err := c.Set(Lookup(tc.name), tc.value)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if msg != tc.err || changed != tc.changed {
			t.Errorf("Set(%s, %q) = %v, %q; want %v, %q", tc.name, tc.value, changed, msg, tc.changed, tc.err)
		}
	}
	if got := c.Get(Lookup("shutdown-on-sigterm")); got != "nosave now" {
		t.Errorf("shutdown-on-sigterm = %q", got)
	}
}

func TestMatchGet(t *testing.T) {
	names := func(ms []Match) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.Name)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{[]string{"HZ", "hz"}, "HZ"},
		{[]string{"nosuch"}, ""},
		{[]string{"rdb-key-save-delay"}, "rdb-key-save-delay"},
		{[]string{"rdb-key-*"}, ""},
		{[]string{"maxmemory", "maxmemory*"}, "maxmemory,maxmemory-policy,maxmemory-samples,maxmemory-eviction-tenacity,maxmemory-clients"},
		{[]string{"slave-pr*"}, "slave-priority"},
		{[]string{"?z"}, "hz"},
	} {
		if got := names(MatchGet(tc.patterns)); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.patterns, got, tc.want)
		}
	}
}

func TestRewriteContent(t *testing.T) {
	c := Default()
	c.LoadString("hz 20\nsave 1 1\n")
	c.Set(Lookup("hz"), "10")
	c.Set(Lookup("maxmemory"), "3mb")
	c.Set(Lookup("requirepass"), "a\"b\n")
	c.Dir = "/data"
	got := c.RewriteContent("# top\nhz 20\nsave 1 1\nsave 2 2\n\n\n# end\nbogus-option 1\ninclude /x.conf\n")
	want := "# top\nhz 10\nsave 1 1\n\n# end\n# ??? bogus-option 1\ninclude /x.conf\n\n" +
		"# Generated by CONFIG REWRITE\nrequirepass \"a\\\"b\\n\"\nmaxmemory 3mb\n" +
		"dir \"/data\"\nlatency-tracking-info-percentiles 50 99 99.9\n"
	if got != want {
		t.Errorf("rewrite:\n%s\nwant:\n%s", got, want)
	}
}
