package set

import (
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestMemoryPerMember reports (with MODIS_SET_MEM=1) the heap a set holds
// per member, to compare with Redis (about 56 B per short string member in
// a hashtable, 4 B per member of a 32-bit intset), and checks the cheap
// MemBytes estimate against the heap.
func TestMemoryPerMember(t *testing.T) {
	if os.Getenv("MODIS_SET_MEM") == "" {
		t.Skip("set MODIS_SET_MEM=1")
	}
	measure := func(build func() *Set) (*Set, uint64) {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		s := build()
		runtime.GC()
		runtime.ReadMemStats(&m1)
		return s, m1.HeapAlloc - m0.HeapAlloc
	}
	const n = 1000000
	s, heap := measure(func() *Set {
		s := NewFor([]byte("a"))
		for i := 1; i <= n; i++ {
			s.Add([]byte("member:"+strconv.Itoa(i)), 512)
		}
		return s
	})
	t.Logf("hashtable: %.1f B/member heap, estimate %.1f", float64(heap)/n, float64(s.MemBytes())/n)
	runtime.KeepAlive(s)
	s, heap = measure(func() *Set {
		s := New()
		for i := 1; i <= n/2; i++ {
			s.AddInt(int64(i*3), 1<<30)
		}
		return s
	})
	t.Logf("intset: %d B for %d members, estimate %d", heap, n/2, s.MemBytes())
	runtime.KeepAlive(s)
}
