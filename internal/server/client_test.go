package server

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// parseClientLine splits a CLIENT LIST line into ordered keys and values.
func parseClientLine(line string) (keys []string, vals map[string]string) {
	vals = map[string]string{}
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		keys = append(keys, k)
		vals[k] = v
	}
	return keys, vals
}

// TestClientInfoFormat compares CLIENT INFO / LIST field names, their
// order and the values that do not depend on memory or ids.
func TestClientInfoFormat(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	w := sv.dial(t)
	stable := []string{"name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi", "cmd", "user", "redir", "resp", "rbs", "rbp", "oll"}
	check := func(what string, r, m []byte) {
		t.Helper()
		rs, ms := string(r), string(m)
		if !strings.HasSuffix(rs, "\n") || !strings.HasSuffix(ms, "\n") {
			t.Fatalf("%s: missing trailing newline: %q / %q", what, rs, ms)
		}
		rk, rv := parseClientLine(rs)
		mk, mv := parseClientLine(ms)
		if strings.Join(rk, " ") != strings.Join(mk, " ") {
			t.Fatalf("%s: fields differ:\n redis: %v\n modis: %v", what, rk, mk)
		}
		for _, k := range stable {
			if rv[k] == mv[k] {
				continue
			}
			if k == "age" || k == "idle" {
				// Seconds: the two servers may read their clocks on
				// either side of a second boundary.
				r, err1 := strconv.Atoi(rv[k])
				m, err2 := strconv.Atoi(mv[k])
				if err1 == nil && err2 == nil && r-m <= 1 && m-r <= 1 {
					continue
				}
			}
			t.Errorf("%s: %s=%q, redis has %q", what, k, mv[k], rv[k])
		}
	}
	info := func(args ...string) {
		t.Helper()
		w.send(args...)
		_, rv, err := w.r.Read()
		if err != nil {
			t.Fatal(err)
		}
		_, mv, err := w.m.Read()
		if err != nil {
			t.Fatal(err)
		}
		check(strings.Join(args, " "), rv.Str, mv.Str)
	}
	info("CLIENT", "INFO")
	w.do("CLIENT", "SETNAME", "tester")
	w.do("SELECT", "5")
	w.do("CLIENT", "NO-EVICT", "on")
	info("CLIENT", "INFO")
	w.do("NOSUCHCOMMAND")
	info("CLIENT", "INFO")
	w.do("SUBSCRIBE", "x")
	w.do("PSUBSCRIBE", "y*")
	w.do("SSUBSCRIBE", "z")
	w.do("RESET")
	w.do("SUBSCRIBE", "x")
	w.do("HELLO", "3") // allowed? no: RESP2 subscribed mode rejects HELLO
	w.do("RESET")

	// Another connection's line as seen from here: the last command run.
	other := sv.dial(t)
	id := func(c *difftest.Conn) string {
		v := do1(t, c, "CLIENT", "ID")
		return strconv.FormatInt(v.Int, 10)
	}
	rid, mid := id(other.r), id(other.m)
	other.do("MULTI")
	other.do("SET", "a", "b")
	other.do("GET", "k")
	_, rv, _ := w.r.Do("CLIENT", "LIST", "ID", rid)
	_, mv, _ := w.m.Do("CLIENT", "LIST", "ID", mid)
	check("CLIENT LIST ID other", rv.Str, mv.Str)
	_, rv, _ = w.r.Do("CLIENT", "LIST", "ID", rid, rid)
	_, mv, _ = w.m.Do("CLIENT", "LIST", "ID", mid, mid)
	if strings.Count(string(mv.Str), "\n") != 2 || strings.Count(string(rv.Str), "\n") != 2 {
		t.Fatalf("repeated ids: %q / %q", rv.Str, mv.Str)
	}
	// A fresh connection has cmd=NULL.
	fresh := sv.dial(t)
	time.Sleep(20 * time.Millisecond)
	_, rv, _ = w.r.Do("CLIENT", "LIST")
	_, mv, _ = w.m.Do("CLIENT", "LIST")
	rl := strings.Split(strings.TrimSuffix(string(rv.Str), "\n"), "\n")
	ml := strings.Split(strings.TrimSuffix(string(mv.Str), "\n"), "\n")
	if len(rl) != 3 || len(ml) != 3 {
		t.Fatalf("CLIENT LIST lines: redis %d modis %d", len(rl), len(ml))
	}
	check("CLIENT LIST last", []byte(rl[2]+"\n"), []byte(ml[2]+"\n"))
	_ = fresh
	// Addresses are real.
	_, vals := parseClientLine(ml[0])
	if vals["laddr"] != sv.modis || !strings.HasPrefix(vals["addr"], "127.0.0.1:") {
		t.Fatalf("addresses: %v", vals)
	}
	if fd, err := strconv.Atoi(vals["fd"]); err != nil || fd <= 2 {
		t.Fatalf("fd=%q", vals["fd"])
	}
}

// TestClientKill compares kills by ID, by address (old form), by type and
// of the caller itself.
func TestClientKill(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	a := sv.dial(t)
	victim := sv.dial(t)
	rid := strconv.FormatInt(do1(t, victim.r, "CLIENT", "ID").Int, 10)
	mid := strconv.FormatInt(do1(t, victim.m, "CLIENT", "ID").Int, 10)
	cmp := func(rr, mr []byte) {
		t.Helper()
		if string(rr) != string(mr) {
			t.Fatalf("differ: %q / %q", rr, mr)
		}
	}
	rr, _, _ := a.r.Do("CLIENT", "KILL", "ID", rid)
	mr, _, _ := a.m.Do("CLIENT", "KILL", "ID", mid)
	cmp(rr, mr)
	if _, _, err := victim.m.Do("PING"); err == nil {
		t.Fatal("killed client still served")
	}
	rr, _, _ = a.r.Do("CLIENT", "LIST", "ID", rid)
	mr, _, _ = a.m.Do("CLIENT", "LIST", "ID", mid)
	cmp(rr, mr)

	// Old form by address.
	v2 := sv.dial(t)
	peer := func(c *difftest.Conn) string {
		_, v, _ := c.Do("CLIENT", "INFO")
		_, vals := parseClientLine(string(v.Str))
		return vals["addr"]
	}
	rr, _, _ = a.r.Do("CLIENT", "KILL", peer(v2.r))
	mr, _, _ = a.m.Do("CLIENT", "KILL", peer(v2.m))
	cmp(rr, mr)
	rr, _, _ = a.r.Do("CLIENT", "KILL", peer(v2.r))
	mr, _, _ = a.m.Do("CLIENT", "KILL", "127.0.0.1:1")
	cmp(rr, mr)

	// By type: pubsub clients only.
	s1 := sv.dial(t)
	s1.do("SUBSCRIBE", "ch")
	n1 := sv.dial(t)
	a.do("CLIENT", "KILL", "TYPE", "pubsub")
	a.do("PUBSUB", "NUMSUB", "ch")
	n1.do("PING")
	// LADDR matches every client of this listener except the caller.
	a.do("CLIENT", "KILL", "LADDR", "nosuch:1")
	rr, _, _ = a.r.Do("CLIENT", "KILL", "LADDR", sv.redis)
	mr, _, _ = a.m.Do("CLIENT", "KILL", "LADDR", sv.modis)
	cmp(rr, mr)
	// Killing oneself: the reply is sent, then the connection closes.
	b := sv.dial(t)
	rr, _, _ = b.r.Do("CLIENT", "KILL", peer(b.r))
	mr, _, _ = b.m.Do("CLIENT", "KILL", peer(b.m))
	cmp(rr, mr)
	if _, _, err := b.m.Do("PING"); err == nil {
		t.Fatal("client killed by its own old-form KILL still served")
	}
	a.do("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no")
	if _, _, err := a.m.Do("PING"); err == nil {
		t.Fatal("self-killed client still served")
	}
}

// TestClientPause runs the pause scenario on both servers so the expected
// timings are those of redis-server.
func TestClientPause(t *testing.T) {
	sv := startServers(t, nil, nil)
	for _, addr := range []string{sv.redis, sv.modis} {
		dial := func() *difftest.Conn {
			c, err := difftest.Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			return c
		}
		ctl, other, mon := dial(), dial(), dial()
		do1(t, mon, "MONITOR")
		timed := func(c *difftest.Conn, args ...string) time.Duration {
			start := time.Now()
			if _, _, err := c.Do(args...); err != nil {
				t.Fatal(err)
			}
			return time.Since(start)
		}
		do1(t, ctl, "CLIENT", "PAUSE", "400", "WRITE")
		if d := timed(other, "GET", "k"); d > 200*time.Millisecond {
			t.Errorf("%s: read held by PAUSE WRITE for %v", addr, d)
		}
		if d := timed(other, "MULTI"); d > 200*time.Millisecond {
			t.Errorf("%s: MULTI held for %v", addr, d)
		}
		if d := timed(other, "SET", "k", "v"); d < 250*time.Millisecond {
			t.Errorf("%s: queued write not held (%v)", addr, d)
		}
		do1(t, ctl, "CLIENT", "PAUSE", "300", "WRITE")
		if d := timed(other, "EXEC"); d < 200*time.Millisecond {
			t.Errorf("%s: EXEC with a write not held (%v)", addr, d)
		}
		do1(t, ctl, "CLIENT", "PAUSE", "400", "WRITE")
		if d := timed(other, "PUBLISH", "c", "m"); d < 250*time.Millisecond {
			t.Errorf("%s: PUBLISH not held by PAUSE WRITE (%v)", addr, d)
		}
		do1(t, ctl, "CLIENT", "PAUSE", "300", "ALL")
		if d := timed(other, "NOSUCHCOMMAND"); d > 200*time.Millisecond {
			t.Errorf("%s: rejected command held for %v", addr, d)
		}
		if d := timed(mon, "PING"); d > 200*time.Millisecond {
			t.Errorf("%s: MONITOR client held for %v", addr, d)
		}
		if d := timed(other, "PING"); d < 150*time.Millisecond {
			t.Errorf("%s: PING not held by PAUSE ALL (%v)", addr, d)
		}
		// A weaker or shorter pause does not shorten a stronger one.
		do1(t, ctl, "CLIENT", "PAUSE", "300", "ALL")
		do1(t, mon, "CLIENT", "PAUSE", "10", "WRITE")
		if d := timed(other, "PING"); d < 150*time.Millisecond {
			t.Errorf("%s: PAUSE ALL shortened (%v)", addr, d)
		}
		// UNPAUSE releases waiting clients early.
		do1(t, ctl, "CLIENT", "PAUSE", "5000", "WRITE")
		if err := other.Send("SET", "k", "v2"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
		do1(t, ctl, "CLIENT", "UNPAUSE")
		start := time.Now()
		if _, _, err := other.Read(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("%s: UNPAUSE did not release the client (%v)", addr, d)
		}
	}
}

// TestUnixSocket serves clients on a unix socket with the configured
// permissions; CLIENT LIST and MONITOR show them as Redis does.
func TestUnixSocket(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sock := filepath.Join(dir, "modis.sock")
	rsock := filepath.Join(dir, "redis.sock")
	r := difftest.StartRedis(t, "--unixsocket", rsock, "--unixsocketperm", "700")
	_ = r
	startTestServer(t, func(c *config.Config) {
		c.Unixsocket = sock
		c.Unixsocketperm = 0o700
	})
	for _, p := range []string{sock, rsock} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o700 || st.Mode()&os.ModeSocket == 0 {
			t.Fatalf("%s mode %v", p, st.Mode())
		}
	}
	unixDial := func(p string) (*difftest.Conn, net.Conn) {
		nc, err := net.Dial("unix", p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nc.Close() })
		return nil, nc
	}
	info := func(p string) (string, string) {
		_, nc := unixDial(p)
		mon, _ := net.Dial("unix", p)
		defer mon.Close()
		mon.Write([]byte("MONITOR\r\n"))
		readAll(mon, 100*time.Millisecond)
		nc.Write([]byte("CLIENT INFO\r\nPING\r\n"))
		data, _ := readAll(nc, 200*time.Millisecond)
		mdata, _ := readAll(mon, 100*time.Millisecond)
		return string(data), string(mdata)
	}
	ri, rm := info(rsock)
	mi, mm := info(sock)
	norm := func(s string) string {
		s = strings.ReplaceAll(s, rsock, "SOCK")
		s = strings.ReplaceAll(s, sock, "SOCK")
		s = regexp.MustCompile(`\d+\.\d{6}`).ReplaceAllString(s, "TS")
		// The bulk length follows the values (ids, ages), not the fields.
		return regexp.MustCompile(`^\$\d+`).ReplaceAllString(s, "$N")
	}
	if norm(rm) != norm(mm) {
		t.Errorf("monitor lines differ:\n redis: %q\n modis: %q", rm, mm)
	}
	rk, rv := parseClientLine(norm(ri))
	mk, mv := parseClientLine(norm(mi))
	if strings.Join(rk, " ") != strings.Join(mk, " ") {
		t.Fatalf("fields differ:\n%v\n%v", rk, mk)
	}
	for _, k := range []string{"addr", "laddr", "flags"} {
		if rv[k] != mv[k] {
			t.Errorf("%s: redis %q modis %q", k, rv[k], mv[k])
		}
	}
	if !strings.HasSuffix(mi, "+PONG\r\n") {
		t.Errorf("no PONG: %q", mi)
	}
}

// TestMaxClients compares the refusal of the connection over maxclients.
func TestMaxClients(t *testing.T) {
	t.Parallel()
	sv := startServers(t, []string{"--maxclients", "3"}, func(c *config.Config) { c.MaxClients = 3 })
	for _, addr := range []string{sv.redis, sv.modis} {
		var conns []net.Conn
		for i := 0; i < 3; i++ {
			c := rawConn(t, addr)
			c.Write([]byte("PING\r\n"))
			readAll(c, 50*time.Millisecond)
			conns = append(conns, c)
		}
		extra := rawConn(t, addr)
		data, closed := readAll(extra, 500*time.Millisecond)
		if string(data) != "-ERR max number of clients reached\r\n" || !closed {
			t.Errorf("%s: got %q closed=%v", addr, data, closed)
		}
		conns[0].Close()
		time.Sleep(100 * time.Millisecond)
		again := rawConn(t, addr)
		again.Write([]byte("PING\r\n"))
		if data, _ := readAll(again, 200*time.Millisecond); string(data) != "+PONG\r\n" {
			t.Errorf("%s: after a slot freed: %q", addr, data)
		}
	}
}

// nonLoopbackIP returns an address of this machine that is not loopback.
func nonLoopbackIP() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() {
			return ipn.IP.String()
		}
	}
	return ""
}

// TestProtectedMode: clients from a non-loopback address get Redis's
// DENIED message and are disconnected; loopback clients are served.
func TestProtectedMode(t *testing.T) {
	t.Parallel()
	ip := nonLoopbackIP()
	if ip == "" {
		t.Skip("no non-loopback IPv4 address")
	}
	r := difftest.StartRedis(t, "--bind", ip, "127.0.0.1", "--protected-mode", "yes")
	_, ps, _ := net.SplitHostPort(r.Addr)
	rport, _ := strconv.Atoi(ps)
	s := startTestServer(t, func(c *config.Config) {
		c.Bind = []string{ip, "127.0.0.1"}
		c.ProtectedMode = true
	})
	mport := s.Addr().(*net.TCPAddr).Port
	got := map[string]string{}
	for name, port := range map[string]int{"redis": rport, "modis": mport} {
		c := rawConn(t, net.JoinHostPort(ip, strconv.Itoa(port)))
		c.Write([]byte("PING\r\n"))
		data, closed := readAll(c, 500*time.Millisecond)
		if !closed {
			t.Errorf("%s: connection not closed", name)
		}
		got[name] = string(data)
		lc := rawConn(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		lc.Write([]byte("PING\r\n"))
		if data, _ := readAll(lc, 200*time.Millisecond); string(data) != "+PONG\r\n" {
			t.Errorf("%s: loopback client got %q", name, data)
		}
	}
	if got["redis"] != got["modis"] || !strings.HasPrefix(got["modis"], "-DENIED") {
		t.Fatalf("differ:\n redis: %q\n modis: %q", got["redis"], got["modis"])
	}
	// With a password, protected mode does not apply.
	s2 := startTestServer(t, func(c *config.Config) {
		c.Bind = []string{ip}
		c.RequirePass = "pw"
	})
	c := rawConn(t, s2.Addr().String())
	c.Write([]byte("PING\r\n"))
	if data, _ := readAll(c, 200*time.Millisecond); !strings.HasPrefix(string(data), "-NOAUTH") {
		t.Fatalf("with requirepass: %q", data)
	}
}

// TestIdleTimeout: idle normal clients are closed by the cron; pub/sub
// clients are not.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, func(c *config.Config) { c.Timeout = 1 })
	addr := s.Addr().String()
	idle := rawConn(t, addr)
	sub := rawConn(t, addr)
	sub.Write([]byte("SUBSCRIBE x\r\n"))
	active := rawConn(t, addr)
	time.Sleep(50 * time.Millisecond)
	// Pretend both have been idle for a while rather than sleeping.
	s.mu.Lock()
	for _, c := range s.clients {
		c.lastInteract = c.lastInteract.Add(-5 * time.Second)
	}
	s.mu.Unlock()
	active.Write([]byte("PING\r\n"))
	readAll(active, 50*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	if _, closed := readAll(idle, 100*time.Millisecond); !closed {
		t.Error("idle client not closed")
	}
	if data, closed := readAll(sub, 100*time.Millisecond); closed {
		t.Errorf("subscriber closed (%q)", data)
	}
	active.Write([]byte("PING\r\n"))
	if data, _ := readAll(active, 100*time.Millisecond); string(data) != "+PONG\r\n" {
		t.Errorf("active client: %q", data)
	}
}

// TestQueryBufferLimit: a client whose unparsed input exceeds
// client-query-buffer-limit is closed.
func TestQueryBufferLimit(t *testing.T) {
	t.Parallel()
	logf := filepath.Join(t.TempDir(), "log")
	s := startTestServer(t, func(c *config.Config) {
		c.ClientQueryBufferLimit = 1 << 20
		c.LogFile = logf
	})
	c := rawConn(t, s.Addr().String())
	c.Write([]byte("*2\r\n$3\r\nSET\r\n$3000000\r\n"))
	go c.Write(make([]byte, 1500000))
	if _, closed := readAll(c, 2*time.Second); !closed {
		t.Fatal("client not closed")
	}
	time.Sleep(50 * time.Millisecond)
	log, _ := os.ReadFile(logf)
	if !strings.Contains(string(log), "Closing client that reached max query buffer length") {
		t.Errorf("log: %s", log)
	}
	// Below the limit a big argument is fine.
	ok := rawConn(t, s.Addr().String())
	ok.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000\r\n"))
	ok.Write(append(make([]byte, 500000), "\r\n"...))
	if data, _ := readAll(ok, 500*time.Millisecond); string(data) != "+OK\r\n" {
		t.Fatalf("got %q", data)
	}
}
