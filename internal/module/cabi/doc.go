// Package cabi is the C ABI bridge of the module engine: it loads
// unmodified Redis modules (.so files built against redismodule.h) with
// dlopen and serves their RedisModule_GetApi lookups with C functions that
// call the engine in internal/module. It is the only package that uses cgo;
// built with CGO_ENABLED=0 it compiles to a stub whose loader returns
// ErrCgoDisabled.
//
// Memory rules: everything a module can hold (RedisModuleCtx,
// RedisModuleString, RedisModuleKey, RedisModuleCallReply,
// RedisModuleCommand) is C memory; Go objects are reached from C only
// through runtime/cgo handles stored in those structs, never through a Go
// pointer. Handles are deleted when the C object is freed.
//
// Importing the package (blank import) installs module.SharedLoader.
package cabi

import "errors"

// ErrCgoDisabled is returned by the loader of a build without cgo.
var ErrCgoDisabled = errors.New("C modules are not supported by this build (built without cgo)")
