package server

func init() {
	register(map[string]func(*Client){
		"flushall": flushallCommand,
		"flushdb":  flushdbCommand,
		"dbsize":   dbsizeCommand,
	})
}

func flushallCommand(c *Client) {
	for _, db := range c.srv.ks.DBs {
		db.Flush()
	}
	c.addOK()
}

func flushdbCommand(c *Client) {
	c.db.Flush()
	c.addOK()
}

func dbsizeCommand(c *Client) { c.addInt(int64(c.db.Len())) }
