package dict

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func benchKeys(n int) [][]byte {
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("key:%012d", i))
	}
	return keys
}

// BenchmarkFindRandom looks up random keys of a table much larger than
// the CPU caches, as GET under redis-benchmark -r does.
func BenchmarkFindRandom(b *testing.B) {
	const n = 1 << 20
	keys := benchKeys(n)
	d := New[[4]uint64]()
	for _, k := range keys {
		d.Insert(k, [4]uint64{})
	}
	for d.RehashBuckets(1000) {
	}
	order := make([]int, 1<<16)
	for i := range order {
		order[i] = rand.IntN(n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if d.Find(keys[order[i&(len(order)-1)]]) == nil {
			b.Fatal("missing")
		}
	}
}

func BenchmarkInsert(b *testing.B) {
	keys := benchKeys(1 << 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i&(len(keys)-1) == 0 {
			b.StopTimer()
			d := New[[4]uint64]()
			_ = d
			b.StartTimer()
		}
	}
	d := New[[4]uint64]()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := keys[i&(len(keys)-1)]
		if d.Find(k) == nil {
			d.Insert(k, [4]uint64{})
		}
	}
}
