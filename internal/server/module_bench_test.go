package server

import (
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/module"

	_ "github.com/modis/modis/bench/modbench"
)

// BenchmarkModuleGet compares GET with the module commands doing the same
// (bench/modbench), run in-process through the command path RM_Call uses.
func BenchmarkModuleGet(b *testing.B) {
	s := New(config.Default())
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.modules.Load("modbench", nil, nil); err != nil {
		b.Fatal(err)
	}
	h := &moduleHost{s: s}
	h.Call(0, [][]byte{[]byte("SET"), []byte("k"), []byte("hello world")}, 2, module.CallFlags{})
	for _, name := range []string{"GET", "MODBENCH.DMAGET", "MODBENCH.CALLGET"} {
		argv := [][]byte{[]byte(name), []byte("k")}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				h.Call(0, argv, 2, module.CallFlags{})
			}
		})
	}
}
