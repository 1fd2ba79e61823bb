package server

import (
	"strconv"
	"time"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/stream"
)

// Stream commands (Redis's t_stream.c): XADD, XRANGE, XREVRANGE, XLEN, XDEL,
// XTRIM, XREAD, XSETID here; consumer groups in cmd_stream_group.go and
// XINFO in cmd_stream_info.go. The value itself is internal/types/stream.

func init() {
	register(map[string]func(*Client){
		"xadd":      xaddCommand,
		"xrange":    xrangeCommand,
		"xrevrange": xrevrangeCommand,
		"xlen":      xlenCommand,
		"xdel":      xdelCommand,
		"xtrim":     xtrimCommand,
		"xread":     xreadCommand,
		"xsetid":    xsetidCommand,
	})
	keyspace.ValueSizers[keyspace.KindStream] = func(o *keyspace.Object) int64 {
		return streamOf(o).MemSize()
	}
	registerDup(keyspace.KindStream, func(o *keyspace.Object) keyspace.Object {
		return newStreamObject(streamOf(o).Clone())
	})
	memoryUsageHooks[keyspace.KindStream] = streamMemoryUsage
	digestValueHooks[keyspace.KindStream] = streamDigest
}

const (
	errInvalidStreamID = "ERR Invalid stream ID specified as stream command argument"
	errNoGroupPrefix   = "NOGROUP No such key '"
)

func streamOf(o *keyspace.Object) *stream.Stream { return (*stream.Stream)(o.Ptr()) }

func newStreamObject(s *stream.Stream) keyspace.Object {
	return keyspace.NewValue(keyspace.KindStream, keyspace.EncStream, unsafe.Pointer(s))
}

// streamNow is Redis's mstime() for stream bookkeeping (delivery and seen
// times, generated IDs).
func streamNow() int64 { return time.Now().UnixMilli() }

// parseStreamID parses an ID argument or replies with the error. strict
// refuses "-" and "+".
func (c *Client) parseStreamID(b []byte, missingSeq uint64, strict bool) (stream.ID, bool) {
	id, _, ok := stream.ParseID(b, missingSeq, strict, false)
	if !ok {
		c.addError(errInvalidStreamID)
	}
	return id, ok
}

// parseIntervalID is streamParseIntervalIDOrReply: a "(" prefix makes the
// bound exclusive (and the ID strict).
func (c *Client) parseIntervalID(b []byte, missingSeq uint64) (id stream.ID, exclusive, ok bool) {
	if len(b) > 1 && b[0] == '(' {
		id, ok = c.parseStreamID(b[1:], missingSeq, true)
		return id, true, ok
	}
	id, ok = c.parseStreamID(b, missingSeq, false)
	return id, false, ok
}

func (c *Client) addStreamID(id stream.ID) {
	var buf [48]byte
	c.addBulk(id.Append(buf[:0]))
}

// isCStr reports whether b read as a C string equals s exactly (a NUL ends b).
func isCStr(b []byte, s string) bool {
	if len(b) < len(s) || (len(b) > len(s) && b[len(s)] != 0) {
		return false
	}
	return string(b[:len(s)]) == s
}

// lookupStreamWrite returns the stream at key for writing; wrongType is
// true (and replied) when the key holds another type.
func (c *Client) lookupStreamWrite(key []byte) (s *stream.Stream, wrongType bool) {
	return c.streamOfKey(c.lookupWrite(key))
}

// lookupStreamRead is lookupStreamWrite with read statistics.
func (c *Client) lookupStreamRead(key []byte) (s *stream.Stream, wrongType bool) {
	return c.streamOfKey(c.lookupRead(key))
}

func (c *Client) streamOfKey(o *keyspace.Object) (s *stream.Stream, wrongType bool) {
	if !c.checkType(o, keyspace.KindStream) {
		return nil, true
	}
	if o == nil {
		return nil, false
	}
	return streamOf(o), false
}

// addTrimArgs are the parsed options of XADD and XTRIM.
type addTrimArgs struct {
	stream.TrimArgs
	id         stream.ID
	idGiven    bool
	seqGiven   bool
	noMkstream bool
	trimIdx    int // argv index of the MAXLEN/MINID threshold
}

// parseAddTrimArgs is streamParseAddOrTrimArgsOrReply. It returns the index
// of the ID argument (XADD) or -1 after replying with an error.
func parseAddTrimArgs(c *Client, xadd bool) (a addTrimArgs, idpos int) {
	limitGiven := false
	i := 2
	for ; i < len(c.argv); i++ {
		more := len(c.argv) - 1 - i
		opt := c.argv[i]
		switch {
		case xadd && isCStr(opt, "*"):
			goto done
		case strOpt(opt, "maxlen") && more > 0, strOpt(opt, "minid") && more > 0:
			if a.Strategy != stream.TrimNone {
				c.addError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible")
				return a, -1
			}
			maxlen := strOpt(opt, "maxlen")
			a.Approx = false
			next := c.argv[i+1]
			if more >= 2 && isCStr(next, "~") {
				a.Approx = true
				i++
			} else if more >= 2 && isCStr(next, "=") {
				i++
			}
			a.trimIdx = i + 1
			if maxlen {
				v, ok := c.strIntArgOrReply(c.argv[i+1])
				if !ok {
					return a, -1
				}
				if v < 0 {
					c.addError("ERR The MAXLEN argument must be >= 0.")
					return a, -1
				}
				a.MaxLen, a.Strategy = v, stream.TrimMaxLen
			} else {
				id, ok := c.parseStreamID(c.argv[i+1], 0, true)
				if !ok {
					return a, -1
				}
				a.MinID, a.Strategy = id, stream.TrimMinID
			}
			i++
		case strOpt(opt, "limit") && more > 0:
			v, ok := c.strIntArgOrReply(c.argv[i+1])
			if !ok {
				return a, -1
			}
			if v < 0 {
				c.addError("ERR The LIMIT argument must be >= 0.")
				return a, -1
			}
			a.Limit, limitGiven = v, true
			i++
		case xadd && strOpt(opt, "nomkstream"):
			a.noMkstream = true
		case xadd:
			id, seqGiven, ok := stream.ParseID(opt, 0, true, true)
			if !ok {
				c.addError(errInvalidStreamID)
				return a, -1
			}
			a.id, a.seqGiven, a.idGiven = id, seqGiven, true
			goto done
		default:
			c.addError(errSyntax)
			return a, -1
		}
	}
done:
	if a.Limit != 0 && a.Strategy == stream.TrimNone {
		c.addError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy")
		return a, -1
	}
	if !xadd && a.Strategy == stream.TrimNone {
		c.addError("ERR syntax error, XTRIM must be called with a trimming strategy")
		return a, -1
	}
	if limitGiven {
		if !a.Approx {
			c.addError("ERR syntax error, LIMIT cannot be used without the special ~ option")
			return a, -1
		}
	} else if a.Approx {
		a.Limit = 100 * c.srv.cfg.StreamNodeMaxEntries
		if a.Limit <= 0 {
			a.Limit = 10000
		}
		if a.Limit > 1000000 {
			a.Limit = 1000000
		}
	} else {
		a.Limit = 0
	}
	return a, i
}

func xaddCommand(c *Client) {
	a, idpos := parseAddTrimArgs(c, true)
	if idpos < 0 {
		return
	}
	fieldPos := idpos + 1
	if n := len(c.argv) - fieldPos; n < 2 || n%2 == 1 {
		c.addError("ERR wrong number of arguments for 'xadd' command")
		return
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		c.addError("ERR The ID specified in XADD must be greater than 0-0")
		return
	}
	key := c.argv[1]
	s, wrong := c.lookupStreamWrite(key)
	if wrong {
		return
	}
	if s == nil {
		if a.noMkstream {
			c.addNull()
			return
		}
		s = stream.New()
		c.db.Add(key, newStreamObject(s))
	}
	if s.LastID == stream.MaxID {
		c.addError("ERR The stream has exhausted the last possible ID, unable to add more items")
		return
	}
	var use *stream.ID
	if a.idGiven {
		use = &a.id
	}
	cfg := c.srv.cfg
	id, err := s.Add(c.argv[fieldPos:], use, a.seqGiven, uint64(streamNow()), cfg.StreamNodeMaxBytes, cfg.StreamNodeMaxEntries)
	if err != nil {
		if err == stream.ErrIDTooSmall {
			c.addError("ERR The ID specified in XADD is equal or smaller than the target stream top item")
		} else {
			c.addError("ERR Elements are too large to be stored")
		}
		return
	}
	c.addStreamID(id)
	c.srv.notify(notifyStream, "xadd", key, c.db.ID)
	c.srv.dirty++
	if a.Strategy != stream.TrimNone && s.Trim(a.TrimArgs) > 0 {
		c.srv.notify(notifyStream, "xtrim", key, c.db.ID)
	}
	if c.propagating() {
		argv := append([][]byte(nil), c.argv...)
		if !a.idGiven || !a.seqGiven {
			argv[idpos] = id.Append(nil) // the ID generated
		}
		rewriteApproxTrim(argv, &a, s)
		c.rewritePropagation(argv...)
	}
	c.srv.keyModified(c.db, key)
	streamSignalReady(c, key)
}

// streamSignalReady tells clients blocked on key (in the client's db) that
// data arrived.
func streamSignalReady(c *Client, key []byte) { streamSignalReadyDB(c.srv, c.db, key) }

// streamSignalReadyDB is set by the blocking support.
var streamSignalReadyDB = func(s *Server, db *keyspace.DB, key []byte) {}

// Range reply flags (streamReplyWithRange).
const (
	rwrNoAck      = 1 << iota // deliver without creating PEL entries
	rwrRawEntries             // emit entries without the array header
	rwrHistory                // serve the consumer's own PEL
)

// streamReplyRange is streamReplyWithRange: it emits the entries in
// [start, end] (at most count, 0 = all) and returns how many. With a group
// and consumer it records the deliveries (see cmd_stream_group.go).
func (c *Client) streamReplyRange(s *stream.Stream, start, end stream.ID, count int64, rev bool,
	g *stream.Group, cons *stream.Consumer, flags int) int64 {
	if g != nil && flags&rwrHistory != 0 {
		return c.streamReplyFromPEL(s, start, count, cons)
	}
	var d deferredLen
	if flags&rwrRawEntries == 0 {
		d = c.addDeferredLen()
	}
	var n int64
	now := streamNow()
	it := s.Iter(start, end, rev)
	for id, nf, ok := it.Next(); ok; id, nf, ok = it.Next() {
		if g != nil {
			s.Delivered(g, id)
		}
		c.addArrayLen(2)
		c.addStreamID(id)
		c.addArrayLen(nf * 2)
		for i := 0; i < nf; i++ {
			f, v := it.Field()
			c.addBulk(f)
			c.addBulk(v)
		}
		if g != nil && flags&rwrNoAck == 0 {
			s.AddPending(g, cons, id, now)
		}
		n++
		if count > 0 && n == count {
			break
		}
	}
	if flags&rwrRawEntries == 0 {
		c.setDeferredLen(d, '*', int(n))
	}
	return n
}

// streamEmitEntry emits the single entry id as [id, [field, value...]] and
// reports whether it exists.
func (c *Client) streamEmitEntry(s *stream.Stream, id stream.ID) bool {
	return c.streamReplyRange(s, id, id, 1, false, nil, nil, rwrRawEntries) == 1
}

func xrangeGeneric(c *Client, rev bool) {
	startArg, endArg := c.argv[2], c.argv[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ex, ok := c.parseIntervalID(startArg, 0)
	if !ok {
		return
	}
	if ex {
		if start, ok = start.Incr(); !ok {
			c.addError("ERR invalid start ID for the interval")
			return
		}
	}
	end, ex, ok := c.parseIntervalID(endArg, 1<<64-1)
	if !ok {
		return
	}
	if ex {
		if end, ok = end.Decr(); !ok {
			c.addError("ERR invalid end ID for the interval")
			return
		}
	}
	count := int64(-1)
	for j := 4; j < len(c.argv); j++ {
		if strOpt(c.argv[j], "count") && j+1 < len(c.argv) {
			v, ok := c.strIntArgOrReply(c.argv[j+1])
			if !ok {
				return
			}
			count = max(v, 0)
			j++
		} else {
			c.addError(errSyntax)
			return
		}
	}
	s, wrong := c.lookupStreamRead(c.argv[1])
	if wrong {
		return
	}
	if s == nil {
		c.addArrayLen(0)
		return
	}
	if count == 0 {
		c.addNullArray()
		return
	}
	c.streamReplyRange(s, start, end, max(count, 0), rev, nil, nil, 0)
}

func xrangeCommand(c *Client)    { xrangeGeneric(c, false) }
func xrevrangeCommand(c *Client) { xrangeGeneric(c, true) }

func xlenCommand(c *Client) {
	s, wrong := c.lookupStreamRead(c.argv[1])
	if wrong {
		return
	}
	if s == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(s.Len()))
}

func xdelCommand(c *Client) {
	key := c.argv[1]
	s, wrong := c.lookupStreamWrite(key)
	if wrong {
		return
	}
	if s == nil {
		c.addInt(0)
		return
	}
	ids := make([]stream.ID, 0, len(c.argv)-2)
	for _, a := range c.argv[2:] {
		id, ok := c.parseStreamID(a, 0, true)
		if !ok {
			return
		}
		ids = append(ids, id)
	}
	n := s.DeleteEntries(ids)
	if n > 0 {
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyStream, "xdel", key, c.db.ID)
		c.srv.dirty += int64(n)
	}
	c.addInt(int64(n))
}

func xtrimCommand(c *Client) {
	a, idpos := parseAddTrimArgs(c, false)
	if idpos < 0 {
		return
	}
	key := c.argv[1]
	s, wrong := c.lookupStreamWrite(key)
	if wrong {
		return
	}
	if s == nil {
		c.addInt(0)
		return
	}
	n := s.Trim(a.TrimArgs)
	if n > 0 {
		c.srv.notify(notifyStream, "xtrim", key, c.db.ID)
		c.srv.keyModified(c.db, key)
		c.srv.dirty += n
		if a.Approx && c.propagating() {
			argv := append([][]byte(nil), c.argv...)
			rewriteApproxTrim(argv, &a, s)
			c.rewritePropagation(argv...)
		}
	}
	c.addInt(n)
}

// rewriteApproxTrim makes approximate trimming deterministic where the
// command is replayed, as Redis 7.0 propagates it: "~" becomes "=" and
// the threshold the length (MAXLEN) or first entry ID (MINID) the stream
// has after trimming. A LIMIT stays, as in Redis.
func rewriteApproxTrim(argv [][]byte, a *addTrimArgs, s *stream.Stream) {
	if a.Strategy == stream.TrimNone || !a.Approx {
		return
	}
	argv[a.trimIdx-1] = []byte("=")
	if a.Strategy == stream.TrimMaxLen {
		argv[a.trimIdx] = strconv.AppendUint(nil, s.Len(), 10)
	} else {
		argv[a.trimIdx] = s.FirstEntryID().Append(nil)
	}
}

func xsetidCommand(c *Client) {
	id, ok := c.parseStreamID(c.argv[2], 0, true)
	if !ok {
		return
	}
	var maxDel stream.ID
	entriesAdded := int64(-1)
	for i := 3; i < len(c.argv); i += 2 {
		more := len(c.argv) - 1 - i
		switch opt := c.argv[i]; {
		case strOpt(opt, "entriesadded") && more > 0:
			v, ok := c.strIntArgOrReply(c.argv[i+1])
			if !ok {
				return
			}
			if v < 0 {
				c.addError("ERR entries_added must be positive")
				return
			}
			entriesAdded = v
		case strOpt(opt, "maxdeletedid") && more > 0:
			if maxDel, ok = c.parseStreamID(c.argv[i+1], 0, true); !ok {
				return
			}
			if id.Cmp(maxDel) < 0 {
				c.addError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
				return
			}
		default:
			c.addError(errSyntax)
			return
		}
	}
	key := c.argv[1]
	s, wrong := c.lookupStreamWrite(key)
	if wrong {
		return
	}
	if s == nil {
		c.addError(errNoSuchKey)
		return
	}
	if s.Len() > 0 {
		if id.Cmp(s.LastValidID()) < 0 {
			c.addError("ERR The ID specified in XSETID is smaller than the target stream top item")
			return
		}
		if entriesAdded != -1 && s.Len() > uint64(entriesAdded) {
			c.addError("ERR The entries_added specified in XSETID is smaller than the target stream length")
			return
		}
	}
	s.LastID = id
	if entriesAdded != -1 {
		s.EntriesAdded = uint64(entriesAdded)
	}
	if !maxDel.IsZero() {
		s.MaxDeletedID = maxDel
	}
	c.addOK()
	c.srv.keyModified(c.db, key)
	c.srv.dirty++
	c.srv.notify(notifyStream, "xsetid", key, c.db.ID)
}

// streamMemoryUsage is Redis's objectComputeSize for streams: the object
// and stream headers, its rax estimate, the node listpack allocations
// (the first samples nodes averaged for all but the last one, whose own
// size is added), and the groups with their PELs and consumers.
func streamMemoryUsage(o *keyspace.Object, samples int) int {
	s := streamOf(o)
	size := robjSize + 80 + streamRaxMemory(int(s.NodeCount()), s.RaxNodes())
	first, last, count := s.NodeAllocs(samples)
	lpsize := 0
	for _, a := range first {
		lpsize += a
	}
	if count <= len(first) {
		size += lpsize
	} else {
		if len(first) > 0 {
			lpsize /= len(first)
		}
		size += lpsize*(count-1) + last
	}
	if s.GroupCount() == 0 {
		return size
	}
	git := s.Groups().Iterator()
	git.Seek("^", nil)
	for _, g, ok := git.Next(); ok; _, g, ok = git.Next() {
		size += 40 + streamRaxMemory(g.PEL.Len(), stream.PELNodes(g.PEL)) + 24*g.PEL.Len()
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for _, cons, ok := cit.Next(); ok; _, cons, ok = cit.Next() {
			size += 24 + len(cons.Name) + streamRaxMemory(cons.PEL.Len(), stream.PELNodes(cons.PEL))
		}
	}
	return size
}

// streamRaxMemory is streamRadixTreeMemoryUsage: 16 bytes per element and
// a fixed 244 per node.
func streamRaxMemory(elements, nodes int) int { return elements*16 + nodes*(4+30*8) }

// streamDigest mixes each entry's "ms.seq" ID, fields and values in order,
// as Redis's xorObjectDigest does for streams.
func streamDigest(d *digest, o *keyspace.Object) {
	s := streamOf(o)
	it := s.Iter(stream.ID{}, stream.MaxID, false)
	var buf []byte
	for id, nf, ok := it.Next(); ok; id, nf, ok = it.Next() {
		buf = strconv.AppendUint(buf[:0], id.Ms, 10)
		buf = append(buf, '.')
		buf = strconv.AppendUint(buf, id.Seq, 10)
		d.mix(buf)
		for i := 0; i < nf; i++ {
			f, v := it.Field()
			d.mix(f)
			d.mix(v)
		}
	}
}
