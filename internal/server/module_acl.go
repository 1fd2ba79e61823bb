package server

import (
	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/module"
)

// The server side of the module ACL API: moduleHost implements
// module.ACLHost, RM_Call's 'C' flag checks the user, and module
// user-changed callbacks fire when a client's user changes or it goes.

func init() {
	moduleCallACLHook = moduleCallACL
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) { c.notifyUserChanged() })
}

// notifyUserChanged runs the module callback registered when a module
// authenticated the client, once (Redis's moduleNotifyUserChanged).
func (c *Client) notifyUserChanged() {
	if cb := c.authCB; cb != nil {
		c.authCB, c.authMod = nil, nil
		cb(c.id)
	}
}

// moduleCallACL is RM_Call's 'C' check: the context user (SetContextUser)
// or the caller's user must be allowed the command; a denial is logged
// with context "module" under the caller's user name.
func moduleCallACL(s *Server, caller *Client, user *acl.User, spec *command.Spec, argv [][]byte) string {
	u := user
	if u == nil {
		u = caller.user
	}
	if u == nil || u.Superuser() {
		return ""
	}
	req := acl.Request{Spec: spec, Argv: argv}
	if spec.Module != "" {
		req.Keys = caller
	}
	res, idx := u.Check(&req)
	var why, object string
	switch res {
	case acl.OK:
		return ""
	case acl.DeniedCommand:
		why, object = "can't run this command or subcommand", spec.Name
	case acl.DeniedKey:
		why, object = "can't access at least one of the keys mentioned in the command arguments", string(argv[idx])
	default:
		why, object = "can't publish to the channel mentioned in the command", string(argv[idx])
	}
	s.aclLogAdd(caller, res, acl.CtxModule, "", object)
	return why
}

func (h *moduleHost) ACLEnv() *acl.Env { return h.s.aclEnv() }

func (h *moduleHost) ACLUser(name string) *acl.User { return h.s.acl.users.Get(name) }

func (h *moduleHost) ACLClientUser(id uint64) (*acl.User, bool) {
	c := h.s.clients[id]
	if c == nil {
		return nil, false
	}
	return c.user, true
}

func (h *moduleHost) ACLAuthenticate(mc module.Client, u *acl.User, m *module.Module, onChange func(uint64)) bool {
	c, ok := mc.(*Client)
	if !ok || h.s.clients[c.id] != c {
		return false // a temporary client
	}
	c.notifyUserChanged()
	c.user = u
	c.authenticated = true
	if onChange != nil {
		c.authCB, c.authMod = onChange, m
	}
	return true
}

func (h *moduleHost) ACLRevokeModuleClients(m *module.Module) {
	for _, c := range h.s.sortedClients() {
		if c.authCB != nil && c.authMod == m {
			h.s.revokeAuth(c)
		}
	}
}

func (h *moduleHost) ACLDeauthenticate(id uint64) bool {
	c := h.s.clients[id]
	if c == nil {
		return false
	}
	h.s.revokeAuth(c)
	return true
}

// revokeAuth is Redis's revokeClientAuthentication: the module callback
// fires, the client falls back to the unauthenticated default user and is
// closed (after the current command's reply).
func (s *Server) revokeAuth(c *Client) {
	c.notifyUserChanged()
	c.user = s.acl.def
	c.authenticated = false
	if c == s.current {
		c.closeAfterReply = true
	} else {
		s.killClient(c)
	}
}

func (h *moduleHost) ACLKillUserClients(u *acl.User) { h.s.killUserClients(u) }

func (h *moduleHost) ACLLog(mc module.Client, res acl.Result, username, object string) {
	c, ok := mc.(*Client)
	if !ok || c == nil {
		return
	}
	h.s.aclLogAdd(c, res, acl.CtxModule, username, object)
}

func (h *moduleHost) ACLCheck(u *acl.User, argv [][]byte) (acl.Result, module.Errno) {
	s := h.s
	cp, _ := s.lookupProc(argv)
	if cp == nil {
		return 0, module.ENOENT
	}
	req := acl.Request{Spec: cp.spec, Argv: argv}
	if cp.spec.Module != "" && s.current != nil {
		req.Keys = s.current
	}
	res, _ := u.Check(&req)
	return res, 0
}
