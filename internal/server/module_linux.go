package server

// loopHandingOff reports whether the event loop is about to hand c to a
// connection goroutine (netloop_linux.go).
func (c *Client) loopHandingOff() bool { return c.loop != nil && c.loop.handoff >= 0 }
