package server

import (
	"testing"

	"github.com/modis/modis/internal/config"
)

// BenchmarkLRange100 is redis-benchmark's lrange_100 test in process: the
// first 100 of 600 three-byte elements.
func BenchmarkLRange100(b *testing.B) {
	cfg := config.Default()
	cfg.SlowlogLogSlowerThan = -1 // a memClient has no connection to log
	s := New(cfg)
	c := memClient(s)
	push := dispatch(c, "LPUSH", "mylist", "xxx")
	for i := 0; i < 600; i++ {
		push()
	}
	fn := dispatch(c, "LRANGE", "mylist", "0", "99")
	fn()
	if len(c.out) != 6+100*9 {
		b.Fatalf("reply %d bytes", len(c.out))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fn()
	}
}
