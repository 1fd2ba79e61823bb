package server

import (
	"github.com/modis/modis/internal/keyspace"
)

// Keyspace access for command procedures, mirroring Redis's lookupKeyRead /
// lookupKeyWrite: they apply lazy expiry, update hit/miss statistics and the
// LRU/LFU access time, and fire keyspace-miss notifications.

// lookupRead returns key's value for reading, or nil.
func (c *Client) lookupRead(key []byte) *keyspace.Object {
	s := c.srv
	o := c.db.Lookup(key)
	if o == nil {
		s.stats.keyspaceMisses++
		s.notify(notifyKeyMiss, "keymiss", key, c.db.ID)
		return nil
	}
	s.stats.keyspaceHits++
	s.touchObject(o)
	return o
}

// lookupWrite returns key's value for modification, or nil. It does not
// count hits or misses.
func (c *Client) lookupWrite(key []byte) *keyspace.Object {
	o := c.db.Lookup(key)
	if o != nil {
		c.srv.touchObject(o)
	}
	return o
}

// touchObject records an access for the eviction policy (LRU clock or LFU
// counter). touchHook may replace the default, keyspace's Touch.
func (s *Server) touchObject(o *keyspace.Object) {
	if s.touchHook != nil {
		s.touchHook(o)
		return
	}
	s.ks.Touch(o)
}

// keyModified is Redis's signalModifiedKey: it invalidates WATCHes on the
// key (and, later, client-side caching). Every write to a key calls it.
func (s *Server) keyModified(db *keyspace.DB, key []byte) {
	for _, fn := range keyModifiedHooks {
		fn(s, db, key)
	}
}

// keyModifiedHooks are registered by families that track keys (WATCH).
var keyModifiedHooks []func(s *Server, db *keyspace.DB, key []byte)

// Keyspace event classes: the flags of notify-keyspace-events.
const (
	notifyKeyspace = 1 << iota // K
	notifyKeyevent             // E
	notifyGeneric              // g
	notifyString               // $
	notifyList                 // l
	notifySet                  // s
	notifyHash                 // h
	notifyZset                 // z
	notifyExpired              // x
	notifyEvicted              // e
	notifyStream               // t
	notifyKeyMiss              // m (excluded from A)
	notifyLoaded               // module-only
	notifyModule               // d
	notifyNew                  // n (excluded from A)
)

// notify fires a keyspace notification (Redis's notifyKeyspaceEvent): to
// pub/sub subscribers when the class is enabled by notify-keyspace-events,
// and to module subscribers. Implemented in notify.go.
func (s *Server) notify(class int, event string, key []byte, dbid int) {
	if s.modules != nil {
		s.modules.FireKeyspaceEvent(class, event, key, dbid)
	}
	if s.notifyHook != nil {
		s.notifyHook(class, event, key, dbid)
	}
}
