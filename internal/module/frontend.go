package module

// Hooks a module front-end fills in when it is linked (the C bridge's
// init); the server reads them for INFO and DEBUG output.
var (
	// AllocatedMemory reports the memory modules hold outside the Go heap
	// through RedisModule_Alloc and friends (Redis counts its zmalloc'd
	// module memory in used_memory).
	AllocatedMemory func() int64
	// SharedAPINames lists the API names RedisModule_GetApi serves to
	// modules loaded from shared objects.
	SharedAPINames func() []string
)
