package server

import "strconv"

func init() {
	register(map[string]func(*Client){
		"ping":   pingCommand,
		"echo":   echoCommand,
		"quit":   quitCommand,
		"select": selectCommand,
	})
}

func pingCommand(c *Client) {
	if len(c.argv) > 2 {
		c.addError("ERR wrong number of arguments for 'ping' command")
		return
	}
	if c.pingInPubsub() {
		return
	}
	if len(c.argv) == 2 {
		c.addBulk(c.argv[1])
		return
	}
	c.addSimple("PONG")
}

func echoCommand(c *Client) { c.addBulk(c.argv[1]) }

func quitCommand(c *Client) {
	c.replyOff = false
	c.addOK()
	c.closeAfterReply = true
}

func selectCommand(c *Client) {
	id, err := strconv.Atoi(string(c.argv[1]))
	if err != nil {
		c.addError("ERR value is not an integer or out of range")
		return
	}
	if id < 0 || id >= len(c.srv.ks.DBs) {
		c.addError(errDBIndex)
		return
	}
	c.db = c.srv.ks.DBs[id]
	c.addOK()
}
