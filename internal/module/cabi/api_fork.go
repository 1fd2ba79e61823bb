//go:build cgo

package cabi

/*
#include <stdlib.h>
#include "bridge.h"
int rm_Fork(RedisModuleForkDoneHandler cb, void *user_data);
void rm_SendChildHeartbeat(double progress);
int rm_ExitFromChild(int retcode);
int rm_KillForkChild(int child_pid);
void rmb_fork_name_ctx(uintptr_t h, const char *name);
void rmb_call_fork_done(void *fn, int exitcode, int bysignal, void *ud);
*/
import "C"

import (
	"encoding/binary"
	"io"
	"os"
	"syscall"
	"time"
	"unsafe"

	"github.com/modis/modis/internal/module"
)

func init() {
	bridgeAPI = append(bridgeAPI, []struct {
		name string
		fn   unsafe.Pointer
	}{
		{"RedisModule_Fork", C.rm_Fork},
		{"RedisModule_SendChildHeartbeat", C.rm_SendChildHeartbeat},
		{"RedisModule_ExitFromChild", C.rm_ExitFromChild},
		{"RedisModule_KillForkChild", C.rm_KillForkChild},
	}...)
	// Forking is the bridge's own: a Go module cannot run in a forked
	// child, so the engine offers only the parent's bookkeeping.
	for _, n := range []string{"RedisModule_Fork", "RedisModule_SendChildHeartbeat", "RedisModule_ExitFromChild", "RedisModule_KillForkChild"} {
		bridgeNative[n] = true
	}
}

// goRM_ForkSetup runs in the parent before fork(): 0 or the errno Fork
// fails with (EEXIST: a child is active), and what the child needs: the
// log descriptor and level, the descriptors to close, and the module name
// of every live context (the child's Log cannot ask Go).
//
//export goRM_ForkSetup
func goRM_ForkSetup(logFD, logLevel *C.int, closeFDs *C.int, maxClose C.int, nclose *C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = C.int(syscall.EINVAL)
		}
	}()
	e := anyEngine()
	if e == nil {
		return C.int(syscall.EINVAL)
	}
	if errno := e.ForkErrno(); errno != 0 {
		return C.int(errno)
	}
	fd, level, fds := e.ForkChildSetup()
	*logFD, *logLevel = C.int(fd), C.int(level)
	out := unsafe.Slice(closeFDs, int(maxClose))
	n := copy(out, func() []C.int {
		cs := make([]C.int, len(fds))
		for i, f := range fds {
			cs[i] = C.int(f)
		}
		return cs
	}())
	*nclose = C.int(n)
	ctxs.each(func(h uintptr, st *ctxState) {
		if st.ctx == nil || st.ctx.Module() == nil {
			return
		}
		name := C.CString(st.ctx.Module().Name)
		C.rmb_fork_name_ctx(C.uintptr_t(h), name)
		C.free(unsafe.Pointer(name))
	})
	return 0
}

//export goRM_ForkFailed
func goRM_ForkFailed(code C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	if e := anyEngine(); e != nil {
		e.ForkFailed(syscall.Errno(code))
	}
}

// goRM_ForkStarted records the child in the engine and starts reading its
// info pipe (readFD, -1 when there is none).
//
//export goRM_ForkStarted
func goRM_ForkStarted(pid C.int, took C.longlong, cb unsafe.Pointer, ud unsafe.Pointer, readFD C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
		}
	}()
	e := anyEngine()
	if e == nil {
		return
	}
	var done module.ForkDoneFunc
	if cb != nil {
		done = func(exitcode, bysignal int) { C.rmb_call_fork_done(cb, C.int(exitcode), C.int(bysignal), ud) }
	}
	e.ForkStarted(int(pid), int64(took), done)
	if readFD >= 0 {
		go readChildInfo(e, int(pid), os.NewFile(uintptr(readFD), "module-fork-info"))
	}
}

// childInfoSize is sizeof(rmbChildInfo) in api_fork.c: final (int32),
// padding (int32), progress (double), cow (int64).
const childInfoSize = 24

// readChildInfo passes the child's reports to the engine until the child
// closes the pipe (it exited).
func readChildInfo(e *module.Engine, pid int, f *os.File) {
	defer f.Close()
	var rec [childInfoSize]byte
	for {
		if _, err := io.ReadFull(f, rec[:]); err != nil {
			return
		}
		final := binary.NativeEndian.Uint32(rec[0:]) != 0
		progress := *(*float64)(unsafe.Pointer(&rec[8]))
		cow := int64(binary.NativeEndian.Uint64(rec[16:]))
		e.ChildReport(pid, final, progress, cow, time.Now().UnixMilli())
	}
}

//export goRM_KillForkChild
func goRM_KillForkChild(pid C.int) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(r)
			ret = module.ERR
		}
	}()
	e := anyEngine()
	if e == nil {
		return module.ERR
	}
	return C.int(e.KillForkChild(int(pid)))
}
