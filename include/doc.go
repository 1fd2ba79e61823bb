// Package include holds redismodule.h, the C header Redis modules are built
// against. The header is Modis's own text but binary compatible with the one
// Redis 7.0 ships: same constants, struct layouts, API pointer names and C
// signatures, and the same RedisModule_Init that every module compiles in.
//
// The package has no Go code; its tests compile the header with the system C
// compiler, check every layout fact and API name, and build and load a small
// module (testdata/hello) against it.
package include
