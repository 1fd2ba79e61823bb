package server

import (
	"strconv"

	"github.com/modis/modis/internal/keyspace"
)

// Keyspace notifications (Redis's notify.c): every write fires an event
// through Server.notify (db.go); when its class is enabled by
// notify-keyspace-events it is published on "__keyspace@<db>__:<key>"
// (message: the event name) and/or "__keyevent@<db>__:<event>" (message:
// the key).

// notifyAll is the class set the 'A' flag stands for: everything except
// key-miss and new-key events, which must be asked for explicitly.
const notifyAll = notifyGeneric | notifyString | notifyList | notifySet |
	notifyHash | notifyZset | notifyExpired | notifyEvicted | notifyStream |
	notifyModule

// notifyFlagLetters maps class bits to their letters in the order Redis
// prints them (after 'A' or the individual classes come K, E, m, n).
var notifyFlagLetters = []struct {
	flag   int
	letter byte
}{
	{notifyGeneric, 'g'}, {notifyString, '$'}, {notifyList, 'l'},
	{notifySet, 's'}, {notifyHash, 'h'}, {notifyZset, 'z'},
	{notifyExpired, 'x'}, {notifyEvicted, 'e'}, {notifyStream, 't'},
	{notifyModule, 'd'}, {notifyNew, 'n'},
}

// parseNotifyFlags parses a notify-keyspace-events value. ok is false when
// it holds a character that is not a class flag (CONFIG SET then fails).
func parseNotifyFlags(s string) (flags int, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			flags |= notifyAll
		case 'g':
			flags |= notifyGeneric
		case '$':
			flags |= notifyString
		case 'l':
			flags |= notifyList
		case 's':
			flags |= notifySet
		case 'h':
			flags |= notifyHash
		case 'z':
			flags |= notifyZset
		case 'x':
			flags |= notifyExpired
		case 'e':
			flags |= notifyEvicted
		case 'K':
			flags |= notifyKeyspace
		case 'E':
			flags |= notifyKeyevent
		case 't':
			flags |= notifyStream
		case 'm':
			flags |= notifyKeyMiss
		case 'd':
			flags |= notifyModule
		case 'n':
			flags |= notifyNew
		default:
			return 0, false
		}
	}
	return flags, true
}

// notifyFlagsString is the canonical form CONFIG GET and CONFIG REWRITE
// show: "A" when every class of A is on, else the class letters in Redis's
// order ('n' last); then K, E and m. As in Redis 7.0, 'n' is not shown
// next to 'A'.
func notifyFlagsString(flags int) string {
	b := make([]byte, 0, 16)
	if flags&notifyAll == notifyAll {
		b = append(b, 'A')
	} else {
		for _, f := range notifyFlagLetters {
			if flags&f.flag != 0 {
				b = append(b, f.letter)
			}
		}
	}
	if flags&notifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&notifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&notifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

// notifyState caches the parsed notify-keyspace-events setting so the hot
// path compares one string instead of parsing.
type notifyState struct {
	src   string
	flags int
}

// notifyFlags returns the enabled classes. The configuration holds the
// text (validated by CONFIG SET / the config loader); it is re-parsed only
// when it changes.
func (s *Server) notifyFlags() int {
	src := s.cfg.NotifyKeyspaceEvents
	if src != s.notifyCache.src {
		flags, _ := parseNotifyFlags(src)
		s.notifyCache = notifyState{src: src, flags: flags}
	}
	return s.notifyCache.flags
}

// keyAddedHooks run after a key is created (Redis's dbAdd), e.g. to signal
// clients blocked on it.
var keyAddedHooks []func(s *Server, db *keyspace.DB, key []byte)

// onKeyAdded is the keyspace's Added hook: Redis's dbAdd fires "new".
func (s *Server) onKeyAdded(db *keyspace.DB, key []byte) {
	s.notify(notifyNew, "new", key, db.ID)
	for _, fn := range keyAddedHooks {
		fn(s, db, key)
	}
}

// notifyKeyspaceEvent is the notifyHook: it publishes the event when its
// class is enabled.
func (s *Server) notifyKeyspaceEvent(class int, event string, key []byte, dbid int) {
	flags := s.notifyFlags()
	if flags&class == 0 || flags&(notifyKeyspace|notifyKeyevent) == 0 {
		return
	}
	db := strconv.Itoa(dbid)
	if flags&notifyKeyspace != 0 {
		ch := make([]byte, 0, len("__keyspace@")+len(db)+len("__:")+len(key))
		ch = append(ch, "__keyspace@"...)
		ch = append(ch, db...)
		ch = append(ch, "__:"...)
		ch = append(ch, key...)
		s.publish(ch, []byte(event))
	}
	if flags&notifyKeyevent != 0 {
		ch := make([]byte, 0, len("__keyevent@")+len(db)+len("__:")+len(event))
		ch = append(ch, "__keyevent@"...)
		ch = append(ch, db...)
		ch = append(ch, "__:"...)
		ch = append(ch, event...)
		s.publish(ch, key)
	}
}
