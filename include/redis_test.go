package include

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestHelloModuleInRedis loads the hello module, built against our header
// only, into a real redis-server 7.0 and drives it. Every reply depends on
// the header agreeing with Redis on the ABI: command registration and the
// command info structs (COMMAND GETKEYS, COMMAND DOCS), the variadic Call,
// HashGet and HashSet, string DMA, the zset iterator, a blocked client
// served from a thread, the type methods read by their offsets (rdb
// save/load through DEBUG RELOAD, copy2 through COPY, mem_usage, digest),
// config callbacks and the INFO callback.
func TestHelloModuleInRedis(t *testing.T) {
	so := buildHello(t)

	// Our own log file, so that a failed start shows why.
	logf := filepath.Join(t.TempDir(), "redis.log")
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(logf)
			t.Logf("redis-server log:\n%s", b)
		}
	})
	r := difftest.StartRedis(t, "--loadmodule", so, "--enable-debug-command", "yes", "--logfile", logf)
	c, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	for _, step := range []struct {
		cmd  string
		want string // exact reply bytes (RESP2)
	}{
		{"MODULE LIST", "*1\r\n*8\r\n$4\r\nname\r\n$6\r\nhelloc\r\n$3\r\nver\r\n:1\r\n$4\r\npath\r\n$" +
			strconv.Itoa(len(so)) + "\r\n" + so + "\r\n$4\r\nargs\r\n*0\r\n"},
		{"HELLO.SIMPLE", ":0\r\n"},
		{"HELLO.PUSH.CALL l a", ":1\r\n"},
		{"HELLO.PUSH.CALL l bb", ":2\r\n"},
		{"HELLO.LIST.SUM.LEN l", ":3\r\n"},
		{"SET s HeLLo", "+OK\r\n"},
		{"HELLO.TOGGLE.CASE s", "+OK\r\n"},
		{"GET s", "$5\r\nhEllO\r\n"},
		{"HELLO.TOGGLE.CASE l", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"HSET h f1 v1", ":1\r\n"},
		{"HELLO.HCOPY h f1 f2", ":1\r\n"},
		{"HGET h f2", "$2\r\nv1\r\n"},
		{"HELLO.HCOPY h nosuch f2", ":0\r\n"},
		{"HEXISTS h f2", ":0\r\n"},
		{"ZADD z 1 a 2 b 3 c", ":3\r\n"},
		{"HELLO.ZSUMRANGE z 1 2", "$1\r\n3\r\n"},
		{"HELLO.BLOCK", "+DONE\r\n"},
		{"COMMAND GETKEYS hello.push.call k v", "*1\r\n$1\r\nk\r\n"},
		{"CONFIG GET helloc.verbose", "*2\r\n$14\r\nhelloc.verbose\r\n$2\r\nno\r\n"},
		{"CONFIG SET helloc.verbose yes", "+OK\r\n"},
		{"CONFIG GET helloc.verbose", "*2\r\n$14\r\nhelloc.verbose\r\n$3\r\nyes\r\n"},
		{"HELLO.COUNTER.INCRBY c 5", ":5\r\n"},
		{"HELLO.COUNTER.INCRBY c 2", ":7\r\n"},
		{"TYPE c", "+hellocntr\r\n"},
		{"COPY c c2", ":1\r\n"},
		{"HELLO.COUNTER.INCRBY c2 1", ":8\r\n"},
		{"DEBUG RELOAD", "+OK\r\n"},
		{"HELLO.COUNTER.INCRBY c 0", ":7\r\n"},
		{"HELLO.COUNTER.INCRBY c2 0", ":8\r\n"},
	} {
		raw, _, err := c.Do(strings.Fields(step.cmd)...)
		if err != nil {
			t.Fatalf("%s: %v", step.cmd, err)
		}
		if string(raw) != step.want {
			t.Errorf("%s: got %q, want %q", step.cmd, raw, step.want)
		}
	}

	// MEMORY USAGE asks the type's mem_usage method.
	if raw, _, err := c.Do("MEMORY", "USAGE", "c"); err != nil || !strings.HasPrefix(string(raw), ":") {
		t.Errorf("MEMORY USAGE c: %q %v", raw, err)
	}

	// COMMAND DOCS reads the summary, complexity and args back out of the
	// module's RedisModuleCommandInfo.
	raw, _, err := c.Do("COMMAND", "DOCS", "hello.push.call")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Appends a value through RM_Call", "O(1)", "key_spec_index", "value"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("COMMAND DOCS lacks %q: %q", want, raw)
		}
	}
	// The INFO callback, and the timer armed in OnLoad (100 ms).
	raw, _, err = c.Do("INFO", "helloc")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "# helloc_stats") || !strings.Contains(string(raw), "helloc_seen_keys:") {
		t.Errorf("INFO helloc: %q", raw)
	}
	// DEBUG DIGEST-VALUE runs the digest method; equal values digest alike.
	raw, _, err = c.Do("HELLO.COUNTER.INCRBY", "c2", "-1")
	if err != nil || string(raw) != ":7\r\n" {
		t.Fatalf("HELLO.COUNTER.INCRBY c2 -1: %q %v", raw, err)
	}
	raw, _, err = c.Do("DEBUG", "DIGEST-VALUE", "c", "c2")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(raw), "\r\n")
	if len(parts) != 4 || parts[0] != "*2" || parts[1] != parts[2] || parts[1] == "+"+strings.Repeat("0", 40) {
		t.Errorf("DEBUG DIGEST-VALUE c c2: %q, want two equal non-zero digests", raw)
	}
}
