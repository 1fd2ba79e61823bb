//go:build !linux

package server

// loopHandingOff: without the event loop no client is ever handed off.
func (c *Client) loopHandingOff() bool { return false }
