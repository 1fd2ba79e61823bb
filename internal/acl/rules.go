package acl

import (
	"strings"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/resp"
)

// RuleError is why a rule failed; its text is Redis's (ACLSetUserStringError).
type RuleError int

// The rule errors, named after the errno Redis uses for each.
const (
	ErrUnknown         RuleError = iota // ENOENT
	ErrSyntax                           // EINVAL
	ErrKeyAfterAll                      // EEXIST
	ErrChannelAfterAll                  // EISDIR
	ErrNoSuchPassword                   // ENODEV
	ErrBadHash                          // EBADMSG
	ErrDuplicateUser                    // EALREADY
	ErrSubFirstArg                      // ECHILD
)

var ruleErrorText = [...]string{
	ErrUnknown:         "Unknown command or category name in ACL",
	ErrSyntax:          "Syntax error",
	ErrKeyAfterAll:     "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
	ErrChannelAfterAll: "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
	ErrNoSuchPassword:  "The password you are trying to remove from the user does not exist",
	ErrBadHash:         "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
	ErrDuplicateUser:   "Duplicate user found. A user can only be defined once in config files",
	ErrSubFirstArg:     "Allowing first-arg of a subcommand is not supported",
}

func (e RuleError) Error() string { return ruleErrorText[e] }

// Env is what applying rules depends on besides the user: the command
// universe and the acl-pubsub-default setting.
type Env struct {
	Cmds        Commands
	AllChannels bool // acl-pubsub-default allchannels
}

// Apply applies one rule to the user (Redis's ACLSetUser). On error the
// user may be partly changed: callers apply rules to a clone.
func (e *Env) Apply(u *User, op string) error {
	err := e.apply(u, op)
	u.changed()
	return err
}

func (e *Env) apply(u *User, op string) error {
	if op == "" {
		return nil
	}
	switch {
	case eqFold(op, "on"):
		u.Flags = u.Flags&^FlagDisabled | FlagEnabled
	case eqFold(op, "off"):
		u.Flags = u.Flags&^FlagEnabled | FlagDisabled
	case eqFold(op, "skip-sanitize-payload"):
		u.Flags = u.Flags&^FlagSanitizePayload | FlagSkipSanitize
	case eqFold(op, "sanitize-payload"):
		u.Flags = u.Flags&^FlagSkipSanitize | FlagSanitizePayload
	case eqFold(op, "nopass"):
		u.Flags |= FlagNoPass
		u.Passwords = nil
	case eqFold(op, "resetpass"):
		u.Flags &^= FlagNoPass
		u.Passwords = nil
	case op[0] == '>' || op[0] == '#':
		var h string
		if op[0] == '>' {
			h = HashPassword([]byte(op[1:]))
		} else {
			if !validHash(op[1:]) {
				return ErrBadHash
			}
			h = op[1:]
		}
		if u.hasPassword(h) < 0 {
			u.Passwords = append(u.Passwords, h)
		}
		u.Flags &^= FlagNoPass
	case op[0] == '<' || op[0] == '!':
		var h string
		if op[0] == '<' {
			h = HashPassword([]byte(op[1:]))
		} else {
			if !validHash(op[1:]) {
				return ErrBadHash
			}
			h = op[1:]
		}
		i := u.hasPassword(h)
		if i < 0 {
			return ErrNoSuchPassword
		}
		u.Passwords = append(u.Passwords[:i:i], u.Passwords[i+1:]...)
	case op[0] == '(' && op[len(op)-1] == ')':
		s, err := e.selectorFromOpSet(op)
		if err != nil {
			return err
		}
		u.Selectors = append(u.Selectors, s)
	case eqFold(op, "clearselectors"):
		u.Selectors = u.Selectors[:1:1]
	case eqFold(op, "reset"):
		e.apply(u, "resetpass")
		e.apply(u, "resetkeys")
		e.apply(u, "resetchannels")
		if e.AllChannels {
			e.apply(u, "allchannels")
		}
		e.apply(u, "off")
		e.apply(u, "sanitize-payload")
		e.apply(u, "clearselectors")
		e.apply(u, "-@all")
	default:
		return e.applySelector(u.Selectors[0], op)
	}
	return nil
}

// selectorFromOpSet builds a selector from "(rule rule ...)"; the inside
// is split like redis-cli arguments (unbalanced quotes give an empty
// selector, as in Redis).
func (e *Env) selectorFromOpSet(op string) (*Selector, error) {
	s := newSelector(false, e.AllChannels)
	args, ok := resp.SplitArgs([]byte(op[1:len(op)-1]), nil)
	if !ok {
		return s, nil
	}
	for _, a := range args {
		if err := e.applySelector(s, string(a)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// applySelector applies a command, key or channel rule to one selector
// (Redis's ACLSetSelector).
func (e *Env) applySelector(s *Selector, op string) error {
	if op == "" {
		return nil
	}
	switch {
	case eqFold(op, "allkeys") || op == "~*":
		s.flags |= selAllKeys
		s.Keys = nil
	case eqFold(op, "resetkeys"):
		s.flags &^= selAllKeys
		s.Keys = nil
	case eqFold(op, "allchannels") || op == "&*":
		s.flags |= selAllChannels
		s.Channels = nil
	case eqFold(op, "resetchannels"):
		s.flags &^= selAllChannels
		s.Channels = nil
	case eqFold(op, "allcommands") || eqFold(op, "+@all"):
		s.setAll(true)
	case eqFold(op, "nocommands") || eqFold(op, "-@all"):
		s.setAll(false)
	case op[0] == '~' || op[0] == '%':
		return s.addKeyPattern(op)
	case op[0] == '&':
		if s.flags&selAllChannels != 0 {
			return ErrChannelAfterAll
		}
		p := op[1:]
		found := false
		for _, c := range s.Channels {
			if c == p {
				found = true
				break
			}
		}
		if !found {
			s.Channels = append(s.Channels, p)
		}
	case op[0] == '+' && (len(op) < 2 || op[1] != '@'):
		return e.allowCommand(s, op[1:])
	case op[0] == '-' && (len(op) < 2 || op[1] != '@'):
		spec := lookupRule(e.Cmds, op[1:])
		if spec == nil {
			return ErrUnknown
		}
		s.changePerm(spec, false)
	case (op[0] == '+' || op[0] == '-') && op[1] == '@':
		cat, ok := command.ParseCategory(op[2:])
		if !ok {
			return ErrUnknown
		}
		s.setCategory(e.Cmds, cat, op[0] == '+')
	default:
		return ErrSyntax
	}
	return nil
}

// addKeyPattern parses ~pattern and %<R|W|RW>~pattern.
func (s *Selector) addKeyPattern(op string) error {
	if s.flags&selAllKeys != 0 {
		return ErrKeyAfterAll
	}
	perm, off := PermAll, 1
	if op[0] == '%' {
		perm = 0
		for ; off < len(op); off++ {
			c := op[off]
			if (c == 'R' || c == 'r') && perm&PermRead == 0 {
				perm |= PermRead
			} else if (c == 'W' || c == 'w') && perm&PermWrite == 0 {
				perm |= PermWrite
			} else if c == '~' {
				off++
				break
			} else {
				return ErrSyntax
			}
		}
	}
	if perm == 0 {
		return ErrSyntax
	}
	pat := op[off:]
	for i := range s.Keys {
		if s.Keys[i].Pattern == pat {
			s.Keys[i].Perm |= perm
			return nil
		}
	}
	s.Keys = append(s.Keys, KeyPattern{Pattern: pat, Perm: perm})
	return nil
}

// allowCommand is "+cmd", "+cmd|sub" and "+cmd|firstarg".
func (e *Env) allowCommand(s *Selector, name string) error {
	i := strings.LastIndexByte(name, '|')
	if i < 0 {
		spec := lookupRule(e.Cmds, name)
		if spec == nil {
			return ErrUnknown
		}
		s.changePerm(spec, true)
		return nil
	}
	base, sub := name[:i], name[i+1:]
	spec := lookupRule(e.Cmds, base)
	if spec == nil {
		return ErrUnknown
	}
	if isSub(spec) {
		return ErrSubFirstArg
	}
	if sub == "" {
		return ErrSyntax
	}
	if len(spec.Subcommands) > 0 {
		subSpec := spec.Sub([]byte(sub))
		if subSpec == nil {
			return ErrUnknown
		}
		s.changePerm(subSpec, true)
		return nil
	}
	// A first argument of a command without subcommands ("+select|0").
	s.addFirstArg(ID(spec), sub)
	return nil
}

// MergeSelectorArgs joins arguments that together form a "(...)" selector
// (Redis's ACLMergeSelectorArguments). On an unclosed '(' it returns the
// index of the argument that opened it and false.
func MergeSelectorArgs(args []string) ([]string, int, bool) {
	out := make([]string, 0, len(args))
	open := -1
	var cur strings.Builder
	for j, op := range args {
		if len(op) > 0 && op[0] == '(' && op[len(op)-1] != ')' {
			cur.Reset()
			cur.WriteString(op)
			open = j
			continue
		}
		if open != -1 {
			cur.WriteByte(' ')
			cur.WriteString(cstr(op))
			if len(op) > 0 && op[len(op)-1] == ')' {
				open = -1
				out = append(out, cur.String())
			}
			continue
		}
		out = append(out, op)
	}
	if open != -1 {
		return nil, open, false
	}
	return out, 0, true
}

// cstr is a string as C's %s prints it: up to the first NUL.
func cstr(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// SetUser applies rules (as given to ACL SETUSER, selectors not yet
// merged) to a copy of u (or of a new user when u is nil) and returns the
// copy. On failure it returns the offending rule and the error; nothing
// was changed. The unmatched-parenthesis case reports the opening
// argument with ErrUnmatched.
func (e *Env) SetUser(u *User, name string, rules []string) (*User, string, error) {
	merged, bad, ok := MergeSelectorArgs(rules)
	if !ok {
		return nil, rules[bad], ErrUnmatched
	}
	var t *User
	if u != nil {
		t = u.Clone()
	} else {
		t = NewUser(name, e.AllChannels)
	}
	for _, r := range merged {
		if err := e.Apply(t, r); err != nil {
			return nil, r, err
		}
	}
	return t, "", nil
}

// ErrUnmatched is an unclosed selector parenthesis.
var ErrUnmatched = unmatchedError{}

type unmatchedError struct{}

func (unmatchedError) Error() string { return "Unmatched parenthesis in acl selector" }
