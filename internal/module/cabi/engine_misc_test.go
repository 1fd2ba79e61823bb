//go:build cgo

package cabi

import (
	"os/exec"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestEngineMiscRedis compares the smaller APIs (memory ratio,
// certificates, shard publishing, allocation sizes, redaction in the slow
// log, blocked-client time measurement, event-loop callbacks) between
// redis-server and Modis with the enginetest module.
func TestEngineMiscRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "enginetest")}, [][]string{
		{"et.misc", "a", "b"}, {"et.measure"}, {"et.oneshot"}, {"et.chan", "x"},
	})
	args := []string{"--loadmodule", modulePath(t, "enginetest")}
	r := difftest.StartRedis(t, append([]string{"--enable-module-command", "yes"}, args...)...)
	m := startServer(t, args...)
	var results [2][]string
	for i, addr := range []string{r.Addr, m.addr} {
		c, err := difftest.Dial(addr)
		if err != nil {
			t.Fatal(err)
		}
		do := func(args ...string) string {
			raw, _, err := c.Do(args...)
			if err != nil {
				t.Fatal(err)
			}
			return string(raw)
		}
		// Event-loop callbacks run soon after the command: poll.
		waitFired := func(want string) string {
			var got string
			for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
				if got = do("et.fired"); got == want {
					break
				}
			}
			return got
		}
		res := []string{do("et.oneshot"), waitFired(":1\r\n"), do("et.pipe"), waitFired(":101\r\n")}
		do("CONFIG", "SET", "slowlog-log-slower-than", "0")
		do("et.misc", "secret", "b")
		_, v, err := c.Do("SLOWLOG", "GET", "1")
		if err != nil || len(v.Elems) != 1 || len(v.Elems[0].Elems) < 4 {
			t.Fatalf("%s: SLOWLOG GET: %v %v", addr, v, err)
		}
		for _, a := range v.Elems[0].Elems[3].Elems {
			res = append(res, string(a.Str))
		}
		results[i] = res
		c.Close()
	}
	if len(results[0]) != len(results[1]) {
		t.Fatalf("redis %q\nmodis %q", results[0], results[1])
	}
	for i := range results[0] {
		if results[0][i] != results[1][i] {
			t.Errorf("step %d: redis %q, modis %q", i, results[0][i], results[1][i])
		}
	}
}
