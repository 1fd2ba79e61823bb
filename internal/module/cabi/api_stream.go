//go:build cgo

package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"unsafe"

	"github.com/modis/modis/internal/module"
)

// The Go half of the stream key API (api_stream.c): each export returns
// REDISMODULE_OK/ERR (or a count) and the errno through errp.

//export goRM_StreamAdd
func goRM_StreamAdd(h C.uintptr_t, flags, hasID C.int, ms, seq *C.uint64_t, buf *C.char, lens *C.size_t, n C.int, errp *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret, *errp = module.ERR, C.int(module.EINVAL)
		}
	}()
	ls := unsafe.Slice(lens, int(n))
	all := cBytes(buf, func() C.size_t {
		var t C.size_t
		for _, l := range ls {
			t += l
		}
		return t
	}())
	fv := make([]*module.String, n)
	off := 0
	for i, l := range ls {
		fv[i] = module.NewString(all[off : off+int(l)])
		off += int(l)
	}
	var idp *module.StreamID
	if hasID != 0 {
		idp = &module.StreamID{Ms: uint64(*ms), Seq: uint64(*seq)}
	}
	rc, errno := module.StreamAdd(keyOf(h).key, int(flags), idp, fv)
	if rc != module.OK {
		*errp = C.int(errno)
		return C.int(rc)
	}
	if idp != nil {
		*ms, *seq = C.uint64_t(idp.Ms), C.uint64_t(idp.Seq)
	}
	return module.OK
}

// goRM_StreamOp runs the stream calls that take IDs and integers: 0
// Delete(a), 1 IteratorStart(flags, a, b), 2 IteratorStop, 3
// IteratorDelete, 4 TrimByLength(flags, n), 5 TrimByID(flags, a).
//
//export goRM_StreamOp
func goRM_StreamOp(h C.uintptr_t, op, flags, hasA C.int, ams, aseq C.uint64_t, hasB C.int, bms, bseq C.uint64_t, n C.longlong, errp *C.int) (ret C.longlong) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret, *errp = -1, C.int(module.EINVAL)
		}
	}()
	k := keyOf(h).key
	var a, b *module.StreamID
	if hasA != 0 {
		a = &module.StreamID{Ms: uint64(ams), Seq: uint64(aseq)}
	}
	if hasB != 0 {
		b = &module.StreamID{Ms: uint64(bms), Seq: uint64(bseq)}
	}
	var rc int
	var errno module.Errno
	switch op {
	case 0:
		rc, errno = module.StreamDelete(k, a)
	case 1:
		rc, errno = module.StreamIteratorStart(k, int(flags), a, b)
	case 2:
		rc, errno = module.StreamIteratorStop(k)
	case 3:
		rc, errno = module.StreamIteratorDelete(k)
	case 4, 5:
		var cnt int64
		if op == 4 {
			cnt, errno = module.StreamTrimByLength(k, int(flags), int64(n))
		} else {
			cnt, errno = module.StreamTrimByID(k, int(flags), a)
		}
		*errp = C.int(errno)
		return C.longlong(cnt)
	default:
		rc, errno = module.ERR, module.EINVAL
	}
	*errp = C.int(errno)
	return C.longlong(rc)
}

//export goRM_StreamNextID
func goRM_StreamNextID(h C.uintptr_t, ms, seq *C.uint64_t, nf *C.longlong, errp *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret, *errp = module.ERR, C.int(module.EINVAL)
		}
	}()
	id, n, rc, errno := module.StreamIteratorNextID(keyOf(h).key)
	if rc != module.OK {
		*errp = C.int(errno)
		return C.int(rc)
	}
	*ms, *seq, *nf = C.uint64_t(id.Ms), C.uint64_t(id.Seq), C.longlong(n)
	return module.OK
}

// goRM_StreamNextField returns the field and value as new C strings (one
// reference each, owned by the caller).
//
//export goRM_StreamNextField
func goRM_StreamNextField(h C.uintptr_t, fp, vp **C.RedisModuleString, errp *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret, *errp = module.ERR, C.int(module.EINVAL)
		}
	}()
	k := keyOf(h).key
	f, v, rc, errno := module.StreamIteratorNextField(k)
	if rc != module.OK {
		*errp = C.int(errno)
		return C.int(rc)
	}
	*fp = newCString(nil, f.Bytes())
	*vp = newCString(nil, v.Bytes())
	return module.OK
}

//export goRM_StringToStreamID
func goRM_StringToStreamID(p *C.char, n C.size_t, ms, seq *C.uint64_t) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	id, rc := module.StringToStreamID(module.NewString(cBytes(p, n)))
	if rc != module.OK {
		return C.int(rc)
	}
	*ms, *seq = C.uint64_t(id.Ms), C.uint64_t(id.Seq)
	return module.OK
}
