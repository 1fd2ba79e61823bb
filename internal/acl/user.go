// Package acl is Redis 7.0's access control lists: users with passwords
// and flags, selectors of command, key and channel permissions, the rule
// language of ACL SETUSER and the ACL file, the canonical rule strings ACL
// LIST prints, permission checks and the ACL LOG. It knows nothing about
// servers or clients: the server asks it questions.
package acl

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// User flags.
const (
	FlagEnabled         = 1 << iota // "on"
	FlagDisabled                    // "off"
	FlagNoPass                      // any password (or none) authenticates
	FlagSkipSanitize                // "skip-sanitize-payload"
	FlagSanitizePayload             // "sanitize-payload"
)

// userFlagNames lists the user flags in the order Redis prints them.
var userFlagNames = []struct {
	flag int
	name string
}{
	{FlagEnabled, "on"}, {FlagDisabled, "off"}, {FlagNoPass, "nopass"},
	{FlagSkipSanitize, "skip-sanitize-payload"}, {FlagSanitizePayload, "sanitize-payload"},
}

// User is one ACL user. Selectors[0] is the root selector; the others come
// from "(...)" rules.
type User struct {
	Name      string
	Flags     int
	Passwords []string // SHA-256 hex digests, in insertion order
	Selectors []*Selector

	// superuser caches "the root selector allows every command, key and
	// channel": the permission check is then a single flag test.
	superuser bool

	// described caches ACL LIST's rule string; nil when stale.
	described *string
}

// NewUser returns a user as Redis's ACLCreateUser makes it: off, no
// passwords, a root selector with no permissions (channels per the
// acl-pubsub-default setting).
func NewUser(name string, allChannels bool) *User {
	u := &User{Name: name, Flags: FlagDisabled}
	u.Selectors = []*Selector{newSelector(true, allChannels)}
	u.changed()
	return u
}

// Root returns the root selector.
func (u *User) Root() *Selector { return u.Selectors[0] }

// Superuser reports whether the user may run anything (the fast path of
// the permission check).
func (u *User) Superuser() bool { return u.superuser }

// Enabled reports whether the user may authenticate.
func (u *User) Enabled() bool { return u.Flags&FlagDisabled == 0 }

// NoPass reports the nopass flag.
func (u *User) NoPass() bool { return u.Flags&FlagNoPass != 0 }

// FlagNames returns the set flags in Redis's order (ACL GETUSER "flags").
func (u *User) FlagNames() []string {
	var out []string
	for _, f := range userFlagNames {
		if u.Flags&f.flag != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// changed refreshes the caches after a modification.
func (u *User) changed() {
	r := u.Selectors[0]
	u.superuser = r.flags&(selAllCommands|selAllKeys|selAllChannels) == selAllCommands|selAllKeys|selAllChannels
	u.described = nil
}

// Clone returns a deep copy (Redis's ACLCopyUser into a fresh user).
func (u *User) Clone() *User {
	n := &User{Name: u.Name, Flags: u.Flags, superuser: u.superuser}
	n.Passwords = append([]string(nil), u.Passwords...)
	n.Selectors = make([]*Selector, len(u.Selectors))
	for i, s := range u.Selectors {
		n.Selectors[i] = s.clone()
	}
	return n
}

// CopyFrom makes u a copy of o, keeping u's name and identity (clients
// hold *User pointers).
func (u *User) CopyFrom(o *User) {
	c := o.Clone()
	u.Flags, u.Passwords, u.Selectors = c.Flags, c.Passwords, c.Selectors
	u.changed()
}

// HashPassword returns the SHA-256 hex digest ACL stores for a password.
func HashPassword(pass []byte) string {
	sum := sha256.Sum256(pass)
	return hex.EncodeToString(sum[:])
}

// validHash reports whether h is a password hash as Redis accepts it: 64
// lower-case hexadecimal characters.
func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// CheckPassword reports whether pass authenticates the user (ignoring
// whether it is enabled): nopass accepts anything, else one of the stored
// hashes must match, compared in constant time.
func (u *User) CheckPassword(pass []byte) bool {
	if u.Flags&FlagNoPass != 0 {
		return true
	}
	h := HashPassword(pass)
	for _, p := range u.Passwords {
		if subtle.ConstantTimeCompare([]byte(h), []byte(p)) == 1 {
			return true
		}
	}
	return false
}

// Authenticate is Redis's ACLCheckUserCredentials for a found user.
func (u *User) Authenticate(pass []byte) bool {
	return u.Enabled() && u.CheckPassword(pass)
}

// ValidName reports whether a user name is acceptable: no spaces and no
// NUL bytes (Redis's ACLStringHasSpaces also rejects other whitespace).
func ValidName(name string) bool {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f', 0:
			return false
		}
	}
	return true
}

// hasPassword reports whether the hash is stored.
func (u *User) hasPassword(h string) int {
	for i, p := range u.Passwords {
		if p == h {
			return i
		}
	}
	return -1
}

// eqFold is strcasecmp(a, b) == 0 for an ASCII literal b.
func eqFold(a, b string) bool { return len(a) == len(b) && strings.EqualFold(a, b) }
