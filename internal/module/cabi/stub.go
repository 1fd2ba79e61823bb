//go:build !cgo

package cabi

import "github.com/modis/modis/internal/module"

// Without cgo no .so can be loaded: the loader reports why.
func init() {
	module.SharedLoader = func(path string) (module.Loader, error) { return nil, ErrCgoDisabled }
}

// UsedMemory is the memory C modules hold through RedisModule_Alloc: none.
func UsedMemory() int64 { return 0 }
