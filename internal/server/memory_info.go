package server

import (
	"runtime/metrics"
	"strconv"
	"time"
)

// memoryInfoFields returns the memory figures this package owns, in the
// order INFO memory prints them, as name/value pairs: used_memory,
// used_memory_human, maxmemory, maxmemory_human, maxmemory_policy,
// mem_fragmentation_ratio. The INFO command interleaves them with the
// rest of its memory section.
func (s *Server) memoryInfoFields() [][2]string {
	used := s.usedMemory()
	rss := processRSS()
	ratio := 0.0
	if used > 0 {
		ratio = float64(rss) / float64(used)
	}
	policy := s.cfg.MaxMemoryPolicy
	if _, ok := maxmemoryPolicies[policy]; !ok {
		policy = "noeviction"
	}
	return [][2]string{
		{"used_memory", strconv.FormatInt(used, 10)},
		{"used_memory_human", memHuman(used)},
		{"maxmemory", strconv.FormatInt(s.cfg.MaxMemory, 10)},
		{"maxmemory_human", memHuman(s.cfg.MaxMemory)},
		{"maxmemory_policy", policy},
		{"mem_fragmentation_ratio", strconv.FormatFloat(ratio, 'f', 2, 64)},
	}
}

// processRSS approximates the resident set: the memory the Go runtime got
// from the OS minus what it returned.
func processRSS() int64 {
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	var v [2]int64
	for i, sm := range samples {
		if sm.Value.Kind() == metrics.KindUint64 {
			v[i] = int64(sm.Value.Uint64())
		}
	}
	return v[0] - v[1]
}

// evictionInfoFields are the eviction counters of INFO stats:
// evicted_keys, total_eviction_exceeded_time and
// current_eviction_exceeded_time (ms).
func (s *Server) evictionInfoFields() [][2]string {
	total := s.evict.exceededTotal
	var current int64
	if !s.evict.exceededSince.IsZero() {
		d := time.Since(s.evict.exceededSince)
		total += d
		current = d.Milliseconds()
	}
	return [][2]string{
		{"evicted_keys", strconv.FormatInt(s.stats.evictedKeys, 10)},
		{"total_eviction_exceeded_time", strconv.FormatInt(total.Milliseconds(), 10)},
		{"current_eviction_exceeded_time", strconv.FormatInt(current, 10)},
	}
}
