package server

import "github.com/modis/modis/internal/keyspace"

// The blocking list commands (Redis's blockingPopGenericCommand and
// blmoveGenericCommand). When no key holds data the client blocks through
// the framework in blocking.go, which re-runs the command once a list key
// it waits on is signalled ready; in MULTI it replies as on a timeout.

func init() {
	register(map[string]func(*Client){
		"blpop":      blpopCommand,
		"brpop":      brpopCommand,
		"brpoplpush": brpoplpushCommand,
		"blmove":     blmoveCommand,
		"blmpop":     blmpopCommand,
	})
}

// replyNullArray is the timeout reply of every blocking list command (in
// Redis 7.0 BRPOPLPUSH and BLMOVE too answer a timeout with a null array).
func replyNullArray(c *Client) { c.addNullArray() }

// blockingPopGeneric is BLPOP/BRPOP key [key ...] timeout.
func blockingPopGeneric(c *Client, head bool) {
	deadline, ok := parseBlockTimeout(c, c.argv[len(c.argv)-1])
	if !ok {
		return
	}
	keys := c.argv[1 : len(c.argv)-1]
	for _, key := range keys {
		o := c.lookupWrite(key)
		if o == nil {
			continue
		}
		if !c.checkList(o) {
			return
		}
		l := asList(o)
		if l.Len() == 0 {
			continue
		}
		v, _ := l.Pop(head)
		c.addArrayLen(2)
		c.addBulk(key)
		c.addBulk(v)
		c.listElementsRemoved(key, head, l, 1)
		if c.propagating() {
			// Replicated as the pop it was, as Redis does.
			c.rewritePropagation(popVerb(head), key)
		}
		return
	}
	c.blockForKeys(keyspace.KindList, keys, deadline, replyNullArray, nil)
}

func blpopCommand(c *Client) { blockingPopGeneric(c, true) }
func brpopCommand(c *Client) { blockingPopGeneric(c, false) }

// blmoveGeneric serves BLMOVE/BRPOPLPUSH at once when the source exists,
// else blocks on it.
func blmoveGeneric(c *Client, fromHead, toHead bool, deadline int64) {
	brpoplpush := len(c.argv) == 4
	src := c.argv[1]
	o := c.lookupWrite(src)
	if !c.checkList(o) {
		return
	}
	if o == nil {
		// In MULTI the framework replies at once; Redis answers a null
		// bulk there rather than the timeout's null array.
		if listDenyBlocking(c) {
			c.addNull()
			return
		}
		c.blockForKeys(keyspace.KindList, c.argv[1:2], deadline, replyNullArray, nil)
		return
	}
	if lmoveGeneric(c, src, c.argv[2], fromHead, toHead) && c.propagating() {
		// Replicated as the non-blocking command, as Redis does.
		if brpoplpush {
			c.rewritePropagation([]byte("RPOPLPUSH"), c.argv[1], c.argv[2])
		} else {
			c.rewritePropagation([]byte("LMOVE"), c.argv[1], c.argv[2], c.argv[3], c.argv[4])
		}
	}
}

// BRPOPLPUSH source destination timeout
func brpoplpushCommand(c *Client) {
	deadline, ok := parseBlockTimeout(c, c.argv[3])
	if !ok {
		return
	}
	blmoveGeneric(c, false, true, deadline)
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
func blmoveCommand(c *Client) {
	from, ok := c.listWhere(c.argv[3])
	if !ok {
		return
	}
	to, ok := c.listWhere(c.argv[4])
	if !ok {
		return
	}
	deadline, ok := parseBlockTimeout(c, c.argv[5])
	if !ok {
		return
	}
	blmoveGeneric(c, from, to, deadline)
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
func blmpopCommand(c *Client) {
	a, ok := c.parseMpop(2)
	if !ok {
		return
	}
	deadline, ok := parseBlockTimeout(c, c.argv[1])
	if !ok {
		return
	}
	served, failed := c.mpopFirst(a)
	if served || failed {
		return
	}
	c.blockForKeys(keyspace.KindList, a.keys, deadline, replyNullArray, nil)
}

// listDenyBlocking reports whether the client may not block (MULTI/EXEC, a
// module's Call: where blockForKeys answers at once), where BLMOVE and
// BRPOPLPUSH answer a null bulk instead of the timeout's null array.
func listDenyBlocking(c *Client) bool {
	_, fake := c.conn.(fakeConn)
	return fake || c.multi != nil
}
