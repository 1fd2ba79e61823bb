package server

import (
	"testing"

	"github.com/modis/modis/internal/config"
)

// TestExpiredKeyEvents: which event a logically expired key produces
// depends on whether the command expires it first. Found by TestRandomDiff.
func TestExpiredKeyEvents(t *testing.T) {
	d := newDual(t, 2, func(c *config.Config) {
		c.NotifyKeyspaceEvents = "KEA"
		c.EnableDebugCommand = "yes"
	}, "--notify-keyspace-events", "KEA", "--enable-debug-command", "yes")
	d.do(1, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	d.do(0, "PSUBSCRIBE", "__key*__:*")

	// BITOP with an empty result removes its target straight from the
	// table: "del", not "expired".
	d.do(1, "SET", "gone", "v", "PXAT", "1")
	d.expectMessages(0, 2, "set")
	d.do(1, "BITOP", "OR", "gone", "nosuch1", "nosuch2")
	d.expectMessages(0, 2, "bitop del")

	// DEL expires first: "expired", and the key does not count.
	d.do(1, "SET", "gone", "v", "PXAT", "1")
	d.expectMessages(0, 2, "set")
	d.do(1, "DEL", "gone")
	d.expectMessages(0, 2, "del expired")
	d.do(1, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
}
