package server

import (
	"strings"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/resp"
)

// Reply helpers append to the client's output buffer. They are the only way
// commands produce output, so reply suppression (CLIENT REPLY OFF/SKIP) and
// output-buffer accounting live here.

func (c *Client) addRaw(b []byte) {
	if c.replyOff {
		return
	}
	c.out = append(c.out, b...)
}

func (c *Client) addOK() {
	if !c.replyOff {
		c.out = append(c.out, "+OK\r\n"...)
	}
}

func (c *Client) addSimple(s string) {
	if !c.replyOff {
		c.out = resp.AppendSimple(c.out, s)
	}
}

// addError sends an error reply; msg includes the code ("ERR ..."). It is
// counted in INFO errorstats whatever the reply mode.
func (c *Client) addError(msg string) {
	c.srv.countError(msg)
	c.errored = true
	if !c.replyOff {
		c.out = resp.AppendError(c.out, msg)
	}
}

func (c *Client) addInt(n int64) {
	if !c.replyOff {
		c.out = resp.AppendInt(c.out, n)
	}
}

func (c *Client) addBulk(b []byte) {
	if !c.replyOff {
		c.out = resp.AppendBulk(c.out, b)
	}
}

func (c *Client) addBulkString(s string) {
	if !c.replyOff {
		c.out = resp.AppendBulkString(c.out, s)
	}
}

func (c *Client) addBulkInt(n int64) {
	if !c.replyOff {
		c.out = resp.AppendBulkInt(c.out, n)
	}
}

// addObject replies with a string value (int-encoded values are formatted).
func (c *Client) addObject(o *keyspace.Object) {
	if c.replyOff {
		return
	}
	if o.IsInt() {
		c.out = resp.AppendBulkInt(c.out, o.Int())
		return
	}
	c.out = resp.AppendBulk(c.out, o.Bytes())
}

func (c *Client) addNull() {
	if !c.replyOff {
		c.out = resp.AppendNull(c.out, c.resp)
	}
}

func (c *Client) addNullArray() {
	if !c.replyOff {
		c.out = resp.AppendNullArray(c.out, c.resp)
	}
}

func (c *Client) addArrayLen(n int) {
	if !c.replyOff {
		c.out = resp.AppendArrayLen(c.out, n)
	}
}

func (c *Client) addMapLen(n int) {
	if !c.replyOff {
		c.out = resp.AppendMapLen(c.out, n, c.resp)
	}
}

func (c *Client) addSetLen(n int) {
	if !c.replyOff {
		c.out = resp.AppendSetLen(c.out, n, c.resp)
	}
}

func (c *Client) addDouble(d float64) {
	if !c.replyOff {
		c.out = resp.AppendDouble(c.out, d, c.resp)
	}
}

func (c *Client) addBool(v bool) {
	if !c.replyOff {
		c.out = resp.AppendBool(c.out, v, c.resp)
	}
}

func (c *Client) addVerbatim(s []byte, format string) {
	if !c.replyOff {
		c.out = resp.AppendVerbatim(c.out, s, format, c.resp)
	}
}

// addStatusArray replies with an array (or set) of status strings.
func (c *Client) addBulkStrings(ss []string) {
	c.addArrayLen(len(ss))
	for _, s := range ss {
		c.addBulkString(s)
	}
}

// deferredLen reserves room for an aggregate header whose length is known
// only after the elements are written (Redis's addReplyDeferredLen).
type deferredLen struct {
	pos int
	ok  bool
}

func (c *Client) addDeferredLen() deferredLen {
	if c.replyOff {
		return deferredLen{}
	}
	pos := len(c.out)
	return deferredLen{pos: pos, ok: true}
}

// setDeferredLen inserts the header: prefix '*', '%', '~' and n elements
// (pairs for maps in RESP3; the caller passes 2n for RESP2 maps).
func (c *Client) setDeferredLen(d deferredLen, prefix byte, n int) {
	if !d.ok {
		return
	}
	var hdr []byte
	switch prefix {
	case '%':
		hdr = resp.AppendMapLen(nil, n, c.resp)
	case '~':
		hdr = resp.AppendSetLen(nil, n, c.resp)
	default:
		hdr = resp.AppendArrayLen(nil, n)
	}
	c.out = append(c.out, hdr...)
	copy(c.out[d.pos+len(hdr):], c.out[d.pos:len(c.out)-len(hdr)])
	copy(c.out[d.pos:], hdr)
}

// addSubcommandSyntaxError is Redis's addReplySubcommandSyntaxError.
func (c *Client) addSubcommandSyntaxError() {
	c.addError("ERR unknown subcommand or wrong number of arguments for '" +
		truncate(string(c.argv[1]), 128) + "'. Try " + strings.ToUpper(string(c.argv[0])) + " HELP.")
}
