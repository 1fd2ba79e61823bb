package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// TestZsetEventsAndDirty compares, command by command, the keyspace
// events (Redis: PSUBSCRIBE to every keyevent channel; Modis: the notify
// hook), the change counter and the keyspace hit/miss counters of the
// sorted set commands, no-op paths included.
func TestZsetEventsAndDirty(t *testing.T) {
	r := difftest.StartRedis(t, "--notify-keyspace-events", "KEAm")
	s := startTestServer(t, nil)
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
	stat := func(c *difftest.Conn, section, field string) string {
		_, v, err := c.Do("INFO", section)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(v.Str), "\r\n") {
			if strings.HasPrefix(line, field+":") {
				return line
			}
		}
		t.Fatalf("no %s", field)
		return ""
	}
	counters := func(c *difftest.Conn) string {
		return stat(c, "persistence", "rdb_changes_since_last_save") + " " +
			stat(c, "stats", "keyspace_hits") + " " + stat(c, "stats", "keyspace_misses")
	}
	for _, line := range strings.Split(strings.TrimSpace(zsetEventScript), "\n") {
		args, ok := resp.SplitArgs([]byte(line), nil)
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		sargs := make([]string, len(args))
		for i, a := range args {
			sargs[i] = string(a)
		}
		rBefore, mBefore := counters(rc), counters(mc)
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
		rAfter, mAfter := counters(rc), counters(mc)
		if d1, d2 := counterDelta(rBefore, rAfter), counterDelta(mBefore, mAfter); d1 != d2 {
			t.Errorf("%s: dirty/hits/misses delta redis %s modis %s", line, d1, d2)
		}
		rev := redisEvents()
		s.mu.Lock()
		mev := modisEvents
		modisEvents = nil
		s.mu.Unlock()
		if fmt.Sprint(rev) != fmt.Sprint(mev) {
			t.Errorf("%s: events\n redis %v\n modis %v", line, rev, mev)
		}
	}
}

// counterDelta subtracts two "name:N name:M ..." readings field by field.
func counterDelta(a, b string) string {
	fa, fb := strings.Fields(a), strings.Fields(b)
	var d []string
	for i := range fa {
		var x, y int64
		fmt.Sscan(fa[i][strings.IndexByte(fa[i], ':')+1:], &x)
		fmt.Sscan(fb[i][strings.IndexByte(fb[i], ':')+1:], &y)
		d = append(d, fmt.Sprint(y-x))
	}
	return strings.Join(d, ",")
}

const zsetEventScript = `
ZADD z 1 a 2 b 3 c
ZADD z 1 a
ZADD z CH 5 a
ZADD z NX 7 a
ZADD z XX 8 nosuch
ZADD z INCR 1 a
ZADD z INCR NX 1 a
ZADD z XX 1 a
ZADD nokey XX 1 a
ZADD z 1 a 2 b 9 c 10 d
ZADD z abc a
ZINCRBY z 2 b
ZINCRBY z 0 b
ZADD z INCR +inf b
ZADD z INCR -inf b
ZREM z nosuch
ZREM z a b
ZREM nokey a
ZCARD z
ZCARD nokey
ZSCORE z c
ZSCORE nokey c
ZMSCORE z c d
ZMSCORE nokey c
ZRANK z c
ZREVRANK nokey c
ZCOUNT z 0 100
ZCOUNT nokey 0 100
ZLEXCOUNT z - +
ZRANGE z 0 -1
ZRANGE nokey 0 -1
ZRANGEBYSCORE z 0 10
ZRANGEBYLEX z - +
ZREVRANGE z 0 -1
ZRANGESTORE dst z 0 -1
ZRANGESTORE dst z 10 20
ZRANGESTORE dst nokey 0 -1
ZRANGESTORE dst z 0 0
ZREMRANGEBYRANK z 5 6
ZREMRANGEBYRANK z 0 0
ZREMRANGEBYSCORE z 100 200
ZREMRANGEBYLEX z - +
ZREMRANGEBYRANK nokey 0 1
ZADD z 1 a 2 b 3 c 4 d
ZPOPMIN z
ZPOPMAX z 0
ZPOPMAX z 5
ZPOPMIN nokey
ZADD z 1 a 2 b
ZADD z2 1 a 3 c
ZMPOP 2 nokey z MIN COUNT 1
ZMPOP 1 nokey MIN
ZRANDMEMBER z
ZRANDMEMBER nokey
ZRANDMEMBER z 3
ZUNION 2 z z2
ZINTER 2 z z2 nokey
ZDIFF 2 z z2
ZINTERCARD 2 z z2
ZUNIONSTORE u 2 z z2
ZINTERSTORE u 2 z z2
ZDIFFSTORE u 2 z z2
ZDIFFSTORE u 2 z z
ZDIFFSTORE u 2 z z
ZINTERSTORE z 2 z z2
ZSCAN z2 0
ZSCAN nokey 0
SET s v
ZADD s 1 a
ZRANGE s 0 1
ZUNIONSTORE s 1 z2
ZREMRANGEBYSCORE z2 -inf +inf
`
