package acl

import (
	"github.com/modis/modis/internal/command"
)

// Selector flags.
const (
	selRoot        = 1 << iota // the user's root selector
	selAllKeys                 // ~* / allkeys
	selAllCommands             // +@all with no later removal
	selAllChannels             // &* / allchannels
)

// Key pattern permissions.
const (
	PermRead  = 1
	PermWrite = 2
	PermAll   = PermRead | PermWrite
)

// KeyPattern is a key glob with the accesses it grants (~ is read and
// write, %R~ read, %W~ write).
type KeyPattern struct {
	Pattern string
	Perm    int
}

// String is the pattern as ACL LIST prints it.
func (k KeyPattern) String() string {
	switch k.Perm {
	case PermRead:
		return "%R~" + k.Pattern
	case PermWrite:
		return "%W~" + k.Pattern
	}
	return "~" + k.Pattern
}

// Selector is a set of command, key and channel permissions. A user may
// run a command when any of its selectors allows all of it.
type Selector struct {
	flags int
	// bits is the command bitmap by command id; ids past its end read as
	// future (Redis's reserved "future commands" bit, set by +@all and
	// cleared by -@all only).
	bits      []uint64
	future    bool
	firstArgs map[int][]string // command id -> allowed first arguments
	Keys      []KeyPattern
	Channels  []string
}

func newSelector(root, allChannels bool) *Selector {
	s := &Selector{}
	if root {
		s.flags |= selRoot
	}
	if allChannels {
		s.flags |= selAllChannels
	}
	return s
}

func (s *Selector) clone() *Selector {
	n := &Selector{flags: s.flags, future: s.future}
	n.bits = append([]uint64(nil), s.bits...)
	n.Keys = append([]KeyPattern(nil), s.Keys...)
	n.Channels = append([]string(nil), s.Channels...)
	if s.firstArgs != nil {
		n.firstArgs = make(map[int][]string, len(s.firstArgs))
		for k, v := range s.firstArgs {
			n.firstArgs[k] = append([]string(nil), v...)
		}
	}
	return n
}

// IsRoot reports whether this is the user's root selector.
func (s *Selector) IsRoot() bool { return s.flags&selRoot != 0 }

// AllKeys, AllChannels and AllCommands report the selector's "all" flags.
func (s *Selector) AllKeys() bool     { return s.flags&selAllKeys != 0 }
func (s *Selector) AllChannels() bool { return s.flags&selAllChannels != 0 }
func (s *Selector) AllCommands() bool { return s.flags&selAllCommands != 0 }

// bit reads a command bit.
func (s *Selector) bit(id int) bool {
	w := id >> 6
	if w >= len(s.bits) {
		return s.future
	}
	return s.bits[w]&(1<<(id&63)) != 0
}

// setBit writes a command bit; clearing one ends "all commands".
func (s *Selector) setBit(id int, v bool) {
	w := id >> 6
	for w >= len(s.bits) {
		fill := uint64(0)
		if s.future {
			fill = ^uint64(0)
		}
		s.bits = append(s.bits, fill)
	}
	if v {
		s.bits[w] |= 1 << (id & 63)
	} else {
		s.bits[w] &^= 1 << (id & 63)
		s.flags &^= selAllCommands
	}
}

// setAll is +@all (v) or -@all: every bit, the future bit, no first args.
func (s *Selector) setAll(v bool) {
	s.bits = s.bits[:0]
	s.future = v
	s.firstArgs = nil
	if v {
		s.flags |= selAllCommands
	} else {
		s.flags &^= selAllCommands
	}
}

// Allowed reports whether the command bit is set.
func (s *Selector) Allowed(spec *command.Spec) bool { return s.bit(ID(spec)) }

// changePerm allows or denies a command and all its subcommands, dropping
// its first-arg exceptions (Redis's ACLChangeSelectorPerm).
func (s *Selector) changePerm(spec *command.Spec, allow bool) {
	id := ID(spec)
	s.setBit(id, allow)
	if s.firstArgs != nil {
		delete(s.firstArgs, id)
	}
	for _, sub := range spec.Subcommands {
		s.setBit(ID(sub), allow)
	}
}

// setCategory applies +@cat / -@cat to every non-module command in it.
func (s *Selector) setCategory(cmds Commands, cat command.Categories, allow bool) {
	walkCat(cmds.All(), func(spec *command.Spec) {
		if spec.ACL&cat != 0 {
			s.changePerm(spec, allow)
		}
	})
}

// walkCat visits commands and their subcommands, skipping module commands
// (categories never reach them).
func walkCat(specs []*command.Spec, fn func(s *command.Spec)) {
	for _, spec := range specs {
		if isModule(spec) {
			continue
		}
		fn(spec)
		walkCat(spec.Subcommands, fn)
	}
}

// addFirstArg allows cmd only with the given first argument.
func (s *Selector) addFirstArg(id int, arg string) {
	if s.firstArgs == nil {
		s.firstArgs = map[int][]string{}
	}
	for _, a := range s.firstArgs[id] {
		if a == arg {
			return
		}
	}
	s.firstArgs[id] = append(s.firstArgs[id], arg)
}
