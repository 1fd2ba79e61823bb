package server

import (
	"strings"
	"time"

	"github.com/modis/modis/internal/dict"
)

// Active expiry: Redis's adaptive activeExpireCycle. Lazy expiry alone would
// let keys that are never touched again stay in memory forever, so the cron
// samples keys with a TTL in every database and deletes the expired ones. A
// database is sampled again and again while more than a tenth of its sample
// was expired (so memory held by stale keys stays under ~10%), within a CPU
// time budget per call (25% of each cron period at the default effort).

const (
	expireKeysPerLoop     = 20   // keys sampled per database per loop
	expireSlowTimePerc    = 25   // max % of CPU time of the slow cycle
	expireAcceptableStale = 10   // % of expired keys in a sample to stop at
	expireDBsPerCall      = 16   // databases visited per cycle (CRON_DBS_PER_CALL)
	expireFastDurationUs  = 1000 // budget of the fast cycle, microseconds
)

// activeExpireStats is the state the cycle keeps between calls plus the
// INFO stats counters it maintains.
type activeExpireStats struct {
	currentDB     int   // next database to visit
	timelimitExit bool  // the previous cycle ran out of time
	lastFastCycle int64 // start of the last fast cycle, µs

	stalePerc         float64 // expired_stale_perc: running estimate, 0..1
	timeCapReached    int64   // expired_time_cap_reached_count
	cycleTimeUsedUsec int64   // expire_cycle_cpu_milliseconds * 1000
}

// Active expire cycle types.
const (
	expireCycleSlow = iota // from the cron
	expireCycleFast        // before sleeping, when the slow cycle fell behind (beforeSleepLocked)
)

func init() {
	cronJobs = append(cronJobs, (*Server).expireCron)
	// Values stored right after CONFIG SET must get the access-time field
	// of the new policy (LFU counter or LRU clock), as in Redis.
	for _, name := range []string{"maxmemory-policy", "lfu-log-factor", "lfu-decay-time",
		"lazyfree-lazy-expire", "lazyfree-lazy-eviction", "lazyfree-lazy-server-del"} {
		onConfigChange(name, func(s *Server) error {
			s.maxmemoryPolicy()
			s.syncEvictionPolicy()
			return nil
		})
	}
}

// expireCron runs the slow expire cycle on every cron tick.
// beforeSleepLocked is the part of Redis's beforeSleep that needs the
// execution lock, run by the event loop after each batch: the fast active
// expire cycle, only when the last slow cycle ran out of time or too many
// sampled keys were stale. The common case is two comparisons.
func (s *Server) beforeSleepLocked() {
	s.handleClientsBlockedOnKeys()
	s.aofBeforeReply()
	st := &s.expireStats
	if !st.timelimitExit && st.stalePerc*100 < float64(expireAcceptableStale-(s.activeExpireEffort()-1)) {
		return
	}
	if !s.activeExpireEnabled || s.ks.NoExpire || s.clientsPaused() {
		return
	}
	s.activeExpireCycle(expireCycleFast)
}

func (s *Server) expireCron() {
	s.syncEvictionPolicy()
	// CLIENT PAUSE holds back active expiry too (keys must not vanish
	// while writes are paused, e.g. during a failover).
	if !s.activeExpireEnabled || s.ks.NoExpire || s.clientsPaused() {
		return
	}
	if s.cfg.LatencyMonitorThreshold <= 0 {
		s.activeExpireCycle(expireCycleSlow)
		return
	}
	start := time.Now()
	s.activeExpireCycle(expireCycleSlow)
	s.latencyAddSampleIfNeeded("expire-cycle", time.Since(start).Milliseconds())
}

// activeExpireEffort is active-expire-effort (1..10): higher values sample
// more keys and accept fewer stale ones at the cost of CPU.
func (s *Server) activeExpireEffort() int {
	if e := s.cfg.ActiveExpireEffort; e >= 1 && e <= 10 {
		return e
	}
	return 1
}

// syncEvictionPolicy tells the keyspace whether values carry LFU counters
// (the maxmemory-policy may change at run time through CONFIG SET) and
// which deletions free lazily (lazyfree-lazy-*).
func (s *Server) syncEvictionPolicy() {
	s.ks.LFU = isLFUPolicy(s.cfg.MaxMemoryPolicy)
	s.ks.LFULogFactor, s.ks.LFUDecayTime = s.cfg.LFULogFactor, s.cfg.LFUDecayTime
	s.ks.LazyExpire, s.ks.LazyEviction, s.ks.LazyServerDel = s.cfg.LazyfreeLazyExpire, s.cfg.LazyfreeLazyEviction, s.cfg.LazyfreeLazyServerDel
}

// isLFUPolicy reports whether a maxmemory-policy is one of the LFU ones.
func isLFUPolicy(p string) bool { return strings.HasSuffix(p, "-lfu") }

// activeExpireCycle samples keys with a TTL and deletes the expired ones,
// adapting how long it keeps at it to how many it finds.
func (s *Server) activeExpireCycle(kind int) {
	st := &s.expireStats
	effort := s.activeExpireEffort() - 1
	keysPerLoop := expireKeysPerLoop + expireKeysPerLoop/4*effort
	fastDuration := int64(expireFastDurationUs + expireFastDurationUs/4*effort)
	slowTimePerc := int64(expireSlowTimePerc + 2*effort)
	acceptableStale := expireAcceptableStale - effort

	start := time.Now()
	startUs := start.UnixMicro()
	if kind == expireCycleFast {
		// Only when the previous cycle hit its time limit or the estimate of
		// stale keys is above what we accept, and not too often.
		if !st.timelimitExit && st.stalePerc*100 < float64(acceptableStale) {
			return
		}
		if startUs < st.lastFastCycle+fastDuration*2 {
			return
		}
		st.lastFastCycle = startUs
	}

	dbs := s.ks.DBs
	dbsPerCall := expireDBsPerCall
	if dbsPerCall > len(dbs) || st.timelimitExit {
		dbsPerCall = len(dbs)
	}
	hz := int64(s.cfg.HZ)
	if hz <= 0 {
		hz = 10
	}
	timelimit := time.Duration(slowTimePerc*1000000/hz/100) * time.Microsecond
	if timelimit <= 0 {
		timelimit = time.Microsecond
	}
	if kind == expireCycleFast {
		timelimit = time.Duration(fastDuration) * time.Microsecond
	}
	st.timelimitExit = false

	var totalSampled, totalExpired int
	var batch []string
	iteration := 0
	for j := 0; j < dbsPerCall && !st.timelimitExit; j++ {
		db := dbs[st.currentDB%len(dbs)]
		st.currentDB++
		for {
			iteration++
			num := db.ExpiresLen()
			if num == 0 {
				db.AvgTTL = 0
				break
			}
			exp := db.Expires()
			// A table that is less than 1% full is too expensive to sample;
			// it will be shrunk by the cron soon.
			if slots := exp.Buckets(); slots > 4 && num*100/slots < 1 {
				break
			}
			s.ks.Now = time.Now().UnixMilli()
			now := s.ks.Now
			if num > keysPerLoop {
				num = keysPerLoop
			}
			sampled, expired := 0, 0
			var ttlSum int64
			ttlSamples := 0
			maxBuckets, checked := num*20, 0
			for sampled < num && checked < maxBuckets {
				batch = batch[:0]
				db.ExpiresCursor = exp.Scan(db.ExpiresCursor, func(n *dict.Node[int64]) {
					sampled++
					if ttl := n.Val - now; ttl > 0 {
						ttlSum += ttl
						ttlSamples++
					} else if ttl < 0 {
						// Expired strictly after its time, as keyIsExpired.
						batch = append(batch, n.Key)
					}
				})
				checked++
				for _, k := range batch {
					db.DeleteExpired([]byte(k))
					expired++
				}
				if db.ExpiresLen() == 0 {
					break
				}
			}
			totalExpired += expired
			totalSampled += sampled
			if ttlSamples > 0 {
				avg := ttlSum / int64(ttlSamples)
				if db.AvgTTL == 0 {
					db.AvgTTL = avg
				}
				db.AvgTTL = db.AvgTTL/50*49 + avg/50
			}
			if iteration&0xf == 0 && time.Since(start) > timelimit {
				st.timelimitExit = true
				st.timeCapReached++
				break
			}
			if sampled != 0 && expired*100/sampled <= acceptableStale {
				break
			}
		}
	}
	st.cycleTimeUsedUsec += time.Since(start).Microseconds()
	perc := 0.0
	if totalSampled > 0 {
		perc = float64(totalExpired) / float64(totalSampled)
	}
	st.stalePerc = perc*0.05 + st.stalePerc*0.95
}
