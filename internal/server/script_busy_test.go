package server

import (
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// busyTranscript drives a busy-script scenario on one server and returns
// the replies the other clients and the script's caller got.
func busyTranscript(t *testing.T, addr string) []string {
	t.Helper()
	a, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out []string
	do := func(args ...string) string {
		raw, _, err := b.Do(args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return string(raw)
	}
	waitBusy := func() {
		// Not in the same event-loop iteration as the script's command:
		// Modis's loop serves only clients outside it meanwhile.
		time.Sleep(100 * time.Millisecond)
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			if r := do("PING"); r != "+PONG\r\n" {
				out = append(out, r)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("%s never got busy", addr)
	}
	readA := func() {
		raw, _, err := a.Read()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(raw))
	}
	do("CONFIG", "SET", "busy-reply-threshold", "50")
	do("FUNCTION", "FLUSH")
	out = append(out, do("SCRIPT", "KILL"), do("FUNCTION", "KILL"))

	// A read-only script: killable.
	a.Send("EVAL", "local i = 0 while true do i = i + 1 end", "0")
	waitBusy()
	out = append(out, do("GET", "x"), do("FUNCTION", "KILL"), do("FUNCTION", "STATS"), do("SCRIPT", "KILL"))
	readA()
	out = append(out, do("PING"))

	// A script that wrote: unkillable, ends by itself.
	a.Send("EVAL", "redis.call('set','x','1') "+
		"local function ms() local t = redis.call('time') return t[1]*1000 + t[2]/1000 end "+
		"local t0 = ms() while ms() - t0 < 400 do end return 1", "0")
	waitBusy()
	out = append(out, do("SCRIPT", "KILL"))
	readA()
	out = append(out, do("GET", "x"))

	// A function: FUNCTION KILL.
	do("FUNCTION", "LOAD", "#!lua name=busy\nredis.register_function('spin', function() while true do end end)")
	a.Send("FCALL", "spin", "0")
	waitBusy()
	out = append(out, do("SCRIPT", "KILL"), do("FUNCTION", "KILL"))
	readA()
	out = append(out, do("PING"))
	do("FUNCTION", "FLUSH")
	do("CONFIG", "SET", "busy-reply-threshold", "5000")
	return out
}

// TestScriptBusyDiff compares BUSY, SCRIPT KILL, FUNCTION KILL,
// UNKILLABLE and NOTBUSY with the real server.
func TestScriptBusyDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	want := busyTranscript(t, r.Addr)
	got := busyTranscript(t, s.Addr().String())
	if len(want) != len(got) {
		t.Fatalf("transcripts differ in length:\nredis: %q\nmodis: %q", want, got)
	}
	for i := range want {
		if want[i] != got[i] {
			t.Errorf("reply %d differs:\nredis: %q\nmodis: %q", i, want[i], got[i])
		}
	}
}
