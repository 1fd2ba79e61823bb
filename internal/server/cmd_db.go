package server

import "github.com/modis/modis/internal/keyspace"

// Database-level commands: SELECT, MOVE, SWAPDB, FLUSHDB, FLUSHALL, DBSIZE.

func init() {
	register(map[string]func(*Client){
		"select":   selectCommand,
		"move":     moveCommand,
		"swapdb":   swapdbCommand,
		"flushall": flushallCommand,
		"flushdb":  flushdbCommand,
		"dbsize":   dbsizeCommand,
	})
}

// dbEmptiedHooks run before a database is emptied (FLUSHDB, FLUSHALL) or
// swapped with another (SWAPDB, then replacedWith is the other database,
// else nil): WATCH marks clients whose watched keys exist in either as
// dirty, as Redis's touchAllWatchedKeysInDb; blocking commands re-check
// their keys after a swap.
var dbEmptiedHooks []func(s *Server, emptied, replacedWith *keyspace.DB)

// dbSwappedHooks run after SWAPDB exchanged the contents of a and b.
var dbSwappedHooks []func(s *Server, a, b *keyspace.DB)

func selectCommand(c *Client) {
	id, ok := c.parseDBIndex(c.argv[1], "")
	if !ok {
		return
	}
	db := c.srv.dbByIndex(id)
	if db == nil {
		c.addError(errDBIndex)
		return
	}
	c.db = db
	c.addOK()
}

// moveCommand moves a key with its TTL to another database, only when the
// key does not exist there.
func moveCommand(c *Client) {
	key := c.argv[1]
	id, ok := c.parseDBIndex(c.argv[2], "")
	if !ok {
		return
	}
	src, dst := c.db, c.srv.dbByIndex(id)
	if dst == nil {
		c.addError(errDBIndex)
		return
	}
	if src == dst {
		c.addError(errSameObject)
		return
	}
	o := c.lookupWrite(key)
	if o == nil {
		c.addInt(0)
		return
	}
	if dst.Lookup(key) != nil {
		c.addInt(0)
		return
	}
	// The same value moves: detached from src (a module value is told
	// it left the key, not freed), then added to dst.
	v, expire, _ := src.Detach(key)
	p := dst.Add(key, v)
	p.LRU = v.LRU // the same object moves, with its access time
	if expire >= 0 {
		dst.SetExpire(key, expire)
	}
	s := c.srv
	s.keyModified(src, key)
	s.keyModified(dst, key)
	s.notify(notifyGeneric, "move_from", key, src.ID)
	s.notify(notifyGeneric, "move_to", key, dst.ID)
	s.dirty++
	c.addInt(1)
}

func swapdbCommand(c *Client) {
	id1, ok := c.parseDBIndex(c.argv[1], "ERR invalid first DB index")
	if !ok {
		return
	}
	id2, ok := c.parseDBIndex(c.argv[2], "ERR invalid second DB index")
	if !ok {
		return
	}
	s := c.srv
	a, b := s.dbByIndex(id1), s.dbByIndex(id2)
	if a == nil || b == nil {
		c.addError(errDBIndex)
		return
	}
	if a != b {
		for _, fn := range dbEmptiedHooks {
			fn(s, a, b)
			fn(s, b, a)
		}
		keyspace.Swap(a, b)
		for _, fn := range dbSwappedHooks {
			fn(s, a, b)
		}
	}
	s.dirty++
	c.addOK()
}

// parseFlushFlags checks FLUSHDB/FLUSHALL's optional ASYNC|SYNC. Freeing is
// always asynchronous here (the garbage collector does it), so the mode
// does not matter beyond validation.
func parseFlushFlags(c *Client) bool {
	if len(c.argv) > 2 || len(c.argv) == 2 && !isOpt(c.argv[1], "sync") && !isOpt(c.argv[1], "async") {
		c.addError(errSyntax)
		return false
	}
	return true
}

// emptyDB flushes one database, running the hooks first.
func (s *Server) emptyDB(db *keyspace.DB) int {
	for _, fn := range dbEmptiedHooks {
		fn(s, db, nil)
	}
	return db.Flush()
}

func flushallCommand(c *Client) {
	if !parseFlushFlags(c) {
		return
	}
	s := c.srv
	s.killBgsave() // Redis kills its saving child: no point saving what goes
	s.moduleFlushEvent(0, -1)
	n := 0
	for _, db := range s.ks.DBs {
		n += s.emptyDB(db)
	}
	s.moduleFlushEvent(1, -1)
	// Only the removed keys count, as in redis-server 7.0.15 (checked
	// against rdb_changes_since_last_save).
	s.dirty += int64(n)
	s.persistAfterFlushall(c) // kills a BGSAVE; saves with save points
	c.addOK()
}

func flushdbCommand(c *Client) {
	if !parseFlushFlags(c) {
		return
	}
	c.srv.moduleFlushEvent(0, c.db.ID)
	c.srv.dirty += int64(c.srv.emptyDB(c.db))
	c.srv.moduleFlushEvent(1, c.db.ID)
	c.addOK()
}

func dbsizeCommand(c *Client) { c.addInt(int64(c.db.Len())) }
