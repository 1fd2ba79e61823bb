package server

import (
	"math"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// maxmemory and key eviction, as Redis's evict.c: before a command runs,
// when the estimated used memory (keyspace/memory.go) is over maxmemory,
// keys are evicted following maxmemory-policy until it is not, or the time
// budget (maxmemory-eviction-tenacity) runs out, in which case the cron
// continues. LRU, LFU and TTL policies approximate the ideal choice by
// sampling maxmemory-samples keys per database into a pool of the 16 best
// candidates kept across calls; random policies pick a random key, going
// round the databases.

// Policy bits, combined as Redis's MAXMEMORY_FLAG_* / MAXMEMORY_* values.
const (
	policyFlagLRU     = 1 << 0
	policyFlagLFU     = 1 << 1
	policyFlagAllKeys = 1 << 2

	policyVolatileLRU    = 0<<8 | policyFlagLRU
	policyVolatileLFU    = 1<<8 | policyFlagLFU
	policyVolatileTTL    = 2 << 8
	policyVolatileRandom = 3 << 8
	policyAllKeysLRU     = 4<<8 | policyFlagLRU | policyFlagAllKeys
	policyAllKeysLFU     = 5<<8 | policyFlagLFU | policyFlagAllKeys
	policyAllKeysRandom  = 6<<8 | policyFlagAllKeys
	policyNoEviction     = 7 << 8
)

// maxmemoryPolicies maps maxmemory-policy names to policies.
var maxmemoryPolicies = map[string]int{
	"volatile-lru":    policyVolatileLRU,
	"volatile-lfu":    policyVolatileLFU,
	"volatile-random": policyVolatileRandom,
	"volatile-ttl":    policyVolatileTTL,
	"allkeys-lru":     policyAllKeysLRU,
	"allkeys-lfu":     policyAllKeysLFU,
	"allkeys-random":  policyAllKeysRandom,
	"noeviction":      policyNoEviction,
}

// evpoolSize is the number of candidates the eviction pool keeps.
const evpoolSize = 16

// Memory not held by keys, so that used_memory starts where Redis's does
// and maxmemory settings mean roughly the same on both: the server itself
// (Redis's used_memory_startup) and each connected client (its structure
// and reply buffer).
const (
	baseMemory      = 880 * 1024
	perClientMemory = 20 * 1024
)

// Results of performEvictions.
const (
	evictOK      = iota // under the limit (or nothing to do)
	evictRunning        // over the limit, eviction continues in the cron
	evictFail           // over the limit and nothing can be evicted
)

type (
	mainNode   = dict.Node[keyspace.Object]
	expireNode = dict.Node[int64]
)

type evictionPoolEntry struct {
	idle uint64 // higher is a better candidate
	key  string // "" for an empty slot
	dbid int
}

// evictState is the server's eviction bookkeeping.
type evictState struct {
	pool      [evpoolSize]evictionPoolEntry
	nextDB    int  // round robin of the random policies
	running   bool // the time budget ran out: the cron goes on evicting
	policySrc string
	policy    int

	exceededSince time.Time     // when used memory went over maxmemory, zero if not
	exceededTotal time.Duration // total_eviction_exceeded_time
}

func init() {
	cronJobs = append(cronJobs, (*Server).evictionCron)
	// Values modified in place are re-measured after every write.
	keyModifiedHooks = append(keyModifiedHooks, func(s *Server, db *keyspace.DB, key []byte) {
		db.Reaccount(key)
	})
}

// initEviction prepares eviction state. Access times and LFU counters
// live in the keyspace (keyspace/lru.go): touchObject and the keyspace's
// Add/Set keep them, syncEvictionPolicy tells it which of the two to keep.
func (s *Server) initEviction() {
	s.maxmemoryPolicy()
}

// maxmemoryPolicy returns the configured policy, re-parsed only when the
// setting changes (then the keyspace is told whether to keep LFU data).
// Unknown names count as noeviction (CONFIG SET rejects them before they
// get here).
func (s *Server) maxmemoryPolicy() int {
	src := s.cfg.MaxMemoryPolicy
	if src != s.evict.policySrc || s.evict.policy == 0 {
		p, ok := maxmemoryPolicies[src]
		if !ok {
			p = policyNoEviction
		}
		s.evict.policySrc, s.evict.policy = src, p
		s.syncEvictionPolicy()
	}
	return s.evict.policy
}

// usedMemory is used_memory: the keyspace estimate plus the server's and
// the clients' own memory and what C modules allocated (module_memory.go).
func (s *Server) usedMemory() int64 {
	return baseMemory + int64(len(s.clients))*perClientMemory + s.ks.UsedMemory() + moduleAllocMemory()
}

// evictionTimeLimit is the time one performEvictions call may spend, from
// maxmemory-eviction-tenacity: linear up to 500us at 10, then +15% a step,
// unlimited at 100.
func (s *Server) evictionTimeLimit() time.Duration {
	t := s.cfg.MaxMemoryEvictionTenacity
	switch {
	case t <= 10:
		return time.Duration(50*t) * time.Microsecond
	case t < 100:
		return time.Duration(500*math.Pow(1.15, float64(t)-10)) * time.Microsecond
	}
	return time.Duration(math.MaxInt64)
}

// performEvictions frees memory by evicting keys when used memory is over
// maxmemory. It returns evictOK, evictRunning or evictFail.
func (s *Server) performEvictions() int {
	var start time.Time
	if s.cfg.LatencyMonitorThreshold > 0 && s.cfg.MaxMemory > 0 {
		start = time.Now()
	}
	result := s.evictOnce()
	if !start.IsZero() {
		s.latencyAddSampleIfNeeded("eviction-cycle", time.Since(start).Milliseconds())
	}
	if result == evictOK {
		if !s.evict.exceededSince.IsZero() {
			s.evict.exceededTotal += time.Since(s.evict.exceededSince)
			s.evict.exceededSince = time.Time{}
		}
	} else if s.evict.exceededSince.IsZero() {
		s.evict.exceededSince = time.Now()
	}
	return result
}

func (s *Server) evictOnce() int {
	maxmem := s.cfg.MaxMemory
	if maxmem <= 0 {
		s.evict.running = false
		return evictOK
	}
	used := s.usedMemory()
	if used <= maxmem {
		s.evict.running = false
		return evictOK
	}
	policy := s.maxmemoryPolicy()
	if policy == policyNoEviction {
		return evictFail
	}
	toFree := used - maxmem
	limit := s.evictionTimeLimit()
	start := time.Now()
	var freed int64
	keysFreed := 0
	for freed < toFree {
		db, key := s.evictionCandidate(policy)
		if db == nil {
			return evictFail // nothing evictable left
		}
		before := db.EstimatedBytes()
		kb := []byte(key)
		db.Remove(kb, keyspace.FreeEvicted)
		freed += before - db.EstimatedBytes()
		s.stats.evictedKeys++
		s.propagateDeletion(db.ID, kb, s.cfg.LazyfreeLazyEviction)
		s.keyModified(db, kb)
		s.notify(notifyEvicted, "evicted", kb, db.ID)
		keysFreed++
		if keysFreed%16 == 0 && time.Since(start) > limit {
			// Out of time: the cron keeps going, commands are not refused.
			s.evict.running = true
			return evictRunning
		}
	}
	s.evict.running = false
	return evictOK
}

// evictionCron continues an eviction that ran out of time, and evicts
// when memory went over the limit without a command arriving (CONFIG SET
// maxmemory lowered it), as Redis's eviction time proc does.
func (s *Server) evictionCron() {
	if s.evict.running || s.cfg.MaxMemory > 0 {
		s.performEvictions()
	}
}

// evictionCandidate picks the next key to evict under policy, or nil when
// no database holds an evictable key.
func (s *Server) evictionCandidate(policy int) (*keyspace.DB, string) {
	dbs := s.ks.DBs
	allKeys := policy&policyFlagAllKeys != 0
	if policy == policyAllKeysRandom || policy == policyVolatileRandom {
		for range dbs {
			s.evict.nextDB++
			db := dbs[s.evict.nextDB%len(dbs)]
			if allKeys {
				if n := db.Main().Random(); n != nil {
					return db, n.Key
				}
			} else if n := db.Expires().Random(); n != nil {
				return db, n.Key
			}
		}
		return nil, ""
	}
	pool := &s.evict.pool
	for {
		total := 0
		for _, db := range dbs {
			if allKeys {
				total += db.Len()
			} else {
				total += db.ExpiresLen()
			}
			s.evictionPoolPopulate(db, policy)
		}
		if total == 0 {
			return nil, ""
		}
		// Best candidates are at the end of the pool.
		for k := evpoolSize - 1; k >= 0; k-- {
			e := pool[k]
			if e.key == "" {
				continue
			}
			pool[k] = evictionPoolEntry{}
			db := dbs[e.dbid]
			var exists bool
			if allKeys {
				exists = db.Main().FindString(e.key) != nil
			} else {
				exists = db.Expires().FindString(e.key) != nil
			}
			if exists {
				return db, e.key
			}
			// A ghost: the key went away since it was sampled.
		}
	}
}

// evictionPoolPopulate samples keys of db and inserts the good candidates
// into the pool.
func (s *Server) evictionPoolPopulate(db *keyspace.DB, policy int) {
	samples := s.cfg.MaxMemorySamples
	if samples <= 0 {
		samples = 5
	}
	if policy&policyFlagAllKeys != 0 {
		db.Main().Sample(samples, func(n *mainNode) bool {
			s.evictionPoolInsert(db.ID, n.Key, s.evictionIdle(policy, &n.Val, 0))
			return true
		})
		return
	}
	db.Expires().Sample(samples, func(n *expireNode) bool {
		var idle uint64
		if policy == policyVolatileTTL {
			idle = s.evictionIdle(policy, nil, n.Val)
		} else if v := db.Main().FindString(n.Key); v != nil {
			idle = s.evictionIdle(policy, &v.Val, 0)
		} else {
			return true
		}
		s.evictionPoolInsert(db.ID, n.Key, idle)
		return true
	})
}

// evictionIdle scores a candidate: the higher, the sooner it goes.
func (s *Server) evictionIdle(policy int, o *keyspace.Object, expireAt int64) uint64 {
	switch {
	case policy&policyFlagLRU != 0:
		return uint64(s.ks.IdleTimeMs(o))
	case policy&policyFlagLFU != 0:
		return 255 - uint64(s.ks.LFUDecr(o))
	default: // volatile-ttl: the sooner it expires, the better
		return math.MaxUint64 - uint64(expireAt)
	}
}

// evictionPoolInsert puts a candidate in the pool, which is kept sorted by
// ascending idle; when full, the worst entry makes room, and a candidate
// worse than every entry of a full pool is dropped.
func (s *Server) evictionPoolInsert(dbid int, key string, idle uint64) {
	evictionPoolInsert(&s.evict.pool, dbid, key, idle)
}

func evictionPoolInsert(pool *[evpoolSize]evictionPoolEntry, dbid int, key string, idle uint64) {
	k := 0
	for k < evpoolSize && pool[k].key != "" && pool[k].idle < idle {
		k++
	}
	if k == 0 && pool[evpoolSize-1].key != "" {
		return
	}
	if k < evpoolSize && pool[k].key == "" {
		// an empty slot: insert here
	} else if pool[evpoolSize-1].key == "" {
		// room at the end: shift right from k
		copy(pool[k+1:], pool[k:evpoolSize-1])
	} else {
		// full: drop the worst (first) entry, shift left up to k
		k--
		copy(pool[:k], pool[1:k+1])
	}
	pool[k] = evictionPoolEntry{idle: idle, key: key, dbid: dbid}
}

// rejectOOM is the maxmemory check of processCommand: evict if needed;
// when memory is still over the limit, refuse deny-oom commands, an EXEC
// of a transaction holding one, and any command queued inside MULTI.
func (s *Server) rejectOOM(c *Client, cp *cmdProc) bool {
	s.preCommandOOM = false
	if s.cfg.MaxMemory <= 0 {
		return false
	}
	if s.performEvictions() != evictFail {
		return false
	}
	s.preCommandOOM = true
	name := cp.spec.Name
	reject := cp.spec.Flags&command.FlagDenyOOM != 0 ||
		(name == "exec" && c.multi != nil && c.multi.flags&command.FlagDenyOOM != 0)
	if c.multi != nil {
		switch name {
		case "exec", "discard", "quit", "reset":
		default:
			reject = true
		}
	}
	if !reject {
		return false
	}
	cp.rejectedCalls++
	s.rejectCommand(c, errOOM)
	return true
}

// evictionExceededMs is total_eviction_exceeded_time (current false) or
// current_eviction_exceeded_time (true) of INFO stats: how long used
// memory has been over maxmemory, in ms.
func (s *Server) evictionExceededMs(current bool) int64 {
	var cur time.Duration
	if !s.evict.exceededSince.IsZero() {
		cur = time.Since(s.evict.exceededSince)
	}
	if current {
		return cur.Milliseconds()
	}
	return (s.evict.exceededTotal + cur).Milliseconds()
}
