package module

import (
	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/resp"
)

// The module ACL API (Redis's "Modules ACL API"): module users,
// permission checks on behalf of a user, ACL LOG entries, and
// authenticating clients from a module.

// User is a RedisModuleUser: a user a module created (owned: freeing it
// disconnects the clients authenticated with it) or a handle on one of
// the server's users (GetModuleUserFromUserName).
type User struct {
	U     *acl.User
	owned bool
}

// ACL log reasons (RedisModuleACLLogEntryReason).
const (
	ACLLogAuth = iota
	ACLLogCmd
	ACLLogKey
	ACLLogChannel
)

// More errno values, left by ACL rule errors (Linux numbering).
const (
	ECHILD  Errno = 10
	ENODEV  Errno = 19
	EISDIR  Errno = 21
	EBADMSG Errno = 74
)

// Key permission flags of ACLCheckKeyPermissions (REDISMODULE_CMD_KEY_*).
const (
	cmdKeyAccess = 1 << 4
	cmdKeyUpdate = 1 << 5
	cmdKeyInsert = 1 << 6
	cmdKeyDelete = 1 << 7
)

// Channel flags of ACLCheckChannelPermissions (REDISMODULE_CMD_CHANNEL_*).
const (
	cmdChannelPattern     = 1 << 0
	cmdChannelPublish     = 1 << 1
	cmdChannelSubscribe   = 1 << 2
	cmdChannelUnsubscribe = 1 << 3
)

// ACLHost is implemented by a host with ACL users. Without it the ACL
// APIs fail as they would for a missing user.
type ACLHost interface {
	// ACLEnv is the environment rules are applied in.
	ACLEnv() *acl.Env
	// ACLUser returns the server user with the name, or nil.
	ACLUser(name string) *acl.User
	// ACLClientUser returns the user of the client with the id; found is
	// false when there is no such client, u nil when it has no user.
	ACLClientUser(id uint64) (u *acl.User, found bool)
	// ACLAuthenticate authenticates c as u for module m (the previous
	// user-changed callback fires first); onChange, if set, runs once when
	// c's user changes again. It reports false for a client that cannot be
	// authenticated (a module's temporary client).
	ACLAuthenticate(c Client, u *acl.User, m *Module, onChange func(clientID uint64)) bool
	// ACLRevokeModuleClients deauthenticates and closes the clients module
	// m authenticated with a callback (the module is being unloaded).
	ACLRevokeModuleClients(m *Module)
	// ACLDeauthenticate revokes a client's authentication and closes it
	// (after the current command's reply); false: no such client.
	ACLDeauthenticate(id uint64) bool
	// ACLKillUserClients disconnects the clients authenticated as u.
	ACLKillUserClients(u *acl.User)
	// ACLLog adds an ACL LOG entry with context "module" for client c.
	ACLLog(c Client, reason acl.Result, username, object string)
	// ACLCheck checks a full command line as u; it reports ENOENT for an
	// unknown command.
	ACLCheck(u *acl.User, argv [][]byte) (acl.Result, Errno)
}

func (e *Engine) aclHost() ACLHost {
	h, _ := e.host.(ACLHost)
	return h
}

// CreateModuleUser is RedisModule_CreateModuleUser: a new user with the
// name, off and without permissions, not listed by ACL.
func (e *Engine) CreateModuleUser(name string) *User {
	allChannels := false
	if h := e.aclHost(); h != nil {
		allChannels = h.ACLEnv().AllChannels
	}
	return &User{U: acl.NewUser(name, allChannels), owned: true}
}

// FreeModuleUser is RedisModule_FreeModuleUser: a user the module created
// is freed and its clients disconnected; a handle on a server user is just
// released.
func (e *Engine) FreeModuleUser(u *User) int {
	if u == nil {
		return ERR
	}
	if u.owned {
		if h := e.aclHost(); h != nil {
			h.ACLKillUserClients(u.U)
		}
	}
	return OK
}

// SetModuleUserACL is RedisModule_SetModuleUserACL: one ACL SETUSER rule.
func (e *Engine) SetModuleUserACL(u *User, rule string) (int, Errno) {
	h := e.aclHost()
	if h == nil || u == nil {
		return ERR, EINVAL
	}
	if err := h.ACLEnv().Apply(u.U, rule); err != nil {
		return ERR, ruleErrno(err)
	}
	return OK, 0
}

// ruleErrno is the errno Redis's ACLSetUser leaves for a rule error.
func ruleErrno(err error) Errno {
	switch err {
	case acl.ErrUnknown:
		return ENOENT
	case acl.ErrKeyAfterAll:
		return EEXIST
	case acl.ErrChannelAfterAll:
		return EISDIR
	case acl.ErrNoSuchPassword:
		return ENODEV
	case acl.ErrBadHash:
		return EBADMSG
	case acl.ErrSubFirstArg:
		return ECHILD
	}
	return EINVAL
}

// SetModuleUserACLString is RedisModule_SetModuleUserACLString: a whole
// rule string (split like ACL SETUSER's arguments), applied all or
// nothing. On failure it returns the error message ACL SETUSER would give
// (without "ERR ").
func (ctx *Ctx) SetModuleUserACLString(u *User, rules string) (int, *String) {
	h := ctx.eng.aclHost()
	if h == nil || u == nil {
		return ERR, nil
	}
	args, ok := resp.SplitArgs([]byte(rules), nil)
	if !ok {
		args = nil // unbalanced quotes: no rules at all, as Redis's sdssplitargs
	}
	strs := make([]string, len(args))
	for i, a := range args {
		strs[i] = string(a)
	}
	nu, bad, err := h.ACLEnv().SetUser(u.U, u.U.Name, strs)
	if err == acl.ErrUnmatched {
		return ERR, ctx.newString([]byte("Unmatched parenthesis in acl selector starting at '" + cstrOf(bad) + "'."))
	}
	if err != nil {
		return ERR, ctx.newString([]byte("Error in ACL SETUSER modifier '" + cstrOf(bad) + "': " + err.Error()))
	}
	u.U.CopyFrom(nu)
	return OK, nil
}

func cstrOf(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

// GetModuleUserACLString is RedisModule_GetModuleUserACLString: the
// user's rules as ACL LIST shows them (without "user <name>").
func (e *Engine) GetModuleUserACLString(u *User) *String {
	h := e.aclHost()
	if h == nil || u == nil {
		return nil
	}
	return NewString([]byte(u.U.Describe(h.ACLEnv().Cmds)))
}

// GetCurrentUserName is RedisModule_GetCurrentUserName: the name of the
// context client's user (nil without a client or user).
func (ctx *Ctx) GetCurrentUserName() *String {
	h := ctx.eng.aclHost()
	if h == nil || ctx.client == nil {
		return nil
	}
	u, _ := h.ACLClientUser(ctx.client.ModClientID())
	if u == nil {
		return nil
	}
	return ctx.newString([]byte(u.Name))
}

// GetModuleUserFromUserName is RedisModule_GetModuleUserFromUserName: a
// handle on the server user with the name (nil if none).
func (e *Engine) GetModuleUserFromUserName(name *String) *User {
	h := e.aclHost()
	if h == nil || name == nil {
		return nil
	}
	u := h.ACLUser(string(name.Bytes()))
	if u == nil {
		return nil
	}
	return &User{U: u}
}

// GetClientUserNameById is RedisModule_GetClientUserNameById: ENOENT for
// no such client, ENOTSUP for a client without a user.
func (ctx *Ctx) GetClientUserNameById(id uint64) (*String, Errno) {
	h := ctx.eng.aclHost()
	if h == nil {
		return nil, ENOTSUP
	}
	u, found := h.ACLClientUser(id)
	if !found {
		return nil, ENOENT
	}
	if u == nil {
		return nil, ENOTSUP
	}
	return ctx.newString([]byte(u.Name)), 0
}

// SetContextUser is RedisModule_SetContextUser: Call with 'C' checks this
// user's permissions instead of the context client's.
func (ctx *Ctx) SetContextUser(u *User) { ctx.user = u }

// ACLCheckCommandPermissions is RedisModule_ACLCheckCommandPermissions:
// ENOENT for an unknown command, EACCES when denied.
func (e *Engine) ACLCheckCommandPermissions(u *User, argv []*String) (int, Errno) {
	h := e.aclHost()
	if h == nil || u == nil || len(argv) == 0 {
		return ERR, ENOENT
	}
	raw := make([][]byte, len(argv))
	for i, a := range argv {
		raw[i] = a.Bytes()
	}
	res, errno := h.ACLCheck(u.U, raw)
	if errno != 0 {
		return ERR, errno
	}
	if res != acl.OK {
		return ERR, EACCES
	}
	return OK, 0
}

// ACLCheckKeyPermissions is RedisModule_ACLCheckKeyPermissions: flags are
// REDISMODULE_CMD_KEY_ACCESS/INSERT/DELETE/UPDATE (EINVAL for others);
// EACCES when no selector grants the access.
func (e *Engine) ACLCheckKeyPermissions(u *User, key *String, flags int) (int, Errno) {
	if flags&^(cmdKeyAccess|cmdKeyInsert|cmdKeyDelete|cmdKeyUpdate) != 0 {
		return ERR, EINVAL
	}
	need := 0
	if flags&cmdKeyAccess != 0 {
		need |= acl.PermRead
	}
	if flags&(cmdKeyInsert|cmdKeyDelete|cmdKeyUpdate) != 0 {
		need |= acl.PermWrite
	}
	if u == nil || !u.U.KeyAllowed(key.Bytes(), need) {
		return ERR, EACCES
	}
	return OK, 0
}

// ACLCheckChannelPermissions is RedisModule_ACLCheckChannelPermissions:
// flags are REDISMODULE_CMD_CHANNEL_* (EINVAL for others); unsubscribing
// is always allowed; a pattern must be granted literally.
func (e *Engine) ACLCheckChannelPermissions(u *User, ch *String, flags int) (int, Errno) {
	if flags&^(cmdChannelPattern|cmdChannelPublish|cmdChannelSubscribe|cmdChannelUnsubscribe) != 0 {
		return ERR, EINVAL
	}
	if flags&cmdChannelUnsubscribe != 0 {
		return OK, 0
	}
	if u == nil || !u.U.ChannelAllowed(ch.Bytes(), flags&cmdChannelPattern != 0) {
		return ERR, 0
	}
	return OK, 0
}

// ACLAddLogEntry is RedisModule_ACLAddLogEntry: an ACL LOG entry for the
// context's client, with the user's name and the object, context
// "module".
func (ctx *Ctx) ACLAddLogEntry(u *User, object *String, reason int) int {
	var res acl.Result
	switch reason {
	case ACLLogAuth:
		res = acl.DeniedAuth
	case ACLLogCmd:
		res = acl.DeniedCommand
	case ACLLogKey:
		res = acl.DeniedKey
	case ACLLogChannel:
		res = acl.DeniedChannel
	default:
		return ERR
	}
	h := ctx.eng.aclHost()
	if h == nil || u == nil || object == nil {
		return ERR
	}
	h.ACLLog(ctx.client, res, u.U.Name, string(object.Bytes()))
	return OK
}

// AuthenticateClientWithUser is RedisModule_AuthenticateClientWithUser:
// the context's client becomes authenticated as the user (ERR for a
// disabled user or a context without a real client). onChange runs once
// when the client's user changes again. It returns the client id.
func (ctx *Ctx) AuthenticateClientWithUser(u *User, onChange func(clientID uint64)) (int, uint64) {
	if u == nil {
		return ERR, 0
	}
	return ctx.authenticateClient(u.U, onChange)
}

// AuthenticateClientWithACLUser is
// RedisModule_AuthenticateClientWithACLUser: like
// AuthenticateClientWithUser with a server user by name (ERR if none).
func (ctx *Ctx) AuthenticateClientWithACLUser(name []byte, onChange func(clientID uint64)) (int, uint64) {
	h := ctx.eng.aclHost()
	if h == nil {
		return ERR, 0
	}
	u := h.ACLUser(string(name))
	if u == nil {
		return ERR, 0
	}
	return ctx.authenticateClient(u, onChange)
}

func (ctx *Ctx) authenticateClient(u *acl.User, onChange func(uint64)) (int, uint64) {
	h := ctx.eng.aclHost()
	if h == nil || !u.Enabled() || ctx.client == nil || ctx.flags&ctxTempClient != 0 {
		return ERR, 0
	}
	if !h.ACLAuthenticate(ctx.client, u, ctx.module, onChange) {
		return ERR, 0
	}
	return OK, ctx.client.ModClientID()
}

// DeauthenticateAndCloseClient is
// RedisModule_DeauthenticateAndCloseClient: ERR when there is no such
// client.
func (ctx *Ctx) DeauthenticateAndCloseClient(id uint64) int {
	h := ctx.eng.aclHost()
	if h == nil || !h.ACLDeauthenticate(id) {
		return ERR
	}
	return OK
}

// RevokeAuthenticatedClients deauthenticates and closes the clients
// module m authenticated with a user-changed callback, whose code goes
// away with the module (Redis's moduleFreeAuthenticatedClients). Unload
// calls it after OnUnload; a front-end that releases the module's code in
// its OnUnload calls it first.
func (e *Engine) RevokeAuthenticatedClients(m *Module) {
	if h := e.aclHost(); h != nil && m != nil {
		h.ACLRevokeModuleClients(m)
	}
}

// aclCallUser is the user Call's 'C' flag checks: the one SetContextUser
// set, else nil (the caller's).
func (ctx *Ctx) aclCallUser() *acl.User {
	if ctx.user != nil {
		return ctx.user.U
	}
	return nil
}
