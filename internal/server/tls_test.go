package server

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// tlsPair starts redis-server and Modis serving TLS with the same files
// and extra settings ("tls-auth-clients", "optional", ...). It returns the
// TLS addresses and the plain ones.
func tlsPair(t *testing.T, f *difftest.TLSFiles, extra ...string) (rTLS, mTLS, rPlain, mPlain string) {
	t.Helper()
	rport := strconv.Itoa(difftest.FreePort(t))
	var rargs []string
	rargs = append(rargs, f.ServerArgs(rport)...)
	for i := 0; i+1 < len(extra); i += 2 {
		rargs = append(rargs, "--"+extra[i], extra[i+1])
	}
	r := difftest.StartRedis(t, rargs...)
	mport := difftest.FreePort(t)
	s := startTestServer(t, func(c *config.Config) {
		c.TLSPort = mport
		c.Port = difftest.FreePort(t) // port 0 would mean "no plain listener" next to TLS
		c.TLSCertFile, c.TLSKeyFile, c.TLSCACertFile = f.ServerCert, f.ServerKey, f.CACert
		for i := 0; i+1 < len(extra); i += 2 {
			if _, err := c.Set(config.Lookup(extra[i]), extra[i+1]); err != nil {
				t.Fatal(err)
			}
		}
	})
	return "127.0.0.1:" + rport, "127.0.0.1:" + strconv.Itoa(mport), r.Addr, s.Addr().String()
}

// tlsDo connects over TLS, sends the command and returns the raw reply,
// or "error" when the handshake or the exchange fails.
func tlsDo(addr string, cfg *tls.Config, args ...string) string {
	d := &net.Dialer{Timeout: 2 * time.Second}
	c, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return "error"
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	var b strings.Builder
	b.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b.WriteString("$" + strconv.Itoa(len(a)) + "\r\n" + a + "\r\n")
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "error"
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "error"
	}
	return line
}

// TestTLSAuthClients compares who may connect over TLS under each
// tls-auth-clients mode: a client with a trusted certificate, none, and
// one from an unknown CA; plus protocol version limits.
func TestTLSAuthClients(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	good := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	none := f.TLSClientConfig(t, "", "")
	other := f.TLSClientConfig(t, f.OtherCert, f.OtherKey)
	tls12 := good.Clone()
	tls12.MaxVersion = tls.VersionTLS12
	tls13 := good.Clone()
	tls13.MinVersion = tls.VersionTLS13
	cases := []struct {
		extra []string
		want  []string // good, none, other, tls12, tls13
	}{
		{nil, []string{"+PONG\r\n", "error", "error", "+PONG\r\n", "+PONG\r\n"}},
		{[]string{"tls-auth-clients", "no"}, []string{"+PONG\r\n", "+PONG\r\n", "+PONG\r\n", "+PONG\r\n", "+PONG\r\n"}},
		{[]string{"tls-auth-clients", "optional"}, []string{"+PONG\r\n", "+PONG\r\n", "error", "+PONG\r\n", "+PONG\r\n"}},
		{[]string{"tls-protocols", "TLSv1.3"}, []string{"+PONG\r\n", "error", "error", "error", "+PONG\r\n"}},
		{[]string{"tls-protocols", "TLSv1.2", "tls-ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"}, []string{"+PONG\r\n", "error", "error", "+PONG\r\n", "error"}},
	}
	for _, tc := range cases {
		name := strings.Join(tc.extra, "=")
		t.Run(name, func(t *testing.T) {
			rTLS, mTLS, _, _ := tlsPair(t, f, tc.extra...)
			for i, cfg := range []*tls.Config{good, none, other, tls12, tls13} {
				r, m := tlsDo(rTLS, cfg, "PING"), tlsDo(mTLS, cfg, "PING")
				if r != m || r != tc.want[i] {
					t.Errorf("client %d: redis %q modis %q want %q", i, r, m, tc.want[i])
				}
			}
		})
	}
}

// TestTLSConfigSet compares CONFIG SET of tls-* (bad files, unknown
// ciphers, bad protocols, moving tls-port) with redis-server.
func TestTLSConfigSet(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	_, mTLS, rPlain, mPlain := tlsPair(t, f)
	p := difftest.NewPair(t, rPlain, mPlain)
	good := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	for _, args := range [][]string{
		{"CONFIG", "SET", "tls-cert-file", "/nonexistent/x.crt"},
		{"CONFIG", "SET", "tls-key-file", f.CACert},
		{"CONFIG", "SET", "tls-ca-cert-file", "/nonexistent"},
		{"CONFIG", "SET", "tls-ciphers", "FOO"},
		{"CONFIG", "SET", "tls-ciphers", "FOO:ECDHE-RSA-AES256-GCM-SHA384"},
		{"CONFIG", "SET", "tls-ciphers", "!ALL"},
		{"CONFIG", "SET", "tls-ciphers", "DEFAULT:!MEDIUM"},
		{"CONFIG", "SET", "tls-ciphers", ""},
		{"CONFIG", "SET", "tls-ciphersuites", "FOO"},
		{"CONFIG", "SET", "tls-ciphersuites", "FOO:TLS_AES_256_GCM_SHA384"},
		{"CONFIG", "SET", "tls-ciphersuites", ""},
		{"CONFIG", "SET", "tls-protocols", "TLSv9"},
		{"CONFIG", "SET", "tls-protocols", "TLSv1.2 TLSv1.3"},
		{"CONFIG", "SET", "tls-auth-clients", "maybe"},
		{"CONFIG", "SET", "tls-auth-clients", "optional"},
		{"CONFIG", "SET", "tls-dh-params-file", "/nonexistent"},
		{"CONFIG", "SET", "tls-key-file", f.EncKey, "tls-key-file-pass", "wrong"},
		{"CONFIG", "SET", "tls-key-file", f.EncKey},
		{"CONFIG", "SET", "tls-key-file", f.EncKey, "tls-key-file-pass", f.EncPass},
		{"CONFIG", "GET", "tls-key-file-pass"},
		{"CONFIG", "GET", "tls-auth-clients"},
		{"CONFIG", "GET", "tls-protocols"},
		{"CONFIG", "GET", "tls-ciphers"},
	} {
		if err := p.Compare(difftest.Exact, args...); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
	// After the failed updates the old certificates still serve.
	if got := tlsDo(mTLS, good, "PING"); got != "+PONG\r\n" {
		t.Fatalf("after failed CONFIG SET: %q", got)
	}
	// Moving tls-port: the new port serves, the old one is closed.
	np := difftest.FreePort(t)
	m, err := difftest.Dial(mPlain)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if raw, _, _ := m.Do("CONFIG", "SET", "tls-port", strconv.Itoa(np)); string(raw) != "+OK\r\n" {
		t.Fatalf("CONFIG SET tls-port: %q", raw)
	}
	if got := tlsDo("127.0.0.1:"+strconv.Itoa(np), good, "PING"); got != "+PONG\r\n" {
		t.Errorf("new tls-port: %q", got)
	}
	if got := tlsDo(mTLS, good, "PING"); got != "error" {
		t.Errorf("old tls-port still serves: %q", got)
	}
}

// TestTLSStartupErrors compares start-up with broken TLS settings: the
// last log lines and the exit code, Modis (Main in-process) against
// redis-server.
func TestTLSStartupErrors(t *testing.T) {
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	f := difftest.GenTLSCerts(t)
	cert, key, ca := f.ServerCert, f.ServerKey, f.CACert
	cases := [][]string{
		{},
		{"--tls-cert-file", cert},
		{"--tls-cert-file", cert, "--tls-key-file", key},
		{"--tls-cert-file", "/nonexistent.crt", "--tls-key-file", key, "--tls-ca-cert-file", ca},
		{"--tls-cert-file", cert, "--tls-key-file", "/nonexistent.key", "--tls-ca-cert-file", ca},
		{"--tls-cert-file", cert, "--tls-key-file", f.ClientKey, "--tls-ca-cert-file", ca},
		{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", "/nonexistent"},
		{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", ca, "--tls-ciphers", "FOO"},
		{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", ca, "--tls-ciphersuites", "FOO"},
		{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", ca, "--tls-protocols", "TLSv9"},
		{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-auth-clients", "no", "--tls-replication", "yes"},
		{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-auth-clients", "no", "--tls-dh-params-file", "/nonexistent"},
	}
	// A TLS port already taken.
	busy, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases = append(cases, []string{"--bind", "127.0.0.1", "--tls-port", strconv.Itoa(busy.Addr().(*net.TCPAddr).Port), "--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", ca})
	dir := t.TempDir()
	// Main changes to --dir: come back, or later tests lose their cwd
	// when the temporary directory goes.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	for i, extra := range cases {
		port := strconv.Itoa(difftest.FreePort(t))
		var lines [2]string
		var codes [2]int
		for j := 0; j < 2; j++ {
			logf := filepath.Join(dir, fmt.Sprintf("%d-%d.log", i, j))
			args := append([]string{"--port", "0", "--tls-port", port, "--save", "", "--logfile", logf, "--dir", dir}, extra...)
			if j == 0 {
				cmd := exec.Command(redisBin, args...)
				cmd.Run()
				codes[j] = cmd.ProcessState.ExitCode()
			} else {
				codes[j] = Main(args, strings.NewReader(""), io.Discard, io.Discard)
				os.Chdir(wd)
			}
			b, _ := os.ReadFile(logf)
			ls := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(ls) >= 2 {
				ls = ls[len(ls)-2:]
			}
			for k := range ls {
				if p := strings.Index(ls[k], " # "); p >= 0 {
					ls[k] = ls[k][p:]
				}
			}
			lines[j] = strings.Join(ls, "\n")
		}
		if lines[0] != lines[1] || codes[0] != codes[1] {
			t.Errorf("%q:\nredis (exit %d):\n%s\nmodis (exit %d):\n%s", extra, codes[0], lines[0], codes[1], lines[1])
		}
	}
}

// TestTLSReplication runs replication over TLS both ways: a Modis replica
// of a redis-server master and a redis-server replica of a Modis master,
// each with tls-replication yes and client certificates required.
func TestTLSReplication(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	for _, diskless := range []string{"no", "yes"} {
		t.Run("diskless="+diskless, func(t *testing.T) {
			extra := []string{"tls-replication", "yes", "repl-diskless-sync", diskless, "repl-diskless-sync-delay", "0"}
			rTLS, mTLS, rPlain, mPlain := tlsPair(t, f, extra...)
			rc, err := difftest.Dial(rPlain)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			mc, err := difftest.Dial(mPlain)
			if err != nil {
				t.Fatal(err)
			}
			defer mc.Close()
			check := func(t *testing.T, master, replica *difftest.Conn, masterTLS string) {
				t.Helper()
				mustDo(t, master, "SET", "before", "1")
				mustDo(t, master, "RPUSH", "list", "a", "b")
				h, p := hostPort(t, masterTLS)
				mustDo(t, replica, "REPLICAOF", h, p)
				waitInSync(t, master, replica)
				mustDo(t, master, "SET", "after", "2")
				mustDo(t, master, "LPUSH", "list", "z")
				waitInSync(t, master, replica)
				for _, k := range []string{"before", "after"} {
					if _, v, _ := replica.Do("GET", k); string(v.Str) != map[string]string{"before": "1", "after": "2"}[k] {
						t.Errorf("replica GET %s: %q", k, v.Str)
					}
				}
				if raw, _, _ := replica.Do("LRANGE", "list", "0", "-1"); string(raw) != "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n" {
					t.Errorf("replica LRANGE: %q", raw)
				}
				mustDo(t, replica, "REPLICAOF", "NO", "ONE")
				mustDo(t, master, "FLUSHALL")
				mustDo(t, replica, "FLUSHALL")
			}
			t.Run("RedisMasterModisReplica", func(t *testing.T) { check(t, rc, mc, rTLS) })
			t.Run("ModisMasterRedisReplica", func(t *testing.T) { check(t, mc, rc, mTLS) })
		})
	}
}

// TestTLSCACertDir compares tls-ca-cert-dir: a client certificate is
// accepted only when its CA sits in the directory under OpenSSL's
// subject-hash name (computed with the openssl tool).
func TestTLSCACertDir(t *testing.T) {
	opensslBin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	f := difftest.GenTLSCerts(t)
	out, err := exec.Command(opensslBin, "x509", "-hash", "-noout", "-in", f.CACert).Output()
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(f.CACert)
	if err != nil {
		t.Fatal(err)
	}
	good := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	want := []string{"error", "+PONG\r\n"}
	for i, name := range []string{"ca.pem", strings.TrimSpace(string(out)) + ".0"} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), caPEM, 0o644); err != nil {
			t.Fatal(err)
		}
		rport := strconv.Itoa(difftest.FreePort(t))
		difftest.StartRedis(t, "--tls-port", rport, "--tls-cert-file", f.ServerCert, "--tls-key-file", f.ServerKey, "--tls-ca-cert-dir", dir)
		mport := difftest.FreePort(t)
		startTestServer(t, func(c *config.Config) {
			c.Port, c.TLSPort = difftest.FreePort(t), mport
			c.TLSCertFile, c.TLSKeyFile, c.TLSCACertDir = f.ServerCert, f.ServerKey, dir
		})
		r, m := tlsDo("127.0.0.1:"+rport, good, "PING"), tlsDo("127.0.0.1:"+strconv.Itoa(mport), good, "PING")
		if r != m || r != want[i] {
			t.Errorf("CA as %s: redis %q modis %q, want %q", name, r, m, want[i])
		}
	}
}

// TestTLSAcceptErrorLog compares the "Error accepting a client
// connection" lines for failed handshakes: plain text and HTTP on the TLS
// port, a client closing at once, no client certificate, TLS 1.1.
func TestTLSAcceptErrorLog(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	rport := strconv.Itoa(difftest.FreePort(t))
	r := difftest.StartRedis(t, f.ServerArgs(rport)...)
	mport := difftest.FreePort(t)
	mlog := filepath.Join(t.TempDir(), "modis.log")
	startTestServer(t, func(c *config.Config) {
		c.Port, c.TLSPort, c.LogFile = difftest.FreePort(t), mport, mlog
		c.TLSCertFile, c.TLSKeyFile, c.TLSCACertFile = f.ServerCert, f.ServerKey, f.CACert
	})
	noCert := f.TLSClientConfig(t, "", "")
	old := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	old.MaxVersion = tls.VersionTLS11
	raw := func(addr, data string) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if data != "" {
			c.Write([]byte(data))
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			io.Copy(io.Discard, c)
		}
		c.Close()
	}
	fdSuffix := regexp.MustCompile(` \(conn: fd=\d+\)$`)
	lines := func(file string) []string {
		var out []string
		for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			b, _ := os.ReadFile(file)
			out = out[:0]
			for _, l := range strings.Split(string(b), "\n") {
				if i := strings.Index(l, "Error accepting"); i >= 0 {
					// Whether Redis adds " (conn: fd=N)" depends on
					// timing (a stale errno): compare without it.
					out = append(out, fdSuffix.ReplaceAllString(l[i:], ""))
				}
			}
			if len(out) >= 5 {
				break
			}
		}
		return out
	}
	for _, addr := range []string{"127.0.0.1:" + rport, "127.0.0.1:" + strconv.Itoa(mport)} {
		raw(addr, "PING\r\n")
		raw(addr, "GET / HTTP/1.1\r\n\r\n")
		raw(addr, "")
		tlsDo(addr, noCert, "PING")
		tlsDo(addr, old, "PING")
	}
	rl, ml := lines(filepath.Join(r.Dir, "redis.log")), lines(mlog)
	// Handshakes fail on their own goroutines in Modis: the order of the
	// lines may vary.
	sort.Strings(rl)
	sort.Strings(ml)
	if strings.Join(rl, "\n") != strings.Join(ml, "\n") {
		t.Errorf("redis:\n%s\nmodis:\n%s", strings.Join(rl, "\n"), strings.Join(ml, "\n"))
	}
}

// TestTLSConfigSetEnable turns TLS on at run time with CONFIG SET on
// servers started without it, comparing the replies.
func TestTLSConfigSetEnable(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rport, mport := strconv.Itoa(difftest.FreePort(t)), strconv.Itoa(difftest.FreePort(t))
	for _, args := range [][]string{
		{"CONFIG", "SET", "tls-port", "PORT"},
		{"CONFIG", "SET", "tls-cert-file", f.ServerCert, "tls-key-file", f.ServerKey, "tls-port", "PORT"},
		{"CONFIG", "GET", "tls-port"},
	} {
		rargs := append([]string(nil), args...)
		margs := append([]string(nil), args...)
		for i := range args {
			if args[i] == "PORT" {
				rargs[i], margs[i] = rport, mport
			}
		}
		rraw, _, _ := p.Redis.Do(rargs...)
		mraw, _, _ := p.Modis.Do(margs...)
		if string(rraw) != string(mraw) {
			t.Errorf("%q: redis %q modis %q", args, rraw, mraw)
		}
	}
	for _, c := range []*difftest.Conn{p.Redis, p.Modis} {
		if raw, _, _ := c.Do("CONFIG", "SET", "tls-ca-cert-file", f.CACert, "tls-cert-file", f.ServerCert, "tls-key-file", f.ServerKey, "tls-port", map[*difftest.Conn]string{p.Redis: rport, p.Modis: mport}[c]); string(raw) != "+OK\r\n" {
			t.Fatalf("enable TLS: %q", raw)
		}
	}
	good := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	if r, m := tlsDo("127.0.0.1:"+rport, good, "PING"), tlsDo("127.0.0.1:"+mport, good, "PING"); r != m || r != "+PONG\r\n" {
		t.Errorf("after enabling: redis %q modis %q", r, m)
	}
}

// TestTLSPipeline sends a pipeline of commands with a large value in one
// write over TLS and compares the whole reply stream with redis-server's
// (the batch read and write paths through the TLS connection).
func TestTLSPipeline(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	rTLS, mTLS, _, _ := tlsPair(t, f)
	cfg := f.TLSClientConfig(t, f.ClientCert, f.ClientKey)
	big := strings.Repeat("x", 300<<10)
	var req strings.Builder
	cmd := func(args ...string) {
		req.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
		for _, a := range args {
			req.WriteString("$" + strconv.Itoa(len(a)) + "\r\n" + a + "\r\n")
		}
	}
	n := 0
	for i := 0; i < 300; i++ {
		cmd("SET", "k"+strconv.Itoa(i), strconv.Itoa(i))
		cmd("INCR", "k"+strconv.Itoa(i))
		n += 2
	}
	cmd("SET", "big", big)
	cmd("GET", "big")
	cmd("PING", "hello")
	cmd("HSET", "h", "a", "1")
	cmd("HGETALL", "h")
	cmd("QUIT")
	var out [2]string
	for i, addr := range []string{rTLS, mTLS} {
		c, err := tls.Dial("tcp", addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		go c.Write([]byte(req.String()))
		b, err := io.ReadAll(c)
		c.Close()
		if err != nil && !strings.Contains(err.Error(), "reset") {
			t.Fatalf("%s: %v", addr, err)
		}
		out[i] = string(b)
	}
	if out[0] != out[1] {
		t.Errorf("replies differ: redis %d bytes, modis %d bytes", len(out[0]), len(out[1]))
		for i := 0; i < len(out[0]) && i < len(out[1]); i++ {
			if out[0][i] != out[1][i] {
				t.Errorf("first difference at %d: redis %q modis %q", i, out[0][i:min(i+80, len(out[0]))], out[1][i:min(i+80, len(out[1]))])
				break
			}
		}
	}
	if !strings.HasSuffix(out[1], "+OK\r\n") || len(out[1]) < len(big) {
		t.Errorf("short reply stream: %d bytes", len(out[1]))
	}
}

// TestTLSMigrate: with tls-cluster yes MIGRATE connects over TLS, as
// redis-server does; both move a key to the other's TLS port.
func TestTLSMigrate(t *testing.T) {
	f := difftest.GenTLSCerts(t)
	rTLS, mTLS, rPlain, mPlain := tlsPair(t, f, "tls-cluster", "yes")
	rc, mc := dial(t, rPlain), dial(t, mPlain)
	for _, tc := range []struct {
		src, dst *difftest.Conn
		dstTLS   string
	}{{mc, rc, rTLS}, {rc, mc, mTLS}} {
		mustDo(t, tc.src, "SET", "mk", "v1")
		h, p := hostPort(t, tc.dstTLS)
		if raw, _, _ := tc.src.Do("MIGRATE", h, p, "mk", "0", "5000"); string(raw) != "+OK\r\n" {
			t.Fatalf("MIGRATE to %s: %q", tc.dstTLS, raw)
		}
		if _, v, _ := tc.dst.Do("GET", "mk"); string(v.Str) != "v1" {
			t.Errorf("target GET: %q", v.Str)
		}
		mustDo(t, tc.dst, "DEL", "mk")
	}
}
