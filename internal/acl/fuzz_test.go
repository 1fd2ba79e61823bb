package acl

import (
	"strings"
	"testing"
)

// FuzzRules applies fuzzed ACL SETUSER rule lists. Nothing may panic, and
// for rules without quotes or parentheses (whose patterns print back
// unambiguously) the canonical description must rebuild the same user.
func FuzzRules(f *testing.F) {
	for _, s := range []string{
		"on >pw ~k* %R~r* %W~w* &ch* -@all +get +config|get +select|0",
		"+@all -@read +hget -config|set",
		"(+get ~x) (-@all %R~y &z) clearselectors",
		"reset on nopass allkeys allchannels allcommands",
		"%RW~* ~* resetkeys %R %W~ &* resetchannels &",
		"#0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef !0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"(+get \"a) ( ) (",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules := strings.Split(s, " ")
		u, _, err := env.SetUser(nil, "f", rules)
		if err != nil {
			return
		}
		d := u.Describe(env.Cmds)
		_ = u.Root().CommandRules(env.Cmds)
		if strings.ContainsAny(s, "\"'\\()\x00\t\r\n\v\f") || starPattern(u) {
			return
		}
		again, bad, err := env.SetUser(nil, "f", strings.Fields(d))
		if err != nil {
			t.Fatalf("description %q of %q does not parse: %q %v", d, s, bad, err)
		}
		if d2 := again.Describe(env.Cmds); d2 != d {
			t.Fatalf("%q: description %q rebuilds as %q", s, d, d2)
		}
	})
}

// FuzzParseFile parses fuzzed ACL files: nothing may panic, and a file
// that loads formats back to text that loads to the same users.
func FuzzParseFile(f *testing.F) {
	f.Add("user alice on >pw ~* +@all\nuser bob off (+get ~x)\n")
	f.Add("user default on nopass ~* &* +@all\n\n\r\nuser a +nosuch\n")
	f.Add("user a (+get\nfoo\nuser a\n")
	f.Fuzz(func(t *testing.T, s string) {
		us, msg := env.ParseFile(s, "f")
		if us == nil {
			if msg == "" {
				t.Fatal("no users and no error")
			}
			return
		}
		text := us.Format(env.Cmds)
		if strings.ContainsAny(s, "\"'\\()\x00\t\r\v\f") {
			return
		}
		for _, u := range us.Sorted() {
			if starPattern(u) {
				return
			}
		}
		us2, msg := env.ParseFile(text, "f")
		if us2 == nil {
			t.Fatalf("formatted %q does not load: %s", text, msg)
		}
		if t2 := us2.Format(env.Cmds); t2 != text {
			t.Fatalf("round trip:\n%q\n%q", text, t2)
		}
	})
}

// starPattern reports a "*" key pattern that is not allkeys (from %RW~*):
// Redis prints it as "~*", which reads back as allkeys, so such a user
// does not round-trip in Redis either.
func starPattern(u *User) bool {
	for _, s := range u.Selectors {
		for _, k := range s.Keys {
			if k.Pattern == "*" {
				return true
			}
		}
	}
	return false
}
