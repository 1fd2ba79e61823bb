package server

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestModuleDiff compares the module API with Redis's: the Go module
// "replytest" and its C twin testdata/modules/replytest.c (built against
// include/redismodule.h and loaded into redis-server) must answer the same
// commands byte for byte: every reply type in RESP2 and RESP3, error
// replies, WrongArity, Call errors, number formatting, and COMMAND
// INFO/DOCS/GETKEYS of module commands.
func TestModuleDiff(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no C compiler")
	}
	so := filepath.Join(t.TempDir(), "replytest.so")
	out, err := exec.Command(gcc, "-shared", "-fPIC", "-O1", "-I../../include", "-o", so, "testdata/modules/replytest.c").CombinedOutput()
	if err != nil {
		t.Fatalf("building the C module: %v\n%s", err, out)
	}
	r := difftest.StartRedis(t, "--enable-module-command", "yes", "--loadmodule", so)
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes" })
	rc, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mc, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	mc.Do("MODULE", "LOAD", "replytest")
	cmds := [][]string{
		{"rt.types"}, {"rt.err"}, {"rt.arity"}, {"rt.arity", "x"},
		{"rt.dbl", "1.5"}, {"rt.dbl", "0.1"}, {"rt.dbl", "1e300"}, {"rt.dbl", "inf"}, {"rt.dbl", "-0"},
		{"rt.dbl", "3"}, {"rt.dbl", "123456789012345678"}, {"rt.dbl", "1e-10"}, {"rt.dbl", "-2.5e-300"},
		{"rt.call", "NOPE", "a", "b"}, {"rt.call", "SET", "a"}, {"rt.call", "CONFIG", "NOPE"}, {"rt.call", "CONFIG"},
		{"rt.call", "SET", "s", "v"}, {"rt.call", "INCR", "s"}, {"rt.call", "GET", "nokey"}, {"rt.call", "GET", "s"},
		{"COMMAND", "INFO", "rt.keyed"}, {"COMMAND", "INFO", "rt.plain"}, {"COMMAND", "INFO", "rt.ro"},
		{"COMMAND", "INFO", "rt.flags"}, {"COMMAND", "INFO", "rt.container"}, {"COMMAND", "INFO", "rt.container|sub"},
		{"COMMAND", "DOCS", "rt.plain"}, {"COMMAND", "DOCS", "rt.container"}, {"COMMAND", "DOCS", "rt.keyed"},
		{"rt.keyed", "a"}, {"rt.keyed", "a", "b"},
		{"COMMAND", "GETKEYS", "rt.keyed", "a", "b", "c"}, {"COMMAND", "GETKEYSANDFLAGS", "rt.keyed", "a", "b", "c"},
		{"COMMAND", "GETKEYS", "rt.ro", "k"}, {"COMMAND", "GETKEYS", "rt.plain", "k"},
		{"rt.container"}, {"rt.container", "nope"}, {"rt.plain"}, {"rt.attr"},
		{"rt.call3", "GET", "s"}, {"rt.call3", "CONFIG", "GET", "maxmemory"}, {"rt.call3", "PING"},
		{"rt.callinfo3", "GET", "s"}, {"rt.callinfo3", "GET", "nokey"}, {"rt.callinfo3", "INCR", "n"},
		{"rt.callinfo3", "CONFIG", "GET", "maxmemory"}, {"rt.callinfo3", "INCR", "s"}, {"rt.callinfo3", "MGET", "a", "b"},
		{"rt.strconv", "12"}, {"rt.strconv", "-12"}, {"rt.strconv", "+12"}, {"rt.strconv", " 1"}, {"rt.strconv", "007"},
		{"rt.strconv", "18446744073709551615"}, {"rt.strconv", "18446744073709551616"}, {"rt.strconv", "1.5"},
		{"rt.strconv", "-0"}, {"rt.strconv", "nan"}, {"rt.strconv", "1e500"}, {"rt.strconv", "0x10"}, {"rt.strconv", ""},
		{"rt.keyops", "k1", "5"}, {"GET", "k1"}, {"TTL", "k1"}, {"rt.keyops", "k1", "2"}, {"GET", "k1"},
		{"rt.keyops", "k1", "0"}, {"EXISTS", "k1"}, {"SET", "k2", "12345"}, {"rt.keyops", "k2", "7"}, {"GET", "k2"},
		{"rt.keyops", "k3", "0"}, {"EXISTS", "k3"}, {"rt.keyops", "k4", "600000000"},
		{"rt.callflags", "E", "NOPE"}, {"rt.callflags", "", "NOPE"}, {"rt.callflags", "", "GET"},
		{"rt.callflags", "W", "SET", "w", "1"}, {"rt.callflags", "WE", "SET", "w", "1"}, {"rt.callflags", "W", "GET", "w"},
		{"rt.callflags", "S", "MULTI"}, {"rt.callflags", "SE", "MULTI"}, {"rt.callflags", "X", "GET", "w"},
		{"rt.callflags", "!", "SET", "w", "2"}, {"rt.callflags", "3", "CONFIG", "GET", "maxmemory"},
		{"rt.keymisc", "nokey"}, {"SET", "km", "v"}, {"rt.keymisc", "km"}, {"EXISTS", "km"},
		{"SET", "km", "v", "PXAT", "99999999999999"}, {"rt.keymisc", "km"},
		{"rt.repl"}, {"rt.dbops"}, {"SELECT", "5"}, {"SET", "only", "1"}, {"SELECT", "0"}, {"rt.dbops"},
		{"rt.strconv", "0x1.8"}, {"rt.strconv", "-0X1F"}, {"rt.strconv", "0x"}, {"rt.strconv", "inf"},
		{"HELLO", "3"}, {"rt.types"}, {"rt.attr"}, {"rt.call3", "GET", "s"}, {"rt.call3", "CONFIG", "GET", "maxmemory"}, {"rt.dbl", "1.5"}, {"rt.dbl", "inf"}, {"rt.dbl", "0.1"},
		{"rt.call", "GET", "nokey"}, {"rt.call", "SET", "a"},
	}
	for _, c := range cmds {
		rr, _, err1 := rc.Do(c...)
		mr, _, err2 := mc.Do(c...)
		if err1 != nil || err2 != nil {
			t.Fatalf("%v: %v / %v", c, err1, err2)
		}
		if c[0] == "HELLO" { // ids and module paths differ by nature
			continue
		}
		if string(rr) != string(mr) {
			t.Errorf("%v\n redis %q\n modis %q", c, rr, mr)
		}
	}
}
