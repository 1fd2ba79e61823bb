package server

import (
	"testing"
	"time"
)

// Expected values are what redis-server 7.0 reports for the same samples
// (INFO latencystats and LATENCY HISTOGRAM).
func TestLatencyHistogramPercentiles(t *testing.T) {
	var h latencyHistogram
	h.record(7000) // a 7us call
	if got := h.percentile(50); got != 7007 {
		t.Errorf("p50 = %d, want 7007", got)
	}
	if got := h.percentile(0); got != 6976 {
		t.Errorf("p0 = %d, want 6976", got)
	}
	if got := h.percentile(100); got != 7007 {
		t.Errorf("p100 = %d, want 7007", got)
	}
	h.record(1000)
	h.record(1000)
	h.record(0) // clamped to 1ns
	if got := h.percentile(50); got != 1003 {
		t.Errorf("p50 = %d, want 1003", got)
	}
	h.record(2 * histMax) // clamped to the maximum
	if got := h.percentile(100); got < histMax {
		t.Errorf("p100 = %d, want >= %d", got, histMax)
	}
}

func TestLatencyCDFBuckets(t *testing.T) {
	// Bucket keys of LATENCY HISTOGRAM: highest equivalent value of each
	// power-of-two level from 1024ns, in microseconds.
	want := map[int64]int64{1024: 1, 2048: 2, 4096: 4, 8192: 8, 16384: 16, 32768: 33, 65536: 66, 131072: 132}
	for level, usec := range want {
		if got := (level + histRangeSize(level) - 1) / 1000; got != usec {
			t.Errorf("level %d -> %dus, want %d", level, got, usec)
		}
	}
}

func TestInstantaneousMetric(t *testing.T) {
	var m instMetric
	now := time.Now()
	m.track(now, 0)
	for i := 1; i <= instSamples; i++ {
		m.track(now.Add(time.Duration(i)*100*time.Millisecond), int64(i*100))
	}
	if v := m.value(); v < 999 || v > 1001 {
		t.Errorf("rate = %v, want 1000/s", v)
	}
}
