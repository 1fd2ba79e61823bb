package server

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// startPersistServer runs an in-process Modis with dir as its directory,
// loading dir/dump.rdb first as Main does.
func startPersistServer(t testing.TB, dir string, mutate func(*config.Config)) *Server {
	t.Helper()
	cfg := config.Default()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.LogLevel = "notice"
	cfg.Dir = dir
	cfg.LogFile = filepath.Join(dir, "modis.log")
	cfg.EnableDebugCommand = "yes"
	if mutate != nil {
		mutate(cfg)
	}
	s := New(cfg)
	if err := s.LoadDataFromDisk(); err != nil {
		t.Fatalf("loading: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func pdo(t testing.TB, addr string, args ...string) resp.Value {
	t.Helper()
	c, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, v, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return v
}

func mustOK(t testing.TB, v resp.Value, what string) {
	t.Helper()
	if v.Type == '-' {
		t.Fatalf("%s: %s", what, v.Str)
	}
}

// persistFill creates keys of every type and encoding in a few databases.
func persistFill(t testing.TB, addr string) {
	t.Helper()
	c, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	big := strings.Repeat("compressible ", 20)
	cmds := [][]string{
		{"SET", "s:int", "12345"}, {"SET", "s:emb", "hello"}, {"SET", "s:raw", big},
		{"SET", "s:px", "v", "PX", "500000"}, {"SET", "s:bin", "\x00\xff\x10"},
		{"DEBUG", "POPULATE", "300", "pop", "20"},
		{"RPUSH", "l:small", "a", "1", "-5", "300000", big},
		{"SADD", "set:int", "1", "2", "-3"}, {"SADD", "set:ht", "a", "b", "c"},
		{"HSET", "h:lp", "f", "v", "n", "12"}, {"HSET", "h:long", "f", strings.Repeat("y", 100)},
		{"ZADD", "z:lp", "1", "a", "2.5", "b", "-3", "c"}, {"ZADD", "z:long", "1", strings.Repeat("m", 100)},
		{"PEXPIRE", "h:lp", "900000"},
		{"XADD", "x:s", "1-1", "a", "1"}, {"XADD", "x:s", "2-0", "c", "x"},
		{"XGROUP", "CREATE", "x:s", "g1", "0"},
		{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "1", "STREAMS", "x:s", ">"},
		{"PFADD", "hll", "a", "b", "c"},
		{"SELECT", "3"}, {"SET", "db3", "x"}, {"HSET", "db3h", "a", "b"},
		{"SELECT", "15"}, {"RPUSH", "db15l", "x", "y"},
		{"SELECT", "0"},
	}
	for i := 0; i < 600; i++ {
		cmds = append(cmds, []string{"RPUSH", "l:big", "e" + strconv.Itoa(i)},
			[]string{"SADD", "set:big", "m" + strconv.Itoa(i)},
			[]string{"HSET", "h:big", "f" + strconv.Itoa(i), strconv.Itoa(i)},
			[]string{"ZADD", "z:big", strconv.Itoa(i % 50), "m" + strconv.Itoa(i)})
	}
	for _, cmd := range cmds {
		if err := c.Send(cmd...); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range cmds {
		_, v, err := c.Read()
		if err != nil {
			t.Fatal(err)
		}
		if v.Type == '-' {
			t.Fatalf("%v: %s", cmd, v.Str)
		}
	}
}

func digestOf(t testing.TB, addr string) string {
	t.Helper()
	return string(pdo(t, addr, "DEBUG", "DIGEST").Str)
}

func pinfo(t testing.TB, addr, section, name string) string {
	t.Helper()
	for _, l := range strings.Split(string(pdo(t, addr, "INFO", section).Str), "\r\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			return v
		}
	}
	t.Fatalf("no INFO field %s", name)
	return ""
}

// waitBgsave waits for the background save to end.
func waitBgsave(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for pinfo(t, addr, "persistence", "rdb_bgsave_in_progress") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE does not end")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPersistSaveRestart: SAVE, restart on the file, same dataset.
func TestPersistSaveRestart(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, nil)
	addr := s.Addr().String()
	persistFill(t, addr)
	want := digestOf(t, addr)
	mustOK(t, pdo(t, addr, "SAVE"), "SAVE")
	if got := pinfo(t, addr, "persistence", "rdb_changes_since_last_save"); got != "0" {
		t.Fatalf("rdb_changes_since_last_save %s after SAVE", got)
	}
	if v := pdo(t, addr, "LASTSAVE"); v.Int < time.Now().Unix()-5 {
		t.Fatalf("LASTSAVE %d", v.Int)
	}
	s.Close()
	s2 := startPersistServer(t, dir, nil)
	addr2 := s2.Addr().String()
	if got := digestOf(t, addr2); got != want {
		t.Fatalf("digest after restart %s, want %s", got, want)
	}
	if got := pinfo(t, addr2, "persistence", "rdb_last_load_keys_loaded"); got != strconv.Itoa(int(s.Keyspace().DBs[0].Len()+2+1)) {
		t.Logf("keys loaded %s", got)
	}
	// DEBUG RELOAD keeps the dataset too.
	mustOK(t, pdo(t, addr2, "DEBUG", "RELOAD"), "DEBUG RELOAD")
	if got := digestOf(t, addr2); got != want {
		t.Fatalf("digest after DEBUG RELOAD %s, want %s", got, want)
	}
	if v := pdo(t, addr2, "DEBUG", "RELOAD", "BAD"); string(v.Str) != "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options." {
		t.Fatalf("DEBUG RELOAD BAD: %q", v.Str)
	}
	// NOSAVE NOFLUSH MERGE: the file's keys replace ours.
	pdo(t, addr2, "SET", "s:int", "changed")
	pdo(t, addr2, "SET", "extra", "1")
	mustOK(t, pdo(t, addr2, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"), "RELOAD MERGE")
	if v := pdo(t, addr2, "GET", "s:int"); string(v.Str) != "12345" {
		t.Fatalf("merged s:int = %q", v.Str)
	}
	if v := pdo(t, addr2, "GET", "extra"); string(v.Str) != "1" {
		t.Fatalf("extra lost: %q", v.Str)
	}
}

// TestPersistExpiredOnLoad: keys whose TTL passed are dropped on load.
func TestPersistExpiredOnLoad(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, nil)
	addr := s.Addr().String()
	pdo(t, addr, "DEBUG", "SET-ACTIVE-EXPIRE", "0") // "gone" stays stored until saved
	pdo(t, addr, "SET", "gone", "1", "PX", "50")
	pdo(t, addr, "SET", "kept", "1", "EX", "1000")
	pdo(t, addr, "SET", "plain", "1")
	mustOK(t, pdo(t, addr, "SAVE"), "SAVE")
	s.Close()
	time.Sleep(80 * time.Millisecond)
	s2 := startPersistServer(t, dir, nil)
	addr2 := s2.Addr().String()
	if got := pinfo(t, addr2, "persistence", "rdb_last_load_keys_expired"); got != "1" {
		t.Fatalf("keys expired %s", got)
	}
	if got := pinfo(t, addr2, "persistence", "rdb_last_load_keys_loaded"); got != "2" {
		t.Fatalf("keys loaded %s", got)
	}
	if v := pdo(t, addr2, "DBSIZE"); v.Int != 2 {
		t.Fatalf("dbsize %d", v.Int)
	}
}

// TestPersistInterop: a file Modis writes loads into redis-server with the
// same digest, and the other way round.
func TestPersistInterop(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, nil)
	addr := s.Addr().String()
	persistFill(t, addr)
	want := digestOf(t, addr)
	mustOK(t, pdo(t, addr, "BGSAVE"), "BGSAVE")
	waitBgsave(t, addr)
	s.Close()
	r := difftest.StartRedis(t, "--dir", dir, "--enable-debug-command", "yes")
	if got := digestOf(t, r.Addr); got != want {
		t.Fatalf("redis-server digest of our file %s, want %s", got, want)
	}
	// Redis writes, Modis reads.
	pdo(t, r.Addr, "SET", "from-redis", "1")
	want = digestOf(t, r.Addr)
	mustOK(t, pdo(t, r.Addr, "SAVE"), "redis SAVE")
	s2 := startPersistServer(t, dir, nil)
	if got := digestOf(t, s2.Addr().String()); got != want {
		t.Fatalf("digest of redis's file %s, want %s", got, want)
	}
}

// TestPersistBgsaveUnderWrites: a slow BGSAVE (rdb-key-save-delay) while
// clients write; the file holds exactly the dataset of the moment BGSAVE
// started, as redis-server and a restarted Modis both see it.
func TestPersistBgsaveUnderWrites(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, nil)
	addr := s.Addr().String()
	persistFill(t, addr)
	pdo(t, addr, "CONFIG", "SET", "rdb-key-save-delay", "500")
	// Take the digest and start the save atomically.
	s.mu.Lock()
	d := s.datasetDigest()
	want := hex.EncodeToString(d[:])
	if err := s.rdbSaveBackground(); err != nil {
		s.mu.Unlock()
		t.Fatal(err)
	}
	s.mu.Unlock()
	if v := pdo(t, addr, "BGSAVE"); string(v.Str) != "ERR Background save already in progress" {
		t.Fatalf("second BGSAVE: %q", v.Str)
	}
	if v := pdo(t, addr, "SAVE"); string(v.Str) != "ERR Background save already in progress" {
		t.Fatalf("SAVE during BGSAVE: %q", v.Str)
	}
	if got := pinfo(t, addr, "persistence", "rdb_bgsave_in_progress"); got != "1" {
		t.Fatalf("rdb_bgsave_in_progress %s", got)
	}
	// Writers: every kind of change, on keys the walk has and has not
	// reached, until the save ends.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			c, err := difftest.Dial(addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			r := rand.New(rand.NewPCG(seed, 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				k := "pop:" + strconv.Itoa(r.IntN(300))
				var cmd []string
				switch r.IntN(16) {
				case 0:
					cmd = []string{"SET", k, "new"}
				case 1:
					cmd = []string{"DEL", k}
				case 2:
					cmd = []string{"APPEND", k, "x"}
				case 3:
					cmd = []string{"EXPIRE", k, "100"}
				case 4:
					cmd = []string{"PERSIST", "s:px"}
				case 5:
					cmd = []string{"RENAME", k, "renamed:" + strconv.Itoa(r.IntN(50))}
				case 6:
					cmd = []string{"RPUSH", "l:big", "more"}
				case 7:
					cmd = []string{"HSET", "h:big", "f" + strconv.Itoa(r.IntN(700)), "changed"}
				case 8:
					cmd = []string{"ZINCRBY", "z:big", "1", "m" + strconv.Itoa(r.IntN(600))}
				case 9:
					cmd = []string{"SET", "new:" + strconv.Itoa(r.IntN(1000)), "v"}
				case 10:
					cmd = []string{"MOVE", k, "3"}
				case 11:
					cmd = []string{"SWAPDB", "3", "15"}
				case 12:
					// Expired by the active cycle or on access meanwhile.
					cmd = []string{"PEXPIRE", k, "1"}
				case 13:
					cmd = []string{"HDEL", "h:big", "f" + strconv.Itoa(r.IntN(700))}
				case 14:
					cmd = []string{"LPOP", "l:big"}
				case 15:
					if r.IntN(20) == 0 {
						c.Do("SELECT", "3")
						c.Do("FLUSHDB")
						cmd = []string{"SELECT", "0"}
					} else {
						cmd = []string{"SREM", "set:big", "m" + strconv.Itoa(r.IntN(600))}
					}
				}
				if _, _, err := c.Do(cmd...); err != nil {
					t.Error(err)
					return
				}
			}
		}(uint64(w))
	}
	waitBgsave(t, addr)
	close(stop)
	wg.Wait()
	if got := pinfo(t, addr, "persistence", "rdb_last_bgsave_status"); got != "ok" {
		t.Fatalf("bgsave status %s", got)
	}
	if digestOf(t, addr) == want {
		t.Fatal("the writers changed nothing: the test proves nothing")
	}
	s.Close()
	s2 := startPersistServer(t, dir, nil)
	if got := digestOf(t, s2.Addr().String()); got != want {
		t.Fatalf("digest of the BGSAVE file %s, want the start's %s", got, want)
	}
	s2.Close()
	r := difftest.StartRedis(t, "--dir", dir, "--enable-debug-command", "yes")
	if got := digestOf(t, r.Addr); got != want {
		t.Fatalf("redis-server digest of the BGSAVE file %s, want %s", got, want)
	}
}

// TestPersistMisconf: a failed BGSAVE with save points refuses writes and
// PING with Redis's MISCONF error until a save succeeds.
func TestPersistMisconf(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	s := startPersistServer(t, sub, func(c *config.Config) {
		c.Save = []config.SavePoint{{Seconds: 3600, Changes: 1}}
		c.LogFile = filepath.Join(dir, "modis.log")
	})
	addr := s.Addr().String()
	pdo(t, addr, "SET", "x", "1")
	os.RemoveAll(sub)
	if v := pdo(t, addr, "BGSAVE"); string(v.Str) != "Background saving started" {
		t.Fatalf("BGSAVE: %q", v.Str)
	}
	waitBgsave(t, addr)
	if got := pinfo(t, addr, "persistence", "rdb_last_bgsave_status"); got != "err" {
		t.Fatalf("status %s", got)
	}
	for _, cmd := range [][]string{{"SET", "y", "1"}, {"PING"}} {
		if v := pdo(t, addr, cmd...); string(v.Str) != errMisconf {
			t.Fatalf("%v: %q", cmd, v.Str)
		}
	}
	if v := pdo(t, addr, "GET", "x"); string(v.Str) != "1" {
		t.Fatalf("GET: %q", v.Str)
	}
	if v := pdo(t, addr, "SAVE"); v.Type != '-' || string(v.Str) != "ERR" {
		t.Fatalf("SAVE: %q", v.Str)
	}
	if v := pdo(t, addr, "SHUTDOWN"); string(v.Str) != "ERR Errors trying to SHUTDOWN. Check logs." {
		t.Fatalf("SHUTDOWN: %q", v.Str)
	}
	os.Mkdir(sub, 0o755)
	mustOK(t, pdo(t, addr, "SAVE"), "SAVE")
	mustOK(t, pdo(t, addr, "SET", "y", "1"), "SET after SAVE")
	log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
	for _, want := range []string{"Failed opening the temp RDB file temp-", "Background saving error"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// TestPersistFlushallKillsBgsave: FLUSHALL kills a running BGSAVE and,
// with save points, saves the empty dataset.
func TestPersistFlushallKillsBgsave(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, func(c *config.Config) {
		c.Save = []config.SavePoint{{Seconds: 3600, Changes: 1}}
		c.RDBKeySaveDelay = 100000
	})
	addr := s.Addr().String()
	for i := 0; i < 20; i++ {
		pdo(t, addr, "SET", fmt.Sprint("k", i), "v")
	}
	mustOK(t, pdo(t, addr, "BGSAVE"), "BGSAVE")
	mustOK(t, pdo(t, addr, "FLUSHALL"), "FLUSHALL")
	if got := pinfo(t, addr, "persistence", "rdb_bgsave_in_progress"); got != "0" {
		t.Fatalf("in progress %s after FLUSHALL", got)
	}
	if got := pinfo(t, addr, "persistence", "rdb_last_bgsave_status"); got != "ok" {
		t.Fatalf("status %s", got)
	}
	if got := pinfo(t, addr, "persistence", "rdb_changes_since_last_save"); got != "0" {
		t.Fatalf("dirty %s", got)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "temp-*"))
	if len(files) > 0 {
		t.Fatalf("temp files left: %v", files)
	}
	s.Close()
	s2 := startPersistServer(t, dir, nil)
	if v := pdo(t, s2.Addr().String(), "DBSIZE"); v.Int != 0 {
		t.Fatalf("dbsize %d after FLUSHALL save", v.Int)
	}
}

// testRDBLoad (from TestBinary): start-up loading as a process: the final
// save of SIGTERM loads back with Redis's log lines; a corrupt or cut file
// aborts start-up with exit code 1, as redis-server does.
func testRDBLoad(t *testing.T, bin, redisBin string) {
	dir := t.TempDir()
	port := difftest.FreePort(t)
	logfile := filepath.Join(dir, "log")
	args := []string{"--port", strconv.Itoa(port), "--dir", dir, "--logfile", logfile}
	cmd := startProcess(t, bin, port, args...)
	do(t, port, "SET", "k", "v")
	do(t, port, "RPUSH", "l", "a", "b")
	cmd.Process.Signal(syscall.SIGTERM)
	if code := waitExit(t, cmd); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	cmd = startProcess(t, bin, port, args...)
	if got := do(t, port, "LRANGE", "l", "0", "-1"); got != "*2\r\n$1\r\na\r\n$1\r\nb\r\n" {
		t.Fatalf("after restart: %q", got)
	}
	cmd.Process.Kill()
	cmd.Wait()
	log, _ := os.ReadFile(logfile)
	for _, line := range []string{"* Saving the final RDB snapshot before exiting.", "* DB saved on disk",
		"* Loading RDB produced by version 7.0.15", "* Done loading RDB, keys loaded: 2, keys expired: 0.",
		"* DB loaded from disk: "} {
		if !strings.Contains(string(log), line) {
			t.Errorf("log lacks %q:\n%s", line, log)
		}
	}
	good, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, line string
		data       []byte
	}{
		{"cut", "Short read or OOM loading DB. Unrecoverable error, aborting now.", good[:len(good)-12]},
		{"checksum", "Wrong RDB checksum expected: (", append(append([]byte(nil), good[:len(good)-8]...), 1, 2, 3, 4, 5, 6, 7, 8)},
		{"corrupt", "Terminating server after rdb file reading failure.", append(append([]byte(nil), good[:len(good)-10]...), 0x77, 0x01, 0, 0, 0, 0, 0, 0, 0, 0)},
		{"signature", "Wrong signature trying to load DB from file", []byte("NOTREDIS0010")},
	} {
		os.WriteFile(filepath.Join(dir, "dump.rdb"), c.data, 0o644)
		os.Remove(logfile)
		r := run(t, bin, "", args...)
		rr := run(t, redisBin, "", "--port", strconv.Itoa(port), "--dir", dir, "--logfile", filepath.Join(dir, "rlog"))
		// Redis may also crash on a corrupt file; either way it does not
		// start.
		if r.code != 1 || rr.code == 0 || (c.name != "corrupt" && rr.code != 1) {
			t.Errorf("%s: exit code %d, redis-server %d", c.name, r.code, rr.code)
		}
		log, _ := os.ReadFile(logfile)
		if !strings.Contains(string(log), c.line) {
			t.Errorf("%s: log lacks %q:\n%s", c.name, c.line, log)
		}
	}
}

// persistInfo returns INFO persistence as ordered name/value pairs.
func persistInfo(t testing.TB, addr string) [][2]string {
	t.Helper()
	var out [][2]string
	for _, l := range strings.Split(string(pdo(t, addr, "INFO", "persistence").Str), "\r\n") {
		if n, v, ok := strings.Cut(l, ":"); ok {
			out = append(out, [2]string{n, v})
		}
	}
	return out
}

// TestPersistInfoFields: INFO persistence has Redis 7.0's fields in
// Redis's order, and the same values after the same saves (copy-on-write
// sizes aside: there is no fork here).
func TestPersistInfoFields(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, nil)
	r := difftest.StartRedis(t)
	addrs := []string{r.Addr, s.Addr().String()}
	check := func(stage string) {
		t.Helper()
		want, got := persistInfo(t, addrs[0]), persistInfo(t, addrs[1])
		if len(want) != len(got) {
			t.Fatalf("%s: %d fields, redis has %d:\n%v\n%v", stage, len(got), len(want), got, want)
		}
		for i := range want {
			if want[i][0] != got[i][0] {
				t.Fatalf("%s: field %d is %s, redis has %s", stage, i, got[i][0], want[i][0])
			}
			switch want[i][0] {
			case "rdb_last_cow_size", "rdb_last_save_time":
				continue
			case "rdb_last_bgsave_time_sec":
				// Whole seconds of the wall clock: a save may straddle one.
				if want[i][1] != "-1" && (got[i][1] == "0" || got[i][1] == "1") {
					continue
				}
			}
			if want[i][1] != got[i][1] {
				t.Errorf("%s: %s = %s, redis %s", stage, want[i][0], got[i][1], want[i][1])
			}
		}
	}
	check("start")
	for _, a := range addrs {
		pdo(t, a, "SET", "x", "1")
		pdo(t, a, "SET", "y", "1")
	}
	check("dirty")
	for _, a := range addrs {
		mustOK(t, pdo(t, a, "BGSAVE"), "BGSAVE")
		waitBgsave(t, a)
		pdo(t, a, "SET", "z", "1")
	}
	check("after BGSAVE")
	for _, a := range addrs {
		mustOK(t, pdo(t, a, "SAVE"), "SAVE")
	}
	check("after SAVE")
}

// TestPersistSavePoints: the cron starts a BGSAVE when a save point is
// reached, waits bgsaveRetryDelay after a failure, and runs a BGSAVE
// scheduled inside MULTI.
func TestPersistSavePoints(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	s := startPersistServer(t, sub, func(c *config.Config) {
		c.Save = []config.SavePoint{{Seconds: 0, Changes: 2}}
		c.LogFile = filepath.Join(dir, "modis.log")
		c.LogLevel = "notice"
	})
	addr := s.Addr().String()
	pdo(t, addr, "SET", "a", "1")
	pdo(t, addr, "SET", "b", "1")
	deadline := time.Now().Add(5 * time.Second)
	for pinfo(t, addr, "persistence", "rdb_changes_since_last_save") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("the save point did not save")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(sub, "dump.rdb")); err != nil {
		t.Fatal(err)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
	if !strings.Contains(string(log), "2 changes in 0 seconds. Saving...") {
		t.Fatalf("log:\n%s", log)
	}
	// A failure: no retry within the delay, then a retry.
	os.RemoveAll(sub)
	pdo(t, addr, "CONFIG", "SET", "stop-writes-on-bgsave-error", "no")
	pdo(t, addr, "SET", "a", "2")
	pdo(t, addr, "SET", "b", "2")
	for pinfo(t, addr, "persistence", "rdb_last_bgsave_status") != "err" {
		if time.Now().After(deadline) {
			t.Fatal("no failed save")
		}
		time.Sleep(50 * time.Millisecond)
	}
	saves := pinfo(t, addr, "persistence", "rdb_saves")
	time.Sleep(1200 * time.Millisecond)
	if got := pinfo(t, addr, "persistence", "rdb_saves"); got != saves {
		t.Fatalf("retried within the delay: rdb_saves %s -> %s", saves, got)
	}
	os.Mkdir(sub, 0o755)
	s.mu.Lock()
	s.persist.lastTry = time.Now().Add(-bgsaveRetryDelay - time.Second)
	s.mu.Unlock()
	deadline = time.Now().Add(5 * time.Second)
	for pinfo(t, addr, "persistence", "rdb_last_bgsave_status") != "ok" {
		if time.Now().After(deadline) {
			t.Fatal("no retry after the delay")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// BGSAVE inside EXEC is scheduled; the cron runs it.
	pdo(t, addr, "CONFIG", "SET", "save", "")
	c, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	saves = pinfo(t, addr, "persistence", "rdb_saves")
	c.Do("MULTI")
	c.Do("BGSAVE")
	if raw, _, _ := c.Do("EXEC"); string(raw) != "*1\r\n+Background saving scheduled\r\n" {
		t.Fatalf("EXEC: %q", raw)
	}
	deadline = time.Now().Add(5 * time.Second)
	for pinfo(t, addr, "persistence", "rdb_saves") == saves {
		if time.Now().After(deadline) {
			t.Fatal("the scheduled BGSAVE did not run")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPersistShutdownKillsBgsave: SHUTDOWN kills a running BGSAVE (no temp
// file left) and makes the final save.
func TestPersistShutdownKillsBgsave(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, func(c *config.Config) { c.RDBKeySaveDelay = 100000 })
	addr := s.Addr().String()
	for i := 0; i < 20; i++ {
		pdo(t, addr, "SET", fmt.Sprint("k", i), "v")
	}
	mustOK(t, pdo(t, addr, "BGSAVE"), "BGSAVE")
	c, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Send("SHUTDOWN", "SAVE")
	c.Read() // the connection closes
	c.Close()
	s.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "temp-*"))
	if len(files) > 0 {
		t.Fatalf("temp files left: %v", files)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "modis.log"))
	for _, want := range []string{"There is a child saving an .rdb. Killing it!", "DB saved on disk"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	s2 := startPersistServer(t, dir, nil)
	if v := pdo(t, s2.Addr().String(), "DBSIZE"); v.Int != 20 {
		t.Fatalf("dbsize %d", v.Int)
	}
}

// TestPersistMisconfDiff: after a failed BGSAVE, Modis and redis-server
// answer the same bytes to writes, reads, PING, MULTI/EXEC, SAVE and
// SHUTDOWN, and recover the same way when saves are turned off.
func TestPersistMisconfDiff(t *testing.T) {
	rsub, msub := filepath.Join(t.TempDir(), "r"), filepath.Join(t.TempDir(), "m")
	os.Mkdir(rsub, 0o755)
	os.Mkdir(msub, 0o755)
	r := difftest.StartRedis(t, "--dir", rsub, "--save", "3600 1")
	s := startPersistServer(t, msub, func(c *config.Config) {
		c.Save = []config.SavePoint{{Seconds: 3600, Changes: 1}}
	})
	addrs := []string{r.Addr, s.Addr().String()}
	for _, a := range addrs {
		pdo(t, a, "SET", "x", "1")
	}
	os.RemoveAll(rsub)
	os.RemoveAll(msub)
	for _, a := range addrs {
		pdo(t, a, "BGSAVE")
		waitBgsave(t, a)
	}
	p := difftest.NewPairNoFlush(t, addrs[0], addrs[1])
	for _, cmd := range [][]string{
		{"SET", "y", "1"}, {"PING"}, {"GET", "x"}, {"DEL", "x"}, {"INCR", "n"},
		{"MULTI"}, {"SET", "y", "2"}, {"GET", "x"}, {"EXEC"},
		{"MULTI"}, {"GET", "x"}, {"EXEC"},
		{"SAVE"}, {"BGSAVE", "x"}, {"SHUTDOWN"}, {"SHUTDOWN", "NOSAVE", "NOW", "ABORT"},
		{"CONFIG", "SET", "stop-writes-on-bgsave-error", "no"}, {"SET", "y", "3"}, {"PING"},
		{"CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"}, {"SET", "y", "3"},
		{"CONFIG", "SET", "save", ""}, {"SET", "y", "4"}, {"PING"},
	} {
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
	}
}

// TestPersistRDBOptions: rdbcompression and rdbchecksum shape the file as
// in Redis (LZF strings, a zero checksum when off), and both kinds load
// into redis-server.
func TestPersistRDBOptions(t *testing.T) {
	dir := t.TempDir()
	s := startPersistServer(t, dir, func(c *config.Config) {
		c.RDBCompression, c.RDBChecksum = false, false
	})
	addr := s.Addr().String()
	pdo(t, addr, "SET", "big", strings.Repeat("abcdefgh", 500))
	mustOK(t, pdo(t, addr, "SAVE"), "SAVE")
	want := digestOf(t, addr)
	plain, _ := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if len(plain) < 4000 || string(plain[len(plain)-8:]) != "\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Fatalf("uncompressed file: %d bytes, footer %x", len(plain), plain[len(plain)-8:])
	}
	r := difftest.StartRedis(t, "--dir", dir, "--enable-debug-command", "yes")
	if got := digestOf(t, r.Addr); got != want {
		t.Fatalf("redis digest %s, want %s", got, want)
	}
	pdo(t, addr, "CONFIG", "SET", "rdbcompression", "yes")
	// rdbchecksum is immutable, as in Redis.
	if v := pdo(t, addr, "CONFIG", "SET", "rdbchecksum", "yes"); v.Type != '-' {
		t.Fatalf("CONFIG SET rdbchecksum: %q", v.Str)
	}
	mustOK(t, pdo(t, addr, "BGSAVE"), "BGSAVE")
	waitBgsave(t, addr)
	packed, _ := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if len(packed) > 1000 || string(packed[len(packed)-8:]) != "\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Fatalf("compressed file: %d bytes, footer %x", len(packed), packed[len(packed)-8:])
	}
	r2 := difftest.StartRedis(t, "--dir", dir, "--enable-debug-command", "yes")
	if got := digestOf(t, r2.Addr); got != want {
		t.Fatalf("redis digest %s, want %s", got, want)
	}
	// The default, checksums on: a non-zero footer Redis verifies.
	s.Close()
	s3 := startPersistServer(t, dir, func(c *config.Config) { c.EnableProtectedConfigs = "yes" })
	mustOK(t, pdo(t, s3.Addr().String(), "SAVE"), "SAVE")
	sum, _ := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if string(sum[len(sum)-8:]) == "\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Fatal("no checksum")
	}
	r3 := difftest.StartRedis(t, "--dir", dir, "--enable-debug-command", "yes")
	if got := digestOf(t, r3.Addr); got != want {
		t.Fatalf("redis digest %s, want %s", got, want)
	}
	// dbfilename and dir as set at run time.
	other := t.TempDir()
	mustOK(t, pdo(t, s3.Addr().String(), "CONFIG", "SET", "dbfilename", "other.rdb", "dir", other), "CONFIG SET")
	mustOK(t, pdo(t, s3.Addr().String(), "SAVE"), "SAVE")
	if _, err := os.Stat(filepath.Join(other, "other.rdb")); err != nil {
		t.Fatal(err)
	}
}

// TestPersistDebugReloadDiff: DEBUG RELOAD and its options answer as in
// redis-server, with the same dataset after each.
func TestPersistDebugReloadDiff(t *testing.T) {
	rdir, mdir := t.TempDir(), t.TempDir()
	r := difftest.StartRedis(t, "--dir", rdir, "--enable-debug-command", "yes")
	s := startPersistServer(t, mdir, nil)
	p := difftest.NewPairNoFlush(t, r.Addr, s.Addr().String())
	steps := [][]string{
		{"SET", "a", "1"}, {"RPUSH", "l", "x", "y"}, {"SET", "t", "v", "EX", "1000"},
		{"DEBUG", "RELOAD"}, {"DEBUG", "DIGEST"}, {"TTL", "t"},
		{"DEBUG", "RELOAD", "bad"}, {"DEBUG", "RELOAD", "NOSAVE", "x"},
		{"SET", "a", "2"}, {"SET", "extra", "1"},
		{"DEBUG", "RELOAD", "NOSAVE"}, {"GET", "a"}, {"GET", "extra"},
		{"SET", "a", "3"}, {"SET", "extra", "1"},
		{"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"}, {"GET", "a"}, {"GET", "extra"}, {"DEBUG", "DIGEST"},
		{"INFO", "keyspace"},
	}
	for _, cmd := range steps {
		mode := difftest.Exact
		if cmd[0] == "TTL" {
			mode = difftest.Shape
		}
		if err := p.Compare(mode, cmd...); err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
	}
	// Without a file.
	os.Remove(filepath.Join(rdir, "dump.rdb"))
	os.Remove(filepath.Join(mdir, "dump.rdb"))
	if err := p.Compare(difftest.Exact, "DEBUG", "RELOAD", "NOSAVE"); err != nil {
		t.Fatal(err)
	}
	if err := p.Compare(difftest.Exact, "DBSIZE"); err != nil {
		t.Fatal(err)
	}
}
