package server

import "github.com/modis/modis/internal/keyspace"

// Blocking pops of sorted sets: BZPOPMIN, BZPOPMAX, BZMPOP (Redis's
// blockingGenericZpopCommand) on the blocking framework (blocking.go).

func init() {
	register(map[string]func(*Client){
		"bzpopmin": func(c *Client) { bzpopMinMax(c, false) },
		"bzpopmax": func(c *Client) { bzpopMinMax(c, true) },
		"bzmpop":   bzmpopCommand,
	})
}

// bzpopMinMax is BZPOPMIN/BZPOPMAX key [key ...] timeout.
func bzpopMinMax(c *Client, max bool) {
	zblockingPop(c, c.argv[1:len(c.argv)-1], len(c.argv)-1, max, -1, false)
}

// bzmpopCommand is BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT n].
func bzmpopCommand(c *Client) {
	keys, max, count, ok := zmpopArgs(c, 2)
	if !ok {
		return
	}
	zblockingPop(c, keys, 1, max, count, true)
}

// zblockingPop pops from the first non-empty key at once, or blocks the
// client until one of keys holds a sorted set (null array on timeout).
// count -1 is the single-element BZPOP* reply [key, member, score];
// nested is BZMPOP's [key, [[member, score], ...]].
func zblockingPop(c *Client, keys [][]byte, timeoutIdx int, max bool, count int64, nested bool) {
	deadline, ok := parseBlockTimeout(c, c.argv[timeoutIdx])
	if !ok {
		return
	}
	for _, k := range keys {
		o := c.lookupWrite(k)
		if o == nil {
			continue
		}
		if o.Kind() != keyspace.KindZSet {
			c.addError(errWrongType)
			return
		}
		zpopGeneric(c, [][]byte{k}, max, true, count, nested, nested)
		return
	}
	c.blockForKeys(keyspace.KindZSet, keys, deadline, func(c *Client) { c.addNullArray() }, nil)
}
