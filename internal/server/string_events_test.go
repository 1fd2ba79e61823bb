package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// TestStringEventsAndDirty runs string and bitmap commands against
// redis-server and Modis and compares, command by command, the keyspace
// events fired (Redis: a PSUBSCRIBE to every keyevent channel with
// notify-keyspace-events KEAm, so keymiss included; Modis: the notify
// hook), the change counter (Redis: rdb_changes_since_last_save; Modis:
// s.dirty) and the keyspace hit and miss counters of INFO stats, lazy
// expiry included.
func TestStringEventsAndDirty(t *testing.T) {
	r := difftest.StartRedis(t, "--notify-keyspace-events", "KEAm", "--enable-debug-command", "yes")
	s := startTestServer(t, nil)
	// Keys must expire lazily, inside the command that touches them, for
	// the events to be attributed to that command on both servers.
	s.mu.Lock()
	s.activeExpireEnabled = false
	s.mu.Unlock()

	var modisEvents []string
	s.mu.Lock()
	s.notifyHook = func(class int, event string, key []byte, db int) {
		if class&notifyNew != 0 {
			return
		}
		modisEvents = append(modisEvents, event+":"+string(key))
	}
	s.mu.Unlock()

	rc := dial(t, r.Addr)
	mc := dial(t, s.Addr().String())
	sub := dial(t, r.Addr)
	mustDo(t, sub, "PSUBSCRIBE", "__keyevent@0__:*")
	mustDo(t, sub, "SUBSCRIBE", "marker")
	mustDo(t, rc, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	for _, c := range []*difftest.Conn{rc, mc} {
		mustDo(t, c, "FLUSHALL")
	}
	s.mu.Lock()
	modisEvents = nil
	s.mu.Unlock()

	redisDirty := func() int64 {
		_, v, err := rc.Do("INFO", "persistence")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(v.Str), "\r\n") {
			if n, ok := strings.CutPrefix(line, "rdb_changes_since_last_save:"); ok {
				d, _ := strconv.ParseInt(n, 10, 64)
				return d
			}
		}
		t.Fatal("no rdb_changes_since_last_save")
		return 0
	}
	// hitsMisses reads keyspace_hits and keyspace_misses from INFO stats.
	hitsMisses := func(c *difftest.Conn) string {
		_, v, err := c.Do("INFO", "stats")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, line := range strings.Split(string(v.Str), "\r\n") {
			if strings.HasPrefix(line, "keyspace_hits:") || strings.HasPrefix(line, "keyspace_misses:") {
				out = append(out, line)
			}
		}
		return strings.Join(out, " ")
	}
	redisEvents := func() []string {
		if _, _, err := rc.Do("PUBLISH", "marker", "x"); err != nil {
			t.Fatal(err)
		}
		var evs []string
		for {
			_, v, err := sub.Read()
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Elems) == 3 && string(v.Elems[0].Str) == "message" {
				return evs
			}
			if len(v.Elems) == 4 && string(v.Elems[0].Str) == "pmessage" {
				ch := string(v.Elems[2].Str)
				ev := ch[strings.IndexByte(ch, ':')+1:]
				evs = append(evs, ev+":"+string(v.Elems[3].Str))
			}
		}
	}

	for _, line := range strings.Split(strings.TrimSpace(eventScript), "\n") {
		args, ok := resp.SplitArgs([]byte(line), nil)
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		sargs := make([]string, len(args))
		for i, a := range args {
			sargs[i] = string(a)
		}
		if sargs[0] == "!sleep" {
			ms, _ := strconv.Atoi(sargs[1])
			time.Sleep(time.Duration(ms) * time.Millisecond)
			continue
		}
		before := redisDirty()
		rStats, mStats := hitsMisses(rc), hitsMisses(mc)
		s.mu.Lock()
		mBefore := s.dirty
		s.mu.Unlock()
		rraw, _, err := rc.Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		mraw, _, err := mc.Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		if string(rraw) != string(mraw) {
			t.Errorf("%s: reply redis %q modis %q", line, rraw, mraw)
		}
		rStats2, mStats2 := hitsMisses(rc), hitsMisses(mc)
		if statDelta(t, rStats, rStats2) != statDelta(t, mStats, mStats2) {
			t.Errorf("%s: hits/misses %s -> %s in redis, %s -> %s in modis", line, rStats, rStats2, mStats, mStats2)
		}
		rDelta := redisDirty() - before
		rev := redisEvents()
		s.mu.Lock()
		mDelta := s.dirty - mBefore
		mev := modisEvents
		modisEvents = nil
		s.mu.Unlock()
		if rDelta != mDelta {
			t.Errorf("%s: dirty +%d in redis, +%d in modis", line, rDelta, mDelta)
		}
		if fmt.Sprint(rev) != fmt.Sprint(mev) {
			t.Errorf("%s: events\n redis %v\n modis %v", line, rev, mev)
		}
	}
}

// statDelta subtracts two "keyspace_hits:N keyspace_misses:M" readings.
func statDelta(t *testing.T, a, b string) string {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != 2 || len(fb) != 2 {
		t.Fatalf("bad INFO stats %q %q", a, b)
	}
	var d []string
	for i := range fa {
		x, _ := strconv.ParseInt(fa[i][strings.IndexByte(fa[i], ':')+1:], 10, 64)
		y, _ := strconv.ParseInt(fb[i][strings.IndexByte(fb[i], ':')+1:], 10, 64)
		d = append(d, strconv.FormatInt(y-x, 10))
	}
	return strings.Join(d, ",")
}

func dial(t *testing.T, addr string) *difftest.Conn {
	t.Helper()
	c, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func mustDo(t *testing.T, c *difftest.Conn, args ...string) {
	t.Helper()
	if _, _, err := c.Do(args...); err != nil {
		t.Fatal(err)
	}
}

// eventScript exercises the write and no-op paths of every command.
const eventScript = `
SET a 1
SET a 2 XX
SET a 3 NX
SET b 1 NX
SET a 4 GET
SET a 5 EX 100
SET a 6 PX 100000 GET
SET a 7 EXAT 99999999999
SET a 8 PXAT 99999999999000 KEEPTTL
SET a 8 KEEPTTL
SET a 9 EX 0
SET c 1 XX GET
SETNX a x
SETNX d x
SETEX e 100 v
SETEX e 0 v
PSETEX e 100000 v
GETSET e w
GETSET f w
GETDEL f
GETDEL f
GETEX e
GETEX e EX 100
GETEX e PX 100000
GETEX e PERSIST
GETEX e PERSIST
GETEX e EXAT 99999999999
GETEX e PXAT 1
GETEX nokey EX 10
MSET a 1 b 2 c 3
MSET a 1 a 2
MSETNX a 1 x 2
MSETNX x 1 y 2
APPEND g abc
APPEND g ""
APPEND g def
SETRANGE g 0 ""
SETRANGE g 1 X
SETRANGE h 0 ""
SETRANGE h 2 abc
SETRANGE h -1 abc
INCR i
INCRBY i 10
DECR i
DECRBY i 5
INCRBY i abc
INCR g
INCRBYFLOAT i 1.5
INCRBYFLOAT j 2
INCRBYFLOAT j abc
INCRBYFLOAT j inf
SETBIT k 7 1
SETBIT k 7 1
SETBIT k 7 0
SETBIT k 100 0
SETBIT k 100 0
SETBIT a 0 1
BITOP AND l a b
BITOP OR l nokey
BITOP OR l nokey
BITOP NOT l a
BITFIELD m SET u8 0 1
BITFIELD m SET u8 0 1
BITFIELD m SET u8 0 2 SET u8 8 3 INCRBY u8 0 1
BITFIELD m GET u8 0
BITFIELD m INCRBY u8 0 0
BITFIELD m SET u8 100 0
BITFIELD n OVERFLOW FAIL INCRBY u2 0 10
BITFIELD n OVERFLOW FAIL INCRBY u2 0 10
BITFIELD m OVERFLOW FAIL INCRBY u2 0 10 INCRBY u2 0 1
BITFIELD_RO m GET u8 0
GET a
MGET a b c
STRLEN a
GETRANGE a 0 -1
LCS a b
BITCOUNT m
BITPOS m 1
GETBIT m 0
SET x1 v PX 30
SET x2 v PX 30
SET x3 v PX 30
SET x4 v PX 30
SET x5 v PX 30
SET x6 v PX 30
SET x7 v PX 30
SET x8 v PX 30
!sleep 60
SET x1 w XX
SET x2 w KEEPTTL GET
INCR x3
APPEND x4 a
SETBIT x5 0 1
GETEX x6 PERSIST
MSETNX x7 1 x8 2
`
