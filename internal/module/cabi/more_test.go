//go:build cgo

package cabi

import (
	"fmt"
	"math"
	"math/rand"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/module"
)

// TestBridgeMoreDiffRedis compares the long-double, value-string,
// client-name and blocked-handle APIs of testdata/bridgemore.c with
// redis-server loading the same .so (RESP2 and RESP3).
func TestBridgeMoreDiffRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgemore"), "--loadmodule", modulePath(t, "bridgeconf")}, [][]string{
		{"mx.ld", "0.1"}, {"mx.ld", "1"}, {"mx.ld", "-0"}, {"mx.ld", "3.0000000000000000001"},
		{"mx.ld", "1e4000"}, {"mx.ld", "-1e-4000"}, {"mx.ld", "inf"}, {"mx.ld", "-inf"}, {"mx.ld", "nan"},
		{"mx.ld", "0x1p-16445"}, {"mx.ld", "1e5000"}, {"mx.ld", "1e-5000"}, {"mx.ld", " 1"}, {"mx.ld", "1x"},
		{"mx.ld", ""}, {"mx.ld", "123456789012345678901234567890"}, {"mx.ld", "0.3333333333333333333333"},
		{"mx.tset", "t", "10"}, {"mx.tget", "t"}, {"mx.tstr", "t"}, {"mx.tset", "t", "-7"}, {"mx.tstr", "t"},
		{"COPY", "t", "tc"}, {"mx.tget", "tc"}, {"COPY", "t", "tc"}, {"COPY", "t", "tc", "REPLACE"}, {"COPY", "t", "tc", "DB", "3"},
		{"SELECT", "3"}, {"mx.tget", "tc"}, {"SELECT", "0"},
		{"mx.tget", "nokey"}, {"mx.tstr", "nokey"}, {"SET", "s", "x"}, {"mx.tset", "s", "1"},
		{"mx.setname", "self", "alpha"}, {"CLIENT", "GETNAME"}, {"mx.setname", "self", "has space"},
		{"mx.setname", "999999", "x"}, {"CLIENT", "GETNAME"},
		// mx.counts is not compared: Redis 7.0 runs unlink when a
		// command overwrites a module value; the engine does not (yet).
		// Nor is the length of SaveDataTypeToString's string: the engine
		// writes RDB opcodes and no LZF compression (Redis: neither
		// opcodes, and compressed).
		{"mx.block"}, {"DBSIZE"}, {"mx.reset"}, {"DBSIZE"}, {"mx.keyto", "kt", "20"},
		{"CONFIG", "SET", "hz", "11", "maxmemory-policy", "allkeys-lru"}, {"mx.evlog"},
		{"CONFIG", "SET", "hz", "bad"}, {"mx.evlog"}, {"CONFIG", "SET", "lua-time-limit", "5000"}, {"mx.evlog"},
		{"CONFIG", "SET", "HZ", "12", "Maxmemory-Policy", "noeviction"}, {"mx.evlog"},
		{"CONFIG", "SET", "bridgeconf.num", "7"}, {"mx.evlog"}, {"CONFIG", "SET", "BRIDGECONF.STR", "w", "bridgeconf.num", "8"}, {"mx.evlog"},
		{"CONFIG", "SET", "bridgeconf.num", "1000"}, {"mx.evlog"},
		// CONFIG SET mixing server and module configs is not compared: the
		// server refuses it (Redis sets both; see docs/design/cabi.md).
	})
	// Random long doubles through StringToLongDouble, ReplyWithLongDouble
	// and CreateStringFromLongDouble (both formats).
	rng := rand.New(rand.NewSource(5))
	var lds [][]string
	for i := 0; i < 150; i++ {
		var v string
		switch i % 5 {
		case 0:
			v = strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.Intn(40)-20)), 'g', -1, 64)
		case 1:
			v = fmt.Sprintf("%d.%0*d", rng.Int63n(1e12)-5e11, rng.Intn(25)+1, rng.Int63n(1e18))
		case 2:
			v = fmt.Sprintf("%de%d", rng.Int63(), rng.Intn(9000)-4500)
		case 3:
			v = fmt.Sprintf("0x%xp%d", rng.Uint64(), rng.Intn(32000)-16000)
		default:
			v = strconv.FormatInt(rng.Int63()-rng.Int63(), 10)
		}
		lds = append(lds, []string{"mx.ld", v})
	}
	diffModule(t, []string{"--loadmodule", modulePath(t, "bridgemore")}, lds)
}

// TestBridgeDisconnectCallback: a client blocked with no timeout
// disconnects; the module's disconnect callback gets the same handle and
// unblocks it.
func TestBridgeDisconnectCallback(t *testing.T) {
	s := startServer(t, "--loadmodule", modulePath(t, "bridgemore"))
	c := s.dial(t)
	hc := s.dial(t)
	if err := hc.Send("mx.hang"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	hc.Close()
	want := "*2\r\n:1\r\n:1\r\n"
	for deadline := time.Now().Add(3 * time.Second); ; {
		raw, _, err := c.Do("mx.disconnects")
		if err != nil {
			t.Fatal(err)
		}
		if string(raw) == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mx.disconnects = %q, want %q", raw, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.do(t, c, "+handle-ok\r\n", "mx.block")
}

// TestBridgeTypeMethodsV4 drives the version 2-4 type methods (aux_save,
// aux_load, mem_usage2, free_effort2, unlink2, copy2) through the
// engine's hooks in an in-process server.
func TestBridgeTypeMethodsV4(t *testing.T) {
	so := modulePath(t, "bridgemore")
	s, c := inProcessServer(t)
	do := func(want string, args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil || string(raw) != want {
			t.Fatalf("%q: %q %v, want %q", args, raw, err, want)
		}
	}
	do("+OK\r\n", "MODULE", "LOAD", so)
	// The counters are the module's statics: another test in this process
	// may have loaded the same .so (it is never dlclosed: it has a type).
	counts := func() []int64 {
		t.Helper()
		raw, _, err := c.Do("mx.counts")
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, line := range strings.Split(string(raw), "\r\n") {
			if v, ok := strings.CutPrefix(line, ":"); ok {
				n, _ := strconv.ParseInt(v, 10, 64)
				out = append(out, n)
			}
		}
		return out
	}
	delta := func(before []int64) string {
		after := counts()
		var b strings.Builder
		for i := range after {
			fmt.Fprintf(&b, "%d ", after[i]-before[i])
		}
		return b.String()
	}
	c0 := counts()
	do("+OK\r\n", "mx.tset", "k", "9")
	eng := s.Modules()
	h := eng.Host()
	h.Lock()
	db := h.Keyspace().DBs[0]
	typ, v := module.ValueOf(db.Lookup([]byte("k")))
	if typ == nil {
		h.Unlock()
		t.Fatal("k holds no module value")
	}
	m := typ.Methods
	missing := m.AuxLoad == nil || m.AuxSave == nil || m.FreeEffort == nil || m.Unlink == nil || m.Copy == nil || m.MemUsage == nil
	var effort, mem uint64
	var cp any
	auxOK := -1
	if !missing {
		key := module.NewString([]byte("k"))
		effort = m.FreeEffort(key, v)
		m.Unlink(key, v)
		mem = m.MemUsage(v)
		cp = m.Copy(key, module.NewString([]byte("k2")), v)
		if cp != nil {
			db.Set([]byte("k2"), module.NewModuleObject(typ, cp), false)
		}
		io := eng.NewSaveIO(typ, nil, 0)
		m.AuxSave(io, module.AuxBeforeRDB)
		lio := eng.NewLoadIO(typ, io.Bytes(), nil, 0)
		auxOK = m.AuxLoad(lio, 0, module.AuxBeforeRDB)
	}
	h.Unlock()
	if missing {
		t.Fatalf("type methods not bridged: %+v", m)
	}
	if effort != 1 || mem != 32 || cp == nil || auxOK != module.OK || m.AuxSaveTriggers != module.AuxBeforeRDB {
		t.Errorf("effort %d mem %d copy %v aux %d triggers %d", effort, mem, cp, auxOK, m.AuxSaveTriggers)
	}
	do("*2\r\n:9\r\n$1\r\n3\r\n", "mx.tget", "k2")
	// free, unlink2, copy2, mem_usage2, free_effort2, aux_save, aux_load
	if d := delta(c0); d != "0 1 1 1 1 1 1 " {
		t.Errorf("method calls: %s", d)
	}
	c1 := counts()
	do(":2\r\n", "DEL", "k", "k2")
	// Only the free count: whether DEL also runs unlink is the engine's
	// business.
	if d := delta(c1); !strings.HasPrefix(d, "2 ") {
		t.Errorf("method calls after DEL: %s", d)
	}
}

// TestBridgeEventData fires the events the server does not raise yet
// (no RDB loading or replication) through the engine and checks the C
// structs the module reads.
func TestBridgeEventData(t *testing.T) {
	so := modulePath(t, "bridgemore")
	s, c := inProcessServer(t)
	if raw, _, err := c.Do("MODULE", "LOAD", so); err != nil || string(raw) != "+OK\r\n" {
		t.Fatalf("MODULE LOAD: %q %v", raw, err)
	}
	eng := s.Modules()
	h := eng.Host()
	h.Lock()
	eng.FireServerEvent(module.EventLoadingProgress, 0, &module.LoadingProgressInfo{HZ: 10, Progress: 512}, nil, 0)
	eng.FireServerEvent(module.EventReplicationRoleChanged, 1, &module.ReplicationInfo{MasterHost: "10.0.0.1", MasterPort: 6380,
		ReplID1: "aaaa", ReplID2: "bbbb", Repl1Offset: 7, Repl2Offset: 9}, nil, 0)
	eng.FireServerEvent(module.EventLoading, 2, nil, nil, 0)
	h.Unlock()
	raw, _, err := c.Do("mx.evlog")
	// The first element (Config) may hold another in-process test's
	// CONFIG SET: the .so's statics outlive a server.
	want := bulk("v1 sub0 hz10 p512") + bulk("v1 sub1 m0 10.0.0.1:6380 aaaa bbbb 7 9") + bulk("sub2 null")
	if err != nil || !strings.HasPrefix(string(raw), "*4\r\n") || !strings.HasSuffix(string(raw), want) {
		t.Fatalf("mx.evlog: %q %v\nwant %q", raw, err, want)
	}
}

// TestBridgeMemoryAndAPICount: memory a C module holds through
// RedisModule_Alloc shows in INFO memory (used_memory and the dataset),
// and DEBUG MODULE-API reports the implemented API counts.
func TestBridgeMemoryAndAPICount(t *testing.T) {
	so := modulePath(t, "bridgemore")
	_, c := inProcessServer(t)
	do := func(args ...string) string {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		return string(raw)
	}
	field := func(info, name string) int64 {
		t.Helper()
		for _, line := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
		}
		t.Fatalf("no %s in INFO", name)
		return 0
	}
	do("MODULE", "LOAD", so)
	// Warm up: the module's first commands allocate its pooled command
	// context (scratch argv, reply buffer), which it keeps while loaded.
	do("mx.hold", "100000")
	do("mx.release")
	before := do("INFO", "memory")
	c0 := UsedMemory()
	do("mx.hold", "100000")
	do("mx.hold", "50000")
	after := do("INFO", "memory")
	grew := UsedMemory() - c0
	if grew < 150000 {
		t.Fatalf("UsedMemory grew by %d after holding 150000 bytes", grew)
	}
	for _, f := range []string{"used_memory", "used_memory_dataset"} {
		if d := field(after, f) - field(before, f); d != grew {
			t.Errorf("%s grew by %d, C allocations by %d", f, d, grew)
		}
	}
	if d := field(after, "used_memory_overhead") - field(before, "used_memory_overhead"); d != 0 {
		t.Errorf("used_memory_overhead changed by %d", d)
	}
	do("mx.release")
	if got := field(do("INFO", "memory"), "used_memory"); got != field(before, "used_memory") {
		t.Errorf("used_memory after release %d, before %d", got, field(before, "used_memory"))
	}

	want := fmt.Sprintf("*4\r\n$6\r\nengine\r\n:%d\r\n$1\r\nc\r\n:%d\r\n", len(module.APINames()), len(APINames()))
	if got := do("DEBUG", "MODULE-API"); got != want {
		t.Errorf("DEBUG MODULE-API = %q, want %q", got, want)
	}
	if got := do("DEBUG", "MODULE-API", "Alloc"); got != "*4\r\n$6\r\nengine\r\n:0\r\n$1\r\nc\r\n:1\r\n" {
		t.Errorf("DEBUG MODULE-API Alloc = %q", got)
	}
	if got := do("DEBUG", "MODULE-API", "RedisModule_OpenKey"); got != "*4\r\n$6\r\nengine\r\n:1\r\n$1\r\nc\r\n:1\r\n" {
		t.Errorf("DEBUG MODULE-API RedisModule_OpenKey = %q", got)
	}
	if got := do("DEBUG", "MODULE-API", "a", "b"); !strings.HasPrefix(got, "-ERR") {
		t.Errorf("DEBUG MODULE-API a b = %q", got)
	}
}
