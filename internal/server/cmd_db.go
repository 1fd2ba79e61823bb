package server

func init() {
	register(map[string]func(*Client){
		"flushall": flushallCommand,
		"flushdb":  flushdbCommand,
		"dbsize":   dbsizeCommand,
	})
}

func flushallCommand(c *Client) {
	c.srv.signalFlushedDb(-1)
	for _, db := range c.srv.ks.DBs {
		db.Flush()
	}
	c.addOK()
}

func flushdbCommand(c *Client) {
	c.srv.signalFlushedDb(c.db.ID)
	c.db.Flush()
	c.addOK()
}

func dbsizeCommand(c *Client) { c.addInt(int64(c.db.Len())) }
