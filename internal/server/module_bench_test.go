package server

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/module/cabi"

	_ "github.com/modis/modis/bench/modbench"
)

// The module commands of bench/modbench (Go) and bench/cmodbench (C) reply
// exactly as GET; these benchmarks and tests run them through the same
// dispatch path a connection uses (processCommand), so they measure what
// the module API adds to a command.

var (
	cmodOnce sync.Once
	cmodPath string
	cmodErr  error
)

// cmodbenchSO compiles bench/cmodbench/cmodbench.c once per test binary;
// "" when there is no C compiler or no C bridge (cgo off).
func cmodbenchSO(tb testing.TB) string {
	tb.Helper()
	if _, err := module.SharedLoader("/nonexistent.so"); errors.Is(err, cabi.ErrCgoDisabled) {
		return "" // built without cgo: no C modules
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		return ""
	}
	cmodOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cmodbench-")
		if err != nil {
			cmodErr = err
			return
		}
		cmodPath = filepath.Join(dir, "cmodbench.so")
		out, err := exec.Command(cc, "-O2", "-fPIC", "-shared", "-I../../include", "-o", cmodPath,
			"../../bench/cmodbench/cmodbench.c").CombinedOutput()
		if err != nil {
			cmodErr = err
			tb.Logf("%s", out)
		}
	})
	if cmodErr != nil {
		tb.Fatal(cmodErr)
	}
	return cmodPath
}

// moduleBenchServer is a server with modbench (and cmodbench when it can
// be built) loaded, a string key "k", a list "l" and a client to dispatch
// on; cmds lists the command names available.
func moduleBenchServer(tb testing.TB) (*Server, *Client, []string) {
	tb.Helper()
	cfg := config.Default()
	cfg.LogLevel = "warning"
	s := New(cfg)
	c := memClient(s)
	c.conn = fakeConn{} // the slow log prints the peer of a slow command
	names := []string{"GET", "MODBENCH.DMAGET", "MODBENCH.CALLGET"}
	s.mu.Lock()
	err := s.modules.Load("modbench", nil, nil)
	if err == nil {
		if so := cmodbenchSO(tb); so != "" {
			err = s.modules.Load(so, nil, nil)
			names = append(names, "CMODBENCH.DMAGET", "CMODBENCH.CALLGET")
		}
	}
	s.mu.Unlock()
	if err != nil {
		tb.Fatal(err)
	}
	dispatch(c, "SET", "k", "hello world")()
	dispatch(c, "RPUSH", "l", "a")()
	return s, c, names
}

// BenchmarkModuleGet compares GET with the module commands doing the same.
func BenchmarkModuleGet(b *testing.B) {
	_, c, names := moduleBenchServer(b)
	for _, name := range names {
		fn := dispatch(c, name, "k")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				fn()
			}
		})
	}
}

// Every module command replies exactly as GET, for a hit, a miss and the
// wrong type, in RESP2 and RESP3 (the CALLGET commands call GET in RESP2
// and pass its reply on verbatim, as in Redis: a RESP3 client gets $-1 for
// a miss).
func TestModuleBenchReplies(t *testing.T) {
	_, c, names := moduleBenchServer(t)
	for _, proto := range []int{2, 3} {
		for _, key := range []string{"k", "nokey", "l"} {
			c.resp = 2
			dispatch(c, "GET", key)()
			want2 := string(c.out)
			c.resp = proto
			dispatch(c, "GET", key)()
			want := string(c.out)
			for _, name := range names[1:] {
				dispatch(c, name, key)()
				w := want
				if strings.HasSuffix(name, ".CALLGET") {
					w = want2
				}
				if got := string(c.out); got != w {
					t.Errorf("RESP%d %s %s = %q, want %q", proto, name, key, got, w)
				}
			}
		}
	}
	c.resp = 2
}

// moduleAllocLimits are the allocations per call the module command path
// may make (a regression guard: raise only with a reason). The Go API's
// copy of the arguments, which the handler may keep, is carved from
// per-context slabs (module/command.go copyArgs): a fraction of an
// allocation per call.
var moduleAllocLimits = map[string]float64{
	"GET":               0,
	"MODBENCH.DMAGET":   0.05,
	"MODBENCH.CALLGET":  0.05,
	"CMODBENCH.DMAGET":  0,
	"CMODBENCH.CALLGET": 0,
}

func TestModuleCommandAllocs(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip()
	}
	_, c, names := moduleBenchServer(t)
	for _, name := range names {
		for _, key := range []string{"k", "nokey"} {
			fn := dispatch(c, name, key)
			fn()
			n := testing.AllocsPerRun(200, fn)
			t.Logf("%s %s: %v allocations", name, key, n)
			if n > moduleAllocLimits[name] {
				t.Errorf("%s %s: %v allocations per command, want <= %v", name, key, n, moduleAllocLimits[name])
			}
		}
	}
}
