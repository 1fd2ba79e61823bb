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

// keysEventScript exercises the write, no-op and error paths of the
// generic key, expiry and database commands, lazy expiry included.
const keysEventScript = `
SET a 1
EXISTS a a nokey
TYPE a
TYPE nokey
TOUCH a nokey
EXPIRE a 100
EXPIRE a 100 NX
EXPIRE nokey 100
PEXPIRE a 200000 GT
EXPIREAT a 4102444800
PEXPIREAT a 4102444800000 LT
TTL a
PTTL nokey
EXPIRETIME a
PEXPIRETIME nokey
PERSIST a
PERSIST a
PERSIST nokey
EXPIRE a abc
EXPIRE a 10 NX XX
EXPIRE a -1
SET a 1
PEXPIRE a 0
SET b 2
RENAME b c
RENAME c c
RENAME nokey x
RENAMENX c d
SET e 5
RENAMENX d e
RENAME d e
COPY e f
COPY e f
COPY e f REPLACE
COPY e f DB 1
COPY nokey g
COPY e e
MOVE f 1
MOVE f 2
MOVE nokey 1
MOVE e 0
SET x 1
PEXPIRE x 20
!sleep 40
EXISTS x
SET y 1
PEXPIRE y 20
!sleep 40
TTL y
SET z 1
PEXPIRE z 20
!sleep 40
DEL z
SET w 1
PEXPIRE w 20
!sleep 40
RENAME w w2
SET v 1
PEXPIRE v 20
!sleep 40
COPY v v2
SET u 1
PEXPIRE u 20
!sleep 40
OBJECT ENCODING u
SET t 1
PEXPIRE t 20
!sleep 40
EXPIRE t 100
DEL e nokey e
UNLINK f
OBJECT ENCODING nokey
OBJECT ENCODING a
KEYS *
SCAN 0 COUNT 100 MATCH nomatch
SCAN 0 COUNT 100 TYPE hash
RANDOMKEY
DBSIZE
SWAPDB 0 1
SWAPDB 0 0
SWAPDB 1 0
SELECT 1
DEL f
SELECT 0
FLUSHDB
SET a 1
SET b 1
FLUSHALL
FLUSHALL
`

// TestKeysEventsAndDirty runs the generic commands against redis-server
// and Modis and compares, command by command, the keyspace events of every
// database (Redis: PSUBSCRIBE __keyevent@*__:* with KEAmn, new-key events included; Modis: the
// notify hook), the change counter (rdb_changes_since_last_save vs
// s.dirty) and the keyspace hit and miss counters.
func TestKeysEventsAndDirty(t *testing.T) {
	r := difftest.StartRedis(t, "--notify-keyspace-events", "KEAmn", "--enable-debug-command", "yes").Addr
	s := startTestServer(t, nil)
	s.mu.Lock()
	s.activeExpireEnabled = false
	var modisEvents []string
	s.notifyHook = func(class int, event string, key []byte, db int) {
		modisEvents = append(modisEvents, fmt.Sprintf("%d:%s:%s", db, event, key))
	}
	s.mu.Unlock()

	rc := dial(t, r)
	mc := dial(t, s.Addr().String())
	sub := dial(t, r)
	keysDo(t, sub, "PSUBSCRIBE", "__keyevent@*__:*")
	keysDo(t, sub, "SUBSCRIBE", "marker")
	keysDo(t, rc, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	keysDo(t, rc, "FLUSHALL")
	keysDo(t, mc, "FLUSHALL")
	sync := func() []string {
		keysDo(t, rc, "PUBLISH", "marker", "x")
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
				ch := string(v.Elems[2].Str) // __keyevent@<db>__:<event>
				db := ch[len("__keyevent@"):strings.Index(ch, "__:")]
				ev := ch[strings.Index(ch, "__:")+3:]
				evs = append(evs, db+":"+ev+":"+string(v.Elems[3].Str))
			}
		}
	}
	sync()
	s.mu.Lock()
	modisEvents = nil
	s.mu.Unlock()
	infoField := func(section, field string) int64 {
		_, v, err := rc.Do("INFO", section)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(v.Str), "\r\n") {
			if n, ok := strings.CutPrefix(line, field+":"); ok {
				d, _ := strconv.ParseInt(n, 10, 64)
				return d
			}
		}
		t.Fatalf("no %s in INFO", field)
		return 0
	}
	hitsMisses := func(c interface {
		Do(...string) ([]byte, resp.Value, error)
	}) string {
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

	for _, line := range strings.Split(strings.TrimSpace(keysEventScript), "\n") {
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
		before := infoField("persistence", "rdb_changes_since_last_save")
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
		exact := sargs[0] != "KEYS" && sargs[0] != "RANDOMKEY" && sargs[0] != "TTL" && sargs[0] != "EXPIRETIME"
		if exact && string(rraw) != string(mraw) {
			t.Errorf("%s: reply redis %q modis %q", line, rraw, mraw)
		}
		rStats2, mStats2 := hitsMisses(rc), hitsMisses(mc)
		if statDelta(t, rStats, rStats2) != statDelta(t, mStats, mStats2) {
			t.Errorf("%s: hits/misses %s -> %s in redis, %s -> %s in modis", line, rStats, rStats2, mStats, mStats2)
		}
		rDelta := infoField("persistence", "rdb_changes_since_last_save") - before
		rev := sync()
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
