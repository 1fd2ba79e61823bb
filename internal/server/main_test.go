package server

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestBinary builds modis-server and runs it as a process: start-up errors
// and exit codes compared with redis-server, --version/--help, config file
// plus command-line overrides, CONFIG REWRITE on a commented file, SIGTERM,
// SHUTDOWN and daemonize.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server not found: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "modis-server")
	build := exec.Command("go", "build", "-o", bin, "github.com/modis/modis/cmd/modis-server")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("ConfigErrors", func(t *testing.T) { testConfigErrors(t, bin, redisBin, dir) })
	t.Run("Version", func(t *testing.T) { testVersion(t, bin, redisBin) })
	t.Run("FileAndFlags", func(t *testing.T) { testFileAndFlags(t, bin) })
	t.Run("Rewrite", func(t *testing.T) { testRewrite(t, bin, redisBin) })
	t.Run("Signals", func(t *testing.T) { testSignals(t, bin) })
	t.Run("Daemonize", func(t *testing.T) { testDaemonize(t, bin) })
	t.Run("RDBLoad", func(t *testing.T) { testRDBLoad(t, bin, redisBin) })
}

type runResult struct {
	stdout, stderr string
	code           int
}

func run(t *testing.T, bin string, stdin string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	cmd.Stdin = strings.NewReader(stdin)
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %q did not exit", filepath.Base(bin), args)
	}
	return runResult{so.String(), se.String(), cmd.ProcessState.ExitCode()}
}

// logPrefix is the "pid:C 27 Nov 2026 03:20:01.123 " of a log line.
var logPrefix = regexp.MustCompile(`(?m)^\d+:[CM] \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} `)

func testConfigErrors(t *testing.T, bin, redisBin, dir string) {
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.conf", "port 7300\n\n  foo bar baz\n")
	quotes := write("quotes.conf", "# comment\nrequirepass \"abc\n")
	inc := write("inc.conf", "hz 10\nmaxmemory lots\n")
	incl := write("incl.conf", "port 0\ninclude "+inc+"\n")
	slave := write("slave.conf", "slaveof host port\n")
	sentinel := write("sentinel.conf", "sentinel\nsentinel monitor x\n")
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"int", "", []string{"--port", "abc"}},
		{"unknown", "", []string{"--foo", "bar"}},
		{"unknown-eats-next-option", "", []string{"--foo", "--port", "7302"}},
		{"unknown-after", "", []string{"--port", "7302", "--foo"}},
		{"save-without-value", "", []string{"--port", "7302", "--save", "--foo"}},
		{"save-first", "", []string{"--save", "--port", "7302", "--foo"}},
		{"memory", "", []string{"--maxmemory", "10x"}},
		{"enum", "", []string{"--maxmemory-policy", "foo"}},
		{"range", "", []string{"--hz", "-5"}},
		{"save", "", []string{"--save", "10"}},
		{"octal", "", []string{"--unixsocketperm", "999"}},
		{"percent", "", []string{"--maxmemory-clients", "200%"}},
		{"bool", "", []string{"--protected-mode", "maybe"}},
		{"bool-number", "", []string{"--daemonize", "1"}},
		{"too-many-args", "", []string{"--port", "7302", "-x"}},
		{"values", "", []string{"--port", "7302", "foo", "bar", "--foo"}},
		{"multi-values", "", []string{"--port", "7302", "--maxmemory", "1", "2"}},
		{"master-port", "", []string{"--replicaof", "host", "x"}},
		{"notify", "", []string{"--notify-keyspace-events", "Q"}},
		{"too-many-binds", "", []string{"--bind", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17"}},
		{"deprecated-then-bad", "", []string{"--list-max-ziplist-entries", "5", "--lua-replicate-commands", "yes", "--foo"}},
		{"rename-command", "", []string{"--rename-command", "get"}},
		{"rename-unknown", "", []string{"--rename-command", "nosuch", "x"}},
		{"rename-taken", "", []string{"--rename-command", "get", "set"}},
		{"rename-twice", "", []string{"--rename-command", "get", "x", "--rename-command", "get", "y"}},
		{"rename-then-bad", "", []string{"--rename-command", "GET", "", "--rename-command", "set", "get", "--foo"}},
		{"module-config", "", []string{"--mymod.opt"}},
		{"sentinel", "", []string{sentinel}}, // --sentinel would start sentinel mode
		{"dbfilename", "", []string{"--dbfilename", "a/b"}},
		{"appendfilename", "", []string{"--appendfilename", ""}},
		{"dir", "", []string{"--dir", "/nonexistent/dir"}},
		{"logfile", "", []string{"--logfile", "/nonexistent/dir/x.log"}},
		{"file", "", []string{bad}},
		{"file-and-flags", "", []string{bad, "--port", "7301"}},
		{"unbalanced-quotes", "", []string{quotes}},
		{"include", "", []string{incl}},
		{"slaveof", "", []string{slave}},
		{"stdin", "hz 5\nhz x\n", []string{"-"}},
		{"stdin-and-flags", "hz 5\n", []string{"--port", "0", "--foo", "-"}},
		{"cluster-replicaof", "", []string{"--cluster-enabled", "yes", "--replicaof", "h", "1"}},
		{"user-syntax", "", []string{"--user", "bob", "on", "foo"}},
		{"user-error-offset", "", []string{"--user", "bob", "on", ">x", "+get", "badop"}},
		{"user-unmatched", "", []string{"--user", "bob", "(+get"}},
		{"user-allkeys", "", []string{"--user", "bob", "~*", "~a"}},
		{"user-duplicate", "", []string{"--user", "bob", "on", "--user", "bob", "off"}},
		{"user-unknown-command", "", []string{"--port", "7313", "--user", "bob", "+nosuch"}},
		{"user-and-aclfile", "", []string{"--port", "7313", "--aclfile", "/nonexistent/x.acl", "--user", "bob"}},
		{"aclfile-missing", "", []string{"--port", "7313", "--aclfile", "/nonexistent/x.acl"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := run(t, redisBin, tc.stdin, tc.args...)
			got := run(t, bin, tc.stdin, tc.args...)
			if got.code != want.code || got.stderr != want.stderr {
				t.Errorf("args %q\nredis (exit %d):\n%s\nmodis (exit %d):\n%s", tc.args, want.code, want.stderr, got.code, got.stderr)
			}
		})
	}
	t.Run("stdin-log", func(t *testing.T) {
		want := run(t, redisBin, "hz x\n", "-")
		got := run(t, bin, "hz x\n", "-")
		w, g := logPrefix.ReplaceAllString(want.stdout, ""), logPrefix.ReplaceAllString(got.stdout, "")
		if g != w {
			t.Errorf("stdout: redis %q, modis %q", w, g)
		}
	})
	t.Run("missing-file", func(t *testing.T) {
		args := []string{filepath.Join(dir, "nonexistent.conf")}
		want := run(t, redisBin, "", args...)
		got := run(t, bin, "", args...)
		w, g := logPrefix.ReplaceAllString(want.stdout, ""), logPrefix.ReplaceAllString(got.stdout, "")
		if got.code != want.code || g != w {
			t.Errorf("redis (exit %d): %q\nmodis (exit %d): %q", want.code, w, got.code, g)
		}
	})
}

func testVersion(t *testing.T, bin, redisBin string) {
	format := regexp.MustCompile(`^Redis server v=7\.0\.15 sha=[0-9a-f]{8}:\d malloc=\S+ bits=64 build=[0-9a-f]+\n$`)
	for _, arg := range []string{"--version", "-v"} {
		want := run(t, redisBin, "", arg)
		got := run(t, bin, "", arg)
		if !format.MatchString(want.stdout) {
			t.Fatalf("reference %s output %q does not match the expected format", arg, want.stdout)
		}
		if !format.MatchString(got.stdout) || got.code != want.code || got.stderr != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", arg, got.code, got.stdout, got.stderr)
		}
	}
	for _, arg := range []string{"--help", "-h"} {
		want := run(t, redisBin, "", arg)
		got := run(t, bin, "", arg)
		if got.code != want.code || got.stdout != "" || !strings.HasPrefix(got.stderr, "Usage: ./modis-server [/path/to/redis.conf] [options] [-]\n") {
			t.Errorf("%s: exit %d (redis %d), stdout %q, stderr %q", arg, got.code, want.code, got.stdout, got.stderr)
		}
	}
}

// startProcess runs the binary in the background and waits for port.
func startProcess(t *testing.T, bin string, port int, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	difftest.WaitReady(t, "127.0.0.1:"+strconv.Itoa(port))
	return cmd
}

// waitExit waits for the process and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not exit")
	}
	return cmd.ProcessState.ExitCode()
}

func do(t *testing.T, port int, args ...string) string {
	t.Helper()
	c, err := difftest.Dial("127.0.0.1:" + strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	raw, _, err := c.Do(args...)
	if err != nil {
		return "EOF"
	}
	return string(raw)
}

func testFileAndFlags(t *testing.T, bin string) {
	dir := t.TempDir()
	port := difftest.FreePort(t)
	conf := filepath.Join(dir, "modis.conf")
	os.WriteFile(conf, []byte("# test\nport 1\nmaxmemory 1mb\nhz 20\nsave 100 1\nsave 200 2\nbind 127.0.0.1\n"), 0o644)
	logfile := filepath.Join(dir, "modis.log")
	cmd := exec.Command(bin, conf, "--port", strconv.Itoa(port), "--maxmemory", "2mb", "--logfile", logfile, "-")
	cmd.Stdin = strings.NewReader("timeout 30\n")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	difftest.WaitReady(t, "127.0.0.1:"+strconv.Itoa(port))
	for _, tc := range []struct{ name, want string }{
		{"maxmemory", "2097152"}, // the flag overrides the file
		{"hz", "20"},             // from the file
		{"save", "100 1 200 2"},  // repeated directives add up
		{"timeout", "30"},        // from stdin
		{"port", strconv.Itoa(port)},
	} {
		want := "*2\r\n$" + strconv.Itoa(len(tc.name)) + "\r\n" + tc.name + "\r\n$" + strconv.Itoa(len(tc.want)) + "\r\n" + tc.want + "\r\n"
		if got := do(t, port, "CONFIG", "GET", tc.name); got != want {
			t.Errorf("CONFIG GET %s = %q, want %q", tc.name, got, want)
		}
	}
	if got := do(t, port, "SHUTDOWN", "NOSAVE", "ABORT"); got != "-ERR syntax error\r\n" {
		t.Errorf("SHUTDOWN NOSAVE ABORT = %q", got)
	}
	if got := do(t, port, "SHUTDOWN", "ABORT"); got != "-ERR No shutdown in progress.\r\n" {
		t.Errorf("SHUTDOWN ABORT = %q", got)
	}
	if got := do(t, port, "SHUTDOWN", "NOSAVE"); got != "EOF" {
		t.Errorf("SHUTDOWN NOSAVE replied %q", got)
	}
	if code := waitExit(t, cmd); code != 0 {
		t.Errorf("exit code %d after SHUTDOWN", code)
	}
	log, _ := os.ReadFile(logfile)
	for _, line := range []string{"# Configuration loaded", "* Running mode=standalone, port=" + strconv.Itoa(port) + ".",
		"* Ready to accept connections", "# User requested shutdown...", "# Redis is now ready to exit, bye bye..."} {
		if !strings.Contains(string(log), line) {
			t.Errorf("log lacks %q:\n%s", line, log)
		}
	}
}

// testRewrite runs the same CONFIG SET and CONFIG REWRITE on redis-server
// and Modis started from the same commented file, and compares the files:
// the rewritten body exactly, the appended options as a set.
func testRewrite(t *testing.T, bin, redisBin string) {
	const original = `# My server
# with comments
port PORT
   
# memory


maxmemory 10mb
slaveof-bogus-line-removed-below x
save 100 1
save 200 2
hz 20
slave-priority 50
unixsocketperm 700
loglevel verbose
notify-keyspace-events ""
include INCLUDE
rename-command FLUSHALL ""
list-max-ziplist-entries 5
bind 127.0.0.1
client-output-buffer-limit normal 0 0 0
timeout 30
timeout 40
`
	rewritten := func(binary string) string {
		dir := t.TempDir()
		port := difftest.FreePort(t)
		inc := filepath.Join(dir, "inc.conf")
		os.WriteFile(inc, []byte("maxmemory-samples 7\n"), 0o644)
		text := strings.NewReplacer("PORT", strconv.Itoa(port), "INCLUDE", inc,
			"slaveof-bogus-line-removed-below x\n", "").Replace(original)
		conf := filepath.Join(dir, "r.conf")
		os.WriteFile(conf, []byte(text), 0o644)
		cmd := startProcess(t, binary, port, conf, "--dir", dir, "--logfile", filepath.Join(dir, "log"))
		for _, args := range [][]string{
			{"CONFIG", "SET", "hz", "10", "maxmemory", "3000", "notify-keyspace-events", "Kx", "loglevel", "notice"},
			{"CONFIG", "SET", "replica-read-only", "no", "timeout", "0", "save", "300 3"},
			{"CONFIG", "SET", "client-output-buffer-limit", "pubsub 64mb 16mb 90", "maxmemory-clients", "5%"},
			{"CONFIG", "SET", "requirepass", "a b\"c", "proto-max-bulk-len", "1gb"},
		} {
			if got := do(t, port, args...); got != "+OK\r\n" {
				t.Fatalf("%s: %q", args, got)
			}
		}
		c, _ := difftest.Dial("127.0.0.1:" + strconv.Itoa(port))
		defer c.Close()
		c.Do("AUTH", "a b\"c")
		if raw, _, _ := c.Do("CONFIG", "REWRITE"); string(raw) != "+OK\r\n" {
			t.Fatalf("CONFIG REWRITE: %q", raw)
		}
		c.Do("SHUTDOWN", "NOSAVE")
		waitExit(t, cmd)
		data, _ := os.ReadFile(conf)
		return strings.NewReplacer(dir, "DIR", strconv.Itoa(port), "PORT").Replace(string(data))
	}
	want, got := rewritten(redisBin), rewritten(bin)
	split := func(s string) (string, []string) {
		body, gen, _ := strings.Cut(s, "# Generated by CONFIG REWRITE\n")
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(gen), "\n") {
			if !strings.HasPrefix(l, "user ") { // Modis has no ACL users yet
				lines = append(lines, l)
			}
		}
		sort.Strings(lines)
		return body, lines
	}
	wb, wl := split(want)
	gb, gl := split(got)
	if wb != gb || strings.Join(wl, "\n") != strings.Join(gl, "\n") {
		t.Errorf("rewritten files differ\nredis:\n%s\nmodis:\n%s", want, got)
	}
}

func testSignals(t *testing.T, bin string) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		dir := t.TempDir()
		port := difftest.FreePort(t)
		logfile, pidfile := filepath.Join(dir, "log"), filepath.Join(dir, "pid")
		cmd := startProcess(t, bin, port, "--port", strconv.Itoa(port), "--logfile", logfile, "--pidfile", pidfile, "--save", "")
		pid, _ := os.ReadFile(pidfile)
		if string(pid) != strconv.Itoa(cmd.Process.Pid)+"\n" {
			t.Errorf("pid file %q, pid %d", pid, cmd.Process.Pid)
		}
		cmd.Process.Signal(sig)
		if code := waitExit(t, cmd); code != 0 {
			t.Errorf("%v: exit code %d", sig, code)
		}
		log, _ := os.ReadFile(logfile)
		name := map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT"}[sig]
		for _, line := range []string{"# Received " + name + " scheduling shutdown...", "* Removing the pid file.", "# Redis is now ready to exit, bye bye..."} {
			if !strings.Contains(string(log), line) {
				t.Errorf("%v: log lacks %q:\n%s", sig, line, log)
			}
		}
		if _, err := os.Stat(pidfile); err == nil {
			t.Errorf("%v: pid file left behind", sig)
		}
	}
}

func testDaemonize(t *testing.T, bin string) {
	dir := t.TempDir()
	port := difftest.FreePort(t)
	pidfile := filepath.Join(dir, "pid")
	res := run(t, bin, "", "--port", strconv.Itoa(port), "--daemonize", "yes", "--pidfile", pidfile, "--logfile", filepath.Join(dir, "log"), "--save", "")
	if res.code != 0 {
		t.Fatalf("daemonize: exit %d: %s", res.code, res.stderr)
	}
	difftest.WaitReady(t, "127.0.0.1:"+strconv.Itoa(port))
	data, _ := os.ReadFile(pidfile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("pid file: %q", data)
	}
	if got := do(t, port, "CONFIG", "GET", "daemonize"); got != "*2\r\n$9\r\ndaemonize\r\n$3\r\nyes\r\n" {
		t.Errorf("CONFIG GET daemonize = %q", got)
	}
	do(t, port, "SHUTDOWN", "NOSAVE")
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("daemon did not exit")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
