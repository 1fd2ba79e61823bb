package server

import (
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestACLRandomDiff applies a pseudo-random stream (fixed seed) of ACL
// SETUSER rule lists to a few users in redis-server and Modis and compares
// the replies, the users' flags, passwords, keys and channels (ACL
// GETUSER; the command rules only when they hold at most one single
// command, since Redis lists several in its hash order) and ACL DRYRUN of
// random commands.
func TestACLRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, _ := randomSeed("MODIS_ACL_SEED", 7)
	users := []string{"u1", "u2", "u3"}
	rules := []string{
		"on", "off", "nopass", "resetpass", ">p1", ">p2", "<p1", "#0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"!0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "~k*", "~x", "%R~r*", "%W~w*", "%RW~k*",
		"allkeys", "resetkeys", "~*", "&c*", "&x", "allchannels", "resetchannels", "&*",
		"+@all", "-@all", "allcommands", "nocommands", "+@read", "-@read", "+@write", "-@write", "+@hash", "-@hash",
		"+@string", "+@dangerous", "-@dangerous", "+@pubsub", "+get", "-get", "+set", "-set", "+config|get", "-config",
		"+select|0", "+client", "-client|kill", "(+get ~s*)", "(+@write %W~w*)", "clearselectors", "reset",
		"skip-sanitize-payload", "sanitize-payload", "foo", "+nosuch", "%X~a", "#bad", "(",
	}
	cmds := [][]string{
		{"get", "k1"}, {"get", "r1"}, {"get", "w1"}, {"get", "s1"}, {"set", "k1", "v"}, {"set", "w1", "v"},
		{"set", "r1", "v"}, {"hset", "k1", "f", "v"}, {"config", "get", "x"}, {"config", "set", "x", "y"},
		{"select", "0"}, {"select", "1"}, {"client", "id"}, {"client", "kill", "id", "1"}, {"publish", "c1", "m"},
		{"publish", "x", "m"}, {"subscribe", "c1", "y"}, {"psubscribe", "c*"}, {"flushall"}, {"copy", "r1", "w1"},
	}
	singles := func(rules string) int {
		n := 0
		for _, f := range strings.Fields(rules) {
			if (f[0] == '+' || f[0] == '-') && !strings.HasPrefix(f[1:], "@") {
				n++
			}
		}
		return n
	}
	compareUser := func(u string) {
		t.Helper()
		rraw, rv, err1 := p.Redis.Do("ACL", "GETUSER", u)
		mraw, mv, err2 := p.Modis.Do("ACL", "GETUSER", u)
		if err1 != nil || err2 != nil {
			t.Fatalf("ACL GETUSER: %v %v", err1, err2)
		}
		if rv.Type != '*' || len(rv.Elems) != 12 {
			if string(rraw) != string(mraw) {
				t.Fatalf("ACL GETUSER %s:\n redis %q\n modis %q", u, rraw, mraw)
			}
			return
		}
		if len(mv.Elems) != 12 {
			t.Fatalf("ACL GETUSER %s:\n redis %q\n modis %q", u, rraw, mraw)
		}
		for i := 0; i < 12; i += 2 {
			name := string(rv.Elems[i].Str)
			if name == "commands" && singles(string(rv.Elems[i+1].Str)) > 1 {
				continue
			}
			if name == "selectors" {
				continue
			}
			if rv.Elems[i+1].String() != mv.Elems[i+1].String() {
				t.Fatalf("ACL GETUSER %s %s:\n redis %q\n modis %q", u, name, rv.Elems[i+1].String(), mv.Elems[i+1].String())
			}
		}
	}
	for i := 0; i < 400; i++ {
		u := users[rng.Intn(len(users))]
		n := 1 + rng.Intn(4)
		args := []string{"ACL", "SETUSER", u}
		for j := 0; j < n; j++ {
			args = append(args, rules[rng.Intn(len(rules))])
		}
		if err := p.Compare(difftest.Exact, args...); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		compareUser(u)
		cmd := cmds[rng.Intn(len(cmds))]
		if err := p.Compare(difftest.Exact, append([]string{"ACL", "DRYRUN", u}, cmd...)...); err != nil {
			t.Fatalf("DRYRUN %s %q: %v", u, cmd, err)
		}
	}
	p.Compare(difftest.Exact, "ACL", "DELUSER", "u1", "u2", "u3")
}
