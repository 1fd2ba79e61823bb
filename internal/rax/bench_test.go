package rax

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

const benchN = 1 << 20

// benchKeys returns benchN keys shaped like typical Redis keys.
func benchKeys() [][]byte {
	keys := make([][]byte, benchN)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "key:%012d", i)
	}
	return keys
}

// streamKeys returns benchN 16-byte big-endian stream IDs (ms-seq), the
// key shape of stream indexes.
func streamKeys() [][]byte {
	keys := make([][]byte, benchN)
	ms := uint64(1700000000000)
	for i := range keys {
		k := make([]byte, 16)
		binary.BigEndian.PutUint64(k, ms+uint64(i/4))
		binary.BigEndian.PutUint64(k[8:], uint64(i%4))
		keys[i] = k
	}
	return keys
}

func shuffled(keys [][]byte) [][]byte {
	s := append([][]byte(nil), keys...)
	r := rand.New(rand.NewPCG(1, 1))
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// benchBuild inserts all keys into a fresh tree b.N times (ns/op is per
// key).
func benchBuild(b *testing.B, keys [][]byte) {
	b.ReportAllocs()
	var tr *Tree[*int]
	v := new(int)
	b.ResetTimer()
	for i := 0; i < b.N; {
		tr = New[*int]()
		for j := 0; j < len(keys) && i < b.N; j, i = j+1, i+1 {
			tr.Insert(keys[j], v)
		}
	}
}

// benchMemory reports the live heap a tree of keys holds, per key. It
// builds one tree whatever b.N is (run it with -benchtime 1x).
func benchMemory(b *testing.B, keys [][]byte) {
	v := new(int)
	before := heapInUse()
	tr := New[*int]()
	for _, k := range keys {
		tr.Insert(k, v)
	}
	b.ReportMetric(float64(heapInUse()-before)/float64(tr.Len()), "heapB/key")
	runtime.KeepAlive(tr)
	runtime.KeepAlive(keys)
}

func BenchmarkMemorySequential1M(b *testing.B) { benchMemory(b, benchKeys()) }
func BenchmarkMemoryRandom1M(b *testing.B)     { benchMemory(b, shuffled(benchKeys())) }
func BenchmarkMemoryStreamIDs1M(b *testing.B)  { benchMemory(b, streamKeys()) }

func BenchmarkInsertSequential1M(b *testing.B) { benchBuild(b, benchKeys()) }
func BenchmarkInsertRandom1M(b *testing.B)     { benchBuild(b, shuffled(benchKeys())) }
func BenchmarkInsertStreamIDs1M(b *testing.B)  { benchBuild(b, streamKeys()) }

func filled(keys [][]byte) *Tree[*int] {
	tr := New[*int]()
	v := new(int)
	for _, k := range shuffled(keys) {
		tr.Insert(k, v)
	}
	return tr
}

func benchFind(b *testing.B, keys [][]byte) {
	tr := filled(keys)
	order := shuffled(keys)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := tr.Find(order[i%len(order)]); !ok {
			b.Fatal("missing")
		}
	}
}

func BenchmarkFindRandom1M(b *testing.B)    { benchFind(b, benchKeys()) }
func BenchmarkFindStreamIDs1M(b *testing.B) { benchFind(b, streamKeys()) }

func BenchmarkFindMissing1M(b *testing.B) {
	keys := benchKeys()
	tr := filled(keys)
	miss := make([][]byte, 1<<16)
	for i := range miss {
		miss[i] = fmt.Appendf(nil, "key:%012dx", rand.IntN(benchN))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := tr.Find(miss[i%len(miss)]); ok {
			b.Fatal("found")
		}
	}
}

func BenchmarkRemoveInsert1M(b *testing.B) {
	keys := benchKeys()
	tr := filled(keys)
	order := shuffled(keys)
	v := new(int)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := order[i%len(order)]
		tr.Remove(k)
		tr.Insert(k, v)
	}
}

// BenchmarkIterateNext1M is the cost of one Next over a full scan.
func BenchmarkIterateNext1M(b *testing.B) {
	tr := filled(benchKeys())
	it := tr.Iterator()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, ok := it.Next(); !ok {
			it.Seek("^", nil)
		}
	}
}

func BenchmarkIteratePrev1M(b *testing.B) {
	tr := filled(benchKeys())
	it := tr.Iterator()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, ok := it.Prev(); !ok {
			it.Seek("$", nil)
		}
	}
}

func BenchmarkSeekRandom1M(b *testing.B) {
	keys := benchKeys()
	tr := filled(keys)
	order := shuffled(keys)
	it := tr.Iterator()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it.Seek(">", order[i%len(order)])
	}
}
