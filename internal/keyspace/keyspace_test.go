package keyspace

import (
	"fmt"
	"testing"
)

func newTestKS(t *testing.T) (*Keyspace, *DB, *[]string) {
	t.Helper()
	ks := New(2)
	ks.Now = 1_000_000
	var expired []string
	ks.Hooks.Expired = func(db *DB, key string) {
		// The hook runs after the deletion.
		if db.main.FindString(key) != nil {
			t.Errorf("Expired(%q) called while the key is still stored", key)
		}
		expired = append(expired, fmt.Sprintf("%d:%s", db.ID, key))
	}
	return ks, ks.DBs[0], &expired
}

func TestLazyExpiry(t *testing.T) {
	ks, db, expired := newTestKS(t)
	db.Add([]byte("k"), NewString([]byte("v")))
	db.SetExpire([]byte("k"), ks.Now+100)

	cases := []struct {
		name    string
		now     int64
		present bool
	}{
		{"before", ks.Now + 99, true},
		// Redis expires a key only once the clock is strictly past it.
		{"at", ks.Now + 100, true},
		{"after", ks.Now + 101, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ks.Now = tc.now
			if got := db.Lookup([]byte("k")) != nil; got != tc.present {
				t.Fatalf("Lookup present = %v, want %v", got, tc.present)
			}
		})
	}
	if db.Len() != 0 || db.ExpiresLen() != 0 {
		t.Fatalf("expired key still stored: len %d, expires %d", db.Len(), db.ExpiresLen())
	}
	if len(*expired) != 1 || (*expired)[0] != "0:k" {
		t.Fatalf("expired hook calls = %v", *expired)
	}
}

func TestNoExpire(t *testing.T) {
	ks, db, expired := newTestKS(t)
	db.Add([]byte("k"), NewString([]byte("v")))
	db.SetExpire([]byte("k"), ks.Now-1)
	ks.NoExpire = true
	if db.Lookup([]byte("k")) != nil {
		t.Fatal("logically expired key returned")
	}
	if db.Len() != 1 || len(*expired) != 0 {
		t.Fatal("NoExpire must not delete")
	}
	ks.NoExpire = false
	if db.Exists([]byte("k")) || db.Len() != 0 || len(*expired) != 1 {
		t.Fatal("key not expired once NoExpire is cleared")
	}
}

func TestDeleteExpiredCountsAsAbsent(t *testing.T) {
	ks, db, expired := newTestKS(t)
	db.Add([]byte("k"), NewString([]byte("v")))
	db.SetExpire([]byte("k"), ks.Now-1)
	if db.Delete([]byte("k")) {
		t.Fatal("Delete of an expired key reported success")
	}
	if len(*expired) != 1 {
		t.Fatalf("expired hook calls = %v", *expired)
	}
}

func TestTTLBookkeeping(t *testing.T) {
	ks, db, _ := newTestKS(t)
	k := []byte("k")
	if db.Expire(k) != -1 {
		t.Fatal("TTL on empty db")
	}
	db.SetExpire(k, ks.Now+10) // missing key: ignored
	if db.ExpiresLen() != 0 {
		t.Fatal("SetExpire on a missing key stored a TTL")
	}
	db.Add(k, NewString([]byte("v")))
	db.SetExpire(k, ks.Now+10)
	db.SetExpire(k, ks.Now+20)
	if db.Expire(k) != ks.Now+20 || db.ExpiresLen() != 1 {
		t.Fatalf("Expire = %d", db.Expire(k))
	}
	db.Set(k, NewString([]byte("w")), true)
	if db.Expire(k) != ks.Now+20 {
		t.Fatal("Set with keepTTL dropped the TTL")
	}
	db.Set(k, NewString([]byte("x")), false)
	if db.Expire(k) != -1 {
		t.Fatal("Set without keepTTL kept the TTL")
	}
	db.SetExpire(k, ks.Now+30)
	if !db.Persist(k) || db.Persist(k) || db.Expire(k) != -1 {
		t.Fatal("Persist")
	}
	db.SetExpire(k, ks.Now+30)
	db.Rename(k, []byte("k2"))
	if db.Expire([]byte("k2")) != ks.Now+30 || db.Expire(k) != -1 || db.ExpiresLen() != 1 {
		t.Fatal("Rename did not carry the TTL")
	}
	if !db.Delete([]byte("k2")) || db.ExpiresLen() != 0 {
		t.Fatal("Delete left the TTL behind")
	}
}

func TestFlushAndSwap(t *testing.T) {
	ks, a, _ := newTestKS(t)
	b := ks.DBs[1]
	a.Add([]byte("x"), NewInt(1))
	a.SetExpire([]byte("x"), ks.Now+100)
	b.Add([]byte("y"), NewInt(2))
	b.Add([]byte("z"), NewInt(3))
	Swap(a, b)
	if a.ID != 0 || b.ID != 1 {
		t.Fatal("Swap changed the IDs")
	}
	if a.Len() != 2 || b.Len() != 1 || b.Expire([]byte("x")) != ks.Now+100 || a.ExpiresLen() != 0 {
		t.Fatal("Swap did not exchange the contents")
	}
	if n := b.Flush(); n != 1 || b.Len() != 0 || b.ExpiresLen() != 0 {
		t.Fatalf("Flush removed %d", n)
	}
}

func TestRandomKeySkipsExpired(t *testing.T) {
	ks, db, expired := newTestKS(t)
	for i := 0; i < 50; i++ {
		k := []byte(fmt.Sprint("dead", i))
		db.Add(k, NewInt(1))
		db.SetExpire(k, ks.Now-1)
	}
	db.Add([]byte("live"), NewInt(1))
	for i := 0; i < 20; i++ {
		k, ok := db.RandomKey()
		if !ok || k != "live" {
			t.Fatalf("RandomKey = %q, %v", k, ok)
		}
	}
	if len(*expired) == 0 {
		t.Fatal("RandomKey did not delete the expired keys it met")
	}
	db.Flush()
	if _, ok := db.RandomKey(); ok {
		t.Fatal("RandomKey on empty db")
	}
}

// TestRandomKeyAllVolatileTerminates: when every key is expired but may not
// be deleted, RandomKey must still return.
func TestRandomKeyAllVolatileTerminates(t *testing.T) {
	ks, db, _ := newTestKS(t)
	for i := 0; i < 10; i++ {
		k := []byte(fmt.Sprint("k", i))
		db.Add(k, NewInt(1))
		db.SetExpire(k, ks.Now-1)
	}
	ks.NoExpire = true
	if _, ok := db.RandomKey(); !ok {
		t.Fatal("RandomKey gave up on a non-empty db")
	}
}

func TestLRUStamping(t *testing.T) {
	ks, db, _ := newTestKS(t)
	ks.Now = 5_000_000
	o := db.Add([]byte("k"), NewInt(1))
	if o.LRU != LRUClock(ks.Now) {
		t.Fatalf("LRU = %d, want %d", o.LRU, LRUClock(ks.Now))
	}
	ks.Now += 7500
	if idle := ks.IdleTimeMs(o); idle != 8000 && idle != 7000 {
		t.Fatalf("idle = %d", idle)
	}
	ks.Touch(o)
	if ks.IdleTimeMs(o) != 0 {
		t.Fatal("Touch did not reset the idle time")
	}
	// Wrap-around of the 24-bit clock.
	o.LRU = LRUClockMax - 1
	ks.Now = 3000
	if idle := ks.IdleTimeMs(o); idle != 4000 {
		t.Fatalf("idle across wrap = %d", idle)
	}
}

func TestLFU(t *testing.T) {
	ks, db, _ := newTestKS(t)
	ks.LFU = true
	ks.Now = 60_000 * 100
	o := db.Add([]byte("k"), NewInt(1))
	if got := ks.LFUDecr(o); got != LFUInitVal {
		t.Fatalf("new key counter = %d, want %d", got, LFUInitVal)
	}
	for i := 0; i < 1000; i++ {
		ks.Touch(o)
	}
	c := ks.LFUDecr(o)
	if c <= LFUInitVal || c == 255 {
		t.Fatalf("counter after 1000 hits = %d", c)
	}
	// Overwriting keeps the counter, as dbOverwrite does under LFU.
	db.Set([]byte("k"), NewInt(2), false)
	if got := ks.LFUDecr(db.Lookup([]byte("k"))); got != c {
		t.Fatalf("counter after overwrite = %d, want %d", got, c)
	}
	// One period of decay per minute.
	ks.Now += 3 * 60_000
	if got := ks.LFUDecr(db.Lookup([]byte("k"))); got != c-3 {
		t.Fatalf("counter after 3 minutes = %d, want %d", got, c-3)
	}
	ks.Now += 1000 * 60_000
	if got := ks.LFUDecr(db.Lookup([]byte("k"))); got != 0 {
		t.Fatalf("counter after a long time = %d", got)
	}
}

func TestDupString(t *testing.T) {
	for _, o := range []Object{NewInt(5), NewInt(123456), NewString([]byte("short")), NewRawString([]byte("raw bytes"))} {
		d := o.DupString()
		if d.Encoding() != o.Encoding() || string(d.AppendString(nil)) != string(o.AppendString(nil)) {
			t.Fatalf("DupString changed %v", o)
		}
		if !o.IsInt() && len(o.Bytes()) > 0 && &d.Bytes()[0] == &o.Bytes()[0] {
			t.Fatal("DupString shares the bytes")
		}
	}
	small := NewInt(5)
	if !small.IsSharedInt() {
		t.Fatal("5 is a shared integer")
	}
	if d := small.DupString(); d.IsSharedInt() {
		t.Fatal("a copy of a shared integer is private")
	}
	if big := NewInt(10000); big.IsSharedInt() {
		t.Fatal("10000 is not shared")
	}
}
