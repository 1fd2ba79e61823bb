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
	for j := 1; j < len(c.argv); j++ {
		if strings.EqualFold(string(c.argv[j]), "version") && j+1 < len(c.argv) {
			v, err := strconv.ParseInt(string(c.argv[j+1]), 10, 64)
			if err != nil || !isStrictInt(c.argv[j+1]) {
				c.addError(errNotInteger)
				return
			}
			version = v
			j++
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
