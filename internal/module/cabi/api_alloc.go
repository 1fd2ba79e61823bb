//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

// UsedMemory is the memory C modules and the bridge hold through
// RedisModule_Alloc and friends (usable sizes), for INFO memory.
func UsedMemory() int64 { return int64(C.rmb_used_memory()) }
