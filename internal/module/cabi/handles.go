//go:build cgo

package cabi

import (
	"runtime/cgo"
	"sync/atomic"
)

// Every cgo handle the bridge stores in C memory goes through newHandle
// and deleteHandle, so tests can check that a workload leaves none behind.
var liveHandles atomic.Int64

func newHandle(v any) cgo.Handle {
	liveHandles.Add(1)
	return cgo.NewHandle(v)
}

func deleteHandle(h cgo.Handle) {
	liveHandles.Add(-1)
	h.Delete()
}

// LiveHandles is the number of cgo handles the bridge holds (C structs a
// module or the bridge still references).
func LiveHandles() int64 { return liveHandles.Load() }
