package acl

import (
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/glob"
)

// Result is the outcome of a permission check, ordered as Redis orders
// them when picking the error to report among several selectors.
type Result int

const (
	OK            Result = iota
	DeniedCommand        // ACL_DENIED_CMD
	DeniedKey            // ACL_DENIED_KEY
	DeniedAuth           // ACL_DENIED_AUTH
	DeniedChannel        // ACL_DENIED_CHANNEL
)

// Reason is the ACL LOG "reason" of a result.
func (r Result) Reason() string {
	switch r {
	case DeniedCommand:
		return "command"
	case DeniedKey:
		return "key"
	case DeniedChannel:
		return "channel"
	case DeniedAuth:
		return "auth"
	}
	return "unknown"
}

// Request is one command line to check.
type Request struct {
	Spec *command.Spec
	Argv [][]byte // argv[0] is the command name
	// Keys, when set, finds the keys instead of the key specs (the server
	// uses it for module commands that declare their keys themselves).
	Keys KeyFinder
}

// KeyFinder extracts the keys of a command line.
type KeyFinder interface {
	FindKeys(spec *command.Spec, argv [][]byte) []command.KeyRef
}

// maxInlineKeys is how many keys a check extracts without allocating.
const maxInlineKeys = 16

// Check is Redis's ACLCheckAllUserCommandPerm: the command is allowed when
// any selector allows it. Otherwise it returns the most relevant denial
// and the argv index of the key or channel at fault (0 for a command).
// Keys are extracted at most once, and only if a selector needs them;
// commands with few keys are checked without allocating.
func (u *User) Check(req *Request) (Result, int) {
	if u.superuser {
		return OK, 0
	}
	var buf [maxInlineKeys]command.KeyRef
	var keys []command.KeyRef
	keysDone := false
	worst, lastIdx := DeniedCommand, 0
	for _, s := range u.Selectors {
		res, idx := s.checkCommand(req)
		if res == OK && s.flags&selAllKeys == 0 && req.Spec.HasKeys() {
			if !keysDone {
				keys, keysDone = findKeys(req, buf[:0]), true
			}
			res, idx = s.checkKeys(req.Argv, keys)
		}
		if res == OK {
			res, idx = s.checkChannels(req)
		}
		if res == OK {
			return OK, 0
		}
		if res > worst || res == worst && idx > lastIdx {
			worst, lastIdx = res, idx
		}
	}
	return worst, lastIdx
}

func findKeys(req *Request, dst []command.KeyRef) []command.KeyRef {
	if req.Keys != nil {
		return req.Keys.FindKeys(req.Spec, req.Argv)
	}
	return req.Spec.AppendKeys(dst, req.Argv)
}

// checkCommand is the command part of Redis's ACLSelectorCheckCmd: the
// command bit, or an allowed first argument.
func (s *Selector) checkCommand(req *Request) (Result, int) {
	spec := req.Spec
	if s.flags&selAllCommands != 0 || spec.Flags&command.FlagNoAuth != 0 {
		return OK, 0
	}
	id := ID(spec)
	if s.bit(id) {
		return OK, 0
	}
	args := s.firstArgs[id]
	idx := 1
	if isSub(spec) {
		idx = 2
	}
	if len(req.Argv) <= idx {
		return DeniedCommand, 0
	}
	for _, a := range args {
		if equalFoldC(a, req.Argv[idx]) {
			return OK, 0
		}
	}
	return DeniedCommand, 0
}

// equalFoldC is strcasecmp(a, b) == 0 with b read as a C string.
func equalFoldC(a string, b []byte) bool {
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// checkKeys checks every key against the selector's patterns.
func (s *Selector) checkKeys(argv [][]byte, keys []command.KeyRef) (Result, int) {
	for _, k := range keys {
		if k.Pos < len(argv) && !s.keyAllowed(argv[k.Pos], keyAccess(k.Flags)) {
			return DeniedKey, k.Pos
		}
	}
	return OK, 0
}

// checkChannels checks the channels a command publishes or subscribes to.
func (s *Selector) checkChannels(req *Request) (Result, int) {
	if s.flags&selAllChannels != 0 {
		return OK, 0
	}
	first, last, pattern := channelArgs(req.Spec, len(req.Argv))
	for i := first; i <= last; i++ {
		if !channelAllowed(s.Channels, req.Argv[i], pattern) {
			return DeniedChannel, i
		}
	}
	return OK, 0
}

// keyAccess turns key-spec flags into the permissions the key needs:
// access reads, insert/delete/update write (RO/RW/OW/RM say nothing).
func keyAccess(flags []string) int {
	p := 0
	for _, f := range flags {
		switch f {
		case "access":
			p |= PermRead
		case "insert", "delete", "update":
			p |= PermWrite
		}
	}
	return p
}

// keyAllowed is Redis's ACLSelectorCheckKey.
func (s *Selector) keyAllowed(key []byte, need int) bool {
	if s.flags&selAllKeys != 0 {
		return true
	}
	for _, k := range s.Keys {
		if k.Perm&need != need {
			continue
		}
		if glob.MatchText(k.Pattern, key) {
			return true
		}
	}
	return false
}

// KeyAllowed reports whether any selector grants the access to the key
// (RedisModule_ACLCheckKeyPermissions). need is PermRead/PermWrite bits.
func (u *User) KeyAllowed(key []byte, need int) bool {
	for _, s := range u.Selectors {
		if s.keyAllowed(key, need) {
			return true
		}
	}
	return false
}

// ChannelAllowed reports whether any selector grants the channel (a
// pattern when literal is false... see channelAllowed).
func (u *User) ChannelAllowed(channel []byte, isPattern bool) bool {
	for _, s := range u.Selectors {
		if s.flags&selAllChannels != 0 || channelAllowed(s.Channels, channel, isPattern) {
			return true
		}
	}
	return false
}

// channelAllowed is Redis's ACLCheckChannelAgainstList: a channel must
// match one of the patterns; a subscription pattern must equal one
// literally.
func channelAllowed(list []string, ch []byte, isPattern bool) bool {
	for _, p := range list {
		if isPattern {
			if p == string(ch) {
				return true
			}
		} else if glob.MatchText(p, ch) {
			return true
		}
	}
	return false
}

// channelArgs returns the argv range holding the channels a command
// publishes or subscribes to (empty when first > last), and whether they
// are patterns. Unsubscribing is never checked.
func channelArgs(spec *command.Spec, argc int) (first, last int, pattern bool) {
	switch spec.Name {
	case "publish", "spublish":
		return 1, 1, false
	case "subscribe", "ssubscribe":
		return 1, argc - 1, false
	case "psubscribe":
		return 1, argc - 1, true
	}
	return 1, 0, false
}
