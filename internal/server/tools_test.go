package server

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// runTool runs a Redis command-line tool against addr with a time limit
// and returns its combined output; a non-zero exit or a hang fails t.
func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %q hung; output so far:\n%s", name, args, out)
	}
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// TestTools runs the stock redis-cli and redis-benchmark against an
// in-process Modis: key scanning, the big-keys report, and a short
// benchmark must work as they do against redis-server.
func TestTools(t *testing.T) {
	s := startTestServer(t, nil)
	host, port := "127.0.0.1", strconv.Itoa(s.Addr().(*net.TCPAddr).Port)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 300; i++ {
		if _, _, err := c.Do("SET", "key:"+strconv.Itoa(i), strings.Repeat("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	cli := func(args ...string) string {
		return runTool(t, "redis-cli", append([]string{"-h", host, "-p", port}, args...)...)
	}

	t.Run("scan", func(t *testing.T) {
		out := cli("--scan", "--pattern", "key:1*")
		keys := strings.Fields(out)
		if len(keys) != 111 { // key:1, key:10-19, key:100-199
			t.Fatalf("--scan returned %d keys, want 111:\n%s", len(keys), out)
		}
	})
	t.Run("bigkeys", func(t *testing.T) {
		out := cli("--bigkeys")
		for _, want := range []string{
			"Biggest string found '\"key:299\"' has 299 bytes",
			"300 strings with 44850 bytes (100.00% of keys",
		} {
			if !strings.Contains(out, want) {
				t.Fatalf("--bigkeys output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("benchmark", func(t *testing.T) {
		for _, pipeline := range []string{"1", "16"} {
			out := runTool(t, "redis-benchmark", "-h", host, "-p", port, "-q", "-n", "1000", "-c", "5",
				"-P", pipeline, "-t", "set,get")
			for _, want := range []string{"SET: ", "GET: ", "requests per second"} {
				if !strings.Contains(out, want) {
					t.Fatalf("redis-benchmark -P %s output lacks %q:\n%s", pipeline, want, out)
				}
			}
		}
		// The benchmark's key (3-byte default value) must be there.
		raw, _, err := c.Do("STRLEN", "key:__rand_int__")
		if err != nil || string(raw) != ":3\r\n" {
			t.Fatalf("after the benchmark GET key:__rand_int__ = %q, %v", raw, err)
		}
	})
}
