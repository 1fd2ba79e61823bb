package module

import "github.com/modis/modis/internal/keyspace"

// Access-time APIs on an open key, over the Object's LRU field as the
// server's eviction keeps it (keyspace/lru.go): under an LFU maxmemory
// policy it holds the LFU counter, under any other policy the LRU clock.
// As in Redis, the LRU APIs fail (Set) or report -1 (Get) under an LFU
// policy, and the LFU APIs under any other.

// SetLRU is RedisModule_SetLRU: mark the value as last accessed idleMs
// milliseconds ago. ERR for an empty key or under an LFU policy.
func (k *Key) SetLRU(idleMs int64) int {
	o := k.value()
	if o == nil {
		return ERR
	}
	ks := k.ctx.eng.host.Keyspace()
	if ks.LFU || idleMs < 0 {
		return ERR
	}
	clock := int64(keyspace.LRUClock(ks.Now))
	abs := clock - idleMs/1000
	if abs < 0 {
		// The clock wraps: the best is an access time half a cycle back,
		// which keeps the idle time high for a long while.
		abs = (clock + keyspace.LRUClockMax/2) % keyspace.LRUClockMax
	}
	o.LRU = uint32(abs)
	return OK
}

// GetLRU is RedisModule_GetLRU: the idle time in ms (-1 under an LFU
// policy, with OK). ERR for an empty key.
func (k *Key) GetLRU() (int64, int) {
	o := k.value()
	if o == nil {
		return -1, ERR
	}
	ks := k.ctx.eng.host.Keyspace()
	if ks.LFU {
		return -1, OK
	}
	return ks.IdleTimeMs(o), OK
}

// SetLFU is RedisModule_SetLFU: set the access frequency counter (0-255).
// ERR for an empty key, a counter out of range, or when the policy is not
// an LFU one.
func (k *Key) SetLFU(freq int64) int {
	o := k.value()
	if o == nil {
		return ERR
	}
	ks := k.ctx.eng.host.Keyspace()
	if !ks.LFU || freq < 0 || freq > 255 {
		return ERR
	}
	o.LRU = keyspace.LFUMinutes(ks.Now)<<8 | uint32(freq)
	return OK
}

// GetLFU is RedisModule_GetLFU: the decayed access frequency counter (-1
// unless the policy is an LFU one, with OK). ERR for an empty key.
func (k *Key) GetLFU() (int64, int) {
	o := k.value()
	if o == nil {
		return -1, ERR
	}
	ks := k.ctx.eng.host.Keyspace()
	if !ks.LFU {
		return -1, OK
	}
	return int64(ks.LFUDecr(o)), OK
}
