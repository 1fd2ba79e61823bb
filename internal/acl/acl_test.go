package acl

import (
	"strings"
	"testing"

	"github.com/modis/modis/internal/command"
)

var env = &Env{Cmds: BuiltinCommands{}}

func mustUser(t *testing.T, rules ...string) *User {
	t.Helper()
	u, bad, err := env.SetUser(nil, "u", rules)
	if err != nil {
		t.Fatalf("rules %q: %q: %v", rules, bad, err)
	}
	return u
}

func TestDescribe(t *testing.T) {
	cases := []struct {
		rules []string
		want  string
	}{
		{nil, "off resetchannels -@all"},
		{[]string{"on", "nopass", "~*", "&*", "+@all"}, "on nopass ~* &* +@all"},
		{[]string{"reset"}, "off sanitize-payload resetchannels -@all"},
		{[]string{">a", ">b", ">a"}, "off #ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d resetchannels -@all"},
		{[]string{"-@all", "+@hash", "+@set"}, "off resetchannels -@all +@set +@hash"},
		{[]string{"-@all", "+@read", "+@write"}, "off resetchannels -@all +@write +@read"},
		{[]string{"+@all", "-@read", "-get", "+hget"}, "off resetchannels +@all -@read +hget"},
		{[]string{"-@all", "+config|get"}, "off resetchannels -@all +config|get"},
		{[]string{"+@all", "-config|set"}, "off resetchannels +@all -config|set"},
		{[]string{"-@all", "+select|0"}, "off resetchannels -@all +select|0"},
		{[]string{"%R~r*", "%W~w*", "~k", "%R~k", "%W~x", "%R~x"}, "off %R~r* %W~w* ~k ~x resetchannels -@all"},
		{[]string{"&a", "&b*", "&a"}, "off resetchannels &a &b* -@all"},
		{[]string{"~a", "(+get ~x)", "(-@all %R~y &z)"}, "off ~a resetchannels -@all (~x resetchannels -@all +get) (%R~y resetchannels &z -@all)"},
		{[]string{"(+get)", "clearselectors", "(+set)"}, "off resetchannels -@all (resetchannels -@all +set)"},
		{[]string{"skip-sanitize-payload", "on", "off"}, "off skip-sanitize-payload resetchannels -@all"},
	}
	for _, c := range cases {
		u := mustUser(t, c.rules...)
		if got := u.Describe(env.Cmds); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.rules, got, c.want)
		}
		// The description is a rule list that rebuilds the same user.
		again := mustUser(t, strings.Fields(c.want)...)
		if got := again.Describe(env.Cmds); got != c.want {
			t.Errorf("%q rebuilt from its description:\n got %q\nwant %q", c.rules, got, c.want)
		}
	}
}

func TestRuleErrors(t *testing.T) {
	cases := []struct {
		rules []string
		bad   string
		err   error
	}{
		{[]string{"foo"}, "foo", ErrSyntax},
		{[]string{"+nosuch"}, "+nosuch", ErrUnknown},
		{[]string{"+@nosuch"}, "+@nosuch", ErrUnknown},
		{[]string{"-get|x"}, "-get|x", ErrUnknown},
		{[]string{"+config|get|x"}, "+config|get|x", ErrSubFirstArg},
		{[]string{"+config|"}, "+config|", ErrSyntax},
		{[]string{"+select|0|1"}, "+select|0|1", ErrUnknown},
		{[]string{"~*", "~a"}, "~a", ErrKeyAfterAll},
		{[]string{"&*", "&a"}, "&a", ErrChannelAfterAll},
		{[]string{"<x"}, "<x", ErrNoSuchPassword},
		{[]string{"#abc"}, "#abc", ErrBadHash},
		{[]string{"%~a"}, "%~a", ErrSyntax},
		{[]string{"%X~a"}, "%X~a", ErrSyntax},
		{[]string{"(nosuch)"}, "(nosuch)", ErrSyntax},
		{[]string{"on", "(+get"}, "(+get", ErrUnmatched},
		{[]string{"(+get", "(+set ~x)"}, "(+get (+set ~x)", ErrSyntax},
	}
	for _, c := range cases {
		_, bad, err := env.SetUser(nil, "u", c.rules)
		if bad != c.bad || err != c.err {
			t.Errorf("%q: got %q %v, want %q %v", c.rules, bad, err, c.bad, c.err)
		}
	}
}

func TestSetUserIsAtomic(t *testing.T) {
	u := mustUser(t, "on", ">pw", "~a")
	nu, _, err := env.SetUser(u, "u", []string{"off", "~b", "foo"})
	if err == nil || nu != nil {
		t.Fatal("expected an error")
	}
	if got := u.Describe(env.Cmds); got != "on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~a resetchannels -@all" {
		t.Fatalf("user changed: %q", got)
	}
}

func spec(name string) *command.Spec {
	s := env.Cmds.Lookup(name)
	if s == nil {
		panic(name)
	}
	return s
}

func argv(args ...string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

func check(u *User, args ...string) (Result, int) {
	s := spec(args[0])
	if len(s.Subcommands) > 0 {
		s = s.Sub([]byte(args[1]))
	}
	return u.Check(&Request{Spec: s, Argv: argv(args...)})
}

func TestCheck(t *testing.T) {
	u := mustUser(t, "on", "~k*", "%R~r*", "%W~w*", "&ch*", "-@all", "+get", "+set", "+copy",
		"+publish", "+subscribe", "+psubscribe", "+config|get", "+select|0", "(+del ~d*)")
	cases := []struct {
		args []string
		res  Result
		idx  int
	}{
		{[]string{"get", "k1"}, OK, 0},
		{[]string{"get", "x"}, DeniedKey, 1},
		{[]string{"get", "r1"}, OK, 0},
		{[]string{"get", "w1"}, DeniedKey, 1},
		{[]string{"set", "w1", "v"}, OK, 0},
		{[]string{"set", "w1", "v", "get"}, DeniedKey, 1},
		{[]string{"set", "r1", "v"}, DeniedKey, 1},
		{[]string{"copy", "r1", "w1"}, OK, 0},
		{[]string{"copy", "w1", "r1"}, DeniedKey, 1},
		{[]string{"del", "k1"}, DeniedKey, 1}, // the selector allowing DEL denies the key
		{[]string{"hget", "k1", "f"}, DeniedCommand, 0},
		{[]string{"del", "d1"}, OK, 0},
		{[]string{"del", "d1", "k1"}, DeniedKey, 2},
		{[]string{"config", "get", "x"}, OK, 0},
		{[]string{"config", "set", "x", "y"}, DeniedCommand, 0},
		{[]string{"select", "0"}, OK, 0},
		{[]string{"select", "1"}, DeniedCommand, 0},
		{[]string{"publish", "ch1", "m"}, OK, 0},
		{[]string{"publish", "x", "m"}, DeniedChannel, 1},
		{[]string{"subscribe", "ch1", "x"}, DeniedChannel, 2},
		{[]string{"psubscribe", "ch*"}, OK, 0},
		{[]string{"psubscribe", "ch1*"}, DeniedChannel, 1},
		{[]string{"auth", "a", "b"}, OK, 0},
	}
	for _, c := range cases {
		res, idx := check(u, c.args...)
		if res != c.res || idx != c.idx {
			t.Errorf("%q: got %v %d, want %v %d", c.args, res, idx, c.res, c.idx)
		}
	}
}

func TestSuperuserFastPath(t *testing.T) {
	d := env.NewDefaultUser()
	if !d.Superuser() {
		t.Fatal("default user is not a superuser")
	}
	req := &Request{Spec: spec("get"), Argv: argv("get", "k")}
	if n := testing.AllocsPerRun(100, func() { d.Check(req) }); n != 0 {
		t.Fatalf("superuser check allocates %v times", n)
	}
	env.Apply(d, "-get")
	if d.Superuser() {
		t.Fatal("still a superuser after -get")
	}
	if res, _ := d.Check(req); res != DeniedCommand {
		t.Fatalf("get allowed after -get: %v", res)
	}
}

func TestPasswords(t *testing.T) {
	u := mustUser(t, "on", ">secret")
	if !u.Authenticate([]byte("secret")) || u.Authenticate([]byte("other")) {
		t.Fatal("password check")
	}
	env.Apply(u, "off")
	if u.Authenticate([]byte("secret")) {
		t.Fatal("disabled user authenticated")
	}
	env.Apply(u, "on")
	env.Apply(u, "nopass")
	if !u.Authenticate([]byte("anything")) {
		t.Fatal("nopass")
	}
}

func TestLogMerging(t *testing.T) {
	var l Log
	add := func(obj string, ms int64) {
		l.Add(LogEntry{Reason: DeniedKey, Object: obj, Username: "u", CTime: ms}, 3)
	}
	add("x", 0)
	add("y", 1)
	add("x", 2) // merged into the first, moved to the front
	if len(l.Entries) != 2 || l.Entries[0].Object != "x" || l.Entries[0].Count != 2 {
		t.Fatalf("merge: %+v", l.Entries)
	}
	add("x", 2+groupingMs+1) // too late: a new entry
	if len(l.Entries) != 3 || l.Entries[0].Count != 1 {
		t.Fatalf("grouping window: %+v", l.Entries)
	}
	add("z", 70000)
	if len(l.Entries) != 3 || l.Entries[0].Object != "z" {
		t.Fatalf("trim: %+v", l.Entries)
	}
}

func TestParseFile(t *testing.T) {
	us, msg := env.ParseFile("user alice on >pw ~* +@all\n\n  user bob off (+get ~x)  \r\n", "f.acl")
	if us == nil {
		t.Fatal(msg)
	}
	if got := us.Format(env.Cmds); got != "user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all\nuser bob off resetchannels -@all (~x resetchannels -@all +get)\n" {
		t.Fatalf("format: %q", got)
	}
	// The formatted file parses back to the same users.
	us2, msg := env.ParseFile(us.Format(env.Cmds), "f.acl")
	if us2 == nil || us2.Format(env.Cmds) != us.Format(env.Cmds) {
		t.Fatalf("round trip: %q", msg)
	}
	cases := []struct{ text, want string }{
		{"foo\n", "f.acl:1 should start with user keyword followed by the username. "},
		{"user\n", "f.acl:1 should start with user keyword followed by the username. "},
		{"User a\n", "f.acl:1 should start with user keyword followed by the username. "},
		{"user a\nuser a\n", "WARNING: Duplicate user 'a' found on line 2. "},
		{"user a +nosuch +@nope foo bar\n", "f.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. f.acl:1: Error in applying operation '+@nope': Unknown command or category name in ACL. f.acl:1: Syntax error. "},
		{"user a (+get\n", "f.acl:1: Unmatched parenthesis in selector definition."},
	}
	for _, c := range cases {
		us, msg := env.ParseFile(c.text, "f.acl")
		want := c.want + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
		if us != nil || msg != want {
			t.Errorf("%q:\n got %q\nwant %q", c.text, msg, want)
		}
	}
}

func TestCheckConfigUser(t *testing.T) {
	cases := []struct {
		args []string
		idx  int
		err  error
	}{
		{[]string{"bob", "on", "+get"}, 0, nil},
		{[]string{"bob", "on", "+nosuch"}, 0, nil}, // modules may add it
		{[]string{"bob", "on", "foo"}, 1, ErrSyntax},
		{[]string{"bob", "on", ">x", "+get", "badop"}, 3, ErrSyntax},
		{[]string{"bob", "(+get"}, 0, ErrUnmatched},
	}
	for _, c := range cases {
		idx, err := env.CheckConfigUser(c.args)
		if idx != c.idx || err != c.err {
			t.Errorf("%q: got %d %v, want %d %v", c.args, idx, err, c.idx, c.err)
		}
	}
}

// TestCheckAllocations: checking a restricted user (command bit, keys from
// the key specs, key patterns, channels) allocates nothing.
func TestCheckAllocations(t *testing.T) {
	u := mustUser(t, "on", "~k*", "%R~r*", "&ch*", "-@all", "+get", "+mset", "+publish", "(+del ~d*)")
	for _, args := range [][]string{
		{"get", "k1"}, {"get", "x"}, {"mset", "k1", "v", "k2", "v"}, {"publish", "ch1", "m"}, {"del", "d1"}, {"set", "k", "v"},
	} {
		req := &Request{Spec: spec(args[0]), Argv: argv(args...)}
		if n := testing.AllocsPerRun(100, func() { u.Check(req) }); n != 0 {
			t.Errorf("%q: %v allocations", args, n)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	u, _, _ := env.SetUser(nil, "u", []string{"on", "~k*", "&ch*", "-@all", "+get", "+set"})
	req := &Request{Spec: spec("set"), Argv: argv("set", "k1", "v")}
	b.Run("restricted", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			u.Check(req)
		}
	})
	d := env.NewDefaultUser()
	b.Run("superuser", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d.Check(req)
		}
	})
}

func BenchmarkDescribe(b *testing.B) {
	u, _, _ := env.SetUser(nil, "u", []string{"on", "~k*", "+@all", "-@dangerous", "+flushall", "-get", "(+@read ~r*)"})
	for i := 0; i < b.N; i++ {
		u.described = nil
		u.Describe(env.Cmds)
	}
}
