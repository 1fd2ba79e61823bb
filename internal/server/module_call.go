package server

import (
	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/module"
)

// The checks RedisModule_Call applies, by its flags, before running a
// command (after the existence and arity checks), in Redis 7.0's order:
// script mode ('S') refuses deny-script commands, 'M' refuses deny-oom
// commands when out of memory, 'W' refuses writes, script mode refuses
// writes the server would refuse a script, and 'C' checks the caller's
// ACL permissions.

// moduleCallACLHook checks whether caller's user may run argv (spec). It
// returns "" to allow, or the reason ("can't run this command or
// subcommand", ...) the refusal reports. nil (no ACL system yet): the
// default user may run everything. The ACL implementation installs it
// (and logs the denial, context "module").
// user is the user SetContextUser set (nil: the caller's).
var moduleCallACLHook func(s *Server, caller *Client, user *acl.User, spec *command.Spec, argv [][]byte) string

// writeDeniedHook reports why writes are refused right now (a failed
// background save with stop-writes-on-bgsave-error, a failed AOF write),
// as the error line without '-', or "" when they are allowed. Persistence
// installs it.
var writeDeniedHook func(s *Server) string

func (s *Server) moduleCallRefusal(spec *command.Spec, argv [][]byte, flags module.CallFlags) (module.Errno, string) {
	if flags.ScriptMode && spec.Flags&command.FlagNoscript != 0 {
		return module.ESPIPE, "ERR command '" + spec.Name + "' is not allowed on script mode"
	}
	if flags.RespectOOM && spec.Flags&command.FlagDenyOOM != 0 {
		oom := s.preCommandOOM
		if flags.ThreadSafe {
			// No command is running: measure now.
			oom = s.cfg.MaxMemory > 0 && s.usedMemory() > s.cfg.MaxMemory
		}
		if oom {
			return module.ENOSPC, errOOM
		}
	}
	if flags.NoWrites && spec.Flags&command.FlagWrite != 0 {
		return module.ENOSPC, "ERR Write command '" + spec.Name + "' was called while write is not allowed."
	}
	if flags.ScriptMode && spec.Flags&command.FlagWrite != 0 {
		// min-replicas-to-write: Modis has no replicas yet, so none is good.
		if s.cfg.MinReplicasToWrite > 0 && s.cfg.MinReplicasMaxLag > 0 {
			return module.ESPIPE, "NOREPLICAS Not enough good replicas to write."
		}
		if writeDeniedHook != nil {
			if msg := writeDeniedHook(s); msg != "" {
				return module.ESPIPE, msg
			}
		}
	}
	if flags.CheckACL {
		caller, _ := flags.Caller.(*Client)
		if caller == nil {
			return module.ENOTSUP, "ERR acl verification failed, context is not attached to a client."
		}
		if moduleCallACLHook != nil {
			if why := moduleCallACLHook(s, caller, flags.User, spec, argv); why != "" {
				return module.EACCES, "ERR acl verification failed, " + why + "."
			}
		}
	}
	return 0, ""
}
