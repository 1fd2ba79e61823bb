package server

import (
	"github.com/modis/modis/internal/types/stream"
)

// XINFO STREAM / GROUPS / CONSUMERS / HELP.

func init() {
	register(map[string]func(*Client){
		"xinfo|stream":    xinfoCommand,
		"xinfo|groups":    xinfoCommand,
		"xinfo|consumers": xinfoCommand,
		"xinfo|help":      xinfoCommand,
	})
}

var xinfoHelp = []string{
	"XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
	"HELP",
	"    Prints this help.",
}

func xinfoCommand(c *Client) {
	opt := c.argv[1]
	if strOpt(opt, "help") {
		c.addHelp(xinfoHelp)
		return
	}
	key := c.argv[2]
	s, wrong := c.lookupStreamRead(key)
	if wrong {
		return
	}
	if s == nil {
		c.addError(errNoSuchKey)
		return
	}
	switch {
	case strOpt(opt, "consumers") && len(c.argv) == 4:
		g := s.Group(c.argv[3])
		if g == nil {
			c.addError("NOGROUP No such consumer group '" + string(c.argv[3]) + "' for key name '" + string(key) + "'")
			return
		}
		now := streamNow()
		c.addArrayLen(g.Consumers.Len())
		it := g.Consumers.Iterator()
		it.Seek("^", nil)
		for name, cons, ok := it.Next(); ok; name, cons, ok = it.Next() {
			c.addMapLen(3)
			c.addBulkString("name")
			c.addBulk(name)
			c.addBulkString("pending")
			c.addInt(int64(cons.PEL.Len()))
			c.addBulkString("idle")
			c.addInt(max(now-cons.SeenTime, 0))
		}
	case strOpt(opt, "groups") && len(c.argv) == 3:
		c.addArrayLen(s.GroupCount())
		if s.GroupCount() == 0 {
			return
		}
		it := s.Groups().Iterator()
		it.Seek("^", nil)
		for name, g, ok := it.Next(); ok; name, g, ok = it.Next() {
			c.addMapLen(6)
			c.addBulkString("name")
			c.addBulk(name)
			c.addBulkString("consumers")
			c.addInt(int64(g.Consumers.Len()))
			c.addBulkString("pending")
			c.addInt(int64(g.PEL.Len()))
			c.addBulkString("last-delivered-id")
			c.addStreamID(g.LastID)
			c.addGroupCounters(s, g)
		}
	case strOpt(opt, "stream"):
		xinfoStream(c, s)
	default:
		c.addSubcommandSyntaxError()
	}
}

// addGroupCounters emits entries-read and lag (nil when unknown).
func (c *Client) addGroupCounters(s *stream.Stream, g *stream.Group) {
	c.addBulkString("entries-read")
	if g.EntriesRead != stream.InvalidEntriesRead {
		c.addInt(g.EntriesRead)
	} else {
		c.addNull()
	}
	c.addBulkString("lag")
	if lag, ok := s.Lag(g); ok {
		c.addInt(lag)
	} else {
		c.addNull()
	}
}

func xinfoStream(c *Client, s *stream.Stream) {
	full := false
	count := int64(10)
	opts := c.argv[3:]
	if len(opts) > 0 {
		if (len(opts) != 1 && len(opts) != 3) || !strOpt(opts[0], "full") {
			c.addSubcommandSyntaxError()
			return
		}
		full = true
		if len(opts) == 3 {
			if !strOpt(opts[1], "count") {
				c.addSubcommandSyntaxError()
				return
			}
			v, ok := c.strIntArgOrReply(opts[2])
			if !ok {
				return
			}
			count = v
			if count < 0 {
				count = 10
			}
		}
	}
	if full {
		c.addMapLen(9)
	} else {
		c.addMapLen(10)
	}
	c.addBulkString("length")
	c.addInt(int64(s.Len()))
	c.addBulkString("radix-tree-keys")
	c.addInt(int64(s.NodeCount()))
	c.addBulkString("radix-tree-nodes")
	c.addInt(int64(s.RaxNodes()))
	c.addBulkString("last-generated-id")
	c.addStreamID(s.LastID)
	c.addBulkString("max-deleted-entry-id")
	c.addStreamID(s.MaxDeletedID)
	c.addBulkString("entries-added")
	c.addInt(int64(s.EntriesAdded))
	c.addBulkString("recorded-first-entry-id")
	c.addStreamID(s.FirstID)
	if !full {
		c.addBulkString("groups")
		c.addInt(int64(s.GroupCount()))
		c.addBulkString("first-entry")
		if c.streamReplyRange(s, stream.ID{}, stream.MaxID, 1, false, nil, nil, rwrRawEntries) == 0 {
			c.addNull()
		}
		c.addBulkString("last-entry")
		if c.streamReplyRange(s, stream.ID{}, stream.MaxID, 1, true, nil, nil, rwrRawEntries) == 0 {
			c.addNull()
		}
		return
	}
	c.addBulkString("entries")
	c.streamReplyRange(s, stream.ID{}, stream.MaxID, count, false, nil, nil, 0)
	c.addBulkString("groups")
	c.addArrayLen(s.GroupCount())
	if s.GroupCount() == 0 {
		return
	}
	git := s.Groups().Iterator()
	git.Seek("^", nil)
	for name, g, ok := git.Next(); ok; name, g, ok = git.Next() {
		c.addMapLen(7)
		c.addBulkString("name")
		c.addBulk(name)
		c.addBulkString("last-delivered-id")
		c.addStreamID(g.LastID)
		c.addGroupCounters(s, g)
		c.addBulkString("pel-count")
		c.addInt(int64(g.PEL.Len()))
		c.addBulkString("pending")
		d := c.addDeferredLen()
		n := int64(0)
		pit := g.PEL.Iterator()
		pit.Seek("^", nil)
		for k, nack, ok := pit.Next(); ok && (count == 0 || n < count); k, nack, ok = pit.Next() {
			c.addArrayLen(4)
			c.addStreamID(stream.IDFromKey(k))
			c.addBulkString(nack.Consumer.Name)
			c.addInt(nack.DeliveryTime)
			c.addInt(nack.DeliveryCount)
			n++
		}
		c.setDeferredLen(d, '*', int(n))
		c.addBulkString("consumers")
		c.addArrayLen(g.Consumers.Len())
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for _, cons, ok := cit.Next(); ok; _, cons, ok = cit.Next() {
			c.addMapLen(4)
			c.addBulkString("name")
			c.addBulkString(cons.Name)
			c.addBulkString("seen-time")
			c.addInt(cons.SeenTime)
			c.addBulkString("pel-count")
			c.addInt(int64(cons.PEL.Len()))
			c.addBulkString("pending")
			d := c.addDeferredLen()
			n := int64(0)
			pit := cons.PEL.Iterator()
			pit.Seek("^", nil)
			for k, nack, ok := pit.Next(); ok && (count == 0 || n < count); k, nack, ok = pit.Next() {
				c.addArrayLen(3)
				c.addStreamID(stream.IDFromKey(k))
				c.addInt(nack.DeliveryTime)
				c.addInt(nack.DeliveryCount)
				n++
			}
			c.setDeferredLen(d, '*', int(n))
		}
	}
}
