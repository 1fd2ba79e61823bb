package server

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// dual drives several connections to a reference redis-server and to an
// in-process Modis in lockstep and compares every reply byte for byte
// (tests that need more than the single connection of a diff script).
type dual struct {
	t testing.TB
	s *Server
	r []*difftest.Conn
	m []*difftest.Conn
}

// newDual starts both servers with n connections each. redisArgs go to
// redis-server; mutate adjusts the Modis configuration.
func newDual(t testing.TB, n int, mutate func(*config.Config), redisArgs ...string) *dual {
	t.Helper()
	r := difftest.StartRedis(t, redisArgs...)
	s := startTestServer(t, mutate)
	d := &dual{t: t, s: s}
	for i := 0; i < n; i++ {
		rc, err := difftest.Dial(r.Addr)
		if err != nil {
			t.Fatal(err)
		}
		mc, err := difftest.Dial(s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rc.Close(); mc.Close() })
		d.r = append(d.r, rc)
		d.m = append(d.m, mc)
	}
	return d
}

// do sends args on connection i of both servers and compares the replies.
func (d *dual) do(i int, args ...string) []byte {
	d.t.Helper()
	rraw, _, err := d.r[i].Do(args...)
	if err != nil {
		d.t.Fatalf("redis %v: %v", args, err)
	}
	mraw, _, err := d.m[i].Do(args...)
	if err != nil {
		d.t.Fatalf("modis %v: %v (redis replied %q)", args, err, rraw)
	}
	if !bytes.Equal(rraw, mraw) {
		d.t.Errorf("conn %d %v:\n redis: %q\n modis: %q", i, args, rraw, mraw)
	}
	return mraw
}

// redis sends a command to the reference server only.
func (d *dual) redis(i int, args ...string) {
	d.t.Helper()
	if _, _, err := d.r[i].Do(args...); err != nil {
		d.t.Fatal(err)
	}
}

// pexpire gives key a TTL of ms on both servers. Modis gets it straight in
// the keyspace, so the test does not depend on the expire commands.
func (d *dual) pexpire(dbid int, key string, ms int64) {
	d.t.Helper()
	d.redis(0, "SELECT", strconv.Itoa(dbid))
	d.redis(0, "PEXPIRE", key, strconv.FormatInt(ms, 10))
	d.redis(0, "SELECT", "0")
	d.s.mu.Lock()
	d.s.beforeCommand()
	d.s.ks.DBs[dbid].SetExpire([]byte(key), time.Now().UnixMilli()+ms)
	d.s.mu.Unlock()
}
