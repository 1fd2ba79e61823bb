package server

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/persist/aof"
)

// aofServer starts an in-process Modis with appendonly yes in dir.
func aofServer(t *testing.T, dir string, mutate func(*config.Config)) *Server {
	t.Helper()
	return startPersistServer(t, dir, func(c *config.Config) {
		c.AppendOnly = true
		if mutate != nil {
			mutate(c)
		}
	})
}

// waitRewrite waits for the AOF rewrite to end.
func waitRewrite(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for pinfo(t, addr, "persistence", "aof_rewrite_in_progress") != "0" ||
		pinfo(t, addr, "persistence", "aof_rewrite_scheduled") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("AOF rewrite does not end")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readManifest(t testing.TB, dir string) *aof.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := aof.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAOFRestart: writes survive a restart through the base and incr
// files, with Redis's file layout and log lines, in both base formats.
func TestAOFRestart(t *testing.T) {
	for _, preamble := range []bool{true, false} {
		t.Run(fmt.Sprintf("preamble=%v", preamble), func(t *testing.T) {
			dir := t.TempDir()
			mut := func(c *config.Config) { c.AOFUseRDBPreamble = preamble }
			s := aofServer(t, dir, mut)
			addr := s.Addr().String()
			persistFill(t, addr)
			mustOK(t, pdo(t, addr, "BGREWRITEAOF"), "bgrewriteaof")
			waitRewrite(t, addr)
			// More writes after the rewrite land in the new incr file.
			mustOK(t, pdo(t, addr, "SET", "after", "rewrite"), "set")
			mustOK(t, pdo(t, addr, "SELECT", "5"), "select")
			want := digestOf(t, addr)
			s.Close()
			m := readManifest(t, dir)
			ext := ".aof"
			if preamble {
				ext = ".rdb"
			}
			if m.Base == nil || m.Base.Name != "appendonly.aof.2.base"+ext || len(m.Incrs) != 1 ||
				m.Incrs[0].Name != "appendonly.aof.2.incr.aof" || len(m.History) != 0 {
				t.Fatalf("manifest:\n%s", m)
			}
			time.Sleep(50 * time.Millisecond) // history files are removed in the background
			ents, _ := os.ReadDir(filepath.Join(dir, "appendonlydir"))
			if len(ents) != 3 {
				t.Fatalf("files: %v", ents)
			}
			s2 := aofServer(t, dir, mut)
			if got := digestOf(t, s2.Addr().String()); got != want {
				t.Fatalf("digest after restart %s, want %s", got, want)
			}
			log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
			_ = log
		})
	}
}

// TestAOFRewriteUnderWrites: a rewrite made while clients write (slowed
// by rdb-key-save-delay) loses and doubles nothing: after a restart the
// dataset is the one the server had.
func TestAOFRewriteUnderWrites(t *testing.T) {
	for _, preamble := range []bool{true, false} {
		t.Run(fmt.Sprintf("preamble=%v", preamble), func(t *testing.T) {
			dir := t.TempDir()
			mut := func(c *config.Config) { c.AOFUseRDBPreamble = preamble }
			s := aofServer(t, dir, mut)
			addr := s.Addr().String()
			persistFill(t, addr)
			mustOK(t, pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "1000"), "config")
			mustOK(t, pdo(t, addr, "BGREWRITEAOF"), "bgrewriteaof")
			if pinfo(t, addr, "persistence", "aof_rewrite_in_progress") != "1" {
				t.Fatal("rewrite not in progress")
			}
			if v := pdo(t, addr, "BGREWRITEAOF"); string(v.Str) != "ERR Background append only file rewriting already in progress" {
				t.Fatalf("second BGREWRITEAOF: %q", v.Str)
			}
			var wg sync.WaitGroup
			var stop atomic.Bool
			for w := 0; w < 3; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					c, err := difftest.Dial(addr)
					if err != nil {
						t.Error(err)
						return
					}
					defer c.Close()
					for i := 0; !stop.Load(); i++ {
						k := strconv.Itoa((i*7 + w) % 400)
						var cmd []string
						switch i % 10 {
						case 6:
							cmd = []string{"MOVE", "pop:" + k, "1"}
						case 7:
							cmd = []string{"RENAME", "s:raw", "s:raw"}
							if w == 1 {
								cmd = []string{"PEXPIRE", "pop:" + k, "100000"}
							}
						case 8:
							cmd = []string{"SREM", "set:big", "m" + k}
						case 9:
							cmd = []string{"PING"}
							if i%50 == 9 && w == 0 {
								cmd = []string{"SWAPDB", "0", "1"}
							}
						case 0:
							cmd = []string{"SET", "pop:" + k, "w" + strconv.Itoa(i)}
						case 1:
							cmd = []string{"DEL", "pop:" + k}
						case 2:
							cmd = []string{"RPUSH", "l:big", "n" + k}
						case 3:
							cmd = []string{"HSET", "h:big", "f" + k, "x"}
						case 4:
							cmd = []string{"ZINCRBY", "z:big", "1", "m" + k}
						case 5:
							cmd = []string{"INCR", "ctr:" + strconv.Itoa(w)}
						}
						// Errors are fine (SWAPDB moves keys away).
						if _, _, err := c.Do(cmd...); err != nil {
							t.Errorf("%v: %v", cmd, err)
							return
						}
					}
				}(w)
			}
			// The writers touch most keys before the walk reaches them
			// (copy-on-write), which lets the walk skip them.
			time.Sleep(50 * time.Millisecond)
			if pinfo(t, addr, "persistence", "aof_rewrite_in_progress") != "1" {
				t.Error("the rewrite ended before the writers")
			}
			time.Sleep(250 * time.Millisecond)
			stop.Store(true)
			wg.Wait()
			mustOK(t, pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "0"), "config")
			waitRewrite(t, addr)
			if st := pinfo(t, addr, "persistence", "aof_last_bgrewrite_status"); st != "ok" {
				t.Fatalf("rewrite status %s", st)
			}
			want := digestOf(t, addr)
			s.Close()
			s2 := aofServer(t, dir, mut)
			if got := digestOf(t, s2.Addr().String()); got != want {
				t.Fatalf("digest after restart %s, want %s", got, want)
			}
		})
	}
}

// TestAOFConfigSet: CONFIG SET appendonly yes at run time writes the first
// base through a rewrite; writes meanwhile go to the temp incr file and
// end up in incr 1; appendonly no stops appending.
func TestAOFConfigSet(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, nil)
	addr := s.Addr().String()
	persistFill(t, addr)
	if v := pinfo(t, addr, "persistence", "aof_enabled"); v != "0" {
		t.Fatalf("aof_enabled %s", v)
	}
	mustOK(t, pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "100"), "config")
	mustOK(t, pdo(t, addr, "CONFIG", "SET", "appendonly", "yes"), "appendonly yes")
	if v := pinfo(t, addr, "persistence", "aof_rewrite_in_progress"); v != "1" {
		t.Fatalf("aof_rewrite_in_progress %s", v)
	}
	if _, err := os.Stat(filepath.Join(dir, "appendonlydir", "temp-appendonly.aof.incr")); err != nil {
		t.Fatalf("temp incr: %v", err)
	}
	mustOK(t, pdo(t, addr, "SET", "during", "rewrite"), "set")
	mustOK(t, pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "0"), "config")
	waitRewrite(t, addr)
	mustOK(t, pdo(t, addr, "SET", "after", "rewrite"), "set")
	want := digestOf(t, addr)
	m := readManifest(t, dir)
	if m.String() != "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
		t.Fatalf("manifest:\n%s", m)
	}
	for _, f := range []string{"aof_enabled:1", "aof_rewrites:1", "aof_last_bgrewrite_status:ok", "aof_pending_rewrite:0", "aof_buffer_length:0"} {
		if !strings.Contains(string(pdo(t, addr, "INFO", "persistence").Str), f+"\r\n") {
			t.Errorf("INFO lacks %s", f)
		}
	}
	s.Close()
	s2 := aofServer(t, dir, nil)
	addr2 := s2.Addr().String()
	if got := digestOf(t, addr2); got != want {
		t.Fatalf("digest %s, want %s", got, want)
	}
	mustOK(t, pdo(t, addr2, "CONFIG", "SET", "appendonly", "no"), "appendonly no")
	if v := pinfo(t, addr2, "persistence", "aof_enabled"); v != "0" {
		t.Fatalf("aof_enabled %s", v)
	}
	if strings.Contains(string(pdo(t, addr2, "INFO", "persistence").Str), "aof_current_size") {
		t.Fatal("aof_current_size shown with AOF off")
	}
	st1, _ := os.Stat(filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"))
	mustOK(t, pdo(t, addr2, "SET", "not", "logged"), "set")
	st2, _ := os.Stat(filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"))
	if st1.Size() != st2.Size() {
		t.Fatal("AOF written while off")
	}
}

// TestAOFTruncated: a command cut short at the end of the last file is
// removed with aof-load-truncated yes (Redis's log lines) and refused
// with no; a MULTI without EXEC is reverted.
func TestAOFTruncated(t *testing.T) {
	dir := t.TempDir()
	s := aofServer(t, dir, nil)
	addr := s.Addr().String()
	mustOK(t, pdo(t, addr, "SET", "a", "1"), "set")
	mustOK(t, pdo(t, addr, "SET", "b", "2"), "set")
	s.Close()
	incr := filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	good, _ := os.ReadFile(incr)
	// A partial SET c 3.
	os.WriteFile(incr, append(append([]byte(nil), good...), "*3\r\n$3\r\nSET\r\n$1\r\nc"...), 0o644)
	cfg := func(trunc bool) *config.Config {
		c := config.Default()
		c.Dir, c.AppendOnly, c.AOFLoadTruncated = dir, true, trunc
		c.LogFile = filepath.Join(dir, "modis.log")
		return c
	}
	os.Remove(filepath.Join(dir, "modis.log"))
	if err := New(cfg(false)).LoadDataFromDisk(); err == nil {
		t.Fatal("truncated file loaded with aof-load-truncated no")
	}
	log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
	if !strings.Contains(string(log), "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup") {
		t.Fatalf("log:\n%s", log)
	}
	s2 := aofServer(t, dir, nil)
	if v := pdo(t, s2.Addr().String(), "MGET", "a", "b", "c"); len(v.Elems) != 3 || string(v.Elems[1].Str) != "2" || !v.Elems[2].Null {
		t.Fatalf("MGET: %+v", v)
	}
	log, _ = os.ReadFile(filepath.Join(dir, "modis.log"))
	for _, l := range []string{
		"!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!",
		fmt.Sprintf("!!! Truncating the AOF appendonly.aof.1.incr.aof at offset %d !!!", len(good)),
		"AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled",
	} {
		if !strings.Contains(string(log), l) {
			t.Errorf("log lacks %q", l)
		}
	}
	s2.Close()
	now, _ := os.ReadFile(incr)
	if !bytes.Equal(now, good) {
		t.Fatalf("file not truncated back: %d bytes, want %d", len(now), len(good))
	}
	// MULTI ... without EXEC at the end.
	tail := aof.AppendCommand(nil, []byte("MULTI"))
	tail = aof.AppendCommand(tail, []byte("SET"), []byte("m"), []byte("1"))
	os.WriteFile(incr, append(append([]byte(nil), good...), tail...), 0o644)
	s3 := aofServer(t, dir, nil)
	if v := pdo(t, s3.Addr().String(), "EXISTS", "m"); v.Int != 0 {
		t.Fatal("incomplete MULTI applied")
	}
	log, _ = os.ReadFile(filepath.Join(dir, "modis.log"))
	if !strings.Contains(string(log), "Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof") {
		t.Errorf("log lacks the MULTI revert")
	}
}

// TestAOFManifestErrors: a bad manifest stops start-up with Redis's log
// lines.
func TestAOFManifestErrors(t *testing.T) {
	for _, tc := range []struct{ content, msg string }{
		{"", "Found an empty AOF manifest"},
		{"file a seq 1 type x\n", "Unknown AOF file type"},
		{"file a/b seq 1 type b\n", "File can't be a path, just a filename"},
		{"file a seq 1 type b\nfile c seq 1 type b\n", "Found duplicate base file information"},
		{"file a seq 1\n", "Invalid AOF manifest file format"},
	} {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "appendonlydir"), 0o755)
		os.WriteFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"), []byte(tc.content), 0o644)
		c := config.Default()
		c.Dir, c.AppendOnly = dir, true
		c.LogFile = filepath.Join(dir, "modis.log")
		if err := New(c).LoadDataFromDisk(); err == nil {
			t.Errorf("%q: loaded", tc.content)
			continue
		}
		log, _ := os.ReadFile(c.LogFile)
		if !strings.Contains(string(log), "*** FATAL AOF MANIFEST FILE ERROR ***") || !strings.Contains(string(log), tc.msg) {
			t.Errorf("%q: log:\n%s", tc.content, log)
		}
	}
}

// TestAOFWriteError: a failed write refuses writes with MISCONF until a
// write succeeds again.
func TestAOFWriteError(t *testing.T) {
	dir := t.TempDir()
	s := aofServer(t, dir, nil)
	addr := s.Addr().String()
	mustOK(t, pdo(t, addr, "SET", "a", "1"), "set")
	s.mu.Lock()
	good := s.aof.f
	ro, err := os.Open(good.Name())
	if err != nil {
		s.mu.Unlock()
		t.Fatal(err)
	}
	s.aof.f = ro
	s.mu.Unlock()
	pdo(t, addr, "SET", "b", "2") // its write fails after the command ran
	v := pdo(t, addr, "SET", "c", "3")
	if v.Type != '-' || string(v.Str) != "MISCONF Errors writing to the AOF file: Bad file descriptor" {
		t.Fatalf("reply %c %q", v.Type, v.Str)
	}
	if st := pinfo(t, addr, "persistence", "aof_last_write_status"); st != "err" {
		t.Fatalf("aof_last_write_status %s", st)
	}
	s.mu.Lock()
	s.aof.f = good
	s.mu.Unlock()
	ro.Close()
	time.Sleep(1200 * time.Millisecond) // the cron retries the write
	mustOK(t, pdo(t, addr, "SET", "c", "3"), "set after recovery")
	want := digestOf(t, addr)
	s.Close()
	s2 := aofServer(t, dir, nil)
	if got := digestOf(t, s2.Addr().String()); got != want {
		t.Fatal("digest differs after recovery")
	}
}

// TestAOFProcess runs the binary: kill -9 loses no acknowledged write
// (appendfsync always and everysec), files interoperate with
// redis-server 7.0 and redis-check-aof both ways.
func TestAOFProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "modis-server")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/modis/modis/cmd/modis-server").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, fsync := range []string{"always", "everysec", "no"} {
		t.Run("Kill9/"+fsync, func(t *testing.T) { testAOFKill9(t, bin, fsync) })
	}
	for _, preamble := range []string{"yes", "no"} {
		t.Run("FromRedis/preamble="+preamble, func(t *testing.T) { testAOFFromRedis(t, bin, preamble) })
		t.Run("ToRedis/preamble="+preamble, func(t *testing.T) { testAOFToRedis(t, bin, preamble) })
	}
}

func testAOFKill9(t *testing.T, bin, fsync string) {
	dir := t.TempDir()
	port := difftest.FreePort(t)
	args := []string{"--port", strconv.Itoa(port), "--dir", dir, "--save", "", "--appendonly", "yes",
		"--appendfsync", fsync, "--logfile", filepath.Join(dir, "log")}
	cmd := startProcess(t, bin, port, args...)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	const workers = 4
	acked := make([]int64, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, err := difftest.Dial(addr)
			if err != nil {
				return
			}
			defer c.Close()
			for i := 1; ; i++ {
				_, v, err := c.Do("RPUSH", "l:"+strconv.Itoa(w), strconv.Itoa(i))
				if err != nil || v.Type != ':' {
					return
				}
				atomic.StoreInt64(&acked[w], int64(i))
			}
		}(w)
	}
	time.Sleep(400 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	wg.Wait()
	startProcess(t, bin, port, args...)
	for w := 0; w < workers; w++ {
		n := atomic.LoadInt64(&acked[w])
		v := pdo(t, addr, "LLEN", "l:"+strconv.Itoa(w))
		if v.Int < n || v.Int > n+1 {
			t.Errorf("list %d: %d elements after restart, %d acknowledged", w, v.Int, n)
		}
		if n < 10 {
			t.Errorf("list %d: only %d writes acknowledged", w, n)
		}
	}
}

// redisAOFServer starts redis-server with appendonly yes in dir.
func redisAOFServer(t *testing.T, dir, preamble string) (*exec.Cmd, string) {
	port := difftest.FreePort(t)
	cmd := startProcess(t, "redis-server", port, "--port", strconv.Itoa(port), "--dir", dir, "--save", "",
		"--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--enable-debug-command", "yes",
		"--logfile", filepath.Join(dir, "redis.log"))
	return cmd, "127.0.0.1:" + strconv.Itoa(port)
}

func testAOFFromRedis(t *testing.T, bin, preamble string) {
	dir := t.TempDir()
	cmd, raddr := redisAOFServer(t, dir, preamble)
	persistFill(t, raddr)
	mustOK(t, pdo(t, raddr, "BGREWRITEAOF"), "bgrewriteaof")
	waitRewrite(t, raddr)
	mustOK(t, pdo(t, raddr, "SET", "incr", "after"), "set")
	c, _ := difftest.Dial(raddr) // a transaction in the incr file
	c.Do("MULTI")
	c.Do("SET", "tx", "1")
	c.Do("INCR", "tx")
	c.Do("EXEC")
	c.Close()
	want := digestOf(t, raddr)
	cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, cmd)
	port := difftest.FreePort(t)
	startProcess(t, bin, port, "--port", strconv.Itoa(port), "--dir", dir, "--save", "", "--appendonly", "yes",
		"--enable-debug-command", "yes", "--logfile", filepath.Join(dir, "modis.log"))
	if got := digestOf(t, "127.0.0.1:"+strconv.Itoa(port)); got != want {
		t.Fatalf("digest %s, redis-server had %s", got, want)
	}
}

func testAOFToRedis(t *testing.T, bin, preamble string) {
	dir := t.TempDir()
	port := difftest.FreePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := startProcess(t, bin, port, "--port", strconv.Itoa(port), "--dir", dir, "--save", "", "--appendonly", "yes",
		"--aof-use-rdb-preamble", preamble, "--enable-debug-command", "yes", "--aof-timestamp-enabled", "yes",
		"--logfile", filepath.Join(dir, "modis.log"))
	persistFill(t, addr)
	mustOK(t, pdo(t, addr, "BGREWRITEAOF"), "bgrewriteaof")
	waitRewrite(t, addr)
	c, _ := difftest.Dial(addr)
	c.Do("MULTI")
	c.Do("SET", "tx", "1")
	c.Do("INCR", "tx")
	c.Do("EXEC")
	c.Close()
	mustOK(t, pdo(t, addr, "SET", "incr", "after"), "set")
	want := digestOf(t, addr)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	out, err := exec.Command("redis-check-aof", filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "is valid") {
		t.Fatalf("redis-check-aof: %v\n%s", err, out)
	}
	_, raddr := redisAOFServer(t, dir, preamble)
	if got := digestOf(t, raddr); got != want {
		t.Fatalf("redis-server digest %s, Modis had %s", got, want)
	}
}

// infoNames returns the field names of an INFO section.
func infoNames(t *testing.T, addr, section string) []string {
	var names []string
	for _, l := range strings.Split(string(pdo(t, addr, "INFO", section).Str), "\r\n") {
		if name, _, ok := strings.Cut(l, ":"); ok {
			names = append(names, name)
		}
	}
	return names
}

// TestAOFInfoAndCommands: INFO persistence shows the fields redis-server
// shows with AOF on, in the same order; BGREWRITEAOF inside MULTI is
// scheduled; DEBUG LOADAOF reloads; the automatic rewrite starts on
// growth.
func TestAOFInfoAndCommands(t *testing.T) {
	r := difftest.StartRedis(t, "--appendonly", "yes", "--enable-debug-command", "yes")
	dir := t.TempDir()
	s := aofServer(t, dir, func(c *config.Config) { c.LogLevel = "notice" })
	addr := s.Addr().String()
	if got, want := strings.Join(infoNames(t, addr, "persistence"), " "), strings.Join(infoNames(t, r.Addr, "persistence"), " "); got != want {
		t.Fatalf("INFO persistence fields:\n%s\nredis-server:\n%s", got, want)
	}
	for _, a := range []string{addr, r.Addr} {
		c, _ := difftest.Dial(a)
		c.Do("MULTI")
		c.Do("BGREWRITEAOF")
		_, v, _ := c.Do("EXEC")
		c.Close()
		if len(v.Elems) != 1 || string(v.Elems[0].Str) != "Background append only file rewriting scheduled" {
			t.Fatalf("%s: EXEC %+v", a, v)
		}
		waitRewrite(t, a)
	}
	mustOK(t, pdo(t, addr, "SET", "k", "v"), "set")
	want := digestOf(t, addr)
	mustOK(t, pdo(t, addr, "DEBUG", "LOADAOF"), "debug loadaof")
	if got := digestOf(t, addr); got != want {
		t.Fatal("DEBUG LOADAOF changed the dataset")
	}
	// Automatic rewrite: the AOF grew past min-size and percentage.
	rewrites := pinfo(t, addr, "persistence", "aof_rewrites")
	mustOK(t, pdo(t, addr, "CONFIG", "SET", "auto-aof-rewrite-min-size", "1000", "auto-aof-rewrite-percentage", "50"), "config")
	for i := 0; i < 50; i++ {
		pdo(t, addr, "SET", "grow"+strconv.Itoa(i), strings.Repeat("x", 100))
	}
	deadline := time.Now().Add(5 * time.Second)
	for pinfo(t, addr, "persistence", "aof_rewrites") == rewrites {
		if time.Now().After(deadline) {
			t.Fatal("no automatic rewrite")
		}
		time.Sleep(20 * time.Millisecond)
	}
	waitRewrite(t, addr)
	log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
	if !strings.Contains(string(log), "Starting automatic rewriting of AOF on ") {
		t.Fatalf("log:\n%s", log)
	}
}

// TestAOFUpgrade: an old single-file appendonly.aof in dir is moved into
// appenddirname as the base of a new manifest, as redis-server 7.0 does.
func TestAOFUpgrade(t *testing.T) {
	t.Run("commands", func(t *testing.T) { testAOFUpgrade(t, nil) })
	t.Run("rdb-preamble", func(t *testing.T) {
		// An RDB preamble followed by commands, as Redis 6 wrote them.
		dir := t.TempDir()
		s := aofServer(t, dir, nil)
		persistFill(t, s.Addr().String())
		s.Close()
		m := readManifest(t, dir)
		pre, err := os.ReadFile(filepath.Join(dir, "appendonlydir", m.Base.Name))
		if err != nil || string(pre[:5]) != "REDIS" {
			t.Fatalf("base: %v", err)
		}
		testAOFUpgrade(t, pre)
	})
}

func testAOFUpgrade(t *testing.T, preamble []byte) {
	old := append([]byte(nil), preamble...)
	old = aof.AppendSelect(old, 0)
	old = aof.AppendCommand(old, []byte("SET"), []byte("a"), []byte("1"))
	old = aof.AppendCommand(old, []byte("RPUSH"), []byte("l"), []byte("x"), []byte("y"))
	old = aof.AppendSelect(old, 2)
	old = aof.AppendCommand(old, []byte("INCR"), []byte("n"))
	old = append(old, "*2\r\n$3\r\nDEL\r\n$1"...) // cut short: truncated away on load
	rdir, mdir := t.TempDir(), t.TempDir()
	for _, d := range []string{rdir, mdir} {
		os.WriteFile(filepath.Join(d, "appendonly.aof"), old, 0o644)
	}
	port := difftest.FreePort(t)
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", rdir, "--save", "",
		"--appendonly", "yes", "--enable-debug-command", "yes", "--logfile", filepath.Join(rdir, "log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	raddr := "127.0.0.1:" + strconv.Itoa(port)
	difftest.WaitReady(t, raddr)
	s := aofServer(t, mdir, func(c *config.Config) { c.LogLevel = "notice" })
	if got, want := digestOf(t, s.Addr().String()), digestOf(t, raddr); got != want {
		t.Fatalf("digest %s, redis-server %s", got, want)
	}
	rm, mm := readManifest(t, rdir), readManifest(t, mdir)
	if rm.String() != mm.String() {
		t.Fatalf("manifest:\n%s\nredis-server:\n%s", mm, rm)
	}
	log, _ := os.ReadFile(filepath.Join(mdir, "modis.log"))
	if !strings.Contains(string(log), "Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).") {
		t.Fatalf("log:\n%s", log)
	}
	rf, _ := os.ReadFile(filepath.Join(rdir, "appendonlydir", "appendonly.aof"))
	mf, _ := os.ReadFile(filepath.Join(mdir, "appendonlydir", "appendonly.aof"))
	if !bytes.Equal(rf, mf) || len(mf) != len(old)-len("*2\r\n$3\r\nDEL\r\n$1") {
		t.Fatalf("truncated to %d bytes, redis-server %d, want %d", len(mf), len(rf), len(old)-15)
	}
}

// TestAOFChildReplies: the replies of BGSAVE and BGREWRITEAOF while the
// other runs are redis-server's.
func TestAOFChildReplies(t *testing.T) {
	r := difftest.StartRedis(t, "--appendonly", "yes", "--enable-debug-command", "yes")
	s := aofServer(t, t.TempDir(), nil)
	for _, addr := range []string{r.Addr, s.Addr().String()} {
		mustOK(t, pdo(t, addr, "DEBUG", "POPULATE", "300"), "populate")
		mustOK(t, pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "3000"), "config")
	}
	steps := [][]string{
		{"BGREWRITEAOF"}, {"BGSAVE"}, {"BGSAVE", "SCHEDULE"}, {"BGREWRITEAOF"}, {"BGSAVE", "SCHEDULE"},
	}
	for _, st := range steps {
		c1, _ := difftest.Dial(r.Addr)
		want, _, _ := c1.Do(st...)
		c1.Close()
		c2, _ := difftest.Dial(s.Addr().String())
		got, _, _ := c2.Do(st...)
		c2.Close()
		if string(got) != string(want) {
			t.Errorf("%v: %q, redis-server %q", st, got, want)
		}
	}
	for _, addr := range []string{r.Addr, s.Addr().String()} {
		mustOK(t, pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "0"), "config")
		waitRewrite(t, addr)
		waitBgsave(t, addr)
	}
}

// TestAOFTruncatedBase: only the last file may be cut short.
func TestAOFTruncatedBase(t *testing.T) {
	dir := t.TempDir()
	s := aofServer(t, dir, func(c *config.Config) { c.AOFUseRDBPreamble = false })
	addr := s.Addr().String()
	mustOK(t, pdo(t, addr, "SET", "a", "1"), "set")
	mustOK(t, pdo(t, addr, "BGREWRITEAOF"), "bgrewriteaof")
	waitRewrite(t, addr)
	mustOK(t, pdo(t, addr, "SET", "b", "2"), "set")
	s.Close()
	base := filepath.Join(dir, "appendonlydir", "appendonly.aof.2.base.aof")
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(base, data[:len(data)-3], 0o644)
	c := config.Default()
	c.Dir, c.AppendOnly, c.AOFLoadTruncated, c.AOFUseRDBPreamble = dir, true, true, false
	c.LogFile = filepath.Join(dir, "modis.log")
	if err := New(c).LoadDataFromDisk(); err == nil {
		t.Fatal("a truncated base loaded")
	}
	log, _ := os.ReadFile(c.LogFile)
	if !strings.Contains(string(log), "Fatal error: the truncated file is not the last file") {
		t.Fatalf("log:\n%s", log)
	}
}

// TestAOFRewriteFormat: a base written without RDB preamble holds the
// commands redis-server writes, byte for byte, for values whose
// iteration order is deterministic (one key per rewrite; the delivery
// times of pending stream entries are masked).
func TestAOFRewriteFormat(t *testing.T) {
	rdir := t.TempDir()
	port := difftest.FreePort(t)
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", rdir, "--save", "",
		"--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--logfile", filepath.Join(rdir, "log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	raddr := "127.0.0.1:" + strconv.Itoa(port)
	difftest.WaitReady(t, raddr)
	mdir := t.TempDir()
	s := aofServer(t, mdir, func(c *config.Config) { c.AOFUseRDBPreamble = false })
	maddr := s.Addr().String()
	var many []string
	for i := 0; i < 150; i++ {
		many = append(many, strconv.Itoa(i*7-30))
	}
	cases := [][][]string{
		{{"SET", "s", "hello"}},
		{{"SET", "n", "12345"}, {"PEXPIREAT", "n", "99999999999999"}},
		{append([]string{"RPUSH", "l"}, many...)},
		{append([]string{"SADD", "si"}, many...)},
		{{"HSET", "h", "a", "1", "b", "two", "c", "3"}},
		{{"ZADD", "z", "1.5", "a", "-2", "b", "3e10", "c", "inf", "d"}},
		{{"XADD", "x", "1-1", "f", "v"}, {"XADD", "x", "2-5", "f", "w", "g", "z"}, {"XDEL", "x", "2-5"},
			{"XGROUP", "CREATE", "x", "g1", "0"}, {"XGROUP", "CREATECONSUMER", "x", "g1", "idle"},
			{"XREADGROUP", "GROUP", "g1", "bob", "STREAMS", "x", ">"}},
		{{"XADD", "e", "MAXLEN", "0", "5-5", "a", "b"}},
	}
	mask := regexp.MustCompile(`TIME\r\n\$\d+\r\n\d+\r\n`)
	base := func(dir, addr string) string {
		mustOK(t, pdo(t, addr, "BGREWRITEAOF"), "bgrewriteaof")
		waitRewrite(t, addr)
		m := readManifest(t, dir)
		data, err := os.ReadFile(filepath.Join(dir, "appendonlydir", m.Base.Name))
		if err != nil {
			t.Fatal(err)
		}
		return mask.ReplaceAllString(string(data), "TIME\r\n#\r\n")
	}
	for _, cmds := range cases {
		for _, a := range []string{raddr, maddr} {
			mustOK(t, pdo(t, a, "FLUSHALL"), "flushall")
			for _, c := range cmds {
				mustOK(t, pdo(t, a, c...), strings.Join(c, " "))
			}
		}
		if got, want := base(mdir, maddr), base(rdir, raddr); got != want || !strings.Contains(got, cmds[0][1]) {
			t.Errorf("%v:\n%q\nredis-server:\n%q", cmds[0], got, want)
		}
	}
}

// TestAOFRandom: random writes of every family (their propagated forms:
// SPOP, INCRBYFLOAT, GETEX, EXPIRE, LMOVE, ZPOPMIN, XADD ... MAXLEN,
// XCLAIM, ...) go to redis-server and Modis, with a rewrite in the middle;
// each server's appendonlydir is then loaded by the other and by itself,
// and all digests agree.
func TestAOFRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several servers")
	}
	rng := newTestRand(t)
	for _, preamble := range []string{"yes", "no"} {
		t.Run("preamble="+preamble, func(t *testing.T) {
			rdir, mdir := t.TempDir(), t.TempDir()
			rcmd, raddr := redisAOFServer(t, rdir, preamble)
			s := aofServer(t, mdir, func(c *config.Config) { c.AOFUseRDBPreamble = preamble == "yes" })
			maddr := s.Addr().String()
			rc, _ := difftest.Dial(raddr)
			mc, _ := difftest.Dial(maddr)
			defer rc.Close()
			defer mc.Close()
			for i := 0; i < 1500; i++ {
				if i == 700 {
					for _, a := range []string{raddr, maddr} {
						mustOK(t, pdo(t, a, "BGREWRITEAOF"), "bgrewriteaof")
					}
				}
				cmd := randomAOFCommand(rng)
				rraw, _, err1 := rc.Do(cmd...)
				mraw, _, err2 := mc.Do(cmd...)
				if err1 != nil || err2 != nil {
					t.Fatalf("%v: %v %v", cmd, err1, err2)
				}
				// Random members (SPOP, SRANDMEMBER) may differ; the
				// propagated form keeps each server's own file right.
				_ = rraw
				_ = mraw
			}
			waitRewrite(t, raddr)
			waitRewrite(t, maddr)
			want := digestOf(t, maddr)
			rwant := digestOf(t, raddr)
			rcmd.Process.Signal(syscall.SIGKILL)
			rcmd.Wait()
			s.Close()
			// Each server reloads its own files.
			s2 := aofServer(t, mdir, func(c *config.Config) { c.AOFUseRDBPreamble = preamble == "yes" })
			if got := digestOf(t, s2.Addr().String()); got != want {
				t.Fatalf("Modis reloaded: %s, had %s", got, want)
			}
			s2.Close()
			// Modis loads Redis's files.
			cdir := t.TempDir()
			if out, err := exec.Command("cp", "-r", filepath.Join(rdir, "appendonlydir"), cdir).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v %s", err, out)
			}
			s3 := aofServer(t, cdir, nil)
			if got := digestOf(t, s3.Addr().String()); got != rwant {
				t.Fatalf("Modis on redis-server's files: %s, redis-server had %s", got, rwant)
			}
			// redis-server loads Modis's files.
			_, raddr2 := redisAOFServer(t, mdir, preamble)
			if got := digestOf(t, raddr2); got != want {
				t.Fatalf("redis-server on Modis's files: %s, Modis had %s", got, want)
			}
		})
	}
}

// newTestRand is a seeded generator; the seed is logged.
func newTestRand(t *testing.T) *rand.Rand {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	return rand.New(rand.NewPCG(uint64(seed), 1))
}

// randomAOFCommand is a write (or a read that propagates nothing) on a
// small set of keys.
func randomAOFCommand(r *rand.Rand) []string {
	k := func(p string) string { return p + strconv.Itoa(r.IntN(6)) }
	n := func() string { return strconv.Itoa(r.IntN(20) - 5) }
	m := func() string { return "m" + strconv.Itoa(r.IntN(12)) }
	switch r.IntN(36) {
	case 34:
		return []string{"XAUTOCLAIM", k("x"), "g", "c" + strconv.Itoa(r.IntN(3)), "5", "0", "COUNT", "2"}
	case 35:
		return []string{"XCLAIM", k("x"), "g", "c2", "3", "0-1", "1-0", strconv.Itoa(r.IntN(2000)) + "-0"}
	case 0:
		return []string{"SET", k("s"), n()}
	case 1:
		return []string{"SET", k("s"), "v" + n(), "EX", "1000"}
	case 2:
		return []string{"INCRBYFLOAT", k("s"), "1.5"}
	case 3:
		return []string{"APPEND", k("s"), "xy"}
	case 4:
		return []string{"GETEX", k("s"), "PX", "50000"}
	case 5:
		return []string{"GETDEL", k("s")}
	case 6:
		return []string{"EXPIRE", k("s"), "100"}
	case 7:
		return []string{"PERSIST", k("s")}
	case 8:
		return []string{"RPUSH", k("l"), m(), m()}
	case 9:
		return []string{"LPOP", k("l")}
	case 10:
		return []string{"LMOVE", k("l"), k("l"), "LEFT", "RIGHT"}
	case 11:
		return []string{"LTRIM", k("l"), "0", "3"}
	case 12:
		return []string{"SADD", k("t"), m(), m(), n()}
	case 13:
		return []string{"SPOP", k("t")}
	case 14:
		return []string{"SMOVE", k("t"), k("t"), m()}
	case 15:
		return []string{"HSET", k("h"), m(), n()}
	case 16:
		return []string{"HINCRBYFLOAT", k("h"), m(), "2.25"}
	case 17:
		return []string{"HDEL", k("h"), m()}
	case 18:
		return []string{"ZADD", k("z"), n(), m()}
	case 19:
		return []string{"ZINCRBY", k("z"), "0.5", m()}
	case 20:
		return []string{"ZPOPMIN", k("z")}
	case 21:
		return []string{"ZREMRANGEBYRANK", k("z"), "0", "0"}
	case 22:
		return []string{"XADD", k("x"), "MAXLEN", "5", "*", "f", n()}
	case 23:
		return []string{"XGROUP", "CREATE", k("x"), "g", "0", "MKSTREAM"}
	case 24:
		return []string{"XREADGROUP", "GROUP", "g", "c" + strconv.Itoa(r.IntN(2)), "COUNT", "2", "STREAMS", k("x"), ">"}
	case 25:
		return []string{"XACK", k("x"), "g", "0-1"}
	case 26:
		return []string{"XTRIM", k("x"), "MAXLEN", "2"}
	case 27:
		return []string{"DEL", k("s"), k("l")}
	case 28:
		return []string{"RENAME", k("h"), k("h")}
	case 29:
		return []string{"PFADD", k("p"), m(), m()}
	case 30:
		return []string{"SETRANGE", k("s"), "3", "ab"}
	case 31:
		return []string{"SELECT", strconv.Itoa(r.IntN(3))}
	case 32:
		return []string{"COPY", k("t"), k("t"), "REPLACE"}
	default:
		return []string{"SINTERSTORE", k("t"), k("t"), k("t")}
	}
}

// TestAOFPropagatedForms: the incr file holds the commands redis-server
// writes for commands whose effect depends on time, randomness or
// approximation (generated stream IDs masked).
func TestAOFPropagatedForms(t *testing.T) {
	rdir := t.TempDir()
	_, raddr := redisAOFServer(t, rdir, "yes")
	mdir := t.TempDir()
	s := aofServer(t, mdir, nil)
	maddr := s.Addr().String()
	var script [][]string
	for i := 1; i <= 250; i++ {
		script = append(script, []string{"XADD", "y", strconv.Itoa(i) + "-1", "f", strconv.Itoa(i)})
	}
	script = append(script,
		[]string{"XADD", "y", "MAXLEN", "~", "5", "LIMIT", "100", "*", "f", "x"},
		[]string{"XTRIM", "y", "MINID", "~", "230", "LIMIT", "100"},
		[]string{"XTRIM", "y", "MINID", "~", "230"},
		[]string{"XADD", "y", "MAXLEN", "~", "3", "*", "f", "x"},
		[]string{"XADD", "z", "1-1", "a", "b"},
		[]string{"XTRIM", "z", "MINID", "~", "5"},
		[]string{"XADD", "z", "2-*", "a", "b"},
		[]string{"XADD", "z", "*", "a", "b"},
		[]string{"SADD", "s", "a"}, []string{"SPOP", "s"},
		[]string{"SADD", "s2", "a", "b"}, []string{"SPOP", "s2", "5"},
		[]string{"CONFIG", "SET", "lazyfree-lazy-server-del", "yes"},
		[]string{"SADD", "s3", "1", "2"}, []string{"SPOP", "s3", "2"},
		[]string{"CONFIG", "SET", "lazyfree-lazy-server-del", "no"},
		[]string{"HINCRBYFLOAT", "h", "f", "1.5"}, []string{"HINCRBYFLOAT", "h", "f", "1e3"},
		[]string{"XADD", "g", "1-1", "a", "1"}, []string{"XADD", "g", "2-1", "a", "2"}, []string{"XADD", "g", "3-1", "a", "3"},
		[]string{"XGROUP", "CREATE", "g", "grp", "0"},
		[]string{"XREADGROUP", "GROUP", "grp", "c1", "COUNT", "2", "STREAMS", "g", ">"},
		[]string{"XREADGROUP", "GROUP", "grp", "c2", "COUNT", "1", "NOACK", "STREAMS", "g", ">"},
		[]string{"XREADGROUP", "GROUP", "grp", "c3", "STREAMS", "g", ">"},
		[]string{"XREADGROUP", "GROUP", "grp", "c1", "STREAMS", "g", "0"},
		[]string{"XCLAIM", "g", "grp", "c4", "0", "1-1"},
		[]string{"XCLAIM", "g", "grp", "c4", "0", "2-1", "JUSTID"},
		[]string{"XCLAIM", "g", "grp", "c5", "0", "9-9"},
		[]string{"XCLAIM", "g", "grp", "c5", "0", "9-9", "LASTID", "5-0"},
		[]string{"XAUTOCLAIM", "g", "grp", "c6", "0", "0"},
		[]string{"XDEL", "g", "2-1"},
		[]string{"XAUTOCLAIM", "g", "grp", "c7", "0", "0"},
		[]string{"XCLAIM", "g", "grp", "c8", "3600000", "1-1"},
		[]string{"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"},
		[]string{"BZPOPMIN", "z", "0"}, []string{"BZPOPMAX", "z", "0"},
		[]string{"BZMPOP", "0", "2", "q", "z", "MIN", "COUNT", "5"},
		[]string{"ZADD", "z", "1", "a", "2", "b", "3", "c"}, []string{"ZMPOP", "1", "z", "MAX"},
		[]string{"ZPOPMIN", "z"}, []string{"ZPOPMAX", "z", "7"},
	)
	incr := func(dir, addr string) string {
		c, _ := difftest.Dial(addr)
		for _, cmd := range script {
			c.Do(cmd...)
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
		m := readManifest(t, dir)
		data, err := os.ReadFile(filepath.Join(dir, "appendonlydir", m.Incrs[len(m.Incrs)-1].Name))
		if err != nil {
			t.Fatal(err)
		}
		data = regexp.MustCompile(`TIME\r\n\$\d+\r\n\d+\r\n`).ReplaceAll(data, []byte("TIME\r\n<t>"))
		return regexp.MustCompile(`\$\d+\r\n\d{13}-\d+\r\n`).ReplaceAllString(string(data), "<id>")
	}
	got, want := incr(mdir, maddr), incr(rdir, raddr)
	if strings.Count(got, "XCLAIM") < 6 || !strings.Contains(got, "SETID") || !strings.Contains(got, "CREATECONSUMER") {
		t.Errorf("incr file lacks the group propagation:\n%q", got)
	}
	if got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		from := max(0, i-80)
		t.Fatalf("incr file differs at byte %d:\n%q\nredis-server:\n%q", i, got[from:min(len(got), i+120)], want[from:min(len(want), i+120)])
	}
}
