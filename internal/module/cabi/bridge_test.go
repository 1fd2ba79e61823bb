//go:build cgo

package cabi

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/server"
)

// The server under test runs in a child process (this test binary
// re-executed with CABI_TEST_SERVER=1), so a crash in C code fails the test
// with the server's output instead of killing or hanging the test run.
func TestMain(m *testing.M) {
	if os.Getenv("CABI_TEST_SERVER") == "1" {
		os.Exit(server.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cModules compiles a directory of C test modules with the system C
// compiler against include/redismodule.h, all of them once per test
// binary, into a temporary directory.
type cModules struct {
	glob, tmpPrefix string
	once            sync.Once
	dir             string
	err             error
}

// path returns the .so built from <name>.c (skipping the test without a C
// compiler, failing it when a module does not compile).
func (cm *cModules) path(t *testing.T, name string) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler (cc) in PATH")
	}
	cm.once.Do(func() {
		cm.dir, cm.err = os.MkdirTemp("", cm.tmpPrefix)
		if cm.err != nil {
			return
		}
		srcs, _ := filepath.Glob(cm.glob)
		for _, src := range srcs {
			base := strings.TrimSuffix(filepath.Base(src), ".c")
			out, err := exec.Command(cc, "-Wall", "-Wextra", "-Werror", "-pthread", "-fPIC", "-shared", "-O1", "-g",
				"-I../../../include", "-o", filepath.Join(cm.dir, base+".so"), src).CombinedOutput()
			if err != nil {
				cm.err = fmt.Errorf("compile %s: %v\n%s", src, err, out)
				return
			}
		}
	})
	if cm.err != nil {
		t.Fatal(cm.err)
	}
	return filepath.Join(cm.dir, name+".so")
}

var testModules = cModules{glob: "testdata/*.c", tmpPrefix: "cabi-test-"}

// modulePath returns the test module built from testdata/<name>.c.
func modulePath(t *testing.T, name string) string {
	t.Helper()
	return testModules.path(t, name)
}

// testServer is a Modis server child process.
type testServer struct {
	addr string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs a server with extra command line options and waits
// until it accepts connections. It fails the test (with the server's log)
// if the server exits first.
func startServer(t *testing.T, extra ...string) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	args := append([]string{"--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "",
		"--enable-module-command", "yes", "--loglevel", "verbose"}, extra...)
	s := &testServer{addr: fmt.Sprintf("127.0.0.1:%d", port), out: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(os.Args[0], args...)
	s.cmd.Env = append(os.Environ(), "CABI_TEST_SERVER=1")
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		out := s.out.String()
		for _, bad := range []string{"WARNING: DATA RACE", "panic in the C module bridge", "cgo argument has Go pointer", "API misuse", "AddressSanitizer"} {
			if strings.Contains(out, bad) {
				t.Errorf("server log has %q", bad)
			}
		}
		if t.Failed() {
			t.Logf("server output:\n%s", s.out.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-s.done:
			t.Fatalf("server exited during start-up (%v):\n%s", s.cmd.ProcessState, s.out.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", s.addr, 100*time.Millisecond); err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", s.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dial connects to the server; every exchange has a deadline so a hung
// server fails the test.
func (s *testServer) dial(t *testing.T) *difftest.Conn {
	t.Helper()
	c, err := difftest.Dial(s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// do sends a command and checks the raw reply.
func (s *testServer) do(t *testing.T, c *difftest.Conn, want string, args ...string) {
	t.Helper()
	type result struct {
		raw []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		raw, _, err := c.Do(args...)
		ch <- result{raw, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			select {
			case <-s.done:
				t.Fatalf("%q: server died (%v):\n%s", args, s.cmd.ProcessState, s.out.String())
			case <-time.After(200 * time.Millisecond):
			}
			t.Fatalf("%q: %v", args, r.err)
		}
		if string(r.raw) != want {
			t.Fatalf("%q:\n got %q\nwant %q", args, r.raw, want)
		}
	case <-s.done:
		t.Fatalf("%q: server died (%v):\n%s", args, s.cmd.ProcessState, s.out.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("%q: no reply in 10s (hang)", args)
	}
}

// logged waits (up to 5s) for the server log to contain every sub; the
// log reaches us through a pipe, after the reply.
func (s *testServer) logged(subs ...string) bool {
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := s.out.String()
		all := true
		for _, sub := range subs {
			all = all && strings.Contains(out, sub)
		}
		if all {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func bulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

func TestBridgeCommands(t *testing.T) {
	so := modulePath(t, "bridgetest")
	s := startServer(t, "--loadmodule", so, "hello")
	c := s.dial(t)

	t.Run("replies/resp2", func(t *testing.T) {
		s.do(t, c, "*16\r\n:-42\r\n+OK\r\n-ERR boom\r\n$4\r\nbu\x00f\r\n"+bulk("cstr")+"$-1\r\n*-1\r\n*0\r\n$0\r\n\r\n"+
			":1\r\n"+bulk("3.5")+bulk("12345678901234567890")+bulk("verb")+"*2\r\n"+bulk("k")+":1\r\n"+
			"*2\r\n"+bulk("a")+bulk("b")+bulk("str"), "bt.replies")
		s.do(t, c, "-ERR wrong number of arguments for 'bt.replies' command\r\n", "bt.replies", "x")
	})
	t.Run("replies/resp3", func(t *testing.T) {
		c3 := s.dial(t)
		if _, _, err := c3.Do("HELLO", "3"); err != nil {
			t.Fatal(err)
		}
		s.do(t, c3, "*16\r\n:-42\r\n+OK\r\n-ERR boom\r\n$4\r\nbu\x00f\r\n"+bulk("cstr")+"_\r\n_\r\n*0\r\n$0\r\n\r\n"+
			"#t\r\n,3.5\r\n(12345678901234567890\r\n=8\r\ntxt:verb\r\n%1\r\n"+bulk("k")+":1\r\n"+
			"~2\r\n"+bulk("a")+bulk("b")+bulk("str"), "bt.replies")
	})
	t.Run("strings", func(t *testing.T) {
		s.do(t, c, "*6\r\n:123\r\n"+bulk("123")+":-48\r\n"+bulk("<123|3|7>")+bulk("123++")+bulk("18446744073709551615"), "bt.conv", "123")
		s.do(t, c, "*6\r\n-ERR not an integer\r\n"+bulk("1.5")+":-48\r\n"+bulk("<1.5|3|7>")+bulk("1.5++")+bulk("18446744073709551615"), "bt.conv", "1.5")
		s.do(t, c, "*6\r\n-ERR not an integer\r\n-ERR not a double\r\n:25\r\n"+bulk("<zz|2|7>")+bulk("zz++")+bulk("18446744073709551615"), "bt.conv", "zz")
		s.do(t, c, "*6\r\n-ERR not an integer\r\n-ERR not a double\r\n:0\r\n"+bulk("<abc|3|7>")+bulk("abc++")+bulk("18446744073709551615"), "bt.conv", "abc")
	})
	t.Run("dma", func(t *testing.T) {
		s.do(t, c, ":5\r\n", "bt.dmawrite", "k1", "hello")
		s.do(t, c, bulk("hello"), "GET", "k1")
		s.do(t, c, bulk("hello"), "bt.dmaread", "k1")
		s.do(t, c, "+OK\r\n", "SET", "k2", "12345")
		s.do(t, c, bulk("12345"), "bt.dmaread", "k2")
		s.do(t, c, ":3\r\n", "bt.dmawrite", "k2", "abc")
		s.do(t, c, bulk("abc"), "GET", "k2")
		s.do(t, c, "$-1\r\n", "bt.dmaread", "nokey")
	})
	t.Run("call", func(t *testing.T) {
		s.do(t, c, bulk("v1"), "bt.call", "ck", "v1")
		s.do(t, c, bulk("v1"), "GET", "ck")
		s.do(t, c, "*5\r\n:0\r\n"+bulk("x")+bulk("42")+"$-1\r\n:1\r\n", "bt.callarr")
	})
	t.Run("auto", func(t *testing.T) {
		s.do(t, c, "+OK\r\n", "bt.auto")
		s.do(t, c, bulk("bt:auto"), "GET", "bt:auto")
		s.do(t, c, ":1\r\n", "bt.alloc")
	})
	t.Run("misc", func(t *testing.T) {
		s.do(t, c, "+OK\r\n", "FLUSHALL")
		s.do(t, c, "*5\r\n:0\r\n:0\r\n:1\r\n:1\r\n:1\r\n", "bt.misc")
		s.do(t, c, "+OK\r\n", "SET", "x", "1")
		s.do(t, c, "*5\r\n:1\r\n:1\r\n:1\r\n:1\r\n:1\r\n", "bt.misc")
		s.do(t, c, "*2\r\n"+bulk("a")+bulk("c"), "COMMAND", "GETKEYS", "bt.getkeys", "a", "b", "c")
		s.do(t, c, ":4\r\n", "bt.getkeys", "a", "b", "c")
		s.do(t, c, "*3\r\n:0\r\n:1\r\n:1\r\n", "bt.repl", "rk")
	})
	t.Run("commandinfo", func(t *testing.T) {
		s.do(t, c, "*1\r\n"+bulk("foo"), "COMMAND", "GETKEYS", "bt.info", "foo", "bar")
		s.do(t, c, "-ERR wrong number of arguments for 'bt.info' command\r\n", "bt.info")
		raw, _, err := c.Do("COMMAND", "DOCS", "bt.info")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Bridge info test", "O(1)", "1.1.0", "Added the value.", "value", "block", "optional"} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("COMMAND DOCS bt.info lacks %q: %q", want, raw)
			}
		}
	})
	t.Run("timer", func(t *testing.T) {
		s.do(t, c, "*3\r\n:1\r\n:1\r\n:1\r\n", "bt.timer", "tk", "20")
		deadline := time.Now().Add(5 * time.Second)
		for {
			raw, _, err := c.Do("GET", "tk")
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) == bulk("fired") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("timer did not fire: GET tk = %q", raw)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	t.Run("dict", func(t *testing.T) {
		s.do(t, c, "*6\r\n:2\r\n:1\r\n"+bulk("a")+bulk("b")+bulk("b")+bulk("a"), "bt.dict")
	})
	t.Run("block", func(t *testing.T) {
		s.do(t, c, "+OK\r\n", "SET", "bt:thread", "0")
		s.do(t, c, ":7\r\n", "bt.block", "10", "7")
		s.do(t, c, bulk("1"), "GET", "bt:thread")
		// Several clients blocked at once, unblocked by their threads.
		conns := make([]*difftest.Conn, 4)
		for i := range conns {
			conns[i] = s.dial(t)
			if err := conns[i].Send("bt.block", "30", fmt.Sprint(100+i)); err != nil {
				t.Fatal(err)
			}
		}
		for i, cc := range conns {
			s.do(t, cc, fmt.Sprintf(":%d\r\n", 100+i), "PING")
			s.do(t, cc, "+PONG\r\n", "PING")
		}
		s.do(t, c, bulk("5"), "GET", "bt:thread")
		s.do(t, c, "+TIMEDOUT\r\n", "bt.blockto", "20")
		if !s.logged("worker done 103", "worker done 0") {
			t.Errorf("thread-safe context Log line missing")
		}
	})
	t.Run("keyspace-events", func(t *testing.T) {
		sub := s.dial(t)
		if _, _, err := sub.Do("SUBSCRIBE", "bt:ch"); err != nil {
			t.Fatal(err)
		}
		s.do(t, c, "+OK\r\n", "SET", "bt:events", "0")
		s.do(t, c, "+OK\r\n", "SET", "ev:1", "a")
		s.do(t, c, ":1\r\n", "APPEND", "ev:1", "")
		s.do(t, c, "*2\r\n:0\r\n:1\r\n", "bt.notify", "ev:2")
		s.do(t, c, bulk("3"), "GET", "bt:events")
		for _, want := range []string{"set ev:1", "append ev:1", "bt-custom ev:2"} {
			raw, _, err := sub.Read()
			if err != nil {
				t.Fatal(err)
			}
			if exp := "*3\r\n" + bulk("message") + bulk("bt:ch") + bulk(want); string(raw) != exp {
				t.Fatalf("published %q, want %q", raw, exp)
			}
		}
	})
	t.Run("attribute", func(t *testing.T) {
		// As redis-server 7.0.15: no attribute before the reply was parsed
		// by another accessor (et.attrproxy in enginetest parses first).
		s.do(t, c, "*4\r\n:-1\r\n$-1\r\n$-1\r\n"+bulk("x"), "bt.attr")
	})
	t.Run("block-on-keys", func(t *testing.T) {
		w := s.dial(t)
		if err := w.Send("bt.bpop", "bk", "0"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)        // let it block
		s.do(t, c, "+OK\r\n", "bt.signal", "bk") // nothing there yet: stays blocked
		// The engine already wakes the waiter on the write (redis-server
		// 7.0.15 only on the signal); either way one reply arrives.
		s.do(t, c, "+OK\r\n", "SET", "bk", "payload")
		s.do(t, c, "+OK\r\n", "bt.signal", "bk")
		raw, _, err := w.Read()
		if err != nil || string(raw) != bulk("payload") {
			t.Fatalf("bt.bpop: %q %v", raw, err)
		}
		s.do(t, c, ":0\r\n", "EXISTS", "bk")
		s.do(t, c, "$-1\r\n", "bt.bpop", "bk", "30")
	})
	t.Run("retained", func(t *testing.T) {
		s.do(t, c, bulk("hello"), "bt.retained")
	})
	t.Run("subcommand", func(t *testing.T) {
		s.do(t, c, "*3\r\n"+bulk("bt.parent|sub")+":0\r\n:1\r\n", "bt.parent", "sub")
		if !s.logged("bt.parent sub called with 2 args") {
			t.Errorf("Log line missing from the server log")
		}
	})
	t.Run("unload", func(t *testing.T) {
		// The timed-out client's worker unblocks it a little later.
		for deadline := time.Now().Add(5 * time.Second); ; {
			raw, _, err := c.Do("MODULE", "UNLOAD", "bridgetest")
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) == "+OK\r\n" {
				break
			}
			if !strings.Contains(string(raw), "blocked clients") || time.Now().After(deadline) {
				t.Fatalf("MODULE UNLOAD: %q", raw)
			}
			time.Sleep(10 * time.Millisecond)
		}
		s.do(t, c, "-ERR unknown command 'bt.replies', with args beginning with: \r\n", "bt.replies")
		// Load again (dlopen after dlclose) through MODULE LOAD.
		s.do(t, c, "+OK\r\n", "MODULE", "LOAD", so, "again")
		s.do(t, c, bulk("again"), "bt.retained")
	})
}

func TestBridgeFailingOnLoad(t *testing.T) {
	so := modulePath(t, "bridgetest")
	s := startServer(t)
	c := s.dial(t)
	s.do(t, c, "-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", so, "fail")
	s.do(t, c, "-ERR unknown command 'bt.replies', with args beginning with: \r\n", "bt.replies")
	s.do(t, c, "*0\r\n", "MODULE", "LIST")
	// The module was dlclosed; loading it properly still works.
	s.do(t, c, "+OK\r\n", "MODULE", "LOAD", so)
	s.do(t, c, ":1\r\n", "bt.alloc")
	if !s.logged("failing on purpose") {
		t.Errorf("the failing OnLoad's log line is missing")
	}
}

func TestBridgeMissingAPI(t *testing.T) {
	s := startServer(t, "--loadmodule", modulePath(t, "missingapi"))
	c := s.dial(t)
	s.do(t, c, "*3\r\n:1\r\n:1\r\n:1\r\n", "ma.probe")
	if !s.logged("Module missingapi asked for", "RedisModule_NoSuchApi") {
		t.Errorf("missing-API log line not found")
	}
}

func TestBridgeValkeyEntryPoint(t *testing.T) {
	s := startServer(t)
	c := s.dial(t)
	s.do(t, c, "+OK\r\n", "MODULE", "LOAD", modulePath(t, "valkey"))
	s.do(t, c, "+VALKEY\r\n", "vk.ping")
}

func TestBridgeLoadErrors(t *testing.T) {
	s := startServer(t)
	c := s.dial(t)
	const e = "-ERR Error loading the extension. Please check the server logs.\r\n"
	s.do(t, c, e, "MODULE", "LOAD", "/nonexistent/x.so")
	noExec := filepath.Join(t.TempDir(), "noexec.so")
	data, err := os.ReadFile(modulePath(t, "valkey"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(noExec, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s.do(t, c, e, "MODULE", "LOAD", noExec)
	if !s.logged("It does not have execute permissions.") {
		t.Errorf("no execute-permission log line")
	}
}

func TestBridgeDataType(t *testing.T) {
	s := startServer(t, "--loadmodule", modulePath(t, "bridgetype"))
	c := s.dial(t)
	const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	s.do(t, c, "$-1\r\n", "bt.tget", "t1")
	s.do(t, c, "+OK\r\n", "bt.tset", "t1", "5")
	s.do(t, c, ":5\r\n", "bt.tget", "t1")
	s.do(t, c, "+OK\r\n", "bt.tset", "t1", "6")
	s.do(t, c, ":6\r\n", "bt.tget", "t1")
	s.do(t, c, "+bridgetyp\r\n", "TYPE", "t1")
	s.do(t, c, ":6\r\n", "bt.tswap", "t1", "7")
	s.do(t, c, ":7\r\n", "bt.tget", "t1")
	s.do(t, c, "+OK\r\n", "SET", "s1", "x")
	s.do(t, c, wrongType, "bt.tset", "s1", "1")
	s.do(t, c, wrongType, "bt.tget", "s1")
	s.do(t, c, wrongType, "GET", "t1")
	s.do(t, c, ":0\r\n", "bt.tfrees")
	s.do(t, c, ":1\r\n", "DEL", "t1")
	s.do(t, c, ":1\r\n", "bt.tfrees")
	s.do(t, c, "+OK\r\n", "bt.tset", "t2", "1")
	s.do(t, c, "+OK\r\n", "SET", "t2", "overwritten")
	s.do(t, c, ":2\r\n", "bt.tfrees")
	s.do(t, c, bulk("# bridgetype_stats\r\nbridgetype_frees:2\r\nbridgetype_name:bt\r\nbridgetype_ratio:0.5\r\n"+
		"bridgetype_big:18446744073709551615\r\nbridgetype_dict:a=1,b=two\r\n"), "INFO", "bridgetype")
	// Shared API between two C modules; the user cannot be unloaded last.
	s.do(t, c, "+OK\r\n", "CLIENT", "SETNAME", "me")
	s.do(t, c, "+OK\r\n", "MODULE", "LOAD", modulePath(t, "bridgetest"))
	s.do(t, c, "*2\r\n:42\r\n"+bulk("me"), "bt.shared")
	s.do(t, c, "+OK\r\n", "MODULE", "UNLOAD", "bridgetest")
	// A module exporting a data type cannot be unloaded.
	s.do(t, c, "-ERR Error unloading module: the module exports one or more module-side data types, can't unload\r\n", "MODULE", "UNLOAD", "bridgetype")
}

func TestBridgeConfigs(t *testing.T) {
	s := startServer(t, "--loadmodule", modulePath(t, "bridgeconf"), "--bridgeconf.num", "42")
	c := s.dial(t)
	// As redis-server 7.0.15: no apply callback runs at load.
	s.do(t, c, "*5\r\n"+bulk("hello")+":1\r\n:42\r\n:1\r\n:0\r\n", "bc.get")
	s.do(t, c, "*2\r\n"+bulk("bridgeconf.str")+bulk("hello"), "CONFIG", "GET", "bridgeconf.str")
	s.do(t, c, "+OK\r\n", "CONFIG", "SET", "bridgeconf.str", "world")
	s.do(t, c, "+OK\r\n", "CONFIG", "SET", "bridgeconf.num", "50")
	s.do(t, c, "+OK\r\n", "CONFIG", "SET", "bridgeconf.flag", "no")
	s.do(t, c, "+OK\r\n", "CONFIG", "SET", "bridgeconf.mode", "two")
	s.do(t, c, "*2\r\n"+bulk("bridgeconf.mode")+bulk("two"), "CONFIG", "GET", "bridgeconf.mode")
	s.do(t, c, "*5\r\n"+bulk("world")+":0\r\n:50\r\n:2\r\n:2\r\n", "bc.get")
	raw, _, err := c.Do("CONFIG", "SET", "bridgeconf.num", "13")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "-ERR") || !strings.Contains(string(raw), "thirteen is unlucky") {
		t.Errorf("CONFIG SET refused by the module: %q", raw)
	}
	s.do(t, c, "*2\r\n"+bulk("bridgeconf.num")+bulk("50"), "CONFIG", "GET", "bridgeconf.num")
	s.do(t, c, "+OK\r\n", "MODULE", "UNLOAD", "bridgeconf")
}
