package cabi

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestPersistModuleType: a C module type with rdb_save/rdb_load and aux
// data (before and after the keyspace) survives SAVE and a restart of
// Modis, the file loads into redis-server with the same module with the
// same replies, and Redis's file loads back into Modis. The module's log
// of Persistence and Loading events matches Redis's.
func TestPersistModuleType(t *testing.T) {
	so := modulePath(t, "persisttype")
	dir := t.TempDir()
	s := startServer(t, "--loadmodule", so, "--dir", dir)
	c := s.dial(t)
	s.do(t, c, "+OK\r\n", "ptype.set", "k1", "hello", "3.5", "42")
	s.do(t, c, "+OK\r\n", "ptype.set", "k2", "world", "-1e300", "-7")
	s.do(t, c, "+OK\r\n", "SET", "plain", "v")
	// A file of a few KB, for LoadingProgress events every 1024 bytes.
	// (random bytes: LZF cannot shrink them, both servers write 5 KB).
	big := make([]byte, 5000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	s.do(t, c, "+OK\r\n", "SET", "big", string(big))
	s.do(t, c, "+OK\r\n", "SELECT", "2")
	s.do(t, c, "+OK\r\n", "ptype.set", "k3", "", "0", "0")
	s.do(t, c, "+OK\r\n", "ptype.setaux", "99", "tail text")
	s.do(t, c, bulk(""), "ptype.events")
	s.do(t, c, "+OK\r\n", "SAVE")
	// SYNC_RDB_START, ENDED.
	s.do(t, c, bulk("P2 P3 "), "ptype.events")
	// BGSAVE: RDB_START, ENDED (Redis fires them in its fork child; the
	// module sees them here, in the only process there is).
	s.do(t, c, "+Background saving started\r\n", "BGSAVE")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, v, err := c.Do("INFO", "persistence")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(v.Str), "rdb_bgsave_in_progress:0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE does not end")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.do(t, c, bulk("P0 P3 "), "ptype.events")
	s.cmd.Process.Kill()
	<-s.done

	checks := [][]string{
		{"ptype.get", "k1"}, {"ptype.get", "k2"}, {"GET", "plain"}, {"SELECT", "2"},
		{"ptype.get", "k3"}, {"ptype.aux"}, {"DBSIZE"},
	}
	s2 := startServer(t, "--loadmodule", so, "--dir", dir, "--loading-process-events-interval-bytes", "1024", "--enable-debug-command", "yes")
	c2 := s2.dial(t)
	r := difftest.StartRedis(t, "--loadmodule", so, "--dir", dir, "--enable-module-command", "yes", "--loading-process-events-interval-bytes", "1024", "--enable-debug-command", "yes")
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	// Loading RDB_START, ENDED, before anything else.
	if raw, _, _ := rc.Do("ptype.events"); string(raw) != bulk("L0 L3 ") {
		t.Fatalf("redis events after load: %q", raw)
	}
	s2.do(t, c2, bulk("L0 L3 "), "ptype.events")
	for _, cmd := range checks {
		want, _, err := rc.Do(cmd...)
		if err != nil {
			t.Fatal(err)
		}
		s2.do(t, c2, string(want), cmd...)
	}
	s2.do(t, c2, "*2\r\n:99\r\n"+bulk("tail text"), "ptype.aux")
	// As many LoadingProgress events as Redis (the progress figure
	// differs: Modis reads ahead in bigger blocks).
	_, mp, _ := c2.Do("ptype.progress")
	_, rp, _ := rc.Do("ptype.progress")
	if len(mp.Elems) != 2 || len(rp.Elems) != 2 || mp.Elems[0].Int != rp.Elems[0].Int || mp.Elems[0].Int == 0 {
		t.Fatalf("LoadingProgress events: modis %+v, redis %+v", mp, rp)
	}
	// DEBUG RELOAD: the save's and the load's events, values and aux data
	// back, as in Redis.
	for _, cmd := range [][]string{{"ptype.setaux", "5", "reload"}, {"DEBUG", "RELOAD"}, {"ptype.events"}, {"ptype.aux"}, {"ptype.get", "k3"}, {"DBSIZE"}} {
		want, _, err := rc.Do(cmd...)
		if err != nil {
			t.Fatal(err)
		}
		s2.do(t, c2, string(want), cmd...)
	}

	// Redis writes, Modis reads.
	rc.Do("SELECT", "0")
	if _, _, err := rc.Do("ptype.set", "k4", "from redis", "1.25", "4"); err != nil {
		t.Fatal(err)
	}
	rc.Do("ptype.setaux", "7", "redis aux")
	if raw, _, _ := rc.Do("SAVE"); string(raw) != "+OK\r\n" {
		t.Fatalf("redis SAVE: %q", raw)
	}
	s2.cmd.Process.Kill()
	<-s2.done
	s3 := startServer(t, "--loadmodule", so, "--dir", dir)
	c3 := s3.dial(t)
	s3.do(t, c3, "*3\r\n"+bulk("from redis")+"+1.25\r\n:4\r\n", "ptype.get", "k4")
	s3.do(t, c3, "*2\r\n:7\r\n"+bulk("redis aux"), "ptype.aux")
	s3.cmd.Process.Kill()
	<-s3.done

	// Without the module the file cannot load: start-up fails, as in Redis.
	cmd := exec.Command(os.Args[0], "--port", fmt.Sprint(difftest.FreePort(t)), "--bind", "127.0.0.1", "--dir", dir)
	cmd.Env = append(os.Environ(), "CABI_TEST_SERVER=1")
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "# The RDB file contains AUX module data I can't load: no matching module 'persistty'\n") {
		t.Fatalf("start without the module: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}
}

// TestPersistModuleTypeBgsaveCOW: module values changed or deleted while a
// slow BGSAVE runs are saved as they were when it started (their rdb_save
// runs before the change, under the lock).
func TestPersistModuleTypeBgsaveCOW(t *testing.T) {
	so := modulePath(t, "persisttype")
	dir := t.TempDir()
	s := startServer(t, "--loadmodule", so, "--dir", dir, "--rdb-key-save-delay", "50000")
	c := s.dial(t)
	const n = 8
	for i := 0; i < n; i++ {
		s.do(t, c, "+OK\r\n", "ptype.set", fmt.Sprint("k", i), fmt.Sprint("old", i), "1.5", fmt.Sprint(i))
	}
	s.do(t, c, "+Background saving started\r\n", "BGSAVE")
	for i := 0; i < n; i++ {
		k := fmt.Sprint("k", i)
		if i%3 == 0 {
			s.do(t, c, ":1\r\n", "DEL", k)
		} else {
			s.do(t, c, "+OK\r\n", "ptype.set", k, "new", "0", "0")
		}
	}
	s.do(t, c, "+OK\r\n", "ptype.set", "created", "after", "0", "0")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, v, err := c.Do("INFO", "persistence")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(v.Str), "rdb_bgsave_in_progress:0") {
			if !strings.Contains(string(v.Str), "rdb_last_bgsave_status:ok") {
				t.Fatalf("BGSAVE failed:\n%s", v.Str)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE does not end")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.cmd.Process.Kill()
	<-s.done
	s2 := startServer(t, "--loadmodule", so, "--dir", dir)
	c2 := s2.dial(t)
	for i := 0; i < n; i++ {
		old := fmt.Sprint("old", i)
		s2.do(t, c2, fmt.Sprintf("*3\r\n%s+1.5\r\n:%d\r\n", bulk(old), i), "ptype.get", fmt.Sprint("k", i))
	}
	s2.do(t, c2, "$-1\r\n", "ptype.get", "created")
	s2.do(t, c2, fmt.Sprintf(":%d\r\n", n), "DBSIZE")
}

// TestPersistForkExclusion: one child at a time, as in Redis: BGSAVE while
// a module's fork child runs is refused or scheduled (and runs once the
// child is gone), and a module cannot fork during a BGSAVE. Replies are
// compared with redis-server.
func TestPersistForkExclusion(t *testing.T) {
	so := modulePath(t, "bridgeproc")
	r := difftest.StartRedis(t, "--loadmodule", so)
	m := startServer(t, "--loadmodule", so, "--dir", t.TempDir())
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mc := m.dial(t)
	waitInfo := func(c *difftest.Conn, field string) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, v, err := c.Do("INFO", "persistence")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(v.Str), field) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %q in:\n%s", field, v.Str)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	scenario := func(c *difftest.Conn) []string {
		var out []string
		do := func(args ...string) {
			raw, _, err := c.Do(args...)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%v -> %q", args, raw))
		}
		do("SET", "a", "1")
		do("pr.fork", "0", "5000")
		do("BGSAVE")
		do("BGSAVE", "SCHEDULE")
		do("pr.kill")
		// The cron runs the scheduled save once the child is gone.
		waitInfo(c, "rdb_saves:1\r\n")
		waitInfo(c, "rdb_bgsave_in_progress:0")
		do("CONFIG", "SET", "rdb-key-save-delay", "300000")
		do("SET", "b", "1")
		do("BGSAVE")
		do("pr.fork", "0", "0")
		do("BGSAVE", "SCHEDULE")
		waitInfo(c, "rdb_bgsave_in_progress:0")
		do("CONFIG", "SET", "rdb-key-save-delay", "0")
		return out
	}
	want, got := scenario(rc), scenario(mc)
	if w, g := strings.Join(want, "\n"), strings.Join(got, "\n"); w != g {
		t.Errorf("differs\nredis:\n%s\nmodis:\n%s", w, g)
	}
}
