package keyspace

import "math/rand/v2"

// Access-time bookkeeping kept in Object.LRU, as Redis keeps it in robj.lru:
// under LRU (and non-LFU) policies it is a 24-bit clock in seconds; under LFU
// policies the high 16 bits are the last decrement time in minutes and the
// low 8 bits a logarithmic access counter.

// LRUClockMax is the largest value of the 24-bit LRU clock.
const LRUClockMax = 1<<24 - 1

// LFUInitVal is the counter a new value starts with under LFU, so fresh
// keys are not evicted before they had a chance to be accessed.
const LFUInitVal = 5

// LRUClock returns the LRU clock (seconds, wrapping at 24 bits) at nowMs.
func LRUClock(nowMs int64) uint32 { return uint32(nowMs/1000) & LRUClockMax }

// lfuMinutes is the 16-bit minute clock of the LFU decrement time.
func lfuMinutes(nowMs int64) uint32 { return uint32(nowMs/60000) & 0xffff }

// IdleTimeMs estimates how long ago the value was last accessed from its LRU
// clock (Redis's estimateObjectIdleTime, 1s resolution).
func (ks *Keyspace) IdleTimeMs(o *Object) int64 {
	now := LRUClock(ks.Now)
	if now >= o.LRU {
		return int64(now-o.LRU) * 1000
	}
	return int64(now+(LRUClockMax-o.LRU)) * 1000
}

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
	return lfuMinutes(ks.Now)<<8 | LFUInitVal
}

// lfuDecayTime returns the lfu-decay-time in minutes (default 1).
func (ks *Keyspace) lfuDecayTime() int64 {
	if ks.LFUDecayTime < 0 {
		return 0
	}
	if ks.LFUDecayTime == 0 {
		return 1
	}
	return int64(ks.LFUDecayTime)
}

// LFUDecr returns the value's LFU counter after applying the decay for the
// minutes elapsed since its last decrement (Redis's LFUDecrAndReturn). It
// does not modify o.
func (ks *Keyspace) LFUDecr(o *Object) uint32 {
	ldt := int64(o.LRU >> 8)
	counter := o.LRU & 255
	now := int64(lfuMinutes(ks.Now))
	elapsed := now - ldt
	if now < ldt {
		elapsed = 65535 - ldt + now
	}
	if decay := ks.lfuDecayTime(); decay > 0 {
		periods := uint32(elapsed / decay)
		if periods > counter {
			return 0
		}
		return counter - periods
	}
	return counter
}

// Touch records an access to o: the LRU clock, or under LFU a decayed and
// probabilistically incremented counter (Redis's updateLFU).
func (ks *Keyspace) Touch(o *Object) {
	if !ks.LFU {
		o.LRU = LRUClock(ks.Now)
		return
	}
	counter := ks.LFUDecr(o)
	if counter < 255 {
		factor := ks.LFULogFactor
		if factor == 0 {
			factor = 10
		}
		base := float64(counter) - LFUInitVal
		if base < 0 {
			base = 0
		}
		if rand.Float64() < 1.0/(base*float64(factor)+1) {
			counter++
		}
	}
	o.LRU = lfuMinutes(ks.Now)<<8 | counter
}
