//go:build cgo

package cabi

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestModuleACLRedis loads the acltest module into redis-server and Modis
// and compares the module ACL API: module users and their rules,
// permission checks for users, ACL LOG entries, RM_Call's 'C' flag (as
// the caller or the SetContextUser user), authenticating clients and the
// user-changed callbacks.
func TestModuleACLRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	args := []string{"--loadmodule", modulePath(t, "acltest")}
	diffModule(t, args, [][]string{
		{"acl.getstring"}, {"acl.create", "modu"}, {"acl.getstring"},
		{"acl.create", "modu", "on", "~k*", "&ch*", "+get", "nosuch"}, {"acl.create", "modu", "on", "+nosuch"},
		{"acl.create", "modu", "on", "~*", "~a"}, {"acl.create", "modu", "on", "&*", "&a"},
		{"acl.create", "modu", "on", "<x"}, {"acl.create", "modu", "on", "#abc"}, {"acl.create", "modu", "+config|get|x"},
		{"acl.create", "modu", "on", "~k*", "&ch*", "+@all"}, {"acl.getstring"},
		{"acl.setstring", "off >pw"}, {"acl.getstring"}, {"acl.setstring", "on foo"}, {"acl.setstring", "on (+get"},
		{"acl.setstring", "on ~* ~a"}, {"acl.setstring", "on \"unbalanced"}, {"acl.getstring"},
		{"acl.setstring", "on resetpass -@all +set (+get ~x)"}, {"acl.getstring"},
		{"ACL", "USERS"}, {"acl.whoami"}, {"acl.username", "0"}, {"acl.username", "999999"},
		{"ACL", "SETUSER", "bob", "on", "nopass", "~b*", "%R~r*", "&b*", "-@all", "+get", "+set", "+publish", "+config|get"},
		{"acl.checkcmd", "bob", "get", "b1"}, {"acl.checkcmd", "bob", "get", "x"}, {"acl.checkcmd", "bob", "del", "b1"},
		{"acl.checkcmd", "bob", "nosuch"}, {"acl.checkcmd", "bob", "config", "get", "x"}, {"acl.checkcmd", "bob", "config", "set", "x", "y"},
		{"acl.checkcmd", "bob", "config", "nosub"}, {"acl.checkcmd", "bob", "set", "r1", "v"}, {"acl.checkcmd", "bob", "publish", "x", "m"},
		{"acl.checkcmd", "nouser", "get", "x"}, {"acl.checkcmd", "-", "set", "k1", "v"}, {"acl.checkcmd", "-", "get", "k1"}, {"acl.checkcmd", "-", "get", "x"},
		{"acl.checkkey", "bob", "0", "b1"}, {"acl.checkkey", "bob", "0", "x"}, {"acl.checkkey", "bob", "16", "r1"},
		{"acl.checkkey", "bob", "32", "r1"}, {"acl.checkkey", "bob", "64", "b1"}, {"acl.checkkey", "bob", "128", "r1"},
		{"acl.checkkey", "bob", "48", "b1"}, {"acl.checkkey", "bob", "1", "b1"}, {"acl.checkkey", "bob", "256", "b1"},
		{"acl.checkchan", "bob", "2", "b1"}, {"acl.checkchan", "bob", "2", "x"}, {"acl.checkchan", "bob", "1", "b*"},
		{"acl.checkchan", "bob", "1", "b1*"}, {"acl.checkchan", "bob", "8", "x"}, {"acl.checkchan", "bob", "16", "x"},
		{"acl.checkchan", "bob", "0", "b1"}, {"acl.checkchan", "bob", "4", "x"},
		{"acl.log", "bob", "obj", "0"}, {"acl.log", "bob", "obj", "4"},
		{"acl.call", "bob", "get", "b1"}, {"acl.call", "bob", "get", "x"}, {"acl.call", "bob", "del", "b1"},
		{"acl.call", "bob", "publish", "x", "m"}, {"acl.call", "bob", "config", "get", "maxmemory"},
		{"acl.call", "-", "get", "x"}, {"acl.call", "nouser", "get", "x"},
		{"acl.changes"}, {"acl.authacl", "nosuch"}, {"ACL", "SETUSER", "dis", "off"}, {"acl.authacl", "dis"},
		{"ACL", "SETUSER", "all", "on", "nopass", "~*", "&*", "+@all"}, {"acl.authacl", "all"},
		{"ACL", "WHOAMI"}, {"acl.whoami"}, {"acl.username", "0"}, {"acl.changes"},
		{"acl.call", "-", "get", "x"}, {"acl.authacl", "default"}, {"acl.changes"},
		{"acl.auth"}, {"acl.changes"}, {"acl.whoami"}, {"GET", "x"}, {"AUTH", "default", "x"}, {"acl.changes"},
		{"acl.create", "off"}, {"acl.auth"}, {"acl.changes"},
		{"acl.create", "modu", "on", "nopass", "+@all"}, {"acl.auth"}, {"RESET"}, {"acl.changes"}, {"ACL", "WHOAMI"},
	})

	// Several connections: freeing a module user and deauthenticating
	// close the clients; callbacks fire once; the ACL LOG entries.
	r := difftest.StartRedis(t, append([]string{"--enable-module-command", "yes"}, args...)...)
	m := startServer(t, args...)
	norm := func(b string) string {
		b = regexp.MustCompile(`age-seconds\r\n(\$\d+\r\n[0-9.e+-]+)\r\n`).ReplaceAllString(b, "age-seconds\r\nAGE\r\n")
		return regexp.MustCompile(`client-info\r\n\$\d+\r\n[^\r]*?( cmd=\S+ user=\S+) [^\r]*\r\n`).ReplaceAllString(b, "client-info\r\n$1\r\n")
	}
	type pair struct{ r, m *difftest.Conn }
	dial := func() pair {
		rc, err := difftest.Dial(r.Addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rc.Close() })
		return pair{rc, m.dial(t)}
	}
	do := func(p pair, args ...string) {
		t.Helper()
		want, _, err := p.r.Do(args...)
		if err != nil {
			t.Fatalf("redis %q: %v", args, err)
		}
		got, _, err := p.m.Do(args...)
		if err != nil {
			t.Fatalf("modis %q: %v", args, err)
		}
		if norm(string(got)) != norm(string(want)) {
			t.Errorf("%s:\n modis %q\n redis %q", strings.Join(args, " "), got, want)
		}
	}
	closed := func(c *difftest.Conn) bool {
		time.Sleep(20 * time.Millisecond)
		if err := c.Send("PING"); err != nil {
			return true
		}
		_, _, err := c.Read()
		return err != nil && !strings.Contains(err.Error(), "timeout")
	}
	admin := dial()
	do(admin, "acl.create", "modu", "on", "~*", "&*", "+@all")
	w1 := dial()
	do(w1, "acl.auth")
	do(w1, "ACL", "WHOAMI")
	do(admin, "CLIENT", "KILL", "USER", "modu")
	do(admin, "acl.free")
	if rc, mc := closed(w1.r), closed(w1.m); !rc || !mc {
		t.Errorf("client of a freed module user closed: redis %v, modis %v", rc, mc)
	}
	do(admin, "acl.changes")
	do(admin, "ACL", "SETUSER", "all", "on", "nopass", "~*", "&*", "+@all")
	w2 := dial()
	do(w2, "acl.authacl", "all")
	do(w2, "acl.deauth", "0")
	if rc, mc := closed(w2.r), closed(w2.m); !rc || !mc {
		t.Errorf("deauthenticated client closed: redis %v, modis %v", rc, mc)
	}
	do(admin, "acl.changes")
	do(admin, "acl.deauth", "999999")
	w3 := dial()
	do(w3, "acl.authacl", "all")
	do(admin, "ACL", "DELUSER", "all")
	if rc, mc := closed(w3.r), closed(w3.m); !rc || !mc {
		t.Errorf("client of a deleted user closed: redis %v, modis %v", rc, mc)
	}
	do(admin, "acl.changes")
	do(admin, "ACL", "LOG", "RESET")
	do(admin, "ACL", "SETUSER", "bob", "on", "nopass", "~b*", "&b*", "-@all", "+get")
	do(admin, "acl.call", "bob", "get", "x")
	do(admin, "acl.call", "bob", "del", "x")
	do(admin, "acl.call", "bob", "get", "x")
	do(admin, "acl.log", "bob", "obj", "3")
	do(admin, "acl.log", "bob", "obj", "0")
	do(admin, "ACL", "LOG")

	// Unloading the module closes the clients it authenticated with a
	// callback (the callback would outlive the module).
	do(admin, "acl.create", "modu", "on", "nopass", "+@all")
	w4 := dial()
	do(w4, "acl.auth")
	w5 := dial()
	do(w5, "acl.authacl", "bob") // bob is off now? no: on, with +get only
	do(admin, "MODULE", "UNLOAD", "acltest")
	if rc, mc := closed(w4.r), closed(w4.m); !rc || !mc {
		t.Errorf("client authenticated by an unloaded module closed: redis %v, modis %v", rc, mc)
	}
	if rc, mc := closed(w5.r), closed(w5.m); !rc || !mc {
		t.Errorf("client authenticated by an unloaded module closed: redis %v, modis %v", rc, mc)
	}
}
