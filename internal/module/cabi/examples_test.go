//go:build cgo

package cabi

import (
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/module"

	_ "github.com/modis/modis/examples/modules/helloblock"
	_ "github.com/modis/modis/examples/modules/hellodict"
	_ "github.com/modis/modis/examples/modules/hellotimer"
	_ "github.com/modis/modis/examples/modules/hellotype"
	_ "github.com/modis/modis/examples/modules/helloworld"
)

var exampleModules = cModules{glob: "../../../examples/modules/c/*.c", tmpPrefix: "cabi-examples-"}

// examplePath returns the example module built from
// examples/modules/c/<name>.c.
func examplePath(t *testing.T, name string) string {
	t.Helper()
	return exampleModules.path(t, name)
}

var exampleNames = []string{"helloworld", "hellotype", "hellodict", "helloblock", "hellotimer"}

// exampleStep is one command of the example comparison. Modes:
// "=" every server replies the same bytes; "m" the C and Go modules in
// Modis reply the same bytes and redis-server the same type; "~" all the
// same reply type only; "c" the C module in Modis and redis-server reply
// the same bytes (commands the Go port lacks), skipped while Modis does
// not register the command (its key APIs missing); "?=" is "=" skipped
// while Modis lacks the command (the list family); "send" sends on the
// second connection and "recv" reads its reply (compared like "=").
type exampleStep struct {
	mode string
	args []string
}

func exampleSteps() []exampleStep {
	s := func(mode string, args ...string) exampleStep { return exampleStep{mode, args} }
	return []exampleStep{
		// helloworld
		s("=", "hello.simple"), s("=", "SELECT", "3"), s("=", "hello.simple"), s("=", "SELECT", "0"),
		s("?=", "RPUSH", "l0", "x"), s("?=", "hello.push.call", "l", "a"), s("?=", "hello.push.call2", "l", "bb"), s("?=", "hello.list.sum.len", "l"),
		s("=", "hello.push.call", "l"), s("?=", "hello.list.sum.len", "nolist"),
		s("=", "hello.rand.array", "0"), s("~", "hello.rand.array", "3"), s("=", "hello.rand.array", "x"),
		s("=", "hello.repl1"), s("=", "GET", "foo"), s("=", "GET", "bar"),
		s("=", "SET", "k", "Hello World"), s("=", "hello.toggle.case", "k"), s("=", "GET", "k"),
		s("=", "hello.toggle.case", "nokey"), s("?=", "hello.toggle.case", "l"), s("=", "hello.toggle.case"),
		s("=", "SET", "e", "v", "PX", "100000"), s("=", "hello.more.expire", "e", "100000"), s("~", "PTTL", "e"),
		s("=", "hello.more.expire", "nokey", "10"), s("=", "hello.more.expire", "e", "x"),
		s("=", "hello.leftpad", "abc", "8", "*"), s("=", "hello.leftpad", "abc", "2", "*"),
		s("=", "hello.leftpad", "abc", "8", "**"), s("=", "hello.leftpad", "abc", "-1", "*"),
		s("c", "hello.push.native", "nl", "1"), s("c", "hello.push.native", "nl", "2"), s("c", "hello.push.native", "nl", "x"),
		s("c", "hello.push.native", "k", "1"), s("c", "hello.list.splice", "nl", "dl", "2"), s("c", "LRANGE", "dl", "0", "-1"),
		s("c", "hello.list.splice", "nl", "dl", "x"), s("c", "hello.list.splice", "k", "dl", "1"),
		s("c", "hello.list.splice.auto", "dl", "nl", "1"), s("c", "LRANGE", "nl", "0", "-1"),
		s("c", "ZADD", "z", "1", "a", "2", "b", "3", "c"), s("c", "hello.zsumrange", "z", "1", "2"),
		s("c", "hello.zsumrange", "z", "(1", "+inf"), s("c", "hello.zsumrange", "z", "x", "2"), s("c", "hello.zsumrange", "k", "1", "2"),
		s("c", "ZADD", "people", "0", "ann:20", "0", "bob:35", "0", "cid:50"),
		s("c", "hello.lexrange", "people", "[a", "[c", "0", "100"), s("c", "hello.lexrange", "people", "-", "+", "0", "1"),
		s("c", "hello.lexrange", "people", "x", "[z", "0", "1"), s("c", "hello.lexrange", "k", "[a", "[z", "0", "1"),
		s("c", "HSET", "h", "f", "v"), s("c", "hello.hcopy", "h", "f", "g"), s("c", "HGET", "h", "g"),
		s("c", "hello.hcopy", "h", "nof", "g2"), s("c", "hello.hcopy", "nohash", "f", "g"), s("c", "hello.hcopy", "k", "f", "g"),
		// Last: the Go port has no hello.repl2 (its list then diverges).
		s("c", "RPUSH", "rl", "1", "x", "41"), s("c", "hello.repl2", "rl"), s("c", "LRANGE", "rl", "0", "-1"), s("c", "hello.repl2", "k"),
		// hellotype
		s("=", "hellotype.insert", "t", "5"), s("=", "hellotype.insert", "t", "-3"), s("=", "hellotype.insert", "t", "10"),
		s("=", "hellotype.insert", "t", "x"), s("=", "hellotype.range", "t", "1", "5"), s("=", "hellotype.range", "t", "0", "0"),
		s("=", "hellotype.range", "nokey", "0", "5"), s("=", "hellotype.range", "t", "-1", "5"),
		s("=", "hellotype.len", "t"), s("=", "hellotype.len", "nokey"), s("=", "TYPE", "t"),
		s("=", "hellotype.insert", "k", "1"), s("=", "hellotype.len", "k"), s("=", "GET", "t"),
		s("m", "MEMORY", "USAGE", "t"), s("=", "DEBUG", "DIGEST-VALUE", "t"),
		s("=", "hellotype.brange", "t", "1", "1", "0"), s("=", "hellotype.brange", "t", "1", "1", "x"),
		s("=", "hellotype.brange", "empty", "0", "5", "20"),
		s("send", "hellotype.brange", "b1", "0", "5", "5000"), s("=", "PING"), s("=", "hellotype.insert", "b1", "7"),
		s("recv"),
		// hellodict
		s("=", "hellodict.set", "b", "2"), s("=", "hellodict.set", "a", "1"), s("=", "hellodict.set", "c", "3"),
		s("=", "hellodict.set", "a", "new"), s("=", "hellodict.get", "a"), s("=", "hellodict.get", "zz"),
		s("=", "hellodict.keyrange", "a", "b", "10"), s("=", "hellodict.keyrange", "a", "z", "2"),
		s("=", "hellodict.keyrange", "b", "z", "10"), s("=", "hellodict.keyrange", "a", "z", "x"), s("=", "hellodict.get"),
		// helloblock
		s("~", "hello.block", "0", "5000"), s("=", "hello.block", "2", "50"), s("=", "hello.block", "x", "1"),
		s("=", "FLUSHALL"), s("=", "SET", "only", "1"), s("=", "hello.keys"), s("=", "hello.keys", "x"),
		// hellotimer
		s("=", "hellotimer.timer"),
	}
}

// TestCExamples loads the C example modules (examples/modules/c) into
// Modis and compares every reply with the Go ports loaded into another
// Modis, and with the same .so files in redis-server, in RESP2 and RESP3.
func TestCExamples(t *testing.T) {
	var cArgs, goArgs []string
	for _, n := range exampleNames {
		cArgs = append(cArgs, "--loadmodule", examplePath(t, n))
		goArgs = append(goArgs, "--loadmodule", n)
	}
	_, err := exec.LookPath("redis-server")
	haveRedis := err == nil
	for _, proto := range []string{"2", "3"} {
		mc := startServer(t, append([]string{"--enable-debug-command", "yes"}, cArgs...)...)
		mg := startServer(t, append([]string{"--enable-debug-command", "yes"}, goArgs...)...)
		names := []string{"modis-c", "modis-go"}
		conns := [][2]*difftest.Conn{{mc.dial(t), mc.dial(t)}, {mg.dial(t), mg.dial(t)}}
		if haveRedis {
			r := difftest.StartRedis(t, append([]string{"--enable-module-command", "yes", "--enable-debug-command", "yes"}, cArgs...)...)
			rc1, err := difftest.Dial(r.Addr)
			if err != nil {
				t.Fatal(err)
			}
			rc2, err := difftest.Dial(r.Addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rc1.Close(); rc2.Close() })
			names = append(names, "redis")
			conns = append(conns, [2]*difftest.Conn{rc1, rc2})
		}
		for _, cs := range conns {
			for _, c := range cs {
				if _, _, err := c.Do("HELLO", proto); err != nil {
					t.Fatal(err)
				}
			}
		}
		noLists, goDiverged := false, false
		compared := 0
		for _, st := range exampleSteps() {
			if st.mode == "?=" && noLists {
				continue
			}
			replies := make([]string, len(conns))
			skip := false
			for i, cs := range conns {
				if skip {
					continue
				}
				var got []byte
				var err error
				switch st.mode {
				case "send":
					err = cs[1].Send(st.args...)
					if err == nil {
						time.Sleep(20 * time.Millisecond) // let it block first
					}
				case "recv":
					got, _, err = cs[1].Read()
				default:
					got, _, err = cs[0].Do(st.args...)
				}
				if err != nil {
					t.Fatalf("RESP%s %s %q: %v", proto, names[i], st.args, err)
				}
				replies[i] = string(got)
				// Skipped while Modis lacks the command: a collection family
				// not there yet, or a helloworld command the C module does
				// not register without the list/zset/hash key APIs.
				skip = i == 0 && (st.mode == "c" || st.mode == "?=") && strings.HasPrefix(replies[0], "-ERR unknown command")
			}
			if skip {
				// The first "?=" step is the probe for the list family.
				noLists = noLists || st.mode == "?="
				continue
			}
			compared++
			for i := 1; i < len(conns); i++ {
				a, b := replies[0], replies[i]
				if st.mode == "c" && names[i] == "modis-go" && (goDiverged || strings.HasPrefix(b, "-ERR unknown command")) {
					// The Go port does not have it (yet); its state may
					// differ from here on, so later "c" steps skip it.
					goDiverged = true
					continue
				}
				exact := st.mode == "=" || st.mode == "?=" || st.mode == "recv" || st.mode == "c" || (st.mode == "m" && names[i] == "modis-go")
				if exact && a != b || !exact && (len(a) == 0) != (len(b) == 0) || len(a) > 0 && len(b) > 0 && a[0] != b[0] {
					t.Errorf("RESP%s %s %q:\n %s %q\n %s %q", proto, st.mode, st.args, names[0], a, names[i], b)
				}
			}
		}
		t.Logf("RESP%s: %d commands compared across %v", proto, compared, names)
		if !mc.logged("Fired After") {
			t.Errorf("RESP%s: the C hellotimer's timers did not fire", proto)
		}
	}
}

// TestCExampleHellotypeIO runs the C hellotype's rdb_save, rdb_load and
// aof_rewrite through the engine and checks they produce the same RDB
// payload and AOF commands as the Go port.
func TestCExampleHellotypeIO(t *testing.T) {
	so := examplePath(t, "hellotype")
	run := func(load string) (payload []byte, aof string, reloaded string) {
		s, c := inProcessServer(t)
		for _, args := range [][]string{{"MODULE", "LOAD", load}, {"hellotype.insert", "k", "5"},
			{"hellotype.insert", "k", "-2"}, {"hellotype.insert", "k", "9"}} {
			if raw, _, err := c.Do(args...); err != nil || raw[0] == '-' {
				t.Fatalf("%s %q: %q %v", load, args, raw, err)
			}
		}
		eng := s.Modules()
		h := eng.Host()
		h.Lock()
		db := h.Keyspace().DBs[0]
		typ, v := module.ValueOf(db.Lookup([]byte("k")))
		if typ == nil {
			h.Unlock()
			t.Fatalf("%s: k holds no module value", load)
		}
		id, payload := eng.SaveValue([]byte("k"), 0, typ, v)
		if t2, v2, ok := eng.LoadValue(id, payload, []byte("k2"), 0); ok && t2 == typ {
			db.Set([]byte("k2"), module.NewModuleObject(t2, v2), false)
		}
		io := eng.NewSaveIO(typ, []byte("k"), 0)
		typ.Methods.AofRewrite(io, module.NewString([]byte("k")), v)
		aof = fmt.Sprintf("%q", io.Emitted())
		h.Unlock()
		raw, _, err := c.Do("hellotype.range", "k2", "0", "10")
		if err != nil {
			t.Fatal(err)
		}
		return payload, aof, string(raw)
	}
	cp, caof, cr := run(so)
	gp, gaof, gr := run("hellotype")
	if string(cp) != string(gp) {
		t.Errorf("RDB payload: C %x, Go %x", cp, gp)
	}
	if caof != gaof || caof != `[["HELLOTYPE.INSERT" "k" "-2"] ["HELLOTYPE.INSERT" "k" "5"] ["HELLOTYPE.INSERT" "k" "9"]]` {
		t.Errorf("AOF rewrite: C %s, Go %s", caof, gaof)
	}
	if cr != gr || cr != "*3\r\n:-2\r\n:5\r\n:9\r\n" {
		t.Errorf("reloaded value: C %q, Go %q", cr, gr)
	}
}

// TestCExampleHelloblockConcurrent: many clients at once run the C
// helloblock's thread-served commands (worker pthreads unblocking, a
// thread-safe context calling SCAN under the lock) while others write;
// every reply must arrive and be well formed.
func TestCExampleHelloblockConcurrent(t *testing.T) {
	s := startServer(t, "--loadmodule", examplePath(t, "helloblock"))
	const clients, rounds = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := difftest.Dial(s.addr)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for r := 0; r < rounds; r++ {
				for _, args := range [][]string{
					{"SET", fmt.Sprintf("k%d:%d", i, r), "v"},
					{"hello.block", "0", "5000"},
					{"hello.keys"},
				} {
					raw, _, err := c.Do(args...)
					if err != nil {
						errs <- fmt.Errorf("client %d %q: %v", i, args, err)
						return
					}
					if len(raw) == 0 || raw[0] == '-' || args[0] == "hello.block" && raw[0] != ':' || args[0] == "hello.keys" && raw[0] != '*' {
						errs <- fmt.Errorf("client %d %q: %q", i, args, raw)
						return
					}
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c := s.dial(t)
	s.do(t, c, fmt.Sprintf(":%d\r\n", clients*rounds), "DBSIZE")
}

// TestCExampleHellotypeBlocking: clients blocked in the C hellotype's
// BRANGE on one key are all served by one insert, while others block and
// disconnect (their key-blocked handles are finished by the engine).
func TestCExampleHellotypeBlocking(t *testing.T) {
	s := startServer(t, "--loadmodule", examplePath(t, "hellotype"))
	const waiters, leavers = 6, 4
	var conns []*difftest.Conn
	for i := 0; i < waiters+leavers; i++ {
		c := s.dial(t)
		if err := c.Send("hellotype.brange", "bk", "0", "5", "5000"); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	c := s.dial(t)
	for deadline := time.Now().Add(3 * time.Second); ; {
		raw, _, err := c.Do("CLIENT", "LIST")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(string(raw), "cmd=hellotype.brange") == waiters+leavers {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("clients did not block: %s", raw)
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, lc := range conns[waiters:] {
		lc.Close()
	}
	s.do(t, c, ":1\r\n", "hellotype.insert", "bk", "42")
	for i, wc := range conns[:waiters] {
		raw, _, err := wc.Read()
		if err != nil || string(raw) != "*1\r\n:42\r\n" {
			t.Errorf("waiter %d: %q %v", i, raw, err)
		}
	}
	s.do(t, c, "+PONG\r\n", "PING")
}
