package config

import (
	"os"
	"strings"
	"testing"
)

// TestDefaultsMatchRedis compares every option's default with CONFIG GET *
// of redis-server 7.0.15 (testdata), except the settings that server was
// started with.
func TestDefaultsMatchRedis(t *testing.T) {
	data, err := os.ReadFile("testdata/redis-7.0.15-config-get.tsv")
	if err != nil {
		t.Fatal(err)
	}
	startedWith := map[string]bool{"port": true, "save": true, "daemonize": true, "dir": true,
		"logfile": true, "pidfile": true, "bind": true}
	c := Default()
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		name, want, _ := strings.Cut(line, "\t")
		seen[name] = true
		o := Lookup(name)
		if o == nil {
			t.Errorf("%s: missing from the table", name)
			continue
		}
		if startedWith[name] {
			continue
		}
		if got := c.Get(o); got != want {
			t.Errorf("%s: default %q, redis has %q", name, got, want)
		}
	}
	for _, o := range Options() {
		if o.Flags&Hidden == 0 && !seen[o.Name] {
			t.Errorf("%s: not an option of redis 7.0.15", o.Name)
		}
	}
	if got := c.Get(Lookup("save")); got != "3600 1 300 100 60 10000" {
		t.Errorf("save default %q", got)
	}
	if got := c.Get(Lookup("bind")); got != "127.0.0.1 -::1" {
		t.Errorf("bind default %q", got)
	}
}
