package server

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/module"
)

// testSink records propagated commands as "db target ARG ARG ...".
type testSink struct {
	mu  sync.Mutex
	got []string
}

func (t *testSink) Propagate(db int, argv [][]byte, target int) {
	parts := make([]string, 0, len(argv)+2)
	parts = append(parts, strconv.Itoa(db), strconv.Itoa(target))
	for _, a := range argv {
		parts = append(parts, string(a))
	}
	t.mu.Lock()
	t.got = append(t.got, strings.Join(parts, " "))
	t.mu.Unlock()
}

// take returns and clears what was recorded.
func (t *testSink) take() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.got
	t.got = nil
	return g
}

// propTest replicates in every way the module API allows.
type propTest struct{}

func init() {
	module.Register(module.Info{Name: "proptest", New: func() module.Module { return propTest{} }})
}

func (propTest) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("proptest", 1); err != nil {
		return err
	}
	cmds := map[string]module.CommandFunc{
		// Two Replicates: one unit, wrapped.
		"prop.replicate": func(ctx *module.Ctx, args [][]byte) error {
			ctx.Replicate("INCR", "c", "a")
			ctx.Replicate("INCR", "c", "b")
			ctx.ReplyWithSimpleString("OK")
			return nil
		},
		// Only to replicas.
		"prop.replicate-r": func(ctx *module.Ctx, args [][]byte) error {
			ctx.Replicate("INCR", "cA", "a")
			ctx.ReplyWithSimpleString("OK")
			return nil
		},
		"prop.verbatim": func(ctx *module.Ctx, args [][]byte) error {
			ctx.ReplicateVerbatim()
			ctx.ReplyWithSimpleString("OK")
			return nil
		},
		// Call with and without '!', mixed with Replicate, in order; a
		// relative expire propagates as SET ... PXAT.
		"prop.call": func(ctx *module.Ctx, args [][]byte) error {
			ctx.Call("SET", "!cc", "k", "v")
			ctx.Call("SET", "cc", "quiet", "1")
			ctx.Replicate("PING", "")
			ctx.Call("SET", "!cccl", "e", "v", "PX", int64(100000))
			ctx.ReplyWithSimpleString("OK")
			return nil
		},
		// A single '!' Call: no MULTI.
		"prop.call1": func(ctx *module.Ctx, args [][]byte) error {
			ctx.Call("INCR", "!c", "n")
			ctx.ReplyWithSimpleString("OK")
			return nil
		},
		// A timer replicating twice: its own unit, wrapped.
		"prop.timer": func(ctx *module.Ctx, args [][]byte) error {
			ctx.CreateTimer(1, func(ctx *module.Ctx, _ any) {
				ctx.Replicate("INCR", "c", "t1")
				ctx.Call("INCR", "!c", "t2")
			}, nil)
			ctx.ReplyWithSimpleString("OK")
			return nil
		},
	}
	for name, fn := range cmds {
		if err := ctx.CreateCommand(name, fn, "write", 0, 0, 0); err != nil {
			return err
		}
	}
	return nil
}

func propTestServer(t *testing.T) (*Server, *testSink, *difftest.Conn) {
	s, c := moduleTestServer(t)
	sink := &testSink{}
	s.mu.Lock()
	s.SetPropagator(sink)
	s.mu.Unlock()
	return s, sink, c
}

func expectProp(t *testing.T, sink *testSink, want ...string) {
	t.Helper()
	got := sink.take()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("propagated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// pxat extracts the absolute time of a propagated SET ... PXAT / PEXPIREAT
// line, checking it is near now+ms.
func checkAbs(t *testing.T, line string, ms int64) string {
	t.Helper()
	f := strings.Fields(line)
	for i, w := range f {
		if n, err := strconv.ParseInt(w, 10, 64); err == nil && n > 1e12 {
			if d := n - time.Now().UnixMilli() - ms; d > 2000 || d < -2000 {
				t.Errorf("%q: absolute time off by %d ms", line, d)
			}
			f[i] = "T"
		}
	}
	return strings.Join(f, " ")
}

func TestPropagateBuiltins(t *testing.T) {
	s, sink, c := propTestServer(t)
	all := strconv.Itoa(PropagateAOF | PropagateRepl)
	modExpect(t, c, "+OK\r\n", "set", "a", "1")
	expectProp(t, sink, "0 "+all+" set a 1")
	modExpect(t, c, "$1\r\n1\r\n", "get", "a")
	expectProp(t, sink) // reads propagate nothing
	modExpect(t, c, "+OK\r\n", "set", "b", "2", "EX", "100")
	got := sink.take()
	if len(got) != 1 || checkAbs(t, got[0], 100000) != "0 "+all+" SET b 2 PXAT T" {
		t.Errorf("SET EX propagated %q", got)
	}
	modExpect(t, c, ":1\r\n", "expire", "a", "100", "nx")
	got = sink.take()
	if len(got) != 1 || checkAbs(t, got[0], 100000) != "0 "+all+" PEXPIREAT a T nx" {
		t.Errorf("EXPIRE propagated %q", got)
	}
	modExpect(t, c, ":0\r\n", "expire", "nokey", "100")
	expectProp(t, sink)
	modExpect(t, c, ":1\r\n", "expire", "a", "-1")
	expectProp(t, sink, "0 "+all+" DEL a")
	modExpect(t, c, "$3\r\n1.5\r\n", "incrbyfloat", "f", "1.5")
	expectProp(t, sink, "0 "+all+" SET f 1.5 KEEPTTL")
	modExpect(t, c, "$1\r\n2\r\n", "getex", "b", "PERSIST")
	expectProp(t, sink, "0 "+all+" PERSIST b")
	modExpect(t, c, "$1\r\n2\r\n", "getset", "b", "3")
	expectProp(t, sink, "0 "+all+" SET b 3")
	modExpect(t, c, "$1\r\n3\r\n", "set", "b", "4", "keepttl", "get")
	expectProp(t, sink, "0 "+all+" set b 4 keepttl")
	modExpect(t, c, "$1\r\n4\r\n", "getdel", "b")
	expectProp(t, sink, "0 "+all+" DEL b")
	modExpect(t, c, ":0\r\n", "publish", "ch", "m")
	expectProp(t, sink, "0 "+strconv.Itoa(PropagateRepl)+" publish ch m")

	// Transactions: one write alone, several wrapped; SELECT inside.
	c.Send("multi")
	c.Send("set", "x", "1")
	c.Send("get", "x")
	c.Do("exec")
	c.Read()
	c.Read()
	c.Read()
	expectProp(t, sink, "0 "+all+" set x 1")
	c.Send("multi")
	c.Send("set", "x", "1")
	c.Send("select", "2")
	c.Send("set", "y", "2")
	c.Do("exec")
	c.Read()
	c.Read()
	c.Read()
	c.Read()
	expectProp(t, sink, "0 "+all+" MULTI", "0 "+all+" set x 1", "2 "+all+" set y 2", "2 "+all+" EXEC")
	modExpect(t, c, "+OK\r\n", "select", "0")

	// Lazy expiry: the deletion comes first, then the command.
	modExpect(t, c, "+OK\r\n", "set", "z", "1", "px", "1")
	sink.take()
	time.Sleep(5 * time.Millisecond)
	modExpect(t, c, "+OK\r\n", "set", "z", "2", "nx")
	expectProp(t, sink, "0 "+all+" MULTI", "0 "+all+" DEL z", "0 "+all+" set z 2 nx", "0 "+all+" EXEC")
	_ = s
}

func TestPropagateModule(t *testing.T) {
	_, sink, c := propTestServer(t)
	all := strconv.Itoa(PropagateAOF | PropagateRepl)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "proptest")
	modExpect(t, c, "+OK\r\n", "prop.replicate")
	expectProp(t, sink, "0 "+all+" MULTI", "0 "+all+" INCR a", "0 "+all+" INCR b", "0 "+all+" EXEC")
	modExpect(t, c, "+OK\r\n", "prop.replicate-r")
	expectProp(t, sink, "0 "+strconv.Itoa(PropagateRepl)+" INCR a")
	modExpect(t, c, "+OK\r\n", "prop.verbatim", "x", "y")
	expectProp(t, sink, "0 "+all+" prop.verbatim x y")
	modExpect(t, c, "+OK\r\n", "prop.call1")
	expectProp(t, sink, "0 "+all+" INCR n")
	modExpect(t, c, "+OK\r\n", "prop.call")
	got := sink.take()
	if len(got) == 5 {
		got[3] = checkAbs(t, got[3], 100000)
	}
	want := []string{"0 " + all + " MULTI", "0 " + all + " SET k v", "0 " + all + " PING", "0 " + all + " SET e v PXAT T", "0 " + all + " EXEC"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("prop.call propagated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	modExpect(t, c, "+OK\r\n", "prop.timer")
	deadline := time.Now().Add(2 * time.Second)
	for {
		sink.mu.Lock()
		n := len(sink.got)
		sink.mu.Unlock()
		if n >= 4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	expectProp(t, sink, "0 "+all+" MULTI", "0 "+all+" INCR t1", "0 "+all+" INCR t2", "0 "+all+" EXEC")
}
