//go:build cgo

package cabi

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// replSink records propagated commands as a replica would print them.
type replSink struct {
	mu  sync.Mutex
	got []string
}

func (r *replSink) Propagate(db int, argv [][]byte, target int) {
	parts := make([]string, len(argv))
	for i, a := range argv {
		parts[i] = string(a)
	}
	r.mu.Lock()
	r.got = append(r.got, strings.Join(parts, " "))
	r.mu.Unlock()
}

// TestEngineReplicate runs enginetest's et.repl modes in an in-process
// server with a propagation sink. The expected stream is what
// redis-server 7.0.15 sent to a replica (redis-cli --replica) for the
// same module commands.
func TestEngineReplicate(t *testing.T) {
	so := modulePath(t, "enginetest")
	s, c := inProcessServer(t)
	sink := &replSink{}
	s.Lock()
	s.SetPropagator(sink)
	s.Unlock()
	if raw, _, err := c.Do("MODULE", "LOAD", so); err != nil || string(raw) != "+OK\r\n" {
		t.Fatalf("MODULE LOAD: %q %v", raw, err)
	}
	for _, m := range []string{"two", "one", "verbatim", "call", "timer"} {
		if raw, _, err := c.Do("et.repl", m); err != nil || string(raw) != "+OK\r\n" {
			t.Fatalf("et.repl %s: %q %v", m, raw, err)
		}
	}
	want := []string{"MULTI", "INCR a", "INCR b", "EXEC", "INCR a", "et.repl verbatim",
		"MULTI", "SET k v", "PING", "SET e v PXAT T", "EXEC", "MULTI", "INCR t1", "INCR t2", "EXEC"}
	abs := regexp.MustCompile(`PXAT \d+`)
	var got []string
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		sink.mu.Lock()
		got = append(got[:0], sink.got...)
		sink.mu.Unlock()
		if len(got) >= len(want) {
			break
		}
	}
	for i := range got {
		got[i] = abs.ReplaceAllString(got[i], "PXAT T")
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("propagated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
