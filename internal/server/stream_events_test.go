package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// TestStreamEventsAndDirty runs stream commands against redis-server and
// Modis and compares, command by command, the reply, the keyspace events
// fired, the change counter (rdb_changes_since_last_save against s.dirty)
// and the keyspace hit/miss counters, as TestStringEventsAndDirty does for
// strings. Replies that carry times are compared by shape only ("~ ").
func TestStreamEventsAndDirty(t *testing.T) {
	r := difftest.StartRedis(t, "--notify-keyspace-events", "KEAm")
	s := startTestServer(t, nil)
	var modisEvents []string
	s.mu.Lock()
	s.notifyHook = func(class int, event string, key []byte, db int) {
		if class&notifyNew == 0 {
			modisEvents = append(modisEvents, event+":"+string(key))
		}
	}
	s.mu.Unlock()
	rc := dial(t, r.Addr)
	mc := dial(t, s.Addr().String())
	sub := dial(t, r.Addr)
	mustDo(t, sub, "PSUBSCRIBE", "__keyevent@0__:*")
	mustDo(t, sub, "SUBSCRIBE", "marker")
	for _, c := range []*difftest.Conn{rc, mc} {
		mustDo(t, c, "FLUSHALL")
	}
	s.mu.Lock()
	modisEvents = nil
	s.mu.Unlock()

	info := func(c *difftest.Conn, section string, fields ...string) []int64 {
		_, v, err := c.Do("INFO", section)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, len(fields))
		for _, line := range strings.Split(string(v.Str), "\r\n") {
			for i, f := range fields {
				if n, ok := strings.CutPrefix(line, f+":"); ok {
					out[i], _ = strconv.ParseInt(n, 10, 64)
				}
			}
		}
		return out
	}
	hm := func(c *difftest.Conn) []int64 { return info(c, "stats", "keyspace_hits", "keyspace_misses") }
	redisEvents := func() []string {
		mustDo(t, rc, "PUBLISH", "marker", "x")
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
				evs = append(evs, ch[strings.IndexByte(ch, ':')+1:]+":"+string(v.Elems[3].Str))
			}
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(streamEventScript), "\n") {
		shape := strings.HasPrefix(line, "~ ")
		line = strings.TrimPrefix(line, "~ ")
		args, ok := resp.SplitArgs([]byte(line), nil)
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		sargs := make([]string, len(args))
		for i, a := range args {
			sargs[i] = string(a)
		}
		rDirty := info(rc, "persistence", "rdb_changes_since_last_save")[0]
		rStats, mStats := hm(rc), hm(mc)
		s.mu.Lock()
		mBefore := s.dirty
		s.mu.Unlock()
		rraw, rv, err := rc.Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		mraw, mv, err := mc.Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		if shape {
			if rv.Type != mv.Type || len(rv.Elems) != len(mv.Elems) {
				t.Errorf("%s: reply shape redis %q modis %q", line, rraw, mraw)
			}
		} else if string(rraw) != string(mraw) {
			t.Errorf("%s: reply redis %q modis %q", line, rraw, mraw)
		}
		rStats2, mStats2 := hm(rc), hm(mc)
		if fmt.Sprint(rStats2[0]-rStats[0], rStats2[1]-rStats[1]) != fmt.Sprint(mStats2[0]-mStats[0], mStats2[1]-mStats[1]) {
			t.Errorf("%s: hits/misses %v -> %v in redis, %v -> %v in modis", line, rStats, rStats2, mStats, mStats2)
		}
		rDelta := info(rc, "persistence", "rdb_changes_since_last_save")[0] - rDirty
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

// streamEventScript exercises the write and no-op paths of every stream
// command.
const streamEventScript = `
XADD s 1-0 a 1
XADD s 2-0 a 2
XADD s 1-0 a 1
XADD s NOMKSTREAM 3-0 a 3
XADD n NOMKSTREAM 3-0 a 3
XADD s MAXLEN 2 4-0 a 4
XADD s MAXLEN 5 5-0 a 5
XLEN s
XLEN nokey
XRANGE s - +
XRANGE nokey - +
XREVRANGE s + -
XDEL s 2-0 9-0
XDEL s 9-0
XDEL nokey 1-0
XTRIM s MAXLEN 1
XTRIM s MAXLEN 1
XTRIM nokey MAXLEN 1
XREAD STREAMS s 0
XREAD STREAMS nokey 0
XADD s 6-0 a 6
XGROUP CREATE s g 0
XGROUP CREATE s g 0
XGROUP CREATE m g $ MKSTREAM
XGROUP CREATECONSUMER s g c1
XGROUP CREATECONSUMER s g c1
XREADGROUP GROUP g c2 STREAMS s >
XREADGROUP GROUP g c2 STREAMS s >
XREADGROUP GROUP g c2 STREAMS s 0
XREADGROUP GROUP g c3 NOACK STREAMS s 0
XACK s g 5-0 9-0
XACK s g 6-0
XACK nokey g 1-0
XPENDING s g
~ XPENDING s g - + 10
XCLAIM s g c4 0 6-0
XCLAIM s g c4 0 7-0
XCLAIM s g c4 0 5-0 FORCE JUSTID
XCLAIM s g c4 0 5-0 LASTID 9-0 JUSTID
XCLAIM s g c4 0 5-0 LASTID 1-0 JUSTID
XCLAIM s g c4 0 99-0 LASTID 99-0
XAUTOCLAIM s g c5 0 0
XAUTOCLAIM s g c5 0 0 JUSTID
XDEL s 5-0
XAUTOCLAIM s g c5 0 0
XGROUP SETID s g 0
XGROUP DELCONSUMER s g c5
XGROUP DELCONSUMER s g c9
XGROUP DESTROY s g
XGROUP DESTROY s g
XSETID s 100-0
XSETID s 100-0 ENTRIESADDED 50 MAXDELETEDID 5-0
~ XINFO STREAM s
XINFO GROUPS s
XTRIM s MAXLEN 0
XLEN s
DEL s
`
