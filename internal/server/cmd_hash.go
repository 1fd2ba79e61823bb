package server

import (
	"math"
	"strconv"
	"unsafe"

	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hash"
	"github.com/modis/modis/internal/types/str"
)

// The hash commands (Redis's t_hash.c). The value type and its encodings
// live in internal/types/hash; the per-kind hooks (memory, digest, COPY,
// DEBUG) are in hash_hooks.go.

func init() {
	register(map[string]func(*Client){
		"hset":         hsetCommand,
		"hmset":        hmsetCommand,
		"hsetnx":       hsetnxCommand,
		"hget":         hgetCommand,
		"hmget":        hmgetCommand,
		"hdel":         hdelCommand,
		"hlen":         hlenCommand,
		"hstrlen":      hstrlenCommand,
		"hexists":      hexistsCommand,
		"hkeys":        hkeysCommand,
		"hvals":        hvalsCommand,
		"hgetall":      hgetallCommand,
		"hincrby":      hincrbyCommand,
		"hincrbyfloat": hincrbyfloatCommand,
		"hrandfield":   hrandfieldCommand,
		"hscan":        hscanCommand,
	})
}

// hashOf returns the hash stored in a hash-kind object.
func hashOf(o *keyspace.Object) *hash.Hash { return (*hash.Hash)(o.Ptr()) }

// hashLimits are the listpack thresholds currently configured.
func (s *Server) hashLimits() hash.Limits {
	return hash.Limits{MaxEntries: s.cfg.HashMaxListpackEntries, MaxValue: s.cfg.HashMaxListpackValue}
}

// hashLookupRead looks key up for reading. It returns nil when the key is
// missing, and replies WRONGTYPE (ok false) when it holds another type.
func (c *Client) hashLookupRead(key []byte) (h *hash.Hash, ok bool) {
	o := c.lookupRead(key)
	if !c.checkType(o, keyspace.KindHash) {
		return nil, false
	}
	if o == nil {
		return nil, true
	}
	return hashOf(o), true
}

// hashLookupWriteOrCreate is Redis's hashTypeLookupWriteOrCreate: the hash
// at key, created empty when missing, or nil after replying WRONGTYPE.
// Callers must not fail after creating (every error is checked earlier).
func (c *Client) hashLookupWriteOrCreate(key []byte) (*hash.Hash, *keyspace.Object) {
	o := c.lookupWrite(key)
	if o == nil {
		return c.hashCreate(key)
	}
	if o.Kind() != keyspace.KindHash {
		c.addError(errWrongType)
		return nil, nil
	}
	return hashOf(o), o
}

// hashCreate adds an empty hash under key, which must not exist.
func (c *Client) hashCreate(key []byte) (*hash.Hash, *keyspace.Object) {
	h := hash.New()
	return h, c.db.Add(key, keyspace.NewValue(keyspace.KindHash, h.Encoding(), unsafe.Pointer(h)))
}

// hashWritten finishes a write: the object's encoding follows the hash's,
// WATCH and memory accounting learn of the change, and the event fires.
func (c *Client) hashWritten(key []byte, o *keyspace.Object, event string) {
	o.SetEncoding(hashOf(o).Encoding())
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyHash, event, key, c.db.ID)
}

// hsetCommand replies the number of fields created; HMSET, the same
// write, replies OK.
func hsetCommand(c *Client) {
	hsetGeneric(c, func(created int) { c.addInt(int64(created)) })
}

func hmsetCommand(c *Client) {
	hsetGeneric(c, func(int) { c.addOK() })
}

// hsetGeneric sets every field/value pair of argv[2:] and replies through
// reply (before the event fires, as Redis orders them).
func hsetGeneric(c *Client, reply func(created int)) {
	if len(c.argv)%2 == 1 {
		c.addError("ERR wrong number of arguments for '" + c.cmd.spec.Name + "' command")
		return
	}
	key := c.argv[1]
	h, o := c.hashLookupWriteOrCreate(key)
	if h == nil {
		return
	}
	lim := c.srv.hashLimits()
	h.TryConversion(lim, c.argv[2:])
	created := 0
	for i := 2; i < len(c.argv); i += 2 {
		if h.Set(c.argv[i], c.argv[i+1], lim) {
			created++
		}
	}
	reply(created)
	c.hashWritten(key, o, "hset")
	c.srv.dirty += int64(len(c.argv)-2) / 2
}

func hsetnxCommand(c *Client) {
	key := c.argv[1]
	h, o := c.hashLookupWriteOrCreate(key)
	if h == nil {
		return
	}
	if h.Exists(c.argv[2]) {
		c.addInt(0)
		return
	}
	lim := c.srv.hashLimits()
	h.TryConversion(lim, c.argv[2:4])
	h.Set(c.argv[2], c.argv[3], lim)
	c.addInt(1)
	c.hashWritten(key, o, "hset")
	c.srv.dirty++
}

func hgetCommand(c *Client) {
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	if h != nil {
		if v, found := h.Get(c.argv[2]); found {
			c.addBulk(v)
			return
		}
	}
	c.addNull()
}

func hmgetCommand(c *Client) {
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, f := range c.argv[2:] {
		if h != nil {
			if v, found := h.Get(f); found {
				c.addBulk(v)
				continue
			}
		}
		c.addNull()
	}
}

func hdelCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Kind() != keyspace.KindHash {
		c.addError(errWrongType)
		return
	}
	h := hashOf(o)
	deleted, keyRemoved := 0, false
	for _, f := range c.argv[2:] {
		if h.Delete(f) {
			deleted++
			if h.Len() == 0 {
				c.db.Delete(key)
				keyRemoved = true
				break
			}
		}
	}
	if deleted > 0 {
		if !keyRemoved {
			o.SetEncoding(h.Encoding())
		}
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyHash, "hdel", key, c.db.ID)
		if keyRemoved {
			c.srv.notify(notifyGeneric, "del", key, c.db.ID)
		}
		c.srv.dirty += int64(deleted)
	}
	c.addInt(int64(deleted))
}

func hlenCommand(c *Client) {
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	if h == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(h.Len()))
}

func hstrlenCommand(c *Client) {
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	var n int
	if h != nil {
		v, _ := h.Get(c.argv[2])
		n = len(v)
	}
	c.addInt(int64(n))
}

func hexistsCommand(c *Client) {
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	if h != nil && h.Exists(c.argv[2]) {
		c.addInt(1)
		return
	}
	c.addInt(0)
}

// What genericHgetall replies with.
const (
	hashReplyFields = 1 << iota
	hashReplyValues
)

// hgetallGeneric serves HKEYS, HVALS and HGETALL: a map when both fields
// and values are wanted, else a flat array.
func hgetallGeneric(c *Client, what int) {
	both := what == hashReplyFields|hashReplyValues
	o := c.lookupRead(c.argv[1])
	if o != nil && o.Kind() != keyspace.KindHash {
		c.addError(errWrongType)
		return
	}
	n := 0
	if o != nil {
		n = hashOf(o).Len()
	}
	if both {
		c.addMapLen(n)
	} else {
		c.addArrayLen(n)
	}
	if o == nil {
		return
	}
	hashOf(o).Each(func(f, v []byte) bool {
		if what&hashReplyFields != 0 {
			c.addBulk(f)
		}
		if what&hashReplyValues != 0 {
			c.addBulk(v)
		}
		return true
	})
}

func hkeysCommand(c *Client)   { hgetallGeneric(c, hashReplyFields) }
func hvalsCommand(c *Client)   { hgetallGeneric(c, hashReplyValues) }
func hgetallCommand(c *Client) { hgetallGeneric(c, hashReplyFields|hashReplyValues) }

func hincrbyCommand(c *Client) {
	incr, ok := c.strIntArgOrReply(c.argv[3])
	if !ok {
		return
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o != nil && o.Kind() != keyspace.KindHash {
		c.addError(errWrongType)
		return
	}
	var value int64
	if o != nil {
		if v, found := hashOf(o).Get(c.argv[2]); found {
			if value, ok = keyspace.ParseCanonicalInt(v); !ok {
				c.addError("ERR hash value is not an integer")
				return
			}
		}
	}
	if (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value) {
		c.addError(errOverflow)
		return
	}
	value += incr
	if o == nil {
		_, o = c.hashCreate(key)
	}
	hashOf(o).Set(c.argv[2], strconv.AppendInt(nil, value, 10), c.srv.hashLimits())
	c.addInt(value)
	c.hashWritten(key, o, "hincrby")
	c.srv.dirty++
}

func hincrbyfloatCommand(c *Client) {
	incr, ok := str.ParseLongDouble(c.argv[3])
	if !ok {
		c.addError(errNotFloat)
		return
	}
	if incr.IsInf() {
		c.addError("ERR value is NaN or Infinity")
		return
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o != nil && o.Kind() != keyspace.KindHash {
		c.addError(errWrongType)
		return
	}
	var value str.LongDouble
	if o != nil {
		if v, found := hashOf(o).Get(c.argv[2]); found {
			if value, ok = str.ParseLongDouble(v); !ok {
				c.addError("ERR hash value is not a float")
				return
			}
		}
	}
	sum, ok := value.Add(incr)
	if !ok {
		c.addError("ERR increment would produce NaN or Infinity")
		return
	}
	text := sum.AppendHuman(nil)
	if o == nil {
		_, o = c.hashCreate(key)
	}
	hashOf(o).Set(c.argv[2], text, c.srv.hashLimits())
	c.addBulk(text)
	c.hashWritten(key, o, "hincrbyfloat")
	c.srv.dirty++
	if c.propagating() {
		// The result, not the increment: float arithmetic may differ
		// where the command is replayed.
		c.rewritePropagation([]byte("HSET"), key, c.argv[2], text)
	}
}

func hrandfieldCommand(c *Client) {
	if len(c.argv) >= 3 {
		l, ok := keyspace.ParseCanonicalInt(c.argv[2])
		if !ok {
			c.addError(errNotInteger)
			return
		}
		if l < -math.MaxInt64 {
			c.addError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
			return
		}
		withValues := false
		if len(c.argv) > 4 || (len(c.argv) == 4 && !isOpt(c.argv[3], "withvalues")) {
			c.addError(errSyntax)
			return
		} else if len(c.argv) == 4 {
			withValues = true
			if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
				c.addError("ERR value is out of range")
				return
			}
		}
		hrandfieldWithCount(c, l, withValues)
		return
	}
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	if h == nil {
		c.addNull()
		return
	}
	c.addBulk(h.Random().Field)
}

// hrandfieldWithCount replies count random fields: distinct ones for a
// positive count (at most the whole hash), possibly repeated ones for a
// negative count. With values, RESP2 gets a flat array and RESP3 an array
// of pairs.
func hrandfieldWithCount(c *Client, l int64, withValues bool) {
	h, ok := c.hashLookupRead(c.argv[1])
	if !ok {
		return
	}
	if h == nil || l == 0 {
		c.addArrayLen(0)
		return
	}
	pair := func(p hash.Pair) {
		if withValues && c.resp > 2 {
			c.addArrayLen(2)
		}
		c.addBulk(p.Field)
		if withValues {
			c.addBulk(p.Value)
		}
	}
	header := func(n int64) {
		if withValues && c.resp == 2 {
			n *= 2
		}
		c.addArrayLen(int(n))
	}
	size := int64(h.Len())
	if l < 0 || l == 1 {
		count := l
		if count < 0 {
			count = -count
		}
		header(count)
		sample := h.Sampler()
		for ; count > 0; count-- {
			pair(sample())
			// Redis stops once the client is closed for its output
			// buffer limit (CLIENT_CLOSE_ASAP).
			if count%1024 == 0 && c.srv.checkOutputLimits(c) {
				break
			}
		}
		return
	}
	if l >= size {
		header(size)
		h.Each(func(f, v []byte) bool {
			pair(hash.Pair{Field: f, Value: v})
			return true
		})
		return
	}
	header(l)
	for _, p := range h.RandomDistinct(int(l)) {
		pair(p)
	}
}

func hscanCommand(c *Client) {
	o, cursor, opt, ok := c.scanKeyStart(keyspace.KindHash)
	if !ok {
		return
	}
	h := hashOf(o)
	var items [][]byte
	keep := func(f, v []byte) {
		if opt.usePattern && !glob.Match(opt.pattern, f) {
			return
		}
		items = append(items, f, v)
	}
	if h.IsListpack() {
		h.Scan(0, keep)
		cursor = 0
	} else {
		// Like Redis, COUNT bounds the fields and values collected (two
		// per pair) before filtering.
		collected := int64(0)
		cursor = scanWalk(cursor, opt.count, func() int64 { return collected }, func(cur uint64) uint64 {
			return h.Scan(cur, func(f, v []byte) {
				collected += 2
				keep(f, v)
			})
		})
	}
	c.addArrayLen(2)
	c.addBulkInt(int64(cursor))
	c.addArrayLen(len(items))
	for _, it := range items {
		c.addBulk(it)
	}
}
