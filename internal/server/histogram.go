package server

import "math/bits"

// latencyHistogram is a compact HDR-style histogram of command latencies in
// nanoseconds with the geometry Redis uses for latency tracking (values 1ns
// to 1s, two significant digits): 256 sub-buckets per power of two, so
// percentiles read back as the same bucket boundaries Redis prints.
type latencyHistogram struct {
	counts [histCountsLen]int64
	total  int64
}

const (
	histMax            = 1_000_000_000 // 1s in ns; longer calls are clamped
	histSubBucketCount = 256           // 2 significant digits -> 2*10^2 rounded up to a power of two
	histSubHalfMag     = 7             // log2(histSubBucketCount/2)
	histSubHalf        = histSubBucketCount / 2
	histBuckets        = 23 // power-of-two buckets needed to reach histMax
	histCountsLen      = (histBuckets + 1) * histSubHalf
)

func histBucketIndex(v int64) int {
	pow2ceil := 64 - bits.LeadingZeros64(uint64(v)|uint64(histSubBucketCount-1))
	return pow2ceil - (histSubHalfMag + 1)
}

func histCountsIndex(v int64) int {
	b := histBucketIndex(v)
	sub := int(v >> uint(b))
	return ((b + 1) << histSubHalfMag) + (sub - histSubHalf)
}

// histValueAt is the lowest value of the counts slot i.
func histValueAt(i int) int64 {
	b := (i >> histSubHalfMag) - 1
	sub := (i & (histSubHalf - 1)) + histSubHalf
	if b < 0 {
		sub -= histSubHalf
		b = 0
	}
	return int64(sub) << uint(b)
}

// histRangeSize is the width of the slot holding v.
func histRangeSize(v int64) int64 {
	b := histBucketIndex(v)
	sub := int(v >> uint(b))
	if sub >= histSubBucketCount {
		b++
	}
	return 1 << uint(b)
}

// record adds one latency sample in nanoseconds.
func (h *latencyHistogram) record(ns int64) {
	if ns < 1 {
		ns = 1
	}
	if ns > histMax {
		ns = histMax
	}
	h.counts[histCountsIndex(ns)]++
	h.total++
}

// percentile returns the value at percentile p (0..100): the highest value
// equivalent to the slot that reaches the requested count, or the lowest for
// p == 0, as hdr_value_at_percentile.
func (h *latencyHistogram) percentile(p float64) int64 {
	if p > 100 {
		p = 100
	}
	want := int64(p/100*float64(h.total) + 0.5)
	if want < 1 {
		want = 1
	}
	var seen int64
	var v int64
	for i, n := range h.counts {
		seen += n
		if seen >= want {
			v = histValueAt(i)
			break
		}
	}
	if p == 0 {
		return v
	}
	return v + histRangeSize(v) - 1
}
