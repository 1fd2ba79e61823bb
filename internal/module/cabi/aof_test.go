package cabi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestAOFModuleType: module values go through the AOF: with
// aof-use-rdb-preamble no the rewrite writes the commands the type's
// aof_rewrite emits (RedisModule_EmitAOF), with yes its rdb_save; module
// commands in the incr file are replayed. Files written by Modis load
// into redis-server with the same modules and the other way round, with
// the same replies, and the Persistence/Loading events a module sees at
// start-up are Redis's.
func TestAOFModuleType(t *testing.T) {
	ht := examplePath(t, "hellotype")
	pt := modulePath(t, "persisttype")
	for _, preamble := range []string{"no", "yes"} {
		t.Run("preamble="+preamble, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"--loadmodule", ht, "--loadmodule", pt, "--dir", dir, "--appendonly", "yes",
				"--aof-use-rdb-preamble", preamble}
			s := startServer(t, args...)
			c := s.dial(t)
			// The base written at start-up: SYNC_AOF_START, ENDED.
			s.do(t, c, bulk("P5 P3 "), "ptype.events")
			for i, v := range []string{"5", "7", "-3"} {
				s.do(t, c, ":"+string(rune('1'+i))+"\r\n", "hellotype.insert", "k", v)
			}
			s.do(t, c, "+OK\r\n", "SELECT", "3")
			s.do(t, c, ":1\r\n", "hellotype.insert", "k3", "42")
			s.do(t, c, "+Background append only file rewriting started\r\n", "BGREWRITEAOF")
			deadline := time.Now().Add(10 * time.Second)
			for {
				_, v, err := c.Do("INFO", "persistence")
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(v.Str), "aof_rewrite_in_progress:0") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("rewrite does not end")
				}
				time.Sleep(20 * time.Millisecond)
			}
			// Modis has one process: the module sees the rewrite's events.
			s.do(t, c, bulk("P1 P3 "), "ptype.events")
			base, _ := filepath.Glob(filepath.Join(dir, "appendonlydir", "appendonly.aof.2.base.*"))
			if len(base) != 1 {
				t.Fatalf("base files: %v", base)
			}
			data, _ := os.ReadFile(base[0])
			if preamble == "no" && !strings.Contains(string(data), "$16\r\nHELLOTYPE.INSERT\r\n$2\r\nk3\r\n$2\r\n42\r\n") {
				t.Fatalf("base without the emitted commands:\n%q", data)
			}
			s.do(t, c, ":2\r\n", "hellotype.insert", "k3", "43") // in the incr file
			s.cmd.Process.Kill()
			<-s.done

			checks := [][]string{{"hellotype.range", "k", "0", "10"}, {"SELECT", "3"}, {"hellotype.range", "k3", "0", "10"}, {"DBSIZE"}}
			s2 := startServer(t, args...)
			c2 := s2.dial(t)
			r := difftest.StartRedis(t, "--loadmodule", ht, "--loadmodule", pt, "--dir", dir, "--appendonly", "yes",
				"--aof-use-rdb-preamble", preamble, "--enable-module-command", "yes")
			rc, err := difftest.Dial(r.Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			raw, _, _ := rc.Do("ptype.events")
			if string(raw) != bulk("L1 L3 ") {
				t.Fatalf("redis events after load: %q", raw)
			}
			s2.do(t, c2, string(raw), "ptype.events")
			for _, cmd := range checks {
				want, _, err := rc.Do(cmd...)
				if err != nil {
					t.Fatal(err)
				}
				s2.do(t, c2, string(want), cmd...)
			}
			if raw, _, _ := rc.Do("hellotype.range", "k3", "0", "10"); string(raw) != "*2\r\n:42\r\n:43\r\n" {
				t.Fatalf("redis k3: %q", raw)
			}
		})
	}
}
