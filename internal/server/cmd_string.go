package server

import "github.com/modis/modis/internal/keyspace"

func init() {
	register(map[string]func(*Client){
		"get": getCommand,
		"set": setCommand,
	})
}

func getCommand(c *Client) {
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addNull()
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	c.addObject(o)
}

func setCommand(c *Client) {
	c.db.Set(c.argv[1], keyspace.NewString(c.argv[2]), false)
	c.srv.keyModified(c.db, c.argv[1])
	c.srv.notify(notifyString, "set", c.argv[1], c.db.ID)
	c.srv.dirty++
	c.addOK()
}
