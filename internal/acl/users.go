package acl

import (
	"fmt"
	"sort"
	"strings"
)

// Users is a set of users by name.
type Users struct {
	m map[string]*User
}

// NewUsers returns an empty set.
func NewUsers() *Users { return &Users{m: map[string]*User{}} }

// Get returns the user with the name, or nil.
func (us *Users) Get(name string) *User { return us.m[name] }

// Add inserts or replaces a user.
func (us *Users) Add(u *User) { us.m[u.Name] = u }

// Delete removes a user, reporting whether it existed.
func (us *Users) Delete(name string) bool {
	if _, ok := us.m[name]; !ok {
		return false
	}
	delete(us.m, name)
	return true
}

// Len is the number of users.
func (us *Users) Len() int { return len(us.m) }

// Names returns the user names in byte order (Redis keeps users in a radix
// tree, so ACL USERS and ACL LIST are sorted).
func (us *Users) Names() []string {
	out := make([]string, 0, len(us.m))
	for n := range us.m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Sorted returns the users in name order.
func (us *Users) Sorted() []*User {
	names := us.Names()
	out := make([]*User, len(names))
	for i, n := range names {
		out[i] = us.m[n]
	}
	return out
}

// NewDefaultUser returns the "default" user as a fresh server has it: on,
// nopass, every command, key and channel.
func (e *Env) NewDefaultUser() *User {
	u := NewUser("default", e.AllChannels)
	for _, r := range []string{"+@all", "~*", "&*", "on", "nopass"} {
		e.Apply(u, r)
	}
	return u
}

// Format returns the ACL file text for a set of users: one "user <name>
// <rules>" line each, in name order (ACL SAVE, CONFIG REWRITE).
func (us *Users) Format(cmds Commands) string {
	var b strings.Builder
	for _, u := range us.Sorted() {
		b.WriteString("user ")
		b.WriteString(u.Name)
		b.WriteByte(' ')
		b.WriteString(u.Describe(cmds))
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseFile parses ACL file text into a new user set the way Redis's
// ACLLoadFromFile does, collecting every error into one message (filename
// is how errors name the file). It returns a nil set and the message when
// anything is wrong. The set has no "default" user unless the file
// defines one.
func (e *Env) ParseFile(data, filename string) (*Users, string) {
	if i := strings.IndexByte(data, 0); i >= 0 {
		data = data[:i]
	}
	us := NewUsers()
	var errs strings.Builder
	for i, line := range strings.Split(data, "\n") {
		lineno := i + 1
		line = strings.Trim(line, " \t\r\n")
		if line == "" {
			continue
		}
		argv := strings.Split(line, " ")
		if argv[0] != "user" || len(argv) < 2 {
			fmt.Fprintf(&errs, "%s:%d should start with user keyword followed by the username. ", filename, lineno)
			continue
		}
		if !ValidName(argv[1]) {
			fmt.Fprintf(&errs, "'%s:%d: username '%s' contains invalid characters. ", filename, lineno, argv[1])
			continue
		}
		if us.Get(argv[1]) != nil {
			fmt.Fprintf(&errs, "WARNING: Duplicate user '%s' found on line %d. ", argv[1], lineno)
			continue
		}
		u := NewUser(argv[1], e.AllChannels)
		us.Add(u)
		rules, _, ok := MergeSelectorArgs(argv[2:])
		if !ok {
			fmt.Fprintf(&errs, "%s:%d: Unmatched parenthesis in selector definition.", filename, lineno)
		}
		syntaxErr := false
		for _, r := range rules {
			r = strings.Trim(r, "\t\r\n")
			err := e.Apply(u, r)
			if err == nil {
				continue
			}
			if err == ErrUnknown {
				fmt.Fprintf(&errs, "%s:%d: Error in applying operation '%s': %s. ", filename, lineno, r, err)
			} else if !syntaxErr {
				fmt.Fprintf(&errs, "%s:%d: %s. ", filename, lineno, err)
				syntaxErr = true
			}
		}
	}
	if errs.Len() > 0 {
		errs.WriteString("WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
		return nil, errs.String()
	}
	return us, ""
}

// CheckConfigUser validates a "user" config-file directive (argv without
// "user") as Redis's ACLAppendUserForLoading does: rules naming unknown
// commands pass (modules may not be loaded yet), other errors fail. On
// failure it returns the index into the directive's arguments (counting
// "user" as 0) that Redis prints, and the error.
func (e *Env) CheckConfigUser(args []string) (int, error) {
	merged, bad, ok := MergeSelectorArgs(args[1:])
	if !ok {
		return bad, ErrUnmatched
	}
	u := NewUser(args[0], e.AllChannels)
	for j, r := range merged {
		if err := e.Apply(u, r); err != nil && err != ErrUnknown {
			return j, err
		}
	}
	return 0, nil
}
