package server

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

var (
	reLogAge  = regexp.MustCompile(`age-seconds\r\n(\$\d+\r\n[0-9.e+-]+|,[0-9.e+-]+)\r\n`)
	reLogInfo = regexp.MustCompile(`client-info\r\n\$\d+\r\n[^\r]*?( cmd=\S+ user=\S+) [^\r]*\r\n`)
)

// normACLLog hides the volatile parts of ACL LOG entries: the age and the
// client-info fields other than cmd= and user=.
func normACLLog(b []byte) []byte {
	b = reLogAge.ReplaceAll(b, []byte("age-seconds\r\nAGE\r\n"))
	return reLogInfo.ReplaceAll(b, []byte("client-info\r\n$1\r\n"))
}

// TestACLLogEntries compares ACL LOG entries (reason, context, object,
// username, count, order, cmd and user of the client) with Redis's.
func TestACLLogEntries(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	admin := sv.dial(t)
	admin.norm = normACLLog
	admin.do("ACL", "SETUSER", "lg", "on", ">pw", "~k*", "&ch*", "-@all", "+get", "+set", "+publish", "+subscribe", "+multi", "+exec", "+acl|setuser")
	w := sv.dial(t)
	w.do("AUTH", "lg", "wrong")
	w.do("AUTH", "nosuch", "pw")
	w.do("HELLO", "2", "AUTH", "lg", "bad")
	w.do("auth", "lg", "pw")
	w.do("GET", "x")
	w.do("GET", "y")
	w.do("GET", "x")
	w.do("DEL", "k1")
	w.do("CONFIG", "SET", "maxmemory", "0")
	w.do("PUBLISH", "other", "m")
	w.do("SUBSCRIBE", "ch1", "other")
	w.do("MULTI")
	w.do("GET", "z")
	w.do("DISCARD")
	w.do("MULTI")
	w.do("GET", "k1")
	w.do("ACL", "SETUSER", "lg", "-get")
	w.do("GET", "k1")
	w.do("EXEC")
	admin.do("ACL", "LOG")
	admin.do("ACL", "LOG", "2")
	admin.do("CONFIG", "SET", "acllog-max-len", "2")
	admin.do("ACL", "LOG")
	w.do("GET", "q")
	admin.do("ACL", "LOG")
	admin.r.Do("HELLO", "3")
	admin.m.Do("HELLO", "3")
	admin.do("ACL", "LOG", "1")
	admin.do("ACL", "LOG", "RESET")
	admin.do("ACL", "LOG")
}

// closedAfter reports whether the server closed the connection: it sends
// PING and reads until the peer closes or stays silent.
func closedAfter(t *testing.T, c *difftest.Conn) bool {
	t.Helper()
	if err := c.Send("PING"); err != nil {
		return true
	}
	_, _, err := c.Read()
	return err != nil && !strings.Contains(err.Error(), "timeout")
}

// TestACLDisconnects checks which ACL changes disconnect the clients of a
// user, against Redis: deleting the user or revoking channels a
// subscriber uses does, disabling the user or other changes do not.
func TestACLDisconnects(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	admin := sv.dial(t)
	cases := []struct {
		name   string
		user   []string // rules for user "dc"
		client [][]string
		change []string
	}{
		{"off", []string{"~*", "&*", "+@all"}, nil, []string{"ACL", "SETUSER", "dc", "off"}},
		{"fewer-commands", []string{"~*", "&*", "+@all"}, nil, []string{"ACL", "SETUSER", "dc", "-get", "resetkeys"}},
		{"deluser", []string{"+@all"}, nil, []string{"ACL", "DELUSER", "dc"}},
		{"client-kill-user", []string{"+@all"}, nil, []string{"CLIENT", "KILL", "USER", "dc"}},
		{"resetchannels", []string{"&ch*", "+@all"}, [][]string{{"SUBSCRIBE", "ch1"}}, []string{"ACL", "SETUSER", "dc", "resetchannels"}},
		{"still-allowed", []string{"&ch*", "+@all"}, [][]string{{"SUBSCRIBE", "ch1"}}, []string{"ACL", "SETUSER", "dc", "resetchannels", "&ch1", "&x"}},
		{"from-allchannels", []string{"&*", "+@all"}, [][]string{{"SUBSCRIBE", "ch1"}}, []string{"ACL", "SETUSER", "dc", "resetchannels", "&ch2"}},
		{"superset", []string{"&ch1", "+@all"}, [][]string{{"SUBSCRIBE", "ch1"}}, []string{"ACL", "SETUSER", "dc", "&zz"}},
		{"pattern-literal", []string{"&ch*", "+@all"}, [][]string{{"PSUBSCRIBE", "ch*"}}, []string{"ACL", "SETUSER", "dc", "resetchannels", "&ch1", "&ch*"}},
		{"pattern-not-literal", []string{"&ch1*", "+@all"}, [][]string{{"PSUBSCRIBE", "ch1*"}}, []string{"ACL", "SETUSER", "dc", "resetchannels", "&ch*"}},
		{"shard", []string{"&ch*", "+@all"}, [][]string{{"SSUBSCRIBE", "ch1"}}, []string{"ACL", "SETUSER", "dc", "resetchannels", "&x"}},
		{"not-subscribed", []string{"&ch*", "+@all"}, nil, []string{"ACL", "SETUSER", "dc", "resetchannels"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin.do(append([]string{"ACL", "SETUSER", "dc", "reset", "on", ">pw"}, tc.user...)...)
			w := sv.dial(t)
			w.do("AUTH", "dc", "pw")
			for _, cmd := range tc.client {
				w.do(cmd...)
			}
			admin.do(tc.change...)
			time.Sleep(20 * time.Millisecond)
			rc, mc := closedAfter(t, w.r), closedAfter(t, w.m)
			if rc != mc {
				t.Errorf("closed: redis %v, modis %v", rc, mc)
			}
			admin.do("ACL", "DELUSER", "dc")
		})
	}
	t.Run("deluser-self", func(t *testing.T) {
		admin.do("ACL", "SETUSER", "dc", "reset", "on", ">pw", "+@all")
		w := sv.dial(t)
		w.do("AUTH", "dc", "pw")
		w.do("ACL", "DELUSER", "dc")
		rc, mc := closedAfter(t, w.r), closedAfter(t, w.m)
		if !rc || !mc {
			t.Errorf("closed: redis %v, modis %v", rc, mc)
		}
	})
}

// TestACLClientUser checks CLIENT LIST's user= field and CLIENT KILL USER.
func TestACLClientUser(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, nil)
	admin, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	do1(t, admin, "ACL", "SETUSER", "cu", "on", "nopass", "+@all")
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	do1(t, c, "AUTH", "cu", "x")
	do1(t, c, "CLIENT", "SETNAME", "mine")
	list := do1(t, admin, "CLIENT", "LIST").String()
	if !strings.Contains(list, "name=mine") || !regexp.MustCompile(`name=mine .* user=cu `).MatchString(list) {
		t.Fatalf("CLIENT LIST: %s", list)
	}
	if got := do1(t, admin, "CLIENT", "KILL", "USER", "nosuch").String(); !strings.Contains(got, "ERR No such user 'nosuch'") {
		t.Fatalf("kill unknown user: %q", got)
	}
	if got := do1(t, admin, "CLIENT", "KILL", "USER", "cu"); got.Int != 1 {
		t.Fatalf("kill: %v", got)
	}
	if got := do1(t, admin, "CLIENT", "KILL", "USER", "default", "SKIPME", "yes"); got.Int != 0 {
		t.Fatalf("kill default: %v", got)
	}
}

// TestACLFile runs ACL LOAD / ACL SAVE against Redis with both servers on
// the same aclfile: errors, the loaded users, the saved text, and the
// clients ACL LOAD disconnects.
func TestACLFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.acl")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("user default on nopass ~* &* +@all\nuser alice on >pw ~k* &ch* -@all +get (+set ~s*)\n")
	sv := startServers(t, []string{"--aclfile", path}, func(c *config.Config) { c.ACLFile = path })
	if err := sv.srv.LoadACLAtStartup(); err != nil {
		t.Fatal(err)
	}
	w := sv.dial(t)
	w.do("ACL", "LIST")
	w.do("CONFIG", "GET", "aclfile")

	// ACL LOAD disconnects the clients of every user but default.
	a := sv.dial(t)
	a.do("AUTH", "alice", "pw")
	d := sv.dial(t)
	d.do("PING")
	write("user alice on >pw2 ~* +@all\nuser bob off\n")
	w.do("ACL", "LOAD")
	time.Sleep(20 * time.Millisecond)
	if rc, mc := closedAfter(t, a.r), closedAfter(t, a.m); !rc || !mc {
		t.Errorf("alice's client closed: redis %v, modis %v", rc, mc)
	}
	if rc, mc := closedAfter(t, d.r), closedAfter(t, d.m); rc || mc {
		t.Errorf("default client closed: redis %v, modis %v", rc, mc)
	}
	w.do("ACL", "LIST") // no default line: a fresh default user

	for _, text := range []string{
		"foo\n",
		"user\n",
		"  \n\nUser a\n",
		"user a\nuser a on\n",
		"user a +nosuch +@nope foo bar\n",
		"user a (+get\n",
		"user a on\nuser b ~* ~x\n",
		"user a ~* ~x &* &y\n",
		"user a <nopass #abc\n",
		"user a\x00b on\n",
		"user  a\n",
		"user a  on   +get\n",
		"user a (  +get   ~x  )\n",
		"user a on\tfoo\n",
		"\r\n user a on \r\n",
		"user a\tb on\n",
		"user \"a b\" on\n",
		"user a \"on\"\n",
		"user default\nuser x on nopass +@all\n",
	} {
		t.Logf("loading %q", text)
		write(text)
		w.do("ACL", "LOAD")
		w.do("ACL", "LIST")
	}
	w.do("AUTH", "x", "x") // the last file left default without permissions
	os.Remove(path)
	w.do("ACL", "LOAD")

	// ACL SAVE writes the same text as Redis, which loads back.
	w.do("ACL", "SETUSER", "carol", "on", ">x", "#0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "~a*", "%R~b*", "&c", "-@all", "+@hash", "(+get ~z)")
	w.do("ACL", "SETUSER", "default", "resetchannels", "&news")
	save := func(c *difftest.Conn) string {
		t.Helper()
		if v := do1(t, c, "ACL", "SAVE"); v.String() != "OK" {
			t.Fatalf("ACL SAVE: %v", v)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	rtext, mtext := save(w.r), save(w.m)
	if rtext != mtext {
		t.Fatalf("saved files differ:\nredis:\n%s\nmodis:\n%s", rtext, mtext)
	}
	w.do("ACL", "SETUSER", "carol", "off")
	// ACL LOAD closes the caller's connection too (it is user x), after
	// the reply.
	w.do("ACL", "LOAD")
	time.Sleep(20 * time.Millisecond)
	if rc, mc := closedAfter(t, w.r), closedAfter(t, w.m); !rc || !mc {
		t.Errorf("caller closed: redis %v, modis %v", rc, mc)
	}
	w = sv.dial(t)
	w.do("ACL", "LIST")
	w.do("ACL", "LOAD", "x")
	matches, _ := filepath.Glob(path + ".tmp-*")
	if len(matches) > 0 {
		t.Fatalf("temporary files left: %v", matches)
	}
}

// TestACLConfigUsers starts both servers with "user" directives and
// requirepass and compares the users; a rule naming an unknown command or
// users together with an aclfile abort the start.
func TestACLConfigUsers(t *testing.T) {
	t.Parallel()
	args := []string{"--requirepass", "rp", "--user", "alice", "on", ">pw", "~k*", "+get", "(+set", "~s*)",
		"--user", "bob", "--user", "default", "on", "nopass", "~*", "+@all", "-flushall"}
	sv := startServers(t, args, func(c *config.Config) {
		if err := c.LoadString("requirepass rp\nuser alice on >pw ~k* +get (+set ~s*)\nuser bob\nuser default on nopass ~* +@all -flushall\n"); err != nil {
			t.Fatal(err)
		}
	})
	if err := sv.srv.LoadACLAtStartup(); err != nil {
		t.Fatal(err)
	}
	w := sv.dial(t)
	w.do("ACL", "LIST")
	w.do("CONFIG", "GET", "requirepass")
	w.do("FLUSHALL")
	w.do("AUTH", "alice", "pw")
	w.do("SET", "s1", "v")
	w.do("SET", "k1", "v")

	bad := func(mutate func(*config.Config)) {
		t.Helper()
		s := startTestServer(t, mutate)
		if err := s.LoadACLAtStartup(); err == nil {
			t.Errorf("start-up accepted bad ACL configuration")
		}
	}
	bad(func(c *config.Config) { c.Users = [][]string{{"bob", "+nosuch"}} })
	bad(func(c *config.Config) { c.Users = [][]string{{"a b"}} })
	bad(func(c *config.Config) { c.Users = [][]string{{"bob"}}; c.ACLFile = filepath.Join(t.TempDir(), "x.acl") })
	bad(func(c *config.Config) { c.ACLFile = filepath.Join(t.TempDir(), "missing.acl") })
}

// TestACLConfigRewrite: CONFIG REWRITE replaces the user lines in place
// and appends the others after the options (as redis-server 7.0.15 wrote
// this file), or drops them when an aclfile holds the users.
func TestACLConfigRewrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "r.conf")
	old := "user alice on >pw ~* +@all\n# comment\nuser bob off\nsave \"\"\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startTestServer(t, func(c *config.Config) {
		if err := c.LoadString(old); err != nil {
			t.Fatal(err)
		}
		c.ConfigFile = path
	})
	if err := s.LoadACLAtStartup(); err != nil {
		t.Fatal(err)
	}
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	do1(t, c, "ACL", "SETUSER", "carol", "on", "(+get ~x)")
	do1(t, c, "ACL", "DELUSER", "bob")
	if v := do1(t, c, "CONFIG", "REWRITE"); v.String() != "OK" {
		t.Fatalf("CONFIG REWRITE: %v", v)
	}
	data, _ := os.ReadFile(path)
	got := string(data)
	for _, want := range []string{
		"user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all\n# comment\nuser carol on resetchannels -@all (~x resetchannels -@all +get)\nsave \"\"\n",
		"\nuser default on nopass ~* &* +@all\n",
	} {
		if !strings.Contains(got, want) {
			t.Fatalf("rewritten file lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "user default") < strings.Index(got, "# Generated by CONFIG REWRITE") {
		t.Fatalf("default user not appended:\n%s", got)
	}

	cfg := config.Default()
	cfg.ACLFile = "/x.acl"
	cfg.UserLines = func() []string { return []string{"user default on nopass ~* &* +@all"} }
	if out := cfg.RewriteContent("user a on\nport 7000\n"); strings.Contains(out, "user") {
		t.Fatalf("user lines kept with an aclfile:\n%s", out)
	}
}
