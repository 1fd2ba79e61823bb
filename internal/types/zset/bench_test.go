package zset

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

func BenchmarkAddSkiplist(b *testing.B) {
	z := New(true)
	lim := Limits{Entries: 128, Value: 64}
	members := make([][]byte, 1<<16)
	for i := range members {
		members[i] = []byte("member:" + strconv.Itoa(i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(members[i&(1<<16-1)], float64(i%1000), 0, lim)
	}
}

func BenchmarkAddListpack(b *testing.B) {
	lim := Limits{Entries: 128, Value: 64}
	members := make([][]byte, 128)
	for i := range members {
		members[i] = []byte("m" + strconv.Itoa(i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z := New(false)
		for j, m := range members {
			z.Add(m, float64(j%10), 0, lim)
		}
	}
}

// BenchmarkAddRandom is redis-benchmark's zadd test: a random score and a
// random one of 100,000 members per call, so once warm almost every call
// moves an existing member.
func BenchmarkAddRandom(b *testing.B) {
	z := New(true)
	lim := Limits{Entries: 128, Value: 64}
	const n = 100000
	members := make([][]byte, n)
	for i := range members {
		members[i] = []byte("element:" + strconv.Itoa(i))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2*n; i++ {
		z.Add(members[rng.IntN(n)], float64(rng.IntN(n)), 0, lim)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(members[rng.IntN(n)], float64(rng.IntN(n)), 0, lim)
	}
}
