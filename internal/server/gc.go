package server

import (
	"os"
	"runtime/debug"
)

// defaultGCPercent is the garbage collector's target (GOGC) unless the
// GOGC environment variable says otherwise. Go's default of 100 lets the
// heap reach twice the live data before collecting: with 1,000,000 16-byte
// values overwritten three times (bench/loadkeys) RSS grew from 123 MB to
// 171 MB, 1.42x redis-server's 120 MB. 50 kept it at 155 MB (1.29x) for
// about 8% more CPU on that pipelined SET load; 25 gave 138 MB for 22%
// more. Command processing allocates almost nothing besides stored
// values, so collections are rare either way; measured on a 2-core VM.
const defaultGCPercent = 50

// tuneGC applies defaultGCPercent when the user did not set GOGC.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}
