//go:build cgo

package cabi

import "testing"

// TestLiveHandlesCountsTables: LiveHandles counts the live entries of the
// registered handle tables (contexts, keys, call replies) as well as cgo
// handles, so the leak tests see a context, key or reply left behind.
func TestLiveHandlesCountsTables(t *testing.T) {
	base := LiveHandles()
	h1 := keys.put(&keyState{})
	h2, _ := replies.alloc()
	if got := LiveHandles(); got != base+2 {
		t.Fatalf("LiveHandles with 2 table entries: %d, want %d", got, base+2)
	}
	keys.release(h1, true)
	keys.release(h1, true) // a second release is ignored
	replies.release(h2, false)
	if got := LiveHandles(); got != base {
		t.Fatalf("LiveHandles after release: %d, want %d", got, base)
	}
}
