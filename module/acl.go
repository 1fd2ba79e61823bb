package module

import (
	"errors"

	engine "github.com/modis/modis/internal/module"
)

// User is a RedisModuleUser: a user the module created with
// CreateModuleUser (not listed by ACL, freed with Free, which disconnects
// its clients) or a handle on a server user from
// GetModuleUserFromUserName.
type User struct {
	u *engine.User
	e *engine.Engine
}

// Reasons of ACLAddLogEntry (RedisModuleACLLogEntryReason).
const (
	ACLLogAuth    = engine.ACLLogAuth
	ACLLogCmd     = engine.ACLLogCmd
	ACLLogKey     = engine.ACLLogKey
	ACLLogChannel = engine.ACLLogChannel
)

// CreateModuleUser is RedisModule_CreateModuleUser: a user that starts
// off and without permissions; give it rules with SetACL.
func (ctx *Ctx) CreateModuleUser(name string) *User {
	e := ctx.c.Engine()
	return &User{u: e.CreateModuleUser(name), e: e}
}

// Free is RedisModule_FreeModuleUser: a module-created user is freed and
// the clients authenticated with it are disconnected.
func (u *User) Free() { u.e.FreeModuleUser(u.u) }

// SetACL is RedisModule_SetModuleUserACL: one ACL SETUSER rule.
func (u *User) SetACL(rule string) error {
	if ret, errno := u.e.SetModuleUserACL(u.u, rule); ret != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// SetACLString is RedisModule_SetModuleUserACLString: a whole rule
// string, applied all or nothing; the error carries ACL SETUSER's message.
func (ctx *Ctx) SetACLString(u *User, rules string) error {
	if ret, msg := ctx.c.SetModuleUserACLString(u.u, rules); ret != engine.OK {
		if msg != nil {
			return errors.New(string(msg.Bytes()))
		}
		return ErrFailed
	}
	return nil
}

// ACLString is RedisModule_GetModuleUserACLString: the rules as ACL LIST
// shows them.
func (u *User) ACLString() string {
	if s := u.e.GetModuleUserACLString(u.u); s != nil {
		return string(s.Bytes())
	}
	return ""
}

// CheckCommand is RedisModule_ACLCheckCommandPermissions: nil when the
// user may run the command line; errno ENOENT for an unknown command,
// EACCES when denied.
func (u *User) CheckCommand(args [][]byte) error {
	strs := make([]*engine.String, len(args))
	for i, a := range args {
		strs[i] = engine.NewString(a)
	}
	if ret, errno := u.e.ACLCheckCommandPermissions(u.u, strs); ret != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// CheckKey is RedisModule_ACLCheckKeyPermissions; flags are CmdKeyAccess,
// CmdKeyInsert, CmdKeyDelete, CmdKeyUpdate (0: any access).
func (u *User) CheckKey(key []byte, flags int) error {
	if ret, errno := u.e.ACLCheckKeyPermissions(u.u, engine.NewString(key), flags); ret != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// CheckChannel is RedisModule_ACLCheckChannelPermissions; flags are the
// Channel* flags (a pattern must be granted literally).
func (u *User) CheckChannel(channel []byte, flags int) error {
	if ret, errno := u.e.ACLCheckChannelPermissions(u.u, engine.NewString(channel), flags); ret != engine.OK {
		return &CallError{Errno: errno}
	}
	return nil
}

// GetCurrentUserName is RedisModule_GetCurrentUserName (nil without a
// client).
func (ctx *Ctx) GetCurrentUserName() []byte {
	if s := ctx.c.GetCurrentUserName(); s != nil {
		return s.Bytes()
	}
	return nil
}

// GetModuleUserFromUserName is RedisModule_GetModuleUserFromUserName: a
// handle on a server user (nil if there is none).
func (ctx *Ctx) GetModuleUserFromUserName(name []byte) *User {
	e := ctx.c.Engine()
	if u := e.GetModuleUserFromUserName(engine.NewString(name)); u != nil {
		return &User{u: u, e: e}
	}
	return nil
}

// GetClientUserNameById is RedisModule_GetClientUserNameById.
func (ctx *Ctx) GetClientUserNameById(id uint64) ([]byte, error) {
	s, errno := ctx.c.GetClientUserNameById(id)
	if s == nil {
		return nil, &CallError{Errno: errno}
	}
	return s.Bytes(), nil
}

// ACLAddLogEntry is RedisModule_ACLAddLogEntry (context "module").
func (ctx *Ctx) ACLAddLogEntry(u *User, object []byte, reason int) error {
	return status(ctx.c.ACLAddLogEntry(u.u, engine.NewString(object), reason))
}

// AuthenticateClientWithUser is RedisModule_AuthenticateClientWithUser:
// the calling client becomes u's (it fails for a disabled user). onChange,
// if not nil, runs once when the client's user changes again or it goes.
// It returns the client id.
func (ctx *Ctx) AuthenticateClientWithUser(u *User, onChange func(clientID uint64)) (uint64, error) {
	ret, id := ctx.c.AuthenticateClientWithUser(u.u, onChange)
	return id, status(ret)
}

// AuthenticateClientWithACLUser is
// RedisModule_AuthenticateClientWithACLUser: as AuthenticateClientWithUser
// with a server user by name.
func (ctx *Ctx) AuthenticateClientWithACLUser(name []byte, onChange func(clientID uint64)) (uint64, error) {
	ret, id := ctx.c.AuthenticateClientWithACLUser(name, onChange)
	return id, status(ret)
}

// DeauthenticateAndCloseClient is RedisModule_DeauthenticateAndCloseClient.
func (ctx *Ctx) DeauthenticateAndCloseClient(id uint64) error {
	return status(ctx.c.DeauthenticateAndCloseClient(id))
}

// SetContextUser is RedisModule_SetContextUser: Call with the CheckACL
// option ('C') checks this user instead of the calling client's (nil:
// the client's again).
func (ctx *Ctx) SetContextUser(u *User) {
	if u == nil {
		ctx.c.SetContextUser(nil)
		return
	}
	ctx.c.SetContextUser(u.u)
}
