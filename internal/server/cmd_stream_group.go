package server

import (
	"bytes"
	"math"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/stream"
)

// Consumer groups: XREAD and XREADGROUP (one procedure, as in Redis),
// XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.

func init() {
	register(map[string]func(*Client){
		"xreadgroup":            xreadCommand,
		"xgroup|create":         xgroupCommand,
		"xgroup|setid":          xgroupCommand,
		"xgroup|destroy":        xgroupCommand,
		"xgroup|createconsumer": xgroupCommand,
		"xgroup|delconsumer":    xgroupCommand,
		"xgroup|help":           xgroupCommand,
		"xack":                  xackCommand,
		"xpending":              xpendingCommand,
		"xclaim":                xclaimCommand,
		"xautoclaim":            xautoclaimCommand,
	})
}

// streamReplyFromPEL is streamReplyWithRangeFromConsumerPEL: XREADGROUP
// with an explicit ID serves the consumer's own pending entries from
// start on; entries deleted meanwhile are shown as [id, nil].
func (c *Client) streamReplyFromPEL(s *stream.Stream, start stream.ID, count int64, cons *stream.Consumer) int64 {
	d := c.addDeferredLen()
	var n int64
	k := start.Key()
	it := cons.PEL.Iterator()
	it.Seek(">=", k[:])
	now := streamNow()
	for key, nack, ok := it.Next(); ok && (count == 0 || n < count); key, nack, ok = it.Next() {
		id := stream.IDFromKey(key)
		if !c.streamEmitEntry(s, id) {
			c.addArrayLen(2)
			c.addStreamID(id)
			c.addNullArray()
		} else {
			nack.DeliveryTime = now
			nack.DeliveryCount++
		}
		n++
	}
	c.setDeferredLen(d, '*', int(n))
	return n
}

// streamBlock parks the client until one of keys gets data
// (cmd_stream_block.go).
var streamBlock func(c *Client, keys [][]byte, deadline int64, rerun [][]byte)

// xreadCommand implements XREAD and XREADGROUP.
func xreadCommand(c *Client) {
	timeout := int64(-1)
	var count int64
	streamsArg, nstreams := 0, 0
	noack := false
	xreadgroup := len(c.argv[0]) == 10
	var groupName, consumerName []byte
	for i := 1; i < len(c.argv); i++ {
		more := len(c.argv) - i - 1
		o := c.argv[i]
		switch {
		case strOpt(o, "block") && more > 0:
			i++
			t, ok := parseBlockTimeoutMs(c, c.argv[i])
			if !ok {
				return
			}
			timeout = t
		case strOpt(o, "count") && more > 0:
			i++
			v, ok := c.strIntArgOrReply(c.argv[i])
			if !ok {
				return
			}
			count = max(v, 0)
		case strOpt(o, "streams") && more > 0:
			streamsArg = i + 1
			nstreams = len(c.argv) - streamsArg
			if nstreams%2 != 0 {
				c.addError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
				return
			}
			nstreams /= 2
			i = len(c.argv)
		case strOpt(o, "group") && more >= 2:
			if !xreadgroup {
				c.addError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			groupName, consumerName = c.argv[i+1], c.argv[i+2]
			i += 2
		case strOpt(o, "noack"):
			if !xreadgroup {
				c.addError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			noack = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	if streamsArg == 0 {
		c.addError(errSyntax)
		return
	}
	if xreadgroup && groupName == nil {
		c.addError("ERR Missing GROUP option for XREADGROUP")
		return
	}
	keys := c.argv[streamsArg : streamsArg+nstreams]
	ids := make([]stream.ID, nstreams)
	var groups []*stream.Group
	if groupName != nil {
		groups = make([]*stream.Group, nstreams)
	}
	for i, arg := range c.argv[streamsArg+nstreams:] {
		key := keys[i]
		s, wrong := c.lookupStreamRead(key)
		if wrong {
			return
		}
		if groupName != nil {
			var g *stream.Group
			if s != nil {
				g = s.Group(groupName)
			}
			if g == nil {
				if c.rerunning && s != nil {
					// The group was destroyed while the client waited.
					c.addError("NOGROUP the consumer group this client was blocked on no longer exists")
					return
				}
				c.addError(errNoGroupPrefix + string(key) + "' or consumer group '" + string(groupName) +
					"' in XREADGROUP with GROUP option")
				return
			}
			groups[i] = g
		}
		switch {
		case isCStr(arg, "$"):
			if xreadgroup {
				c.addError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the " +
					"history of this consumer by specifying a proper ID, or use the > ID to get new messages. " +
					"The $ ID would just return an empty result set.")
				return
			}
			if s != nil {
				ids[i] = s.LastID
			}
		case isCStr(arg, ">"):
			if !xreadgroup {
				c.addError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP " +
					"<group> <consumer> option.")
				return
			}
			ids[i] = stream.MaxID
		default:
			id, ok := c.parseStreamID(arg, 0, true)
			if !ok {
				return
			}
			ids[i] = id
		}
	}

	var d deferredLen
	served := 0
	for i, key := range keys {
		o := c.lookupRead(key)
		if o == nil {
			continue
		}
		s := streamOf(o)
		gt := ids[i]
		serve, history := false, false
		var cons *stream.Consumer
		if groups != nil {
			g := groups[i]
			if gt != stream.MaxID {
				serve, history = true, true
			} else if s.Len() > 0 && s.LastValidID().Cmp(g.LastID) > 0 {
				serve, gt = true, g.LastID
			}
		} else if s.Len() > 0 && s.LastValidID().Cmp(gt) > 0 {
			serve = true
		}
		if !serve {
			continue
		}
		served++
		if served == 1 {
			d = c.addDeferredLen()
		}
		start, _ := gt.Incr()
		if c.resp == 2 {
			c.addArrayLen(2)
		}
		c.addBulk(key)
		if groups != nil {
			// Redis 7.0 creates (or refreshes) the consumer only when it
			// is served.
			g := groups[i]
			if c.propagating() {
				c.preventPropagation() // its effects propagate as XCLAIM / XGROUP
			}
			if cons = g.Consumer(consumerName); cons == nil {
				cons = s.CreateConsumer(g, consumerName, streamNow())
				c.srv.dirty++
				c.srv.notify(notifyStream, "xgroup-createconsumer", key, c.db.ID)
				if noack && c.propagating() {
					c.propagateConsumerCreation(key, g, consumerName)
				}
			} else {
				cons.SeenTime = streamNow()
			}
		}
		flags := 0
		if noack {
			flags |= rwrNoAck
		}
		if history {
			flags |= rwrHistory
		}
		var g *stream.Group
		if groups != nil {
			g = groups[i]
		}
		delivered := c.streamReplyRange(s, start, stream.MaxID, count, false, g, cons, flags)
		if g != nil && !history && delivered > 0 && c.propagating() {
			if noack {
				c.propagateGroupID(key, g)
			} else {
				c.propagateDelivered(key, s, g, start, delivered)
			}
		}
		if groups != nil {
			c.srv.dirty++
			c.db.Reaccount(key)
		}
	}
	if served > 0 {
		if c.resp == 2 {
			c.setDeferredLen(d, '*', served)
		} else {
			c.setDeferredLen(d, '%', served)
		}
		return
	}
	if timeout != -1 {
		// Re-run with '$' replaced by the concrete last ID, so that the
		// command served on wake-up reads what arrived after now.
		rerun := make([][]byte, len(c.argv))
		for i, a := range c.argv {
			rerun[i] = append([]byte(nil), a...)
		}
		for i := range keys {
			j := streamsArg + nstreams + i
			if isCStr(c.argv[j], "$") {
				rerun[j] = ids[i].Append(nil)
			}
		}
		streamBlock(c, keys, timeout, rerun)
		return
	}
	c.addNullArray()
}

// xgroupCommand implements every XGROUP subcommand, as Redis's one
// procedure does (the option parsing and key checks are shared).
func xgroupCommand(c *Client) {
	opt := c.argv[1]
	var s *stream.Stream
	var g *stream.Group
	var grp []byte
	mkstream := false
	entriesRead := int64(stream.InvalidEntriesRead)
	create, setid := strOpt(opt, "create"), strOpt(opt, "setid")
	if len(c.argv) >= 4 {
		for i := 5; i < len(c.argv); {
			a := c.argv[i]
			switch {
			case create && strOpt(a, "mkstream"):
				mkstream = true
				i++
			case (create || setid) && strOpt(a, "entriesread") && i+1 < len(c.argv):
				v, ok := c.strIntArgOrReply(c.argv[i+1])
				if !ok {
					return
				}
				if v < 0 && v != stream.InvalidEntriesRead {
					c.addError("ERR value for ENTRIESREAD must be positive or -1")
					return
				}
				entriesRead = v
				i += 2
			default:
				c.addSubcommandSyntaxError()
				return
			}
		}
		var wrong bool
		if s, wrong = c.lookupStreamWrite(c.argv[2]); wrong {
			return
		}
		grp = c.argv[3]
	}
	if len(c.argv) >= 4 && !mkstream {
		if s == nil {
			c.addError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may " +
				"want to use the MKSTREAM option to create an empty stream automatically.")
			return
		}
		g = s.Group(grp)
		if g == nil && (setid || strOpt(opt, "createconsumer") || strOpt(opt, "delconsumer")) {
			c.addError("NOGROUP No such consumer group '" + string(grp) + "' for key name '" + string(c.argv[2]) + "'")
			return
		}
	}
	var key []byte
	if len(c.argv) > 2 {
		key = c.argv[2]
	}
	n := len(c.argv)
	switch {
	case n == 2 && strOpt(opt, "help"):
		c.addHelp(xgroupHelp)
	case create && n >= 5 && n <= 8:
		var id stream.ID
		if isCStr(c.argv[4], "$") {
			if s != nil {
				id = s.LastID
			}
		} else {
			var ok bool
			if id, ok = c.parseStreamID(c.argv[4], 0, true); !ok {
				return
			}
		}
		if s == nil {
			s = stream.New()
			c.db.Add(key, newStreamObject(s))
			c.srv.keyModified(c.db, key)
		}
		if s.CreateGroup(grp, id, entriesRead) == nil {
			c.addError("BUSYGROUP Consumer Group name already exists")
			return
		}
		c.addOK()
		c.db.Reaccount(key)
		c.srv.dirty++
		c.srv.notify(notifyStream, "xgroup-create", key, c.db.ID)
	case setid && (n == 5 || n == 7):
		var id stream.ID
		if isCStr(c.argv[4], "$") {
			id = s.LastID
		} else {
			var ok bool
			if id, ok = c.parseStreamID(c.argv[4], 0, false); !ok {
				return
			}
		}
		g.LastID, g.EntriesRead = id, entriesRead
		c.addOK()
		c.srv.dirty++
		c.srv.notify(notifyStream, "xgroup-setid", key, c.db.ID)
	case strOpt(opt, "destroy") && n == 4:
		if g == nil {
			c.addInt(0)
			return
		}
		s.DestroyGroup(grp)
		c.addInt(1)
		c.db.Reaccount(key)
		c.srv.dirty++
		c.srv.notify(notifyStream, "xgroup-destroy", key, c.db.ID)
		streamSignalReady(c, key)
	case strOpt(opt, "createconsumer") && n == 5:
		if s.CreateConsumer(g, c.argv[4], streamNow()) == nil {
			c.addInt(0)
			return
		}
		c.addInt(1)
		c.db.Reaccount(key)
		c.srv.dirty++
		c.srv.notify(notifyStream, "xgroup-createconsumer", key, c.db.ID)
	case strOpt(opt, "delconsumer") && n == 5:
		var pending int
		if cons := g.Consumer(c.argv[4]); cons != nil {
			pending = s.DeleteConsumer(g, cons)
			c.db.Reaccount(key)
			c.srv.dirty++
			c.srv.notify(notifyStream, "xgroup-delconsumer", key, c.db.ID)
		}
		c.addInt(int64(pending))
	default:
		c.addSubcommandSyntaxError()
	}
}

var xgroupHelp = []string{
	"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
	"HELP",
	"    Prints this help.",
}

// lookupGroup returns the stream and group named by argv[1] and argv[2];
// wrongType is true (and replied) for a key of another type.
func (c *Client) lookupGroup() (s *stream.Stream, g *stream.Group, wrongType bool) {
	s, wrongType = c.lookupStreamRead(c.argv[1])
	if s != nil {
		g = s.Group(c.argv[2])
	}
	return
}

func (c *Client) addNoGroup() {
	c.addError(errNoGroupPrefix + string(c.argv[1]) + "' or consumer group '" + string(c.argv[2]) + "'")
}

func xackCommand(c *Client) {
	s, g, wrong := c.lookupGroup()
	if wrong {
		return
	}
	if g == nil {
		c.addInt(0)
		return
	}
	ids := make([]stream.ID, 0, len(c.argv)-3)
	for _, a := range c.argv[3:] {
		id, ok := c.parseStreamID(a, 0, true)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	var n int64
	for _, id := range ids {
		if s.Ack(g, id) {
			n++
			c.srv.dirty++
		}
	}
	if n > 0 {
		c.db.Reaccount(c.argv[1])
	}
	c.addInt(n)
}

func xpendingCommand(c *Client) {
	n := len(c.argv)
	justInfo := n == 3
	var start, end stream.ID
	var count, minIdle int64
	var consumer []byte
	if n != 3 && (n < 6 || n > 9) {
		c.addError(errSyntax)
		return
	}
	if n >= 6 {
		si := 3
		if strOpt(c.argv[3], "idle") {
			v, ok := c.strIntArgOrReply(c.argv[4])
			if !ok {
				return
			}
			minIdle = v
			if n < 8 {
				c.addError(errSyntax)
				return
			}
			si += 2
		}
		v, ok := c.strIntArgOrReply(c.argv[si+2])
		if !ok {
			return
		}
		count = max(v, 0)
		var ex bool
		if start, ex, ok = c.parseIntervalID(c.argv[si], 0); !ok {
			return
		}
		if ex {
			if start, ok = start.Incr(); !ok {
				c.addError("ERR invalid start ID for the interval")
				return
			}
		}
		if end, ex, ok = c.parseIntervalID(c.argv[si+1], 1<<64-1); !ok {
			return
		}
		if ex {
			if end, ok = end.Decr(); !ok {
				c.addError("ERR invalid end ID for the interval")
				return
			}
		}
		if si+3 < n {
			consumer = c.argv[si+3]
		}
	}
	_, g, wrong := c.lookupGroup()
	if wrong {
		return
	}
	if g == nil {
		c.addNoGroup()
		return
	}
	if justInfo {
		c.addArrayLen(4)
		c.addInt(int64(g.PEL.Len()))
		if g.PEL.Len() == 0 {
			c.addNull()
			c.addNull()
			c.addNullArray()
			return
		}
		it := g.PEL.Iterator()
		it.Seek("^", nil)
		k, _, _ := it.Next()
		c.addStreamID(stream.IDFromKey(k))
		it.Seek("$", nil)
		k, _, _ = it.Next()
		c.addStreamID(stream.IDFromKey(k))
		d := c.addDeferredLen()
		cn := 0
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for name, cons, ok := cit.Next(); ok; name, cons, ok = cit.Next() {
			if cons.PEL.Len() == 0 {
				continue
			}
			c.addArrayLen(2)
			c.addBulk(name)
			c.addBulkInt(int64(cons.PEL.Len()))
			cn++
		}
		c.setDeferredLen(d, '*', cn)
		return
	}
	pel := g.PEL
	if consumer != nil {
		cons := g.Consumer(consumer)
		if cons == nil {
			c.addArrayLen(0)
			return
		}
		pel = cons.PEL
	}
	now := streamNow()
	sk, ek := start.Key(), end.Key()
	it := pel.Iterator()
	it.Seek(">=", sk[:])
	d := c.addDeferredLen()
	cnt := 0
	for count > 0 {
		k, nack, ok := it.Next()
		if !ok || bytes.Compare(k, ek[:]) > 0 {
			break
		}
		if minIdle != 0 && now-nack.DeliveryTime < minIdle {
			continue
		}
		cnt++
		count--
		c.addArrayLen(4)
		c.addStreamID(stream.IDFromKey(k))
		c.addBulkString(nack.Consumer.Name)
		c.addInt(max(now-nack.DeliveryTime, 0))
		c.addInt(nack.DeliveryCount)
	}
	c.setDeferredLen(d, '*', cnt)
}

// streamClaimConsumer returns the consumer XCLAIM and XAUTOCLAIM give
// entries to, created on first use (Redis 7.0 creates it only when an
// entry is actually claimed).
func (c *Client) streamClaimConsumer(s *stream.Stream, g *stream.Group, cons **stream.Consumer) *stream.Consumer {
	if *cons == nil {
		if *cons = g.Consumer(c.argv[3]); *cons == nil {
			*cons = s.CreateConsumer(g, c.argv[3], streamNow())
			c.srv.dirty++
			c.srv.notify(notifyStream, "xgroup-createconsumer", c.argv[1], c.db.ID)
		} else {
			(*cons).SeenTime = streamNow()
		}
	}
	return *cons
}

func xclaimCommand(c *Client) {
	s, g, wrong := c.lookupGroup()
	if wrong {
		return
	}
	if g == nil {
		c.addNoGroup()
		return
	}
	minIdle, ok := keyspace.ParseCanonicalInt(c.argv[4])
	if !ok {
		c.addError("ERR Invalid min-idle-time argument for XCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	var ids []stream.ID
	j := 5
	for ; j < len(c.argv); j++ {
		id, _, ok := stream.ParseID(c.argv[j], 0, true, false)
		if !ok {
			break
		}
		ids = append(ids, id)
	}
	now := streamNow()
	var lastID stream.ID
	deliveryTime, retryCount := int64(-1), int64(-1)
	force, justID := false, false
	for ; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		opt := c.argv[j]
		intOpt := func(msg string) (int64, bool) {
			j++
			v, ok := keyspace.ParseCanonicalInt(c.argv[j])
			if !ok {
				c.addError("ERR Invalid " + msg + " option argument for XCLAIM")
			}
			return v, ok
		}
		switch {
		case strOpt(opt, "force"):
			force = true
		case strOpt(opt, "justid"):
			justID = true
		case strOpt(opt, "idle") && more > 0:
			v, ok := intOpt("IDLE")
			if !ok {
				return
			}
			deliveryTime = now - v
		case strOpt(opt, "time") && more > 0:
			v, ok := intOpt("TIME")
			if !ok {
				return
			}
			deliveryTime = v
		case strOpt(opt, "retrycount") && more > 0:
			v, ok := intOpt("RETRYCOUNT")
			if !ok {
				return
			}
			retryCount = v
		case strOpt(opt, "lastid") && more > 0:
			j++
			if lastID, ok = c.parseStreamID(c.argv[j], 0, true); !ok {
				return
			}
		default:
			c.addError("ERR Unrecognized XCLAIM option '" + cString(opt) + "'")
			return
		}
	}
	// A raised last ID is propagated (and counted as a change) on its own
	// only if no entry was claimed or dropped, as in Redis.
	propagateLastID := false
	if lastID.Cmp(g.LastID) > 0 {
		g.LastID = lastID
		propagateLastID = true
	}
	if deliveryTime != -1 {
		if deliveryTime < 0 || deliveryTime > now {
			deliveryTime = now
		}
	} else {
		deliveryTime = now
	}
	var cons *stream.Consumer
	prop := c.propagating()
	if prop {
		c.preventPropagation() // claims propagate one by one as XCLAIM ... FORCE
	}
	d := c.addDeferredLen()
	n := 0
	for _, id := range ids {
		k := id.Key()
		nack, found := g.PEL.Find(k[:])
		if !s.Exists(id) {
			if found {
				if prop && nack.Consumer != nil {
					// Replayed, it finds the entry gone and drops it too.
					c.propagateXClaim(c.argv[1], g, id, nack.Consumer.Name, nack.DeliveryTime, nack.DeliveryCount)
				}
				s.Ack(g, id)
				c.srv.dirty++
				propagateLastID = false
			}
			continue
		}
		if force && !found {
			nack, found = s.ForcePending(g, id, now), true
		}
		if !found {
			continue
		}
		if nack.Consumer != nil && minIdle != 0 && now-nack.DeliveryTime < minIdle {
			continue
		}
		cc := c.streamClaimConsumer(s, g, &cons)
		g.Claim(nack, id, cc)
		nack.DeliveryTime = deliveryTime
		if retryCount >= 0 {
			nack.DeliveryCount = retryCount
		} else if !justID {
			nack.DeliveryCount++
		}
		if justID {
			c.addStreamID(id)
		} else {
			c.streamEmitEntry(s, id)
		}
		if prop {
			c.propagateXClaim(c.argv[1], g, id, cc.Name, nack.DeliveryTime, nack.DeliveryCount)
		}
		n++
		c.srv.dirty++
		propagateLastID = false
	}
	if propagateLastID {
		c.srv.dirty++
		if prop {
			c.propagateGroupID(c.argv[1], g)
		}
	}
	c.setDeferredLen(d, '*', n)
	c.db.Reaccount(c.argv[1])
}

// cString returns b up to its first NUL, as %s prints a C string.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func xautoclaimCommand(c *Client) {
	minIdle, ok := keyspace.ParseCanonicalInt(c.argv[4])
	if !ok {
		c.addError("ERR Invalid min-idle-time argument for XAUTOCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	start, ex, ok := c.parseIntervalID(c.argv[5], 0)
	if !ok {
		return
	}
	if ex {
		if start, ok = start.Incr(); !ok {
			c.addError("ERR invalid start ID for the interval")
			return
		}
	}
	count := int64(100)
	justID := false
	for j := 6; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		switch opt := c.argv[j]; {
		case strOpt(opt, "count") && more > 0:
			v, ok := keyspace.ParseCanonicalInt(c.argv[j+1])
			if !ok || v < 1 || v > math.MaxInt64/16 { // LONG_MAX/sizeof(streamID)
				c.addError("ERR COUNT must be > 0")
				return
			}
			count = v
			j++
		case strOpt(opt, "justid"):
			justID = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	s, g, wrong := c.lookupGroup()
	if wrong {
		return
	}
	if g == nil {
		c.addNoGroup()
		return
	}
	if count >= 1<<47/16 {
		// Redis allocates count IDs up front; past the address space the
		// allocation fails.
		c.addError("ERR Insufficient memory, failed allocating transient memory, COUNT too high.")
		return
	}
	var cons *stream.Consumer
	attempts := count * 10
	// The reply is [cursor, claimed, deleted]: the claimed entries are
	// written first and moved after the cursor once it is known.
	pos := len(c.out)
	sk := start.Key()
	it := g.PEL.Iterator()
	it.Seek(">=", sk[:])
	now := streamNow()
	var deleted []stream.ID
	n := 0
	prop := c.propagating()
	if prop {
		c.preventPropagation() // claims propagate one by one as XCLAIM ... FORCE
	}
	for attempts > 0 && count > 0 {
		attempts--
		k, nack, ok := it.Next()
		if !ok {
			break
		}
		id := stream.IDFromKey(k)
		if !s.Exists(id) {
			if prop && nack.Consumer != nil {
				c.propagateXClaim(c.argv[1], g, id, nack.Consumer.Name, nack.DeliveryTime, nack.DeliveryCount)
			}
			s.Ack(g, id)
			c.srv.dirty++
			deleted = append(deleted, id)
			count--
			continue
		}
		if minIdle != 0 && now-nack.DeliveryTime < minIdle {
			continue
		}
		cc := c.streamClaimConsumer(s, g, &cons)
		g.Claim(nack, id, cc)
		nack.DeliveryTime = now
		if !justID {
			nack.DeliveryCount++
		}
		if justID {
			c.addStreamID(id)
		} else {
			c.streamEmitEntry(s, id)
		}
		if prop {
			c.propagateXClaim(c.argv[1], g, id, cc.Name, nack.DeliveryTime, nack.DeliveryCount)
		}
		n++
		count--
		c.srv.dirty++
	}
	var endID stream.ID
	if k, _, ok := it.Next(); ok {
		endID = stream.IDFromKey(k)
	}
	claimed := append([]byte(nil), c.out[pos:]...)
	c.out = c.out[:pos]
	c.addArrayLen(3)
	c.addStreamID(endID)
	c.addArrayLen(n)
	if !c.replyOff {
		c.out = append(c.out, claimed...)
	}
	c.addArrayLen(len(deleted))
	for _, id := range deleted {
		c.addStreamID(id)
	}
	c.db.Reaccount(c.argv[1])
}
