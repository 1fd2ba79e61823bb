package keyspace

import (
	"math/rand/v2"
	"testing"
)

func TestLFULogIncr(t *testing.T) {
	// Up to LFU_INIT_VAL every access counts; 255 saturates.
	for c := uint32(0); c <= LFUInitVal; c++ {
		if got := LFULogIncr(c, 10, 0.999); got != c+1 {
			t.Errorf("counter %d -> %d", c, got)
		}
	}
	if LFULogIncr(255, 10, 0) != 255 {
		t.Error("255 must saturate")
	}
	// counter 6, factor 10: p = 1/(1*10+1)
	if LFULogIncr(6, 10, 0.09) != 7 || LFULogIncr(6, 10, 0.091) != 6 {
		t.Error("probability at counter 6 is not 1/11")
	}
	// factor 0: always increments
	if LFULogIncr(100, 0, 0.999) != 101 {
		t.Error("factor 0 must always increment")
	}
	// The growth redis.conf documents for factor 10: about 10 after 100
	// hits, 18 after 1000, 142 after 100K, 255 after 1M.
	rng := rand.New(rand.NewPCG(1, 2))
	counter := uint32(LFUInitVal)
	hits := 0
	check := func(at int, lo, hi uint32) {
		for ; hits < at; hits++ {
			counter = LFULogIncr(counter, 10, rng.Float64())
		}
		if counter < lo || counter > hi {
			t.Errorf("after %d hits counter %d, want %d..%d", at, counter, lo, hi)
		}
	}
	check(100, 8, 14)
	check(1000, 15, 22)
	check(100000, 125, 160)
	check(1000000, 250, 255)
}

func TestLFUDecay(t *testing.T) {
	lru := func(ldt, c uint32) uint32 { return ldt<<8 | c }
	cases := []struct {
		lru   uint32
		now   uint32
		decay int
		want  uint32
	}{
		{lru(100, 20), 100, 1, 20},
		{lru(100, 20), 103, 1, 17},
		{lru(100, 20), 110, 2, 15},
		{lru(100, 20), 200, 1, 0},
		{lru(100, 20), 200, 0, 20}, // decay disabled
		{lru(65530, 20), 2, 1, 13}, // the 16-bit minute clock wrapped
	}
	for _, c := range cases {
		if got := LFUDecay(c.lru, c.now, c.decay); got != c.want {
			t.Errorf("LFUDecay(%x, %d, %d) = %d, want %d", c.lru, c.now, c.decay, got, c.want)
		}
	}
}

func TestLRUIdle(t *testing.T) {
	if got := LRUIdleMs(1000, 990); got != 10000 {
		t.Errorf("idle %d", got)
	}
	// the 24-bit clock wrapped: lru near the top, clock small
	if got := LRUIdleMs(5, LRUClockMax-5); got != 10000 {
		t.Errorf("wrapped idle %d", got)
	}
	if LRUClock(int64(LRUClockMax+1)*1000) != 0 {
		t.Error("clock does not wrap at 24 bits")
	}
}

// New and overwritten values get their access field per policy.
func TestNewLRU(t *testing.T) {
	ks := New(1)
	ks.Now = 5_000_000
	db := ks.DBs[0]
	db.Set([]byte("k"), NewInt(1), false)
	if o := db.Lookup([]byte("k")); o.LRU != LRUClock(ks.Now) {
		t.Errorf("LRU of new key %d", o.LRU)
	}
	ks.LFU = true
	db.Set([]byte("f"), NewInt(1), false)
	o := db.Lookup([]byte("f"))
	if o.LRU&255 != LFUInitVal || o.LRU>>8 != LFUMinutes(ks.Now) {
		t.Errorf("LFU of new key %x", o.LRU)
	}
	o.LRU = LFUMinutes(ks.Now)<<8 | 77
	db.Set([]byte("f"), NewInt(2), false)
	if db.Lookup([]byte("f")).LRU&255 != 77 {
		t.Error("overwrite lost the LFU counter")
	}
	o = db.Lookup([]byte("f"))
	o.Replace(NewString([]byte("a longer string value")))
	if o.LRU&255 != 77 {
		t.Error("Replace lost the LFU counter")
	}
	before := db.EstimatedBytes()
	if d := db.Reaccount([]byte("f")); d != AllocSize(int64(len("a longer string value"))) || db.EstimatedBytes() != before+d {
		t.Errorf("Reaccount after Replace: %d", d)
	}
}
