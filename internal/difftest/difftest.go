// Package difftest runs the same requests against a real redis-server and
// against Modis and compares the raw replies byte for byte. Command families
// keep their cases as scripts in internal/server/testdata/diff/*.txt; see
// RunScript for the format.
package difftest

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/resp"
)

// Conn is a raw RESP connection.
type Conn struct {
	c net.Conn
	r *bufio.Reader
}

// Dial connects to addr.
func Dial(addr string) (*Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &Conn{c: c, r: bufio.NewReaderSize(c, 64*1024)}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Send writes a request without reading its reply.
func (c *Conn) Send(args ...string) error {
	_, err := c.c.Write(resp.AppendCommand(nil, args...))
	return err
}

// SendRaw writes raw bytes.
func (c *Conn) SendRaw(b []byte) error {
	_, err := c.c.Write(b)
	return err
}

// Read reads one reply and returns its exact bytes.
func (c *Conn) Read() ([]byte, resp.Value, error) {
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var raw []byte
	v, err := resp.ReadValue(c.r, &raw)
	return raw, v, err
}

// Do sends a command and returns the raw reply.
func (c *Conn) Do(args ...string) ([]byte, resp.Value, error) {
	if err := c.Send(args...); err != nil {
		return nil, resp.Value{}, err
	}
	return c.Read()
}

// Redis is a running reference redis-server.
type Redis struct {
	Addr string
	cmd  *exec.Cmd
	Dir  string
}

// StartRedis starts redis-server on a free loopback port with persistence
// off. Extra arguments are appended ("--maxmemory", "1mb").
func StartRedis(t testing.TB, extra ...string) *Redis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server not found in PATH (install redis-server; .ci/run does): %v", err)
	}
	dir := t.TempDir()
	// The port is free when picked, but another server (an in-process Modis
	// on an ephemeral port, a parallel test binary) may take it before
	// redis-server binds it; then redis-server exits and someone else
	// answers. Check the pid behind the port and retry on a new one.
	for attempt := 0; attempt < 5; attempt++ {
		port := FreePort(t)
		args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
			"--appendonly", "no", "--dir", dir, "--daemonize", "no", "--logfile", filepath.Join(dir, "redis.log")}, extra...)
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r := &Redis{Addr: "127.0.0.1:" + strconv.Itoa(port), cmd: cmd, Dir: dir}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		WaitReady(t, r.Addr)
		if serverPid(r.Addr) == cmd.Process.Pid {
			return r
		}
		cmd.Process.Kill()
	}
	t.Fatal("could not start redis-server on a free port")
	return nil
}

// serverPid returns the process_id INFO reports at addr, or -1.
func serverPid(addr string) int {
	c, err := Dial(addr)
	if err != nil {
		return -1
	}
	defer c.Close()
	_, info, err := c.Do("INFO", "server")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(info.Str), "\r\n") {
		if v, ok := strings.CutPrefix(line, "process_id:"); ok {
			pid, _ := strconv.Atoi(v)
			return pid
		}
	}
	return -1
}

// WaitReady waits until addr answers PING.
func WaitReady(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := Dial(addr)
		if err == nil {
			raw, _, err := c.Do("PING")
			c.Close()
			if err == nil && string(raw) == "+PONG\r\n" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server at %s did not become ready", addr)
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Pair is a connection to each server.
type Pair struct {
	Redis, Modis *Conn
}

// NewPair connects to both servers, selects db 0 on a flushed keyspace.
func NewPair(t testing.TB, redisAddr, modisAddr string) *Pair {
	t.Helper()
	rc, err := Dial(redisAddr)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := Dial(modisAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close(); mc.Close() })
	p := &Pair{Redis: rc, Modis: mc}
	for _, c := range []*Conn{rc, mc} {
		if _, _, err := c.Do("FLUSHALL"); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// Mode says how replies are compared.
type Mode int

const (
	Exact  Mode = iota // byte for byte
	Shape              // same RESP type and, for aggregates, length
	Ignore             // sent to both, not compared
	Sorted             // arrays compared as multisets of raw elements
)

// Compare sends args to both and compares the replies per mode. It returns
// an error describing any difference.
func (p *Pair) Compare(mode Mode, args ...string) error {
	rraw, rv, err := p.Redis.Do(args...)
	if err != nil {
		return fmt.Errorf("redis: %v", err)
	}
	mraw, mv, err := p.Modis.Do(args...)
	if err != nil {
		return fmt.Errorf("modis: %v (redis replied %q)", err, rraw)
	}
	return compare(mode, rraw, rv, mraw, mv)
}

func compare(mode Mode, rraw []byte, rv resp.Value, mraw []byte, mv resp.Value) error {
	switch mode {
	case Ignore:
		return nil
	case Shape:
		if rv.Type != mv.Type || len(rv.Elems) != len(mv.Elems) || rv.Null != mv.Null {
			return fmt.Errorf("shape differs:\n redis: %q\n modis: %q", rraw, mraw)
		}
		return nil
	case Sorted:
		if rv.Type != mv.Type || len(rv.Elems) != len(mv.Elems) {
			return fmt.Errorf("differs:\n redis: %q\n modis: %q", rraw, mraw)
		}
		count := map[string]int{}
		for _, e := range rv.Elems {
			count[e.String()]++
		}
		for _, e := range mv.Elems {
			count[e.String()]--
		}
		for k, n := range count {
			if n != 0 {
				return fmt.Errorf("element %s differs:\n redis: %q\n modis: %q", k, rraw, mraw)
			}
		}
		return nil
	}
	if !bytes.Equal(rraw, mraw) {
		return fmt.Errorf("reply differs:\n redis: %q\n modis: %q", rraw, mraw)
	}
	return nil
}

// RunScript runs a script file against both servers. Format, one request
// per line, arguments split like redis-cli (quotes and \x escapes work):
//
//	# comment
//	SET k v             compared byte for byte
//	~ OBJECT FREQ k     "~ " prefix: only the reply's type and length
//	? DEBUG SLEEP 0     "? " prefix: sent to both, reply not compared
//	* SMEMBERS s        "* " prefix: arrays compared ignoring order
//	!sleep 150          pause (ms), e.g. to let keys expire
//	!reconnect          new connections to both (state such as RESP3 resets)
//	!raw <text>         send raw bytes (Go-quoted string) to both and compare
//	                    every reply until both connections are closed or the
//	                    replies stop (used for protocol errors)
//
// Every script starts on fresh connections after FLUSHALL.
func RunScript(t *testing.T, path, redisAddr, modisAddr string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPair(t, redisAddr, modisAddr)
	for i, line := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		mode := Exact
		switch {
		case strings.HasPrefix(trimmed, "~ "):
			mode, trimmed = Shape, trimmed[2:]
		case strings.HasPrefix(trimmed, "? "):
			mode, trimmed = Ignore, trimmed[2:]
		case strings.HasPrefix(trimmed, "* "):
			mode, trimmed = Sorted, trimmed[2:]
		case strings.HasPrefix(trimmed, "!sleep "):
			ms, _ := strconv.Atoi(strings.TrimSpace(trimmed[7:]))
			time.Sleep(time.Duration(ms) * time.Millisecond)
			continue
		case trimmed == "!reconnect":
			p.Redis.Close()
			p.Modis.Close()
			p = NewPairNoFlush(t, redisAddr, modisAddr)
			continue
		case strings.HasPrefix(trimmed, "!raw "):
			raw, err := strconv.Unquote(strings.TrimSpace(trimmed[5:]))
			if err != nil {
				t.Fatalf("%s:%d: bad !raw string: %v", path, lineNo, err)
			}
			if err := p.CompareRaw([]byte(raw)); err != nil {
				t.Errorf("%s:%d: %s\n%v", filepath.Base(path), lineNo, trimmed, err)
			}
			continue
		}
		args, ok := resp.SplitArgs([]byte(trimmed), nil)
		if !ok {
			t.Fatalf("%s:%d: unbalanced quotes", path, lineNo)
		}
		sargs := make([]string, len(args))
		for j, a := range args {
			sargs[j] = string(a)
		}
		if err := p.Compare(mode, sargs...); err != nil {
			t.Errorf("%s:%d: %s\n%v", filepath.Base(path), lineNo, trimmed, err)
			if strings.Contains(err.Error(), "modis: ") || strings.Contains(err.Error(), "redis: ") {
				t.FailNow()
			}
		}
	}
}

// NewPairNoFlush connects to both servers without flushing.
func NewPairNoFlush(t testing.TB, redisAddr, modisAddr string) *Pair {
	t.Helper()
	rc, err := Dial(redisAddr)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := Dial(modisAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close(); mc.Close() })
	return &Pair{Redis: rc, Modis: mc}
}

// CompareRaw sends raw bytes to both servers and compares everything they
// send back until each closes the connection or stays silent for 300ms.
func (p *Pair) CompareRaw(raw []byte) error {
	got := [2][]byte{}
	for i, c := range []*Conn{p.Redis, p.Modis} {
		if err := c.SendRaw(raw); err != nil {
			return err
		}
		var all []byte
		for {
			c.c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			buf := make([]byte, 4096)
			n, err := c.r.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil {
				break
			}
		}
		got[i] = all
	}
	if !bytes.Equal(got[0], got[1]) {
		return fmt.Errorf("raw replies differ:\n redis: %q\n modis: %q", got[0], got[1])
	}
	return nil
}
