package zset

import (
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
