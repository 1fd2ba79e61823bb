package server

import (
	"github.com/modis/modis/internal/keyspace"
)

// WATCH: optimistic locking for MULTI/EXEC. The server keeps, per
// database, the watchers of every watched key; each client keeps its own
// list so UNWATCH, EXEC and disconnects can drop its entries. A write to a
// watched key (keyModified), its expiry, a FLUSHDB/FLUSHALL or a SWAPDB
// marks the watchers dirty, and their next EXEC answers a null array.

// watchedKey is one client watching one key in one database.
type watchedKey struct {
	key string
	db  *keyspace.DB
	c   *Client
	// expired is set when the key was already logically expired when
	// WATCH ran: its later deletion is then not a change (Redis 7.0).
	expired bool
}

// watchTable maps database -> key -> watchers, in WATCH order.
type watchTable map[*keyspace.DB]map[string][]*watchedKey

func init() {
	register(map[string]func(*Client){
		"watch":   watchCommand,
		"unwatch": unwatchCommand,
	})
	keyModifiedHooks = append(keyModifiedHooks, (*Server).touchWatchedKey)
	dbEmptiedHooks = append(dbEmptiedHooks, (*Server).touchAllWatchedKeysInDb)
	// RESET ends any transaction and drops every WATCH.
	clientResetHooks = append(clientResetHooks, (*Server).discardTransaction)
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) {
		s.unwatchAllKeys(c)
		c.multi = nil
	})
}

func watchCommand(c *Client) {
	if c.multi != nil {
		c.addError(errWatchInMulti)
		return
	}
	// A dirty client's EXEC fails anyway: watching more is pointless.
	if c.dirtyCAS {
		c.addOK()
		return
	}
	for _, k := range c.argv[1:] {
		c.srv.watchForKey(c, k)
	}
	c.addOK()
}

func unwatchCommand(c *Client) {
	c.srv.unwatchAllKeys(c)
	c.dirtyCAS = false
	c.addOK()
}

func (s *Server) watchForKey(c *Client, key []byte) {
	for _, wk := range c.watched {
		if wk.db == c.db && wk.key == string(key) {
			return
		}
	}
	if s.watched == nil {
		s.watched = watchTable{}
	}
	keys := s.watched[c.db]
	if keys == nil {
		keys = map[string][]*watchedKey{}
		s.watched[c.db] = keys
	}
	k := string(key)
	wk := &watchedKey{key: k, db: c.db, c: c, expired: c.db.IsExpired(k)}
	keys[k] = append(keys[k], wk)
	c.watched = append(c.watched, wk)
}

// unwatchAllKeys drops every WATCH of c. Clearing dirtyCAS is up to the
// caller.
func (s *Server) unwatchAllKeys(c *Client) {
	for _, wk := range c.watched {
		keys := s.watched[wk.db]
		list := keys[wk.key]
		for i, x := range list {
			if x == wk {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(keys, wk.key)
			if len(keys) == 0 {
				delete(s.watched, wk.db)
			}
		} else {
			keys[wk.key] = list
		}
	}
	c.watched = nil
}

// isWatchedKeyExpired reports whether a key that was alive at WATCH time
// has logically expired since (EXEC then fails even if nothing deleted it).
func (s *Server) isWatchedKeyExpired(c *Client) bool {
	for _, wk := range c.watched {
		if !wk.expired && wk.db.IsExpired(wk.key) {
			return true
		}
	}
	return false
}

// touchWatchedKey is the keyModified hook: it marks every client watching
// key in db dirty.
func (s *Server) touchWatchedKey(db *keyspace.DB, key []byte) {
	if len(s.watched) == 0 {
		return
	}
	list := s.watched[db][string(key)]
	if len(list) == 0 {
		return
	}
	// unwatchAllKeys edits the list while we walk it: walk a copy.
	list = append([]*watchedKey(nil), list...)
	for _, wk := range list {
		if wk.expired {
			if db.Main().FindString(wk.key) == nil {
				// The key that was already expired at WATCH time is now
				// gone: logically nothing changed. From now on it is an
				// ordinary missing key.
				wk.expired = false
				continue
			}
			// Redis 7.0 stops walking the watchers here (the key still
			// exists but was expired at WATCH time); kept for fidelity.
			break
		}
		wk.c.dirtyCAS = true
		// The client's EXEC will fail: no need to keep its other WATCHes.
		s.unwatchAllKeys(wk.c)
	}
}

// touchAllWatchedKeysInDb invalidates the WATCHes that FLUSHDB, FLUSHALL
// and SWAPDB affect: every watched key of emptied that exists in emptied,
// or (SWAPDB) in replacedWith, which is about to take its place. Call it
// before emptying or swapping; replacedWith is nil for a flush.
func (s *Server) touchAllWatchedKeysInDb(emptied, replacedWith *keyspace.DB) {
	keys := s.watched[emptied]
	if len(keys) == 0 {
		return
	}
	var dirty []*Client
	for key, list := range keys {
		inEmptied := emptied.Main().FindString(key) != nil
		inReplacement := replacedWith != nil && replacedWith.Main().FindString(key) != nil
		if !inEmptied && !inReplacement {
			continue
		}
		for _, wk := range list {
			if wk.expired {
				if !inReplacement {
					// The expired key is simply deleted: no logical change.
					wk.expired = false
					continue
				}
				if replacedWith.IsExpired(key) {
					continue // expired before, expired after
				}
			} else if !inEmptied && replacedWith.IsExpired(key) {
				// A missing key replaced by an expired one: still missing.
				wk.expired = true
				continue
			}
			wk.c.dirtyCAS = true
			dirty = append(dirty, wk.c)
		}
	}
	// Unwatch after the walk so the table is not modified while ranged.
	for _, c := range dirty {
		s.unwatchAllKeys(c)
	}
}
