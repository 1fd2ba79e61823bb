package server

import (
	"strconv"
	"strings"
	"time"
)

// TIME, LASTSAVE and LOLWUT.

func init() {
	register(map[string]func(*Client){
		"time":     timeCommand,
		"lastsave": lastsaveCommand,
		"lolwut":   lolwutCommand,
	})
}

func timeCommand(c *Client) {
	now := time.Now()
	c.addArrayLen(2)
	c.addBulkInt(now.Unix())
	c.addBulkInt(int64(now.Nanosecond() / 1000))
}

// lastsaveCommand reports the last successful save; without persistence
// that is the server's start time, as Redis reports for a fresh instance.
func lastsaveCommand(c *Client) { c.addInt(c.srv.intro.lastSave.Unix()) }

// lolwutCommand prints the version line, preceded for VERSION 5 and 6 by a
// small piece of generative art of our own: a field of braille-like blocks
// whose density drifts from left to right.
func lolwutCommand(c *Client) {
	version := int64(7)
	args := c.argv[1:]
	// Only a leading VERSION option is recognised, as in Redis; the
	// version-specific arguments follow it.
	if len(c.argv) >= 3 && isOpt(c.argv[1], "version") {
		v, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
		if err != nil || !isStrictInt(c.argv[2]) {
			c.addError(errNotInteger)
			return
		}
		version = v
		args = c.argv[3:]
	}
	if version == 5 || version == 6 {
		nargs := 3 // LOLWUT 5: columns, squares per row and per column
		if version == 6 {
			nargs = 2 // LOLWUT 6: columns and rows
		}
		for _, a := range args[:min(len(args), nargs)] {
			if _, err := strconv.ParseInt(string(a), 10, 64); err != nil || !isStrictInt(a) {
				c.addError(errNotInteger)
				return
			}
		}
	}
	var b strings.Builder
	if version == 5 || version == 6 {
		const cols, rows = 40, 10
		seed := uint32(time.Now().UnixNano())
		for y := 0; y < rows; y++ {
			for x := 0; x < cols; x++ {
				seed = seed*1664525 + 1013904223
				if int(seed>>24)%cols < x {
					b.WriteString("\u2588")
				} else {
					b.WriteString("\u2591")
				}
			}
			b.WriteByte('\n')
		}
		b.WriteString("Modis generative art: left to right, order gives way to noise.\n")
	}
	b.WriteString("Redis ver. " + Version + "\n")
	c.addVerbatim([]byte(b.String()), "txt")
}
