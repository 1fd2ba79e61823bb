package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/keyspace"
)

// fillVolatile stores n keys in db 0 expiring at when (ms), plus keep keys
// without TTL.
func fillVolatile(s *Server, n, keep int, when int64) {
	db := s.ks.DBs[0]
	for i := 0; i < n; i++ {
		k := []byte(fmt.Sprint("v:", i))
		db.Add(k, keyspace.NewInt(int64(i)))
		db.SetExpire(k, when)
	}
	for i := 0; i < keep; i++ {
		db.Add([]byte(fmt.Sprint("p:", i)), keyspace.NewInt(int64(i)))
	}
}

// TestActiveExpireCycleBudget: one slow cycle facing a mass of expired keys
// stops at its time budget (25% of a cron period) instead of blocking the
// server, records that it did, and repeated cycles reclaim everything.
func TestActiveExpireCycleBudget(t *testing.T) {
	s := New(config.Default()) // hz 10: 25ms budget per slow cycle
	now := time.Now().UnixMilli()
	s.ks.Now = now
	fillVolatile(s, 300000, 1000, now-1000)
	db := s.ks.DBs[0]

	start := time.Now()
	s.activeExpireCycle(expireCycleSlow)
	took := time.Since(start)
	if took > 200*time.Millisecond {
		t.Fatalf("one cycle took %v", took)
	}
	if left := db.ExpiresLen(); left == 0 || left == 300000 {
		t.Fatalf("after one cycle %d volatile keys left: expected partial progress", left)
	}
	if !s.expireStats.timelimitExit || s.expireStats.timeCapReached == 0 {
		t.Fatal("the cycle did not report hitting its time limit")
	}
	for i := 0; i < 1000 && db.ExpiresLen() > 0; i++ {
		s.databasesCron()
		s.activeExpireCycle(expireCycleSlow)
	}
	if db.ExpiresLen() != 0 || db.Len() != 1000 {
		t.Fatalf("left: %d keys, %d volatile", db.Len(), db.ExpiresLen())
	}
	if s.stats.expiredKeys != 300000 {
		t.Fatalf("expired_keys = %d", s.stats.expiredKeys)
	}
}

// TestActiveExpireStopsWhenFewExpired: with only live TTLs the cycle samples
// one batch per database and stops (no busy looping), and keeps avg_ttl.
func TestActiveExpireStopsWhenFewExpired(t *testing.T) {
	s := New(config.Default())
	now := time.Now().UnixMilli()
	s.ks.Now = now
	fillVolatile(s, 10000, 0, now+100000)
	s.activeExpireCycle(expireCycleSlow)
	db := s.ks.DBs[0]
	if db.ExpiresLen() != 10000 {
		t.Fatalf("live keys expired: %d left", db.ExpiresLen())
	}
	if s.expireStats.timelimitExit {
		t.Fatal("the cycle ran out of time with nothing to expire")
	}
	if db.AvgTTL <= 0 || db.AvgTTL > 100000 {
		t.Fatalf("avg_ttl = %d", db.AvgTTL)
	}
}

// TestActiveExpireStaleRatio: keys of which a minority is expired are
// expired down to (at most about) the acceptable stale ratio by repeated
// cycles, and the live ones stay.
func TestActiveExpireStaleRatio(t *testing.T) {
	s := New(config.Default())
	now := time.Now().UnixMilli()
	s.ks.Now = now
	db := s.ks.DBs[0]
	for i := 0; i < 20000; i++ {
		k := []byte(fmt.Sprint("k:", i))
		db.Add(k, keyspace.NewInt(1))
		when := now + 100000
		if i%4 == 0 {
			when = now - 10 // a quarter expired
		}
		db.SetExpire(k, when)
	}
	for i := 0; i < 200; i++ {
		s.activeExpireCycle(expireCycleSlow)
	}
	expired := 20000 - db.ExpiresLen()
	if expired < 5000*8/10 || db.ExpiresLen() < 15000 {
		t.Fatalf("expired %d of 5000 stale keys (%d volatile left)", expired, db.ExpiresLen())
	}
}

// TestFastExpireCycleBeforeSleep: after a slow cycle ran out of time, the
// work the event loop does after each batch (beforeSleepLocked) runs short
// fast cycles that keep reclaiming expired keys between cron ticks; with
// nothing stale it does nothing.
func TestFastExpireCycleBeforeSleep(t *testing.T) {
	s := New(config.Default())
	s.activeExpireEnabled = true
	now := time.Now().UnixMilli()
	s.ks.Now = now
	fillVolatile(s, 200000, 10, now-1000)
	db := s.ks.DBs[0]

	s.beforeSleepLocked() // nothing known to be stale yet: no work
	if db.ExpiresLen() != 200000 {
		t.Fatalf("beforeSleep expired keys without a reason: %d left", db.ExpiresLen())
	}
	s.activeExpireCycle(expireCycleSlow)
	if !s.expireStats.timelimitExit {
		t.Skip("the slow cycle reclaimed everything within its budget on this machine")
	}
	before := db.ExpiresLen()
	for i := 0; i < 50 && db.ExpiresLen() > 0; i++ {
		s.expireStats.lastFastCycle = 0 // as if time passed between batches
		s.beforeSleepLocked()
	}
	if db.ExpiresLen() >= before {
		t.Fatalf("fast cycles reclaimed nothing: %d volatile keys before, %d after", before, db.ExpiresLen())
	}
}
