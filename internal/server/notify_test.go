package server

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
)

func TestNotifyFlagsRoundTrip(t *testing.T) {
	// Canonical forms as redis-server 7.0.15 answers CONFIG GET after
	// CONFIG SET of the input.
	cases := []struct{ in, out string }{
		{"", ""},
		{"A", "A"},
		{"KEA", "AKE"},
		{"g$lshzxetd", "A"},
		{"g$lshzxet", "g$lshzxet"},
		{"Kg", "gK"},
		{"Egx", "gxE"},
		{"AKEmn", "AKEm"},
		{"nmEKdtexzhsl$g", "AKEm"},
		{"KEAm", "AKEm"},
		{"xg", "gx"},
		{"AAd", "A"},
		{"Kn", "nK"},
		{"gn", "gn"},
		{"AKn", "AK"},
		{"tnd", "tdn"},
		{"Emn", "nEm"},
	}
	for _, c := range cases {
		f, ok := parseNotifyFlags(c.in)
		if !ok {
			t.Fatalf("%q rejected", c.in)
		}
		if got := notifyFlagsString(f); got != c.out {
			t.Errorf("%q -> %q, want %q", c.in, got, c.out)
		}
	}
	for _, bad := range []string{"KQ", " ", "a", "KE A"} {
		if _, ok := parseNotifyFlags(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if f, _ := parseNotifyFlags("n"); f != notifyNew {
		t.Errorf("n -> %b", f)
	}
	if f, _ := parseNotifyFlags("A"); f&(notifyKeyMiss|notifyNew) != 0 {
		t.Errorf("A includes m or n")
	}
}

// readPending reads n replies from the subscriber connection of both
// servers and compares them.
func (d *dual) expectMessages(i, n int, what string) {
	d.t.Helper()
	for k := 0; k < n; k++ {
		rraw, _, err := d.r[i].Read()
		if err != nil {
			d.t.Fatalf("%s: redis message %d: %v", what, k, err)
		}
		mraw, _, err := d.m[i].Read()
		if err != nil {
			d.t.Fatalf("%s: modis message %d: %v (redis sent %q)", what, k, err, rraw)
		}
		if !bytes.Equal(rraw, mraw) {
			d.t.Errorf("%s: message %d:\n redis: %q\n modis: %q", what, k, rraw, mraw)
		}
	}
}

// Keyspace notifications end to end: the same writes on both servers must
// publish the same messages, byte for byte, to a pattern subscriber and a
// channel subscriber.
func TestKeyspaceNotifications(t *testing.T) {
	d := newDual(t, 3, func(c *config.Config) { c.NotifyKeyspaceEvents = "KEA" },
		"--notify-keyspace-events", "KEA")
	d.redis(1, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	d.do(0, "PSUBSCRIBE", "__key*__:*")
	d.do(2, "SUBSCRIBE", "__keyevent@0__:del")

	d.do(1, "SET", "k", "v")
	d.expectMessages(0, 2, "set")
	d.do(1, "DEL", "k", "missing")
	d.expectMessages(0, 2, "del")
	d.expectMessages(2, 1, "del channel")

	// in another db
	d.do(1, "SELECT", "5")
	d.do(1, "SET", "k5", "v")
	d.expectMessages(0, 2, "set db5")
	d.do(1, "SELECT", "0")

	// expire and expired
	d.do(1, "SET", "e", "v")
	d.expectMessages(0, 2, "set e")
	d.redis(1, "PEXPIRE", "e", "50")
	raw, _, err := d.m[1].Do("PEXPIRE", "e", "50")
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(string(raw), "-ERR unknown command") {
		// PEXPIRE belongs to the keys family; without it, set the TTL
		// directly and skip its event.
		t.Log("PEXPIRE not implemented on this branch: expire event not checked")
		d.r[0].Read() // redis's expire events
		d.r[0].Read()
		d.s.mu.Lock()
		d.s.beforeCommand()
		d.s.ks.DBs[0].SetExpire([]byte("e"), time.Now().UnixMilli()+50)
		d.s.mu.Unlock()
	} else {
		if string(raw) != ":1\r\n" {
			t.Errorf("PEXPIRE: %q", raw)
		}
		d.expectMessages(0, 2, "expire")
	}
	time.Sleep(120 * time.Millisecond)
	d.do(1, "GET", "e")
	d.expectMessages(0, 2, "expired")

	// evicted: a limit of one byte evicts everything
	d.do(1, "SET", "v1", "x")
	d.expectMessages(0, 2, "set v1")
	d.redis(1, "CONFIG", "SET", "maxmemory-policy", "allkeys-random")
	d.s.mu.Lock()
	d.s.cfg.MaxMemoryPolicy = "allkeys-random"
	d.s.mu.Unlock()
	// leave v1 as the only key
	d.do(1, "SELECT", "5")
	d.do(1, "DEL", "k5")
	d.do(1, "SELECT", "0")
	d.expectMessages(0, 2, "del k5")
	d.expectMessages(2, 0, "")
	d.redis(1, "CONFIG", "SET", "maxmemory", "1")
	d.s.mu.Lock()
	d.s.cfg.MaxMemory = 1
	d.s.mu.Unlock()
	d.m[1].Do("PING")
	d.expectMessages(0, 2, "evicted")
	d.redis(1, "CONFIG", "SET", "maxmemory", "0")
	d.s.mu.Lock()
	d.s.cfg.MaxMemory = 0
	d.s.mu.Unlock()

	// "new" events: a created key (SET, INCR, RENAME's destination), not
	// an overwritten one
	d.redis(1, "CONFIG", "SET", "notify-keyspace-events", "KEgn$")
	d.s.mu.Lock()
	d.s.cfg.NotifyKeyspaceEvents = "g$nKE"
	d.s.mu.Unlock()
	d.do(1, "SET", "nk", "1")
	d.expectMessages(0, 4, "new + set")
	d.do(1, "SET", "nk", "2")
	d.expectMessages(0, 2, "overwrite")
	d.do(1, "INCR", "counter")
	d.expectMessages(0, 4, "new + incrby")
	d.do(1, "RENAME", "nk", "nk2")
	d.expectMessages(0, 6, "new + rename_from + rename_to")
	d.do(1, "DEL", "nk2", "counter")
	d.expectMessages(0, 4, "del")

	// nothing is published for classes that are off
	d.redis(1, "CONFIG", "SET", "notify-keyspace-events", "Kg")
	d.s.mu.Lock()
	d.s.cfg.NotifyKeyspaceEvents = "Kg"
	d.s.mu.Unlock()
	d.do(1, "SET", "k", "v")
	d.do(1, "DEL", "k")
	d.expectMessages(0, 1, "generic only")
	d.redis(1, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
}
