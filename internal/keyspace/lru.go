package keyspace

import "math/rand/v2"

// Access-time bookkeeping kept in Object.LRU, as Redis keeps it in robj.lru:
// under LRU (and non-LFU) policies it is a 24-bit clock in seconds; under LFU
// policies the high 16 bits are the last decrement time in minutes and the
// low 8 bits a logarithmic access counter. This is the one implementation:
// the server's eviction code and OBJECT IDLETIME/FREQ use it.

// LRUClockMax is the largest value of the 24-bit LRU clock.
const LRUClockMax = 1<<24 - 1

// LFUInitVal is the counter a new value starts with under LFU, so fresh
// keys are not evicted before they had a chance to be accessed.
const LFUInitVal = 5

// LRUClock returns the LRU clock (seconds, wrapping at 24 bits) at nowMs.
func LRUClock(nowMs int64) uint32 { return uint32(nowMs/1000) & LRUClockMax }

// LFUMinutes is the 16-bit minute clock of the LFU decrement time at nowMs.
func LFUMinutes(nowMs int64) uint32 { return uint32(nowMs/60000) & 0xffff }

// LRUIdleMs is the time in ms between the LRU clock values lru and now,
// allowing for one wrap of the clock (Redis's estimateObjectIdleTime).
func LRUIdleMs(now, lru uint32) int64 {
	if now >= lru {
		return int64(now-lru) * 1000
	}
	return int64(now+(LRUClockMax-lru)) * 1000
}

// IdleTimeMs estimates how long ago the value was last accessed from its LRU
// clock (1s resolution).
func (ks *Keyspace) IdleTimeMs(o *Object) int64 { return LRUIdleMs(LRUClock(ks.Now), o.LRU) }

// newLRU is the LRU field for a value being stored; old is the value it
// replaces, nil for a new key.
func (ks *Keyspace) newLRU(old *Object) uint32 {
	if !ks.LFU {
		return LRUClock(ks.Now)
	}
	if old != nil {
		// dbOverwrite keeps the access frequency of the key.
		return old.LRU
	}
	return LFUMinutes(ks.Now)<<8 | LFUInitVal
}

// LFUDecay returns the counter of the LFU field lru decayed by one per
// decayTime minutes elapsed between its decrement time and the minute
// clock now (which wraps at 16 bits). decayTime 0 disables decay.
func LFUDecay(lru, now uint32, decayTime int) uint32 {
	ldt := lru >> 8
	counter := lru & 255
	if decayTime <= 0 {
		return counter
	}
	elapsed := now - ldt
	if now < ldt {
		elapsed = 65535 - ldt + now
	}
	periods := elapsed / uint32(decayTime)
	if periods >= counter {
		return 0
	}
	return counter - periods
}

// LFULogIncr increments an LFU counter logarithmically: with r uniform in
// [0,1), it increments with probability 1/((counter-LFUInitVal)*factor+1),
// so the higher the counter the rarer an increment; 255 saturates.
func LFULogIncr(counter uint32, factor int, r float64) uint32 {
	if counter >= 255 {
		return 255
	}
	base := float64(counter) - LFUInitVal
	if base < 0 {
		base = 0
	}
	if r < 1.0/(base*float64(factor)+1) {
		counter++
	}
	return counter
}

// LFUDecr returns the value's LFU counter after applying the decay for the
// minutes elapsed since its last decrement (Redis's LFUDecrAndReturn). It
// does not modify o.
func (ks *Keyspace) LFUDecr(o *Object) uint32 {
	return LFUDecay(o.LRU, LFUMinutes(ks.Now), ks.LFUDecayTime)
}

// Touch records an access to o: the LRU clock, or under LFU a decayed and
// probabilistically incremented counter (Redis's updateLFU).
func (ks *Keyspace) Touch(o *Object) {
	if !ks.LFU {
		o.LRU = LRUClock(ks.Now)
		return
	}
	counter := LFULogIncr(ks.LFUDecr(o), ks.LFULogFactor, rand.Float64())
	o.LRU = LFUMinutes(ks.Now)<<8 | counter
}
