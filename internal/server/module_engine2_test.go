package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	engine "github.com/modis/modis/internal/module"
	"github.com/modis/modis/module"
)

// e2test exercises Yield, the LRU/LFU APIs and ScanKey.
type e2Test struct{}

func init() {
	module.Register(module.Info{Name: "e2test", New: func() module.Module { return e2Test{} }})
}

func (e2Test) OnLoad(ctx *module.Ctx, args [][]byte) error {
	if err := ctx.Init("e2test", 1); err != nil {
		return err
	}
	cmds := map[string]module.CommandFunc{
		// e2.yield <ms> <flags> [reply]: run for ms, yielding.
		"e2.yield": func(ctx *module.Ctx, args [][]byte) error {
			ms, _ := strconv.Atoi(string(args[1]))
			flags, _ := strconv.Atoi(string(args[2]))
			reply := ""
			if len(args) > 3 {
				reply = string(args[3])
			}
			end := time.Now().Add(time.Duration(ms) * time.Millisecond)
			for time.Now().Before(end) {
				ctx.Yield(flags, reply)
				time.Sleep(100 * time.Microsecond)
			}
			return ctx.ReplyWithSimpleString("OK")
		},
		// e2.lru <key> [idle-ms]: set (optionally) then get the idle time.
		"e2.lru": func(ctx *module.Ctx, args [][]byte) error {
			k := ctx.OpenKey(args[1], module.Read|module.OpenKeyNoTouch)
			if len(args) > 2 {
				n, _ := strconv.ParseInt(string(args[2]), 10, 64)
				if err := k.SetLRU(n); err != nil {
					return ctx.ReplyWithError("ERR set failed")
				}
			}
			v, err := k.GetLRU()
			if err != nil {
				return ctx.ReplyWithError("ERR get failed")
			}
			return ctx.ReplyWithLongLong(v)
		},
		"e2.lfu": func(ctx *module.Ctx, args [][]byte) error {
			k := ctx.OpenKey(args[1], module.Read|module.OpenKeyNoTouch)
			if len(args) > 2 {
				n, _ := strconv.ParseInt(string(args[2]), 10, 64)
				if err := k.SetLFU(n); err != nil {
					return ctx.ReplyWithError("ERR set failed")
				}
			}
			v, err := k.GetLFU()
			if err != nil {
				return ctx.ReplyWithError("ERR get failed")
			}
			return ctx.ReplyWithLongLong(v)
		},
		// e2.scankey <key>: every field and value (nil for none), batch by batch.
		"e2.scankey": func(ctx *module.Ctx, args [][]byte) error {
			k := ctx.OpenKey(args[1], module.Read)
			cur := module.NewScanCursor()
			var out [][]byte
			for {
				more, err := k.ScanKey(cur, func(_ *module.Key, f, v []byte) {
					out = append(out, f)
					if v == nil {
						v = []byte("(nil)")
					}
					out = append(out, v)
				})
				if err != nil {
					return ctx.ReplyWithError("ERR " + err.Error())
				}
				if !more {
					break
				}
			}
			if _, err := k.ScanKey(cur, func(*module.Key, []byte, []byte) {}); err == nil {
				return ctx.ReplyWithError("ERR done cursor accepted")
			}
			ctx.ReplyWithArray(int64(len(out)))
			for _, b := range out {
				ctx.ReplyWithStringBuffer(b)
			}
			return nil
		},
	}
	// Two data types, with and without a copy method; values are []byte.
	copies := 0
	withCopy, err := ctx.CreateDataType("e2-type-1", 0, &module.TypeMethods{
		RdbLoad: func(io *module.IO, encver int) any { return io.LoadStringBuffer() },
		RdbSave: func(io *module.IO, v any) { io.SaveStringBuffer(v.([]byte)) },
		Copy: func(from, to []byte, v any) any {
			if string(v.([]byte)) == "nocopy" {
				return nil
			}
			copies++
			return append([]byte(string(from)+">"+string(to)+":"), v.([]byte)...)
		},
	})
	if err != nil {
		return err
	}
	noCopy, err := ctx.CreateDataType("e2-type-2", 0, &module.TypeMethods{
		RdbLoad: func(io *module.IO, encver int) any { return io.LoadStringBuffer() },
		RdbSave: func(io *module.IO, v any) { io.SaveStringBuffer(v.([]byte)) },
	})
	if err != nil {
		return err
	}
	// e2.tset <key> <value> [2]; e2.tget <key>.
	cmds["e2.tset"] = func(ctx *module.Ctx, args [][]byte) error {
		t := withCopy
		if len(args) > 3 {
			t = noCopy
		}
		k := ctx.OpenKey(args[1], module.Write)
		defer k.Close()
		if err := k.ModuleTypeSetValue(t, append([]byte(nil), args[2]...)); err != nil {
			return err
		}
		return ctx.ReplyWithLongLong(int64(copies))
	}
	cmds["e2.tget"] = func(ctx *module.Ctx, args [][]byte) error {
		k := ctx.OpenKey(args[1], module.Read)
		if k == nil {
			return ctx.ReplyWithNull()
		}
		defer k.Close()
		v, _ := k.ModuleTypeGetValue().([]byte)
		return ctx.ReplyWithStringBuffer(v)
	}
	for name, fn := range cmds {
		if err := ctx.CreateCommand(name, fn, "", 0, 0, 0); err != nil {
			return err
		}
	}
	// e2.pub <channel> <pattern>: reports its channels when asked.
	return ctx.CreateCommand("e2.pub", func(ctx *module.Ctx, args [][]byte) error {
		if ctx.IsChannelsPositionRequest() {
			ctx.ChannelAtPosWithFlags(1, module.ChannelPublish)
			ctx.ChannelAtPosWithFlags(2, module.ChannelSubscribe|module.ChannelPattern)
			return nil
		}
		return ctx.ReplyWithSimpleString("OK")
	}, "getchannels-api", 0, 0, 0)
}

func TestModuleChannels(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "e2test")
	modExpect(t, c, "+OK\r\n", "e2.pub", "a", "b*")
	s.mu.Lock()
	defer s.mu.Unlock()
	pos, flags, ok := s.Modules().GetChannels(s.cmds.Lookup([]byte("e2.pub")), nil, [][]byte{[]byte("e2.pub"), []byte("a"), []byte("b*")})
	if !ok || len(pos) != 2 || pos[0] != 1 || pos[1] != 2 || flags[0] != module.ChannelPublish || flags[1] != module.ChannelSubscribe|module.ChannelPattern {
		t.Errorf("GetChannels: %v %v %v", pos, flags, ok)
	}
	if _, _, ok := s.Modules().GetChannels(s.cmds.Lookup([]byte("e2.lru")), nil, nil); ok {
		t.Error("GetChannels of a command without getchannels-api")
	}
}

func TestModuleCopy(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "e2test")
	modExpect(t, c, ":0\r\n", "e2.tset", "a", "v1")
	modExpect(t, c, ":1\r\n", "COPY", "a", "b")
	modExpect(t, c, "+e2-type-1\r\n", "TYPE", "b")
	modExpect(t, c, "$6\r\na>b:v1\r\n", "e2.tget", "b")
	modExpect(t, c, "$2\r\nv1\r\n", "e2.tget", "a")
	modExpect(t, c, ":0\r\n", "COPY", "a", "b")
	modExpect(t, c, ":1\r\n", "COPY", "a", "b", "REPLACE")
	modExpect(t, c, ":1\r\n", "COPY", "a", "b", "DB", "3")
	modExpect(t, c, ":1\r\n", "EXPIRE", "a", "100")
	modExpect(t, c, ":1\r\n", "COPY", "a", "t")
	modExpect(t, c, ":1\r\n", "EXISTS", "t")
	modExpect(t, c, "+OK\r\n", "SELECT", "3")
	modExpect(t, c, "$6\r\na>b:v1\r\n", "e2.tget", "b")
	modExpect(t, c, "+OK\r\n", "SELECT", "0")
	modExpect(t, c, ":4\r\n", "e2.tset", "n", "nocopy")
	modExpect(t, c, "-ERR module key failed to copy\r\n", "COPY", "n", "m")
	modExpect(t, c, ":0\r\n", "EXISTS", "m")
	modExpect(t, c, ":4\r\n", "e2.tset", "x", "v", "2")
	modExpect(t, c, "-ERR not supported for this module key\r\n", "COPY", "x", "y")
	modExpect(t, c, ":0\r\n", "EXISTS", "y")
}

func TestModuleLRULFU(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "e2test")
	modExpect(t, c, "+OK\r\n", "SET", "k", "v")
	modExpect(t, c, ":100000\r\n", "e2.lru", "k", "100000")
	modExpect(t, c, ":100\r\n", "OBJECT", "IDLETIME", "k")
	modExpect(t, c, "-ERR set failed\r\n", "e2.lru", "k", "-1")
	modExpect(t, c, "-ERR set failed\r\n", "e2.lfu", "k", "7") // not an LFU policy
	modExpect(t, c, "-ERR get failed\r\n", "e2.lru", "nokey")
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
	modExpect(t, c, ":7\r\n", "e2.lfu", "k", "7")
	modExpect(t, c, ":7\r\n", "OBJECT", "FREQ", "k")
	modExpect(t, c, "-ERR set failed\r\n", "e2.lfu", "k", "256")
	modExpect(t, c, "-ERR set failed\r\n", "e2.lru", "k", "1000")
	modExpect(t, c, ":-1\r\n", "e2.lru", "k")
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
	modExpect(t, c, ":-1\r\n", "e2.lfu", "k")
}

func TestModuleScanKey(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "e2test")
	modExpect(t, c, "+OK\r\n", "SET", "str", "v")
	modExpect(t, c, "-ERR module call failed (errno 22)\r\n", "e2.scankey", "str")
	// An intset is visited whole; its members are formatted integers.
	modExpect(t, c, ":3\r\n", "SADD", "ints", "3", "1", "2")
	modExpect(t, c, "*6\r\n$1\r\n1\r\n$5\r\n(nil)\r\n$1\r\n2\r\n$5\r\n(nil)\r\n$1\r\n3\r\n$5\r\n(nil)\r\n", "e2.scankey", "ints")
	// A listpack hash: field, value pairs in insertion order.
	modExpect(t, c, ":2\r\n", "HSET", "h", "f1", "v1", "f2", "v2")
	modExpect(t, c, "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n", "e2.scankey", "h")
	// A hashtable set walked by cursor returns every member once.
	args := []string{"SADD", "big"}
	for i := 0; i < 600; i++ {
		args = append(args, "m"+strconv.Itoa(i))
	}
	modExpect(t, c, ":600\r\n", args...)
	_, v, err := c.Do("e2.scankey", "big")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Elems); i += 2 {
		seen[string(v.Elems[i].Str)] = true
	}
	if len(v.Elems) != 1200 || len(seen) != 600 {
		t.Fatalf("scan of 600 members: %d items, %d distinct", len(v.Elems), len(seen))
	}
}

func TestModuleYield(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.EnableModuleCommand = "yes"; c.BusyReplyThreshold = 30 })
	a, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	modExpect(t, a, "+OK\r\n", "MODULE", "LOAD", "e2test")
	modExpect(t, b, "+PONG\r\n", "PING")
	for _, tc := range []struct{ reply, want string }{
		{"custom text", "-BUSY custom text\r\n"},
		{"", "-BUSY Redis is busy running a module command.\r\n"},
	} {
		args := []string{"e2.yield", "600", "2"}
		if tc.reply != "" {
			args = append(args, tc.reply)
		}
		if err := a.Send(args...); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
		// A BUSY reply proves b was served while the command ran (after
		// it, PING answers PONG); no timing bound, which a loaded
		// machine could break.
		modExpect(t, b, tc.want, "PING")
		modExpect(t, b, "+OK\r\n", "MULTI") // allow-busy
		modExpect(t, b, "+OK\r\n", "DISCARD")
		raw, _, _ := a.Read()
		if string(raw) != "+OK\r\n" {
			t.Errorf("e2.yield: %q", raw)
		}
		modExpect(t, b, "+PONG\r\n", "PING")
	}
	// Without the clients flag the others wait for the command to end.
	a.Send("e2.yield", "300", "1")
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	modExpect(t, b, "+PONG\r\n", "PING")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("PING served during a yield without the clients flag (%v)", d)
	}
	a.Read()
}

// A bad payload is refused with the reason Redis gives for a corrupt RDB.
func TestModuleLoadValueErrors(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "e2test")
	modExpect(t, c, ":0\r\n", "e2.tset", "a", "hello")
	s.mu.Lock()
	defer s.mu.Unlock()
	typ, val := engine.ValueOf(s.ks.DBs[0].Lookup([]byte("a")))
	id, payload := s.Modules().SaveValue([]byte("a"), 0, typ, val)
	if _, v, err := s.Modules().LoadValueErr(id, payload, []byte("a"), 0); err != nil || string(v.([]byte)) != "hello" {
		t.Fatalf("round trip: %v %v", v, err)
	}
	for _, tc := range []struct {
		payload []byte
		want    string
	}{
		{payload[:3], "Error loading data from RDB (short read or EOF). Read performed by module 'e2test' about type 'e2-type-1' after reading '2' bytes of a value for key named: 'a'."},
		{payload[:len(payload)-1], "The RDB file contains module data for the module 'e2-type-1' that is not terminated by the proper module value EOF marker"},
	} {
		_, v, err := s.Modules().LoadValueErr(id, tc.payload, []byte("a"), 0)
		if err == nil || err.Error() != tc.want || v != nil {
			t.Errorf("payload %q: %v, %v; want %q", tc.payload, v, err, tc.want)
		}
	}
	if _, _, err := s.Modules().LoadValueErr(id^(1<<10), payload, []byte("a"), 0); err == nil ||
		!strings.Contains(err.Error(), "no matching module type") {
		t.Errorf("unknown type id: %v", err)
	}
}
