package server

import (
	"regexp"
	"testing"
	"time"
)

// WATCH across connections, expiry and disconnects, compared with Redis.
func TestWatchAcrossClients(t *testing.T) {
	d := newDual(t, 2, nil)
	d.do(0, "FLUSHALL")

	// another client's write aborts the EXEC
	d.do(0, "SET", "k", "1")
	d.do(0, "WATCH", "k")
	d.do(1, "SET", "k", "2")
	d.do(0, "MULTI")
	d.do(0, "GET", "k")
	d.do(0, "EXEC")

	// another client's write to a different key does not
	d.do(0, "WATCH", "k")
	d.do(1, "SET", "other", "2")
	d.do(0, "MULTI")
	d.do(0, "GET", "k")
	d.do(0, "EXEC")

	// a write queued by another client's transaction touches it on EXEC
	d.do(0, "WATCH", "k")
	d.do(1, "MULTI")
	d.do(1, "SET", "k", "3")
	d.do(0, "MULTI")
	d.do(0, "GET", "k")
	d.do(1, "EXEC")
	d.do(0, "EXEC")

	// both watchers are dirtied
	d.do(0, "WATCH", "k")
	d.do(1, "WATCH", "k")
	d.do(0, "DEL", "k")
	d.do(0, "MULTI")
	d.do(0, "EXEC")
	d.do(1, "MULTI")
	d.do(1, "EXEC")

	// FLUSHALL by another client
	d.do(0, "SET", "k", "1")
	d.do(0, "WATCH", "k")
	d.do(1, "FLUSHALL")
	d.do(0, "MULTI")
	d.do(0, "EXEC")

	// FLUSHDB of another db by another client
	d.do(0, "SET", "k", "1")
	d.do(0, "WATCH", "k")
	d.do(1, "SELECT", "3")
	d.do(1, "FLUSHDB")
	d.do(1, "SELECT", "0")
	d.do(0, "MULTI")
	d.do(0, "EXEC")
}

func TestWatchExpiry(t *testing.T) {
	d := newDual(t, 2, nil)
	d.do(0, "FLUSHALL")
	// Keep Redis deterministic: no active expiry.
	d.redis(0, "DEBUG", "SET-ACTIVE-EXPIRE", "0")

	// a key alive at WATCH that expires before EXEC aborts it, even though
	// nothing deleted it
	d.do(0, "SET", "k", "v")
	d.pexpire(0, "k", 100)
	d.do(0, "WATCH", "k")
	time.Sleep(200 * time.Millisecond)
	d.do(0, "MULTI")
	d.do(0, "PING")
	d.do(0, "EXEC")

	// a key already expired at WATCH time does not abort it
	d.do(0, "SET", "k", "v")
	d.pexpire(0, "k", 20)
	time.Sleep(60 * time.Millisecond)
	d.do(0, "WATCH", "k")
	d.do(0, "MULTI")
	d.do(0, "PING")
	d.do(0, "EXEC")

	// ... nor does its lazy deletion by a read
	d.do(0, "SET", "k", "v")
	d.pexpire(0, "k", 20)
	time.Sleep(60 * time.Millisecond)
	d.do(0, "WATCH", "k")
	d.do(1, "GET", "k")
	d.do(0, "MULTI")
	d.do(0, "PING")
	d.do(0, "EXEC")

	// ... but setting it again does
	d.do(0, "SET", "k", "v")
	d.pexpire(0, "k", 20)
	time.Sleep(60 * time.Millisecond)
	d.do(0, "WATCH", "k")
	d.do(1, "SET", "k", "new")
	d.do(0, "MULTI")
	d.do(0, "PING")
	d.do(0, "EXEC")

	// FLUSHALL deleting a key that was expired at WATCH time: no change
	d.do(0, "SET", "k", "v")
	d.pexpire(0, "k", 20)
	time.Sleep(60 * time.Millisecond)
	d.do(0, "WATCH", "k")
	d.do(1, "FLUSHALL")
	d.do(0, "MULTI")
	d.do(0, "PING")
	d.do(0, "EXEC")
	d.redis(0, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
}

// A closing client leaves no WATCH or transaction behind.
func TestWatchCleanupOnDisconnect(t *testing.T) {
	d := newDual(t, 2, nil)
	d.do(0, "WATCH", "a", "b")
	d.do(1, "WATCH", "a")
	d.do(0, "MULTI")
	d.m[0].Close()
	deadline := time.Now().Add(2 * time.Second)
	for {
		d.s.mu.Lock()
		n := 0
		for _, keys := range d.s.watched {
			for _, l := range keys {
				n += len(l)
			}
		}
		d.s.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d watches left, want 1", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	d.do(1, "UNWATCH")
	d.s.mu.Lock()
	left := len(d.s.watched)
	d.s.mu.Unlock()
	if left != 0 {
		t.Fatalf("watch table not empty after UNWATCH: %d dbs", left)
	}
}

// CLIENT INFO flags: x inside MULTI, d once a watched key was touched.
func TestTransactionClientFlags(t *testing.T) {
	d := newDual(t, 1, nil)
	re := regexp.MustCompile(` flags=[a-zA-Z]+ `)
	flags := func() {
		t.Helper()
		rraw, _, err := d.r[0].Do("CLIENT", "INFO")
		if err != nil {
			t.Fatal(err)
		}
		mraw, _, err := d.m[0].Do("CLIENT", "INFO")
		if err != nil {
			t.Fatal(err)
		}
		if rf, mf := re.FindString(string(rraw)), re.FindString(string(mraw)); rf != mf || rf == "" {
			t.Errorf("flags: redis %q, modis %q", rf, mf)
		}
	}
	flags()
	d.do(0, "WATCH", "k")
	flags()
	d.do(0, "SET", "k", "1")
	flags()
	d.do(0, "MULTI")
	d.do(0, "EXEC")
	flags()
}
