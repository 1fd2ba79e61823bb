//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import "github.com/modis/modis/internal/module"

// The sorted set key family (RedisModule_Zset*): the C wrappers are in
// api_zset.c, the semantics in the engine (internal/module/key_zset.go).

//export goRM_ZsetAdd
func goRM_ZsetAdd(h C.uintptr_t, score C.double, p *C.char, n C.size_t, flags *C.int, incr C.int, newScore *C.double) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(h).key
	ele := module.NewString(cBytes(p, n))
	var f *int
	var fv int
	if flags != nil {
		fv = int(*flags)
		f = &fv
	}
	if incr == 0 {
		ret = C.int(module.ZsetAdd(k, float64(score), ele, f))
	} else {
		var ns float64
		if newScore != nil {
			ns = float64(*newScore)
		}
		ret = C.int(module.ZsetIncrby(k, float64(score), ele, f, &ns))
		if newScore != nil {
			*newScore = C.double(ns)
		}
	}
	if flags != nil {
		*flags = C.int(fv)
	}
	return ret
}

//export goRM_ZsetRem
func goRM_ZsetRem(h C.uintptr_t, p *C.char, n C.size_t, deleted *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	var d int
	ret = C.int(module.ZsetRem(keyOf(h).key, module.NewString(cBytes(p, n)), &d))
	if deleted != nil && ret == module.OK {
		*deleted = C.int(d)
	}
	return ret
}

//export goRM_ZsetScore
func goRM_ZsetScore(h C.uintptr_t, p *C.char, n C.size_t, score *C.double) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	var s float64
	ret = C.int(module.ZsetScore(keyOf(h).key, module.NewString(cBytes(p, n)), &s))
	if score != nil && ret == module.OK {
		*score = C.double(s)
	}
	return ret
}

// goRM_ZsetOp runs the iterator calls without arguments: 0 RangeStop,
// 1 RangeNext, 2 RangePrev, 3 RangeEndReached.
//
//export goRM_ZsetOp
func goRM_ZsetOp(h C.uintptr_t, op C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = 0
		}
	}()
	k := keyOf(h).key
	b := false
	switch op {
	case 0:
		module.ZsetRangeStop(k)
	case 1:
		b = module.ZsetRangeNext(k)
	case 2:
		b = module.ZsetRangePrev(k)
	case 3:
		b = module.ZsetRangeEndReached(k)
	}
	if b {
		return 1
	}
	return 0
}

//export goRM_ZsetScoreRange
func goRM_ZsetScoreRange(h C.uintptr_t, min, max C.double, minex, maxex, first C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(h).key
	if first != 0 {
		return C.int(module.ZsetFirstInScoreRange(k, float64(min), float64(max), minex != 0, maxex != 0))
	}
	return C.int(module.ZsetLastInScoreRange(k, float64(min), float64(max), minex != 0, maxex != 0))
}

//export goRM_ZsetLexRange
func goRM_ZsetLexRange(h C.uintptr_t, minp *C.char, minn C.size_t, maxp *C.char, maxn C.size_t, first C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	k := keyOf(h).key
	min, max := module.NewString(cBytes(minp, minn)), module.NewString(cBytes(maxp, maxn))
	if first != 0 {
		return C.int(module.ZsetFirstInLexRange(k, min, max))
	}
	return C.int(module.ZsetLastInLexRange(k, min, max))
}

// goRM_ZsetCurrent returns the current element as a new C string (auto
// memory of ctx), or NULL.
//
//export goRM_ZsetCurrent
func goRM_ZsetCurrent(h C.uintptr_t, ctx *C.RedisModuleCtx, score *C.double) (ret *C.RedisModuleString) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = nil
		}
	}()
	var s float64
	el := module.ZsetRangeCurrentElement(keyOf(h).key, &s)
	if el == nil {
		return nil
	}
	if score != nil {
		*score = C.double(s)
	}
	return newCString(ctx, el.Bytes())
}
