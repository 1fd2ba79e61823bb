package server

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// introspectState is the server state behind INFO, SLOWLOG, LATENCY and
// DEBUG: identifiers, samples for the instantaneous metrics, the slow log
// and the latency monitor's events. Guarded by the execution lock.
type introspectState struct {
	runID    string    // INFO run_id, fixed for the process
	replID   string    // master_replid, changed by DEBUG CHANGE-REPL-ID
	lastSave time.Time // LASTSAVE and rdb_last_save_time

	peakMemory uint64 // used_memory_peak

	// Instantaneous metrics (Redis's STATS_METRIC_*), sampled by the cron
	// every 100ms into rings of 16 samples.
	instLast time.Time
	inst     [3]instMetric

	slowlog       []slowlogEntry // newest first
	slowlogNextID int64

	latency map[string]*latencyEvent // LATENCY events by name

	cronPaused bool // DEBUG PAUSE-CRON 1 stops the periodic jobs
}

// Instantaneous metric indices.
const (
	instCommand = iota
	instNetInput
	instNetOutput
)

const instSamples = 16

// instMetric is one ring of per-second rates.
type instMetric struct {
	lastSampleTime  time.Time
	lastSampleCount int64
	samples         [instSamples]float64
	idx             int
}

// track records the rate since the previous sample (Redis's
// trackInstantaneousMetric).
func (m *instMetric) track(now time.Time, count int64) {
	if !m.lastSampleTime.IsZero() {
		ms := now.Sub(m.lastSampleTime).Milliseconds()
		if ms > 0 {
			m.samples[m.idx] = float64(count-m.lastSampleCount) * 1000 / float64(ms)
			m.idx = (m.idx + 1) % instSamples
		}
	}
	m.lastSampleTime = now
	m.lastSampleCount = count
}

// value is the mean of the samples (getInstantaneousMetric).
func (m *instMetric) value() float64 {
	var sum float64
	for _, v := range m.samples {
		sum += v
	}
	return sum / instSamples
}

func randomHex40() string {
	var b [20]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) initIntrospect() {
	s.intro.runID = randomHex40()
	s.intro.replID = randomHex40()
	s.intro.lastSave = time.Now()
	s.intro.latency = map[string]*latencyEvent{}
}

func init() {
	cronJobs = append(cronJobs, (*Server).introspectCron)
	resetStatHooks = append(resetStatHooks, (*Server).resetIntrospectStats)
}

// introspectCron samples the instantaneous metrics every 100ms whatever hz
// is, and tracks the memory peak.
func (s *Server) introspectCron() {
	now := time.Now()
	if now.Sub(s.intro.instLast) < 100*time.Millisecond {
		return
	}
	s.intro.instLast = now
	s.intro.inst[instCommand].track(now, s.stats.commandsProcessed)
	s.intro.inst[instNetInput].track(now, s.stats.netInputBytes.Load())
	s.intro.inst[instNetOutput].track(now, s.stats.netOutputBytes.Load())
	if m := s.usedMem(); m > s.intro.peakMemory {
		s.intro.peakMemory = m
	}
}

// resetIntrospectStats is the part of CONFIG RESETSTAT this file owns:
// the read/write counters, the memory peak and the instantaneous metric
// samples. The slow log and latency events survive, as in Redis.
func (s *Server) resetIntrospectStats() {
	s.stats.readsProcessed.Store(0)
	s.stats.writesProcessed.Store(0)
	s.intro.peakMemory = 0
	s.intro.inst = [3]instMetric{}
}
