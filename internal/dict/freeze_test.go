package dict

import (
	"fmt"
	"testing"
)

// TestFreezePositions checks that a frozen table keeps every key at the
// position PositionOf reports, through inserts and deletes, also when the
// freeze catches a rehash half done.
func TestFreezePositions(t *testing.T) {
	for _, n := range []int{0, 3, 100, 1025} {
		d := New[int]()
		for i := 0; i < n; i++ {
			d.Insert([]byte(fmt.Sprint("k", i)), i)
		}
		if n == 1025 && !d.IsRehashing() {
			t.Fatal("setup: want a rehash in progress")
		}
		d.Freeze()
		buckets := d.Buckets()
		for i := n; i < n+3000; i++ {
			d.Insert([]byte(fmt.Sprint("k", i)), i)
			if i%3 == 0 {
				d.Delete([]byte(fmt.Sprint("k", i/2)))
			}
		}
		d.ShrinkIfNeeded()
		d.Expand(100000)
		if n > 0 && d.Buckets() != buckets {
			t.Fatalf("n=%d: buckets changed from %d to %d while frozen", n, buckets, d.Buckets())
		}
		seen := 0
		for p := uint64(0); p < d.Positions(); p++ {
			d.VisitPosition(p, func(nd *Node[int]) {
				seen++
				if got := d.PositionOf([]byte(nd.Key)); got != p {
					t.Fatalf("n=%d key %s at position %d, PositionOf says %d", n, nd.Key, p, got)
				}
			})
		}
		if seen != d.Len() {
			t.Fatalf("n=%d: visited %d of %d", n, seen, d.Len())
		}
		d.Unfreeze()
		if d.Frozen() {
			t.Fatal("still frozen")
		}
	}
}
