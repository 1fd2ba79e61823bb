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

// TestSetEventsAndDirty compares, command by command, the replies, the
// keyspace events, the change counter and the keyspace hit/miss counters
// of the set commands on redis-server and Modis (see runEventScript).
func TestSetEventsAndDirty(t *testing.T) { runEventScript(t, setEventScript) }

// runEventScript runs script against both servers the way
// TestStringEventsAndDirty does: events from a PSUBSCRIBE on Redis and the
// notify hook on Modis, rdb_changes_since_last_save against s.dirty, and
// the INFO keyspace_hits/keyspace_misses deltas.
func runEventScript(t *testing.T, script string) {
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

// setEventScript exercises the write, no-op and error paths of every set
// command. Random picks only ever take whole sets so the datasets stay
// equal.
const setEventScript = `
SADD s 1 2 3
SADD s 3
SADD s 4 a
SADD new x
SREM s 9
SREM s 1 9
SREM nokey 1
SREM new x
SREM s 2 3 4 a 99
SADD s 1 2 3
SMOVE s d 1
SMOVE s d 1
SMOVE s s 2
SMOVE nokey d 1
SADD d 2
SMOVE s d 2
SMOVE s d 3
SISMEMBER d 1
SISMEMBER nokey 1
SMISMEMBER d 1 2
SCARD d
SCARD nokey
SMEMBERS d
SMEMBERS nokey
SRANDMEMBER d 10
SRANDMEMBER nokey 10
SADD a 1 2 3
SADD b 2 3 4
SINTER a b
SINTER a nokey b
SINTERCARD 2 a b
SINTERSTORE dst a b
SINTERSTORE dst a nokey
SINTERSTORE dst a nokey
SUNION a b
SUNIONSTORE dst a b
SUNIONSTORE dst nokey
SDIFF a b
SDIFFSTORE dst a b
SDIFFSTORE dst a a
SET str x
SINTERSTORE str a b
SUNIONSTORE str nokey
SADD str 1
SPOP nokey
SPOP nokey 3
SPOP a 0
SPOP a 10
SADD a 1
SPOP a 1
SADD a 1 2 3
EXPIRE a 1000
SPOP a 5
SADD x 5
SPOP x
SSCAN b 0
SSCAN nokey 0
SADD e 1
PEXPIRE e 1
!sleep 20
SCARD e
SADD e 2
SADD f 1
PEXPIRE f 1
!sleep 20
SMOVE f g 1
SADD f 1
PEXPIRE f 1
!sleep 20
SINTERSTORE f a b
`
