package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// TestHashEventsAndDirty compares, command by command, the replies, the
// keyspace events (Redis: PSUBSCRIBE to every keyevent channel; Modis: the
// notify hook), the change counter (Redis: rdb_changes_since_last_save;
// Modis: s.dirty) and the keyspace hit/miss counters of the hash
// commands, write and no-op paths alike.
func TestHashEventsAndDirty(t *testing.T) {
	r := difftest.StartRedis(t, "--notify-keyspace-events", "KEA")
	s := startTestServer(t, nil)
	var modisEvents []string
	s.mu.Lock()
	s.notifyHook = func(class int, event string, key []byte, db int) {
		if class&(notifyNew|notifyKeyMiss) != 0 {
			return
		}
		modisEvents = append(modisEvents, event+":"+string(key))
	}
	s.mu.Unlock()
	rc, mc, sub := dial(t, r.Addr), dial(t, s.Addr().String()), dial(t, r.Addr)
	mustDo(t, sub, "PSUBSCRIBE", "__keyevent@0__:*")
	mustDo(t, sub, "SUBSCRIBE", "marker")
	for _, c := range []*difftest.Conn{rc, mc} {
		mustDo(t, c, "FLUSHALL")
		mustDo(t, c, "CONFIG", "SET", "hash-max-listpack-entries", "2")
	}
	t.Cleanup(func() { mustDo(t, rc, "CONFIG", "SET", "hash-max-listpack-entries", "512") })
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
	for _, line := range strings.Split(strings.TrimSpace(hashEventScript), "\n") {
		args, ok := resp.SplitArgs([]byte(line), nil)
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		sargs := make([]string, len(args))
		for i, a := range args {
			sargs[i] = string(a)
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
		if rs, ms := statDelta(t, rStats, hitsMisses(rc)), statDelta(t, mStats, hitsMisses(mc)); rs != ms {
			t.Errorf("%s: hits,misses +%s in redis, +%s in modis", line, rs, ms)
		}
		rDelta := redisDirty() - before
		rev := redisEvents()
		s.mu.Lock()
		mDelta, mev := s.dirty-mBefore, modisEvents
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

const hashEventScript = `
HSET h a 1
HSET h a 1
HSET h a 2 b 3 c 4
HMSET h d 5
HSETNX h a x
HSETNX h e 6
HSETNX n a 1
HDEL h nosuch
HDEL h a b nosuch
HINCRBY h c 10
HINCRBY h x 1
HINCRBY h e abc
HINCRBYFLOAT h c 1.5
HINCRBYFLOAT h y 2.5
HINCRBYFLOAT h c abc
HGET h c
HLEN h
HSTRLEN h c
HGETALL nokey
HSET lp a 1
HKEYS lp
HRANDFIELD nokey
HRANDFIELD lp 2
HSCAN nokey 0
HSCAN lp 0 COUNT 100
HMGET h a b
HMGET nokey a
HEXISTS h c
HEXISTS nokey c
HDEL h c d e x y
EXISTS h
HDEL n a
HDEL n a
HSET n
SET s v
HSET s a 1
HDEL s a
HINCRBY nk f 5
HINCRBYFLOAT nf f 5
HDEL nk f nf
`
