//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import "github.com/modis/modis/internal/module"

func init() {
	module.AllocatedMemory = UsedMemory
	module.SharedAPINames = APINames
}

// UsedMemory is the memory C modules and the bridge hold through
// RedisModule_Alloc and friends (usable sizes), for INFO memory.
func UsedMemory() int64 { return int64(C.rmb_used_memory()) }
