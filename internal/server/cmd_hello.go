package server

// HELLO, AUTH and RESET: protocol negotiation and authentication against
// the ACL users (cmd_acl.go); requirepass is the default user's password.

func init() {
	register(map[string]func(*Client){
		"hello": helloCommand,
		"auth":  authCommand,
		"reset": resetCommand,
	})
}

const (
	errAuthNoPassword = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	errHelloNoAuth    = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	errClientName     = "ERR Client names cannot contain spaces, newlines or special characters."
)

// checkPassword authenticates the client as username (Redis's
// ACLAuthenticateUser); a failure is logged in the ACL LOG.
func (c *Client) checkPassword(username, password []byte) bool {
	return c.authenticate(username, password)
}

// defaultUserNoPass reports whether the default user needs no password.
func (s *Server) defaultUserNoPass() bool { return s.acl.def.NoPass() }

func authCommand(c *Client) {
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	var user, pass []byte
	if len(c.argv) == 2 {
		if c.srv.defaultUserNoPass() {
			c.addError(errAuthNoPassword)
			return
		}
		user, pass = []byte("default"), c.argv[1]
	} else {
		user, pass = c.argv[1], c.argv[2]
	}
	if !c.checkPassword(user, pass) {
		c.addError(errWrongPass)
		return
	}
	c.addOK()
}

// validClientName reports whether name may be used as a client name: only
// printable ASCII without spaces.
func validClientName(name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

// setClientName sets (or, when empty, clears) the name, replying with the
// error and reporting false when it is invalid.
func (c *Client) setClientName(name []byte) bool {
	if !validClientName(name) {
		c.addError(errClientName)
		return false
	}
	c.name = string(name)
	return true
}

func helloCommand(c *Client) {
	ver := int64(0)
	next := 1
	if len(c.argv) >= 2 {
		v, ok := clientParseInt(c.argv[1])
		if !ok {
			c.addError("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.addError("NOPROTO unsupported protocol version")
			return
		}
		ver = v
		next = 2
	}
	var user, pass, name []byte
	hasName := false
	for j := next; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		opt := string(c.argv[j])
		switch {
		case isOpt(c.argv[j], "auth") && more >= 2:
			user, pass = c.argv[j+1], c.argv[j+2]
			j += 2
		case isOpt(c.argv[j], "setname") && more >= 1:
			name, hasName = c.argv[j+1], true
			j++
		default:
			c.addError("ERR Syntax error in HELLO option '" + cstr(opt) + "'")
			return
		}
	}
	if user != nil && !c.checkPassword(user, pass) {
		c.addError(errWrongPass)
		return
	}
	if !c.authenticated {
		c.addError(errHelloNoAuth)
		return
	}
	if hasName && !c.setClientName(name) {
		return
	}
	if ver != 0 {
		c.resp = int(ver)
	}
	c.addMapLen(7)
	c.addBulkString("server")
	c.addBulkString("redis")
	c.addBulkString("version")
	c.addBulkString(Version)
	c.addBulkString("proto")
	c.addInt(int64(c.resp))
	c.addBulkString("id")
	c.addInt(int64(c.id))
	c.addBulkString("mode")
	c.addBulkString("standalone")
	c.addBulkString("role")
	c.addBulkString("master")
	c.addBulkString("modules")
	moduleListCommand(c) // the loaded modules, as MODULE LIST shows them
}

// clientResetHooks clear per-client state of other families on RESET
// (WATCH, tracking, ...). Pub/sub and MONITOR are reset here directly.
var clientResetHooks []func(s *Server, c *Client)

// resetCommand is Redis's RESET: the connection returns to the state of a
// new one (db 0, RESP2, default user, no name, no transaction, no
// subscriptions, not monitoring, replies on).
func resetCommand(c *Client) {
	s := c.srv
	c.stopMonitor()
	c.db = s.ks.DBs[0]
	c.resp = 2
	c.notifyUserChanged()
	c.user = s.acl.def
	c.authenticated = !s.authRequired()
	c.multi = nil
	for _, fn := range clientResetHooks {
		fn(s, c)
	}
	s.unsubscribeAll(c, false)
	c.name = ""
	c.noEvict = false
	// REPLY OFF ends here, but a SKIP already in effect still hides this
	// reply, as in Redis.
	if c.replyOffMode {
		c.replyOff = false
	}
	c.replyOffMode, c.replySkipNext = false, false
	c.addSimple("RESET")
}
