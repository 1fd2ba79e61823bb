package server

import "github.com/modis/modis/internal/keyspace"

func init() {
	register(map[string]func(*Client){
		"get": getCommand,
		"set": setCommand,
		"del": delCommand,
	})
}

func getCommand(c *Client) {
	o := c.db.Lookup(c.argv[1])
	if o == nil {
		c.srv.stats.keyspaceMisses++
		c.addNull()
		return
	}
	c.srv.stats.keyspaceHits++
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	c.addObject(o)
}

func setCommand(c *Client) {
	c.db.Set(c.argv[1], keyspace.NewString(c.argv[2]), false)
	c.addOK()
}

func delCommand(c *Client) {
	var n int64
	for _, k := range c.argv[1:] {
		if c.db.Delete(k) {
			n++
		}
	}
	c.addInt(n)
}
