package server

import (
	"strings"
	"testing"

	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
)

// RM_Call's refusal flags, through rt.callflags <flags> <cmd> args...
// (errno as an integer, or the 'E' error reply).
func TestModuleCallFlags(t *testing.T) {
	s, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "replytest")
	modExpect(t, c, ":29\r\n", "rt.callflags", "S", "save")
	modExpect(t, c, "-ERR command 'save' is not allowed on script mode\r\n", "rt.callflags", "SE", "save")
	modExpect(t, c, "+OK\r\n", "rt.callflags", "S", "set", "k", "v")
	modExpect(t, c, ":28\r\n", "rt.callflags", "W", "set", "k", "v")
	modExpect(t, c, "-ERR Write command 'set' was called while write is not allowed.\r\n", "rt.callflags", "WE", "set", "k", "v")
	modExpect(t, c, "$1\r\nv\r\n", "rt.callflags", "W", "get", "k")

	// Unknown command and arity come before the flag checks.
	modExpect(t, c, "-ERR unknown command 'nosuch', with args beginning with: \r\n", "rt.callflags", "WE", "nosuch")
	modExpect(t, c, "-ERR wrong number of arguments for 'set' command\r\n", "rt.callflags", "WE", "set", "k")

	// 'C': the default user may run everything.
	modExpect(t, c, "+OK\r\n", "rt.callflags", "C", "set", "k", "v")
	s.mu.Lock() // hooks are read under the execution lock
	prevHook := moduleCallACLHook
	moduleCallACLHook = func(s *Server, caller *Client, user *acl.User, spec *command.Spec, argv [][]byte) string {
		if spec.Name == "set" {
			return "can't run this command or subcommand"
		}
		return ""
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		moduleCallACLHook = prevHook
		s.mu.Unlock()
	}()
	modExpect(t, c, ":13\r\n", "rt.callflags", "C", "set", "k", "v")
	modExpect(t, c, "-ERR acl verification failed, can't run this command or subcommand.\r\n", "rt.callflags", "CE", "set", "k", "v")
	modExpect(t, c, "$1\r\nv\r\n", "rt.callflags", "C", "get", "k")
	modExpect(t, c, "+OK\r\n", "rt.callflags", "", "set", "k", "v") // no 'C': no check

	// Script mode refuses writes without enough good replicas.
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "min-replicas-to-write", "1")
	modExpect(t, c, "-NOREPLICAS Not enough good replicas to write.\r\n", "rt.callflags", "SE", "del", "k")
	modExpect(t, c, ":1\r\n", "rt.callflags", "E", "del", "k")
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "min-replicas-to-write", "0")

	// 'M': deny-oom commands refused when the server was out of memory
	// before the calling command.
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "maxmemory", "1")
	modExpect(t, c, "-OOM command not allowed when used memory > 'maxmemory'.\r\n", "rt.callflags", "ME", "set", "k", "v")
	modExpect(t, c, ":28\r\n", "rt.callflags", "M", "set", "k", "v")
	modExpect(t, c, "+OK\r\n", "rt.callflags", "", "set", "k", "v")
	modExpect(t, c, ":1\r\n", "rt.callflags", "M", "del", "k") // DEL is not deny-oom
	modExpect(t, c, "+OK\r\n", "CONFIG", "SET", "maxmemory", "0")
	modExpect(t, c, "+OK\r\n", "rt.callflags", "M", "set", "k", "v")
}

// A module's RM_Call runs on a client without a user, as in Redis: ACL
// WHOAMI answers null and CLIENT INFO shows user=(superuser).
func TestModuleCallNoUser(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "replytest")
	modExpect(t, c, "$-1\r\n", "rt.callflags", "", "acl", "whoami")
	raw, _, err := c.Do("rt.callflags", "", "client", "info")
	if err != nil || !strings.Contains(string(raw), " user=(superuser) ") {
		t.Fatalf("CLIENT INFO from RM_Call: %q %v", raw, err)
	}
}
