package geo

import "testing"

func BenchmarkDistance(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += Distance(13.361389, 38.115556, 15.087269+float64(i&7)*1e-3, 37.502669)
	}
	_ = s
}
