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

// eventDiff describes one run of diffEvents. The zero value is the common
// case: notify-keyspace-events KEAm on Redis, every reply compared byte for
// byte.
type eventDiff struct {
	// Flags is Redis's notify-keyspace-events value ("KEAm" if empty).
	// Modis's notify hook drops the classes Flags leaves out: key-miss
	// events without 'm', new-key events without 'n'.
	Flags string
	// Setup runs on both servers after the FLUSHALL, before the script
	// (e.g. CONFIG SET of an encoding threshold).
	Setup [][]string
	// SkipReply, if set, says which commands' replies are not compared
	// (their events, dirty and hit/miss deltas still are).
	SkipReply func(args []string) bool
}

// diffEvents runs script on a fresh redis-server and a fresh Modis and
// compares, command by command: the reply, the keyspace events (Redis: a
// PSUBSCRIBE to __keyevent@*__:*, drained up to a marker message; Modis:
// the notify hook), the change counter (Redis: rdb_changes_since_last_save;
// Modis: s.dirty) and the deltas of keyspace_hits and keyspace_misses.
// Events are written "db:event:key".
//
// Active expiry is off on both servers so that a key expires lazily, inside
// the command that touches it, and its events count for that command.
//
// Script syntax, one command per line, quoted as redis-cli quotes:
//
//	!sleep MS   sleep MS milliseconds (no command is sent)
//	~ CMD ...   compare only the reply's shape (type and element count),
//	            for replies that carry times
func diffEvents(t *testing.T, script string, o eventDiff) {
	t.Helper()
	flags := o.Flags
	if flags == "" {
		flags = "KEAm"
	}
	var drop int
	if !strings.Contains(flags, "m") {
		drop |= notifyKeyMiss
	}
	if !strings.Contains(flags, "n") {
		drop |= notifyNew
	}
	r := difftest.StartRedis(t, "--notify-keyspace-events", flags, "--enable-debug-command", "yes")
	s := startTestServer(t, nil)
	var modisEvents []string
	s.mu.Lock()
	s.activeExpireEnabled = false
	s.notifyHook = func(class int, event string, key []byte, db int) {
		if class&drop == 0 {
			modisEvents = append(modisEvents, fmt.Sprintf("%d:%s:%s", db, event, key))
		}
	}
	s.mu.Unlock()

	rc, mc, sub := dial(t, r.Addr), dial(t, s.Addr().String()), dial(t, r.Addr)
	mustDo(t, sub, "PSUBSCRIBE", "__keyevent@*__:*")
	mustDo(t, sub, "SUBSCRIBE", "marker")
	mustDo(t, rc, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	for _, c := range []*difftest.Conn{rc, mc} {
		mustDo(t, c, "FLUSHALL")
		for _, cmd := range o.Setup {
			mustDo(t, c, cmd...)
		}
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
				ch := string(v.Elems[2].Str) // __keyevent@<db>__:<event>
				db := ch[len("__keyevent@"):strings.Index(ch, "__:")]
				ev := ch[strings.Index(ch, "__:")+3:]
				evs = append(evs, db+":"+ev+":"+string(v.Elems[3].Str))
			}
		}
	}
	redisEvents() // drop what the setup fired
	s.mu.Lock()
	modisEvents = nil
	s.mu.Unlock()

	for _, line := range strings.Split(strings.TrimSpace(script), "\n") {
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
		if sargs[0] == "!sleep" {
			ms, _ := strconv.Atoi(sargs[1])
			time.Sleep(time.Duration(ms) * time.Millisecond)
			continue
		}
		rDirty := infoInt(t, rc, "persistence", "rdb_changes_since_last_save")
		rStats, mStats := hitsMisses(t, rc), hitsMisses(t, mc)
		s.mu.Lock()
		mDirty := s.dirty
		s.mu.Unlock()
		rraw, rv, err := rc.Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		mraw, mv, err := mc.Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case o.SkipReply != nil && o.SkipReply(sargs):
		case shape:
			if rv.Type != mv.Type || len(rv.Elems) != len(mv.Elems) {
				t.Errorf("%s: reply shape redis %q modis %q", line, rraw, mraw)
			}
		case string(rraw) != string(mraw):
			t.Errorf("%s: reply redis %q modis %q", line, rraw, mraw)
		}
		rStats2, mStats2 := hitsMisses(t, rc), hitsMisses(t, mc)
		if rd, md := rStats2.minus(rStats), mStats2.minus(mStats); rd != md {
			t.Errorf("%s: hits,misses +%v in redis, +%v in modis", line, rd, md)
		}
		rDelta := infoInt(t, rc, "persistence", "rdb_changes_since_last_save") - rDirty
		rev := redisEvents()
		s.mu.Lock()
		mDelta, mev := s.dirty-mDirty, modisEvents
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

// hitMiss is a reading of keyspace_hits and keyspace_misses.
type hitMiss struct{ hits, misses int64 }

func (a hitMiss) minus(b hitMiss) hitMiss { return hitMiss{a.hits - b.hits, a.misses - b.misses} }

func hitsMisses(t *testing.T, c *difftest.Conn) hitMiss {
	return hitMiss{infoInt(t, c, "stats", "keyspace_hits"), infoInt(t, c, "stats", "keyspace_misses")}
}

// infoInt reads the integer field of an INFO section; it fails the test
// if the field is missing.
func infoInt(t *testing.T, c *difftest.Conn, section, field string) int64 {
	t.Helper()
	_, v, err := c.Do("INFO", section)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if n, ok := strings.CutPrefix(line, field+":"); ok {
			d, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				t.Fatalf("INFO %s: %q", field, n)
			}
			return d
		}
	}
	t.Fatalf("no %s in INFO %s", field, section)
	return 0
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
