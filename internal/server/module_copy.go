package server

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
)

// COPY of module values goes through the type's copy method.
func init() {
	moduleDupOrReply = func(c *Client, o *keyspace.Object, key, newkey []byte, dstID int) (keyspace.Object, bool) {
		v, msg := module.DupValue(o, key, newkey, c.db.ID, dstID)
		if msg != "" {
			c.addError(msg)
			return keyspace.Object{}, false
		}
		return v, true
	}
}
