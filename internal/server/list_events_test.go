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

// TestListEventsAndDirty compares, command by command, the keyspace events,
// the dirty counter and the hit/miss statistics of the list commands on
// redis-server and Modis (the harness of TestStringEventsAndDirty).
func TestListEventsAndDirty(t *testing.T) {
	listDiffEvents(t, listEventScript)
}

// listDiffEvents runs script on both servers and compares replies, events,
// dirty deltas and keyspace hits/misses per command.
func listDiffEvents(t *testing.T, script string) {
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

	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
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

// listEventScript exercises the write and no-op paths of every list command.
const listEventScript = `
RPUSH l a b c d e
LPUSH l x
LPUSHX l y
RPUSHX l z
LPUSHX nokey y
RPUSHX nokey y
LINSERT l BEFORE a q
LINSERT l AFTER nothere q
LINSERT nokey AFTER a q
LSET l 0 w
LSET l 100 w
LSET nokey 0 w
LTRIM l 1 -2
LTRIM l 0 -1
LTRIM nokey 0 1
LREM l 1 a
LREM l 0 nothere
LREM nokey 0 a
LPOP l
RPOP l
LPOP l 2
RPOP l 0
LPOP nokey
LPOP nokey 3
LLEN l
LINDEX l 0
LINDEX nokey 0
LRANGE l 0 -1
LRANGE nokey 0 -1
LPOS l c
LPOS nokey c
RPUSH m 1
RPOPLPUSH m m
RPOPLPUSH m n
RPOPLPUSH nokey n
LMOVE n o LEFT RIGHT
LMOVE o o RIGHT LEFT
LMOVE nokey o LEFT LEFT
RPUSH p 1 2 3
LMPOP 2 nokey p LEFT COUNT 2
LMPOP 1 p RIGHT COUNT 5
LMPOP 1 nokey RIGHT
RPUSH q 1 2 3
LTRIM q 5 10
RPUSH q a
LREM q 0 a
RPUSH q a b
RPOP q 5
SET s x
LPUSH s a
LPOP s
LMOVE o s LEFT LEFT
RPUSH r 1
LINSERT r BEFORE 1 0
COPY r r2
RPUSH bl a b c
BLPOP nokey bl 0
BRPOP bl 0
BRPOPLPUSH bl bl2 0
BLMOVE bl2 bl3 LEFT RIGHT 0
BLMPOP 0 2 nokey bl3 LEFT COUNT 3
BLPOP nokey 0.01
BLMOVE nokey bl3 LEFT LEFT 0.01
`
