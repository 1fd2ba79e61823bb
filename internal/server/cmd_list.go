package server

import (
	"bytes"
	"strconv"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/list"
)

// The list commands (Redis's t_list.c). The blocking variants live in
// cmd_list_block.go, the value hooks (memory, digest, COPY) in
// list_hooks.go.

func init() {
	register(map[string]func(*Client){
		"lpush":     lpushCommand,
		"rpush":     rpushCommand,
		"lpushx":    lpushxCommand,
		"rpushx":    rpushxCommand,
		"linsert":   linsertCommand,
		"llen":      llenCommand,
		"lindex":    lindexCommand,
		"lset":      lsetCommand,
		"lrange":    lrangeCommand,
		"ltrim":     ltrimCommand,
		"lrem":      lremCommand,
		"lpop":      lpopCommand,
		"rpop":      rpopCommand,
		"rpoplpush": rpoplpushCommand,
		"lmove":     lmoveCommand,
		"lmpop":     lmpopCommand,
		"lpos":      lposCommand,
	})
}

// asList returns the quicklist of a list value.
func asList(o *keyspace.Object) *list.List { return (*list.List)(o.Ptr()) }

// newListObject is Redis's createQuicklistObject with the configured fill.
func (s *Server) newListObject() keyspace.Object {
	l := list.New(s.cfg.ListMaxListpackSize)
	l.SetCompressDepth(s.cfg.ListCompressDepth)
	return keyspace.NewValue(keyspace.KindList, keyspace.EncQuicklist, unsafe.Pointer(l))
}

// checkList replies WRONGTYPE and returns false when o exists and is not a
// list (Redis's checkType).
func (c *Client) checkList(o *keyspace.Object) bool { return c.checkType(o, keyspace.KindList) }

// checkType is Redis's checkType: false, after replying WRONGTYPE, when o
// exists and holds another kind than kind.
func (c *Client) checkType(o *keyspace.Object, kind keyspace.Kind) bool {
	if o != nil && o.Kind() != kind {
		c.addError(errWrongType)
		return false
	}
	return true
}

// listEvent names the pop/push events of an end.
func listEvent(head bool, push bool) string {
	switch {
	case head && push:
		return "lpush"
	case push:
		return "rpush"
	case head:
		return "lpop"
	}
	return "rpop"
}

// popVerb is the command a pop propagates as.
func popVerb(head bool) []byte {
	if head {
		return []byte("LPOP")
	}
	return []byte("RPOP")
}

// pushGeneric is LPUSH/RPUSH (xx: LPUSHX/RPUSHX, only onto an existing list).
func pushGeneric(c *Client, head, xx bool) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if !c.checkList(o) {
		return
	}
	if o == nil {
		if xx {
			c.addInt(0)
			return
		}
		o = c.db.Add(key, c.srv.newListObject())
	}
	l := asList(o)
	for _, v := range c.argv[2:] {
		l.Push(v, head)
	}
	c.addInt(int64(l.Len()))
	s := c.srv
	s.keyModified(c.db, key)
	s.notify(notifyList, listEvent(head, true), key, c.db.ID)
	s.dirty += int64(len(c.argv) - 2)
}

func lpushCommand(c *Client)  { pushGeneric(c, true, false) }
func rpushCommand(c *Client)  { pushGeneric(c, false, false) }
func lpushxCommand(c *Client) { pushGeneric(c, true, true) }
func rpushxCommand(c *Client) { pushGeneric(c, false, true) }

// LINSERT key BEFORE|AFTER pivot element
func linsertCommand(c *Client) {
	var after bool
	switch {
	case strOpt(c.argv[2], "after"):
		after = true
	case strOpt(c.argv[2], "before"):
	default:
		c.addError(errSyntax)
		return
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addInt(0)
		return
	}
	if !c.checkList(o) {
		return
	}
	l := asList(o)
	pivot := c.argv[3]
	idx := -1
	i := 0
	l.Each(func(v []byte) bool {
		if bytes.Equal(v, pivot) {
			idx = i
			return false
		}
		i++
		return true
	})
	if idx < 0 {
		c.addInt(-1)
		return
	}
	l.Insert(idx, c.argv[4], after)
	s := c.srv
	s.keyModified(c.db, key)
	s.notify(notifyList, "linsert", key, c.db.ID)
	s.dirty++
	c.addInt(int64(l.Len()))
}

func llenCommand(c *Client) {
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addInt(0)
		return
	}
	if !c.checkList(o) {
		return
	}
	c.addInt(int64(asList(o).Len()))
}

func lindexCommand(c *Client) {
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addNull()
		return
	}
	if !c.checkList(o) {
		return
	}
	idx, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	if v, ok := asList(o).Index(int(idx)); ok {
		c.addBulk(v)
	} else {
		c.addNull()
	}
}

func lsetCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	if !c.checkList(o) {
		return
	}
	idx, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	if !asList(o).Set(int(idx), c.argv[3]) {
		c.addError(errOutOfRange)
		return
	}
	c.addOK()
	s := c.srv
	s.keyModified(c.db, key)
	s.notify(notifyList, "lset", key, c.db.ID)
	s.dirty++
}

// addListRange replies with elements start..end (Redis's addListRangeReply:
// negative indexes count from the tail, the range is clipped), tail first
// when reverse.
func (c *Client) addListRange(l *list.List, start, end int64, reverse bool) {
	llen := int64(l.Len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= llen {
		c.addArrayLen(0)
		return
	}
	if end >= llen {
		end = llen - 1
	}
	n := end - start + 1
	c.addArrayLen(int(n))
	from := start
	if reverse {
		from = end
	}
	if !c.replyOff {
		c.out = l.AppendBulks(c.out, int(from), int(n), reverse)
	}
}

func lrangeCommand(c *Client) {
	start, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	end, ok := c.strIntArgOrReply(c.argv[3])
	if !ok {
		return
	}
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addArrayLen(0)
		return
	}
	if !c.checkList(o) {
		return
	}
	c.addListRange(asList(o), start, end, false)
}

// deleteIfEmptyList removes key when its list emptied, with Redis's "del"
// event; it reports whether it did.
func (c *Client) deleteIfEmptyList(key []byte, l *list.List) bool {
	if l.Len() != 0 {
		return false
	}
	c.db.Delete(key)
	c.srv.notify(notifyGeneric, "del", key, c.db.ID)
	return true
}

func ltrimCommand(c *Client) {
	start, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	end, ok := c.strIntArgOrReply(c.argv[3])
	if !ok {
		return
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addOK()
		return
	}
	if !c.checkList(o) {
		return
	}
	l := asList(o)
	llen := int64(l.Len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	var ltrim, rtrim int64
	if start > end || start >= llen {
		ltrim, rtrim = llen, 0
	} else {
		if end >= llen {
			end = llen - 1
		}
		ltrim, rtrim = start, llen-end-1
	}
	l.DeleteRange(0, int(ltrim))
	l.DeleteRange(int(-rtrim), int(rtrim))
	s := c.srv
	s.notify(notifyList, "ltrim", key, c.db.ID)
	c.deleteIfEmptyList(key, l)
	s.keyModified(c.db, key)
	s.dirty += ltrim + rtrim
	c.addOK()
}

// LREM key count element
func lremCommand(c *Client) {
	toremove, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addInt(0)
		return
	}
	if !c.checkList(o) {
		return
	}
	l := asList(o)
	elem := c.argv[3]
	var it *list.Iter
	if toremove < 0 {
		toremove = -toremove // math.MinInt64 stays negative: no limit, as in Redis
		it = l.Iterator(-1, true)
	} else {
		it = l.Iterator(0, false)
	}
	var removed int64
	for {
		v, ok := it.Next()
		if !ok {
			break
		}
		if bytes.Equal(v, elem) {
			it.Delete()
			removed++
			if toremove != 0 && removed == toremove {
				break
			}
		}
	}
	s := c.srv
	if removed > 0 {
		s.keyModified(c.db, key)
		s.notify(notifyList, "lrem", key, c.db.ID)
	}
	c.deleteIfEmptyList(key, l)
	s.dirty += removed
	c.addInt(removed)
}

// listElementsRemoved is Redis's listElementsRemoved: the pop event, the
// key's deletion when it emptied, the modification signal and dirty count.
func (c *Client) listElementsRemoved(key []byte, head bool, l *list.List, n int) {
	s := c.srv
	s.notify(notifyList, listEvent(head, false), key, c.db.ID)
	c.deleteIfEmptyList(key, l)
	s.keyModified(c.db, key)
	s.dirty += int64(n)
}

// popRangeAndReply pops up to count elements from one end and replies with
// them as an array (Redis's range pop of LPOP/RPOP with a count).
func (c *Client) popRangeAndReply(key []byte, l *list.List, head bool, count int64) {
	llen := int64(l.Len())
	n := min(count, llen)
	if head {
		c.addListRange(l, 0, n-1, false)
		l.DeleteRange(0, int(n))
	} else {
		c.addListRange(l, -n, -1, true)
		l.DeleteRange(int(-n), int(n))
	}
	c.listElementsRemoved(key, head, l, int(n))
}

func popGeneric(c *Client, head bool) {
	if len(c.argv) > 3 {
		c.addError("ERR wrong number of arguments for '" + c.cmd.spec.Name + "' command")
		return
	}
	hasCount := len(c.argv) == 3
	var count int64
	if hasCount {
		v, ok := keyspace.ParseCanonicalInt(c.argv[2])
		if !ok || v < 0 {
			c.addError("ERR value is out of range, must be positive")
			return
		}
		count = v
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		if hasCount {
			c.addNullArray()
		} else {
			c.addNull()
		}
		return
	}
	if !c.checkList(o) {
		return
	}
	if hasCount && count == 0 {
		c.addArrayLen(0)
		return
	}
	l := asList(o)
	if !hasCount {
		v, _ := l.Pop(head)
		c.addBulk(v)
		c.listElementsRemoved(key, head, l, 1)
		return
	}
	c.popRangeAndReply(key, l, head, count)
}

func lpopCommand(c *Client) { popGeneric(c, true) }
func rpopCommand(c *Client) { popGeneric(c, false) }

// listWhere parses LEFT|RIGHT (true for LEFT), replying a syntax error.
func (c *Client) listWhere(b []byte) (head, ok bool) {
	switch {
	case strOpt(b, "left"):
		return true, true
	case strOpt(b, "right"):
		return false, true
	}
	c.addError(errSyntax)
	return false, false
}

// lmoveGeneric moves one element from the src end (fromHead) to the dst
// end (toHead) and replies with it (Redis's lmoveGenericCommand); a missing
// source replies nil. It reports whether an element moved.
func lmoveGeneric(c *Client, src, dst []byte, fromHead, toHead bool) bool {
	so := c.lookupWrite(src)
	if so == nil {
		c.addNull()
		return false
	}
	if !c.checkList(so) {
		return false
	}
	do := c.lookupWrite(dst)
	if !c.checkList(do) {
		return false
	}
	sl := asList(so)
	v, _ := sl.Pop(fromHead)
	s := c.srv
	if do == nil {
		do = c.db.Add(dst, s.newListObject())
	}
	asList(do).Push(v, toHead)
	s.keyModified(c.db, dst)
	s.notify(notifyList, listEvent(toHead, true), dst, c.db.ID)
	c.addBulk(v)
	s.notify(notifyList, listEvent(fromHead, false), src, c.db.ID)
	c.deleteIfEmptyList(src, sl)
	s.keyModified(c.db, src)
	s.dirty++
	return true
}

func rpoplpushCommand(c *Client) {
	lmoveGeneric(c, c.argv[1], c.argv[2], false, true)
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
func lmoveCommand(c *Client) {
	from, ok := c.listWhere(c.argv[3])
	if !ok {
		return
	}
	to, ok := c.listWhere(c.argv[4])
	if !ok {
		return
	}
	lmoveGeneric(c, c.argv[1], c.argv[2], from, to)
}

// mpopArgs are the parsed arguments of LMPOP and BLMPOP.
type mpopArgs struct {
	keys  [][]byte
	head  bool
	count int64
}

// parseMpop parses "numkeys key... LEFT|RIGHT [COUNT n]" from argv[idx]
// (Redis's lmpopGenericCommand argument checks, in its order).
func (c *Client) parseMpop(idx int) (a mpopArgs, ok bool) {
	const numkeysErr = "ERR numkeys should be greater than 0"
	numkeys, isInt := keyspace.ParseCanonicalInt(c.argv[idx])
	if !isInt || numkeys < 1 {
		c.addError(numkeysErr)
		return a, false
	}
	if numkeys > int64(len(c.argv)-idx-2) {
		c.addError(errSyntax)
		return a, false
	}
	whereIdx := idx + int(numkeys) + 1
	if a.head, ok = c.listWhere(c.argv[whereIdx]); !ok {
		return a, false
	}
	a.count = -1
	for j := whereIdx + 1; j < len(c.argv); j++ {
		if a.count == -1 && strOpt(c.argv[j], "count") && j+1 < len(c.argv) {
			j++
			v, isInt := keyspace.ParseCanonicalInt(c.argv[j])
			if !isInt || v < 1 {
				c.addError("ERR count should be greater than 0")
				return a, false
			}
			a.count = v
		} else {
			c.addError(errSyntax)
			return a, false
		}
	}
	if a.count == -1 {
		a.count = 1
	}
	a.keys = c.argv[idx+1 : whereIdx]
	return a, true
}

// mpopFirst pops from the first non-empty list among keys and replies
// [key, [elements]]. It returns served=false, with nothing replied, when
// no key holds a list; a WRONGTYPE reply sets failed.
func (c *Client) mpopFirst(a mpopArgs) (served, failed bool) {
	for _, key := range a.keys {
		o := c.lookupWrite(key)
		if o == nil {
			continue
		}
		if !c.checkList(o) {
			return false, true
		}
		l := asList(o)
		if l.Len() == 0 {
			continue
		}
		n := min(a.count, int64(l.Len()))
		c.addArrayLen(2)
		c.addBulk(key)
		c.popRangeAndReply(key, l, a.head, a.count)
		if c.propagating() {
			// LMPOP and BLMPOP replicate as "[LR]POP key count".
			c.rewritePropagation(popVerb(a.head), key, []byte(strconv.FormatInt(n, 10)))
		}
		return true, false
	}
	return false, false
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
func lmpopCommand(c *Client) {
	a, ok := c.parseMpop(1)
	if !ok {
		return
	}
	if served, failed := c.mpopFirst(a); !served && !failed {
		c.addNullArray()
	}
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
func lposCommand(c *Client) {
	elem := c.argv[2]
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(c.argv); j++ {
		more := j+1 < len(c.argv)
		switch {
		case more && strOpt(c.argv[j], "rank"):
			j++
			v, ok := c.strIntArgOrReply(c.argv[j])
			if !ok {
				return
			}
			if v == 0 {
				c.addError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
				return
			}
			rank = v
		case more && strOpt(c.argv[j], "count"):
			j++
			v, ok := keyspace.ParseCanonicalInt(c.argv[j])
			if !ok || v < 0 {
				c.addError("ERR COUNT can't be negative")
				return
			}
			count = v
		case more && strOpt(c.argv[j], "maxlen"):
			j++
			v, ok := keyspace.ParseCanonicalInt(c.argv[j])
			if !ok || v < 0 {
				c.addError("ERR MAXLEN can't be negative")
				return
			}
			maxlen = v
		default:
			c.addError(errSyntax)
			return
		}
	}
	reverse := false
	if rank < 0 {
		rank = -rank // math.MinInt64 stays negative, as in Redis
		reverse = true
	}
	o := c.lookupRead(c.argv[1])
	if o == nil {
		if count != -1 {
			c.addArrayLen(0)
		} else {
			c.addNull()
		}
		return
	}
	if !c.checkList(o) {
		return
	}
	l := asList(o)
	llen := int64(l.Len())
	var d deferredLen
	if count != -1 {
		d = c.addDeferredLen()
	}
	start := 0
	if reverse {
		start = -1
	}
	it := l.Iterator(start, reverse)
	var index, matches, arraylen int64
	matchindex := int64(-1)
	for maxlen == 0 || index < maxlen {
		v, ok := it.Next()
		if !ok {
			break
		}
		if bytes.Equal(v, elem) {
			matches++
			matchindex = index
			if reverse {
				matchindex = llen - index - 1
			}
			if matches >= rank {
				if count == -1 {
					break
				}
				arraylen++
				c.addInt(matchindex)
				if count != 0 && matches-rank+1 >= count {
					break
				}
			}
		}
		index++
		matchindex = -1
	}
	if count != -1 {
		c.setDeferredLen(d, '*', int(arraylen))
	} else if matchindex != -1 {
		c.addInt(matchindex)
	} else {
		c.addNull()
	}
}
