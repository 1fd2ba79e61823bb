package server

func init() {
	register(map[string]func(*Client){
		"ping": pingCommand,
		"echo": echoCommand,
		"quit": quitCommand,
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
