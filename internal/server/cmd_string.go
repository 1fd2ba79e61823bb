package server

import (
	"math"
	"strconv"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/str"
)

// The string commands (Redis's t_string.c). Bit commands live in
// cmd_bitops.go and LCS in cmd_lcs.go.

func init() {
	register(map[string]func(*Client){
		"get":         getCommand,
		"set":         setCommand,
		"setnx":       setnxCommand,
		"setex":       setexCommand,
		"psetex":      psetexCommand,
		"getset":      getsetCommand,
		"getdel":      getdelCommand,
		"getex":       getexCommand,
		"mget":        mgetCommand,
		"mset":        msetCommand,
		"msetnx":      msetnxCommand,
		"append":      appendCommand,
		"strlen":      strlenCommand,
		"getrange":    getrangeCommand,
		"substr":      getrangeCommand,
		"setrange":    setrangeCommand,
		"incr":        incrCommand,
		"decr":        decrCommand,
		"incrby":      incrbyCommand,
		"decrby":      decrbyCommand,
		"incrbyfloat": incrbyfloatCommand,
		// DEL belongs to the keys family; it stays here until cmd_keys.go
		// takes it over.
	})
}

// Flags of SET and GETEX, as parsed from their options.
const (
	strSetNX = 1 << iota
	strSetXX
	strEX
	strPX
	strKeepTTL
	strSetGet
	strEXAT
	strPXAT
	strPersist
)

const (
	strExpireMask = strEX | strPX | strEXAT | strPXAT
)

// strIntArgOrReply parses an integer argument as Redis's string2ll does
// (no spaces, no '+', no leading zeros) or replies with the usual error.
func (c *Client) strIntArgOrReply(b []byte) (int64, bool) {
	v, ok := keyspace.ParseCanonicalInt(b)
	if !ok {
		c.addError(errNotInteger)
	}
	return v, ok
}

// strOpt reports whether the argument, read as a C string (up to its first
// NUL, as Redis's option parsers see it), equals the lower-case word w,
// ignoring ASCII case.
func strOpt(arg []byte, w string) bool {
	if len(arg) < len(w) || (len(arg) > len(w) && arg[len(w)] != 0) {
		return false
	}
	for i := 0; i < len(w); i++ {
		ch := arg[i]
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if ch != w[i] {
			return false
		}
	}
	return true
}

// strParseExtended parses the options of SET (from argv[3]) or GETEX (from
// argv[2]) with Redis's rules: options conflicting with ones already seen
// are syntax errors, an expire option without a value is a syntax error. It
// returns the flags and the index of the expire argument (0 if none).
func (c *Client) strParseExtended(isSet bool) (flags int, expireIdx int, ok bool) {
	j := 2
	if isSet {
		j = 3
	}
	argv := c.argv
	for ; j < len(argv); j++ {
		opt := argv[j]
		hasNext := j < len(argv)-1
		switch {
		case isSet && flags&strSetXX == 0 && strOpt(opt, "nx"):
			flags |= strSetNX
		case isSet && flags&strSetNX == 0 && strOpt(opt, "xx"):
			flags |= strSetXX
		case isSet && strOpt(opt, "get"):
			flags |= strSetGet
		case isSet && flags&(strPersist|strExpireMask) == 0 && strOpt(opt, "keepttl"):
			flags |= strKeepTTL
		case !isSet && flags&(strExpireMask|strKeepTTL) == 0 && strOpt(opt, "persist"):
			flags |= strPersist
		case hasNext && flags&(strKeepTTL|strPersist|strEXAT|strPX|strPXAT) == 0 && strOpt(opt, "ex"):
			flags |= strEX
			expireIdx = j + 1
			j++
		case hasNext && flags&(strKeepTTL|strPersist|strEX|strEXAT|strPXAT) == 0 && strOpt(opt, "px"):
			flags |= strPX
			expireIdx = j + 1
			j++
		case hasNext && flags&(strKeepTTL|strPersist|strEX|strPX|strPXAT) == 0 && strOpt(opt, "exat"):
			flags |= strEXAT
			expireIdx = j + 1
			j++
		case hasNext && flags&(strKeepTTL|strPersist|strEX|strEXAT|strPX) == 0 && strOpt(opt, "pxat"):
			flags |= strPXAT
			expireIdx = j + 1
			j++
		default:
			c.addError(errSyntax)
			return 0, 0, false
		}
	}
	return flags, expireIdx, true
}

// strExpireErr is Redis's addReplyErrorExpireTime.
func (c *Client) strExpireErr() {
	c.addError("ERR invalid expire time in '" + c.cmd.spec.Name + "' command")
}

// strExpireMillis turns an expire argument into an absolute unix time in
// ms (Redis's getExpireMillisecondsOrReply). Relative forms (EX, PX) are
// added to the current time.
func (c *Client) strExpireMillis(arg []byte, flags int) (int64, bool) {
	ms, ok := c.strIntArgOrReply(arg)
	if !ok {
		return 0, false
	}
	seconds := flags&(strEX|strEXAT) != 0
	if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
		c.strExpireErr()
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if flags&(strEX|strPX) != 0 {
		ms += c.srv.ks.Now // wraps negative on overflow, caught below
	}
	if ms <= 0 {
		c.strExpireErr()
		return 0, false
	}
	return ms, true
}

// strGetGeneric is Redis's getGenericCommand: reply with the value of
// argv[1] or null. It returns false after a WRONGTYPE error.
func (c *Client) strGetGeneric() bool {
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addNull()
		return true
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return false
	}
	c.addObject(o)
	return true
}

func getCommand(c *Client) {
	c.strGetGeneric()
}

// strSetKey stores a copy of val under key with the string encoding Redis
// picks (int, embstr or raw), replacing any value (Redis's setKey). o is
// the current value from lookupWrite, or nil. The TTL is removed unless
// keepTTL.
func (c *Client) strSetKey(key []byte, o *keyspace.Object, val []byte, keepTTL bool) {
	if o == nil {
		c.db.Add(key, keyspace.NewString(val))
		return
	}
	if o.Kind() == keyspace.KindModule {
		// The module value is released with its key (unlink, free effort).
		c.db.Set(key, keyspace.NewString(val), keepTTL)
		return
	}
	o.Replace(keyspace.NewString(val))
	if !keepTTL {
		c.db.Persist(key)
	}
}

// strSetGeneric implements SET and its variants (Redis's
// setGenericCommand). expireIdx is the index of the expire argument or 0.
// intReplies selects SETNX's :1/:0 replies instead of +OK and null.
func (c *Client) strSetGeneric(flags int, key, val []byte, expireIdx int, intReplies bool) {
	var when int64
	if expireIdx > 0 {
		var ok bool
		if when, ok = c.strExpireMillis(c.argv[expireIdx], flags); !ok {
			return
		}
	}
	if flags&strSetGet != 0 && !c.strGetGeneric() {
		return
	}
	o := c.lookupWrite(key)
	if (flags&strSetNX != 0 && o != nil) || (flags&strSetXX != 0 && o == nil) {
		if flags&strSetGet == 0 {
			if intReplies {
				c.addInt(0)
			} else {
				c.addNull()
			}
		}
		return
	}
	// With a new expire the old TTL is overwritten in place below rather
	// than deleted and re-created.
	c.strSetKey(key, o, val, flags&strKeepTTL != 0 || expireIdx > 0)
	s := c.srv
	s.keyModified(c.db, key)
	s.dirty++
	s.notify(notifyString, "set", key, c.db.ID)
	if expireIdx > 0 {
		c.db.SetExpire(key, when)
		s.notify(notifyGeneric, "expire", key, c.db.ID)
		// A relative expire propagates as an absolute one (Redis 7.0).
		if c.propagating() {
			c.rewritePropagation([]byte("SET"), key, val, []byte("PXAT"), strconv.AppendInt(nil, when, 10))
		}
	} else if flags&strSetGet != 0 {
		if c.propagating() {
			c.rewritePropagation(withoutArg(c.argv, "get")...)
		}
	}
	if flags&strSetGet == 0 {
		if intReplies {
			c.addInt(1)
		} else {
			c.addOK()
		}
	}
}

// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]
func setCommand(c *Client) {
	flags := 0
	expireIdx := 0
	if len(c.argv) > 3 {
		var ok bool
		if flags, expireIdx, ok = c.strParseExtended(true); !ok {
			return
		}
	}
	c.strSetGeneric(flags, c.argv[1], c.argv[2], expireIdx, false)
}

func setnxCommand(c *Client) {
	c.strSetGeneric(strSetNX, c.argv[1], c.argv[2], 0, true)
}

func setexCommand(c *Client) {
	c.strSetGeneric(strEX, c.argv[1], c.argv[3], 2, false)
}

func psetexCommand(c *Client) {
	c.strSetGeneric(strPX, c.argv[1], c.argv[3], 2, false)
}

func getsetCommand(c *Client) {
	if !c.strGetGeneric() {
		return
	}
	key := c.argv[1]
	c.strSetKey(key, c.lookupWrite(key), c.argv[2], false)
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyString, "set", key, c.db.ID)
	c.srv.dirty++
	if c.propagating() {
		c.rewritePropagation([]byte("SET"), key, c.argv[2])
	}
}

func getdelCommand(c *Client) {
	if !c.strGetGeneric() {
		return
	}
	key := c.argv[1]
	if c.db.Delete(key) {
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyGeneric, "del", key, c.db.ID)
		c.srv.dirty++
		if c.propagating() {
			c.rewritePropagation([]byte("DEL"), key)
		}
	}
}

// GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]
func getexCommand(c *Client) {
	flags, expireIdx, ok := c.strParseExtended(false)
	if !ok {
		return
	}
	key := c.argv[1]
	o := c.lookupRead(key)
	if o == nil {
		c.addNull()
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	var when int64
	if expireIdx > 0 {
		if when, ok = c.strExpireMillis(c.argv[expireIdx], flags); !ok {
			return
		}
	}
	c.addObject(o)
	s := c.srv
	switch {
	case flags&(strEXAT|strPXAT) != 0 && when <= s.ks.Now:
		// An absolute time already past deletes the key.
		c.db.Delete(key)
		s.keyModified(c.db, key)
		s.notify(notifyGeneric, "del", key, c.db.ID)
		s.dirty++
		if c.propagating() {
			c.rewritePropagation(s.delOrUnlink(), key)
		}
	case expireIdx > 0:
		c.db.SetExpire(key, when)
		s.keyModified(c.db, key)
		s.notify(notifyGeneric, "expire", key, c.db.ID)
		s.dirty++
		if c.propagating() {
			c.rewritePropagation([]byte("PEXPIREAT"), key, strconv.AppendInt(nil, when, 10))
		}
	case flags&strPersist != 0:
		if c.db.Persist(key) {
			s.keyModified(c.db, key)
			s.notify(notifyGeneric, "persist", key, c.db.ID)
			s.dirty++
			if c.propagating() {
				c.rewritePropagation([]byte("PERSIST"), key)
			}
		}
	}
}

func mgetCommand(c *Client) {
	c.addArrayLen(len(c.argv) - 1)
	for _, k := range c.argv[1:] {
		o := c.lookupRead(k)
		if o == nil || o.Kind() != keyspace.KindString {
			c.addNull()
			continue
		}
		c.addObject(o)
	}
}

func msetCommand(c *Client)   { c.strMsetGeneric(false) }
func msetnxCommand(c *Client) { c.strMsetGeneric(true) }

func (c *Client) strMsetGeneric(nx bool) {
	argv := c.argv
	if len(argv)%2 == 0 {
		c.addError("ERR wrong number of arguments for '" + c.cmd.spec.Name + "' command")
		return
	}
	if nx {
		for j := 1; j < len(argv); j += 2 {
			if c.lookupWrite(argv[j]) != nil {
				c.addInt(0)
				return
			}
		}
	}
	s := c.srv
	for j := 1; j < len(argv); j += 2 {
		c.strSetKey(argv[j], c.lookupWrite(argv[j]), argv[j+1], false)
		s.keyModified(c.db, argv[j])
		s.notify(notifyString, "set", argv[j], c.db.ID)
	}
	s.dirty += int64(len(argv)-1) / 2
	if nx {
		c.addInt(1)
	} else {
		c.addOK()
	}
}

// strCheckLength is Redis's checkStringLength: size+add must not exceed
// proto-max-bulk-len.
func (c *Client) strCheckLength(size, add int64) bool {
	if limit := c.srv.cfg.ProtoMaxBulkLen; size > limit || add > limit-size {
		c.addError(errStringTooLong)
		return false
	}
	return true
}

// strUnshare makes a string value raw and returns its bytes for in-place
// modification (Redis's dbUnshareStringValue): int and embstr values are
// converted, as every in-place modification produces a raw string.
func strUnshare(o *keyspace.Object) []byte {
	if o.Encoding() == keyspace.EncRaw {
		return o.Bytes()
	}
	var tmp [24]byte
	b := append([]byte(nil), o.AppendString(tmp[:0])...)
	o.SetBytes(b)
	return b
}

// strGrowZero extends the raw value of o with zero bytes to at least n
// bytes (sdsgrowzero) and returns its bytes.
func strGrowZero(o *keyspace.Object, n int) []byte {
	b := o.Bytes()
	if len(b) >= n {
		return b
	}
	if n <= cap(b) {
		b = b[:n]
		clear(b[len(o.Bytes()):])
	} else {
		nb := make([]byte, n, strGrowCap(n))
		copy(nb, b)
		b = nb
	}
	o.SetBytes(b)
	return b
}

// strGrowCap picks the capacity for a growing string: doubling up to 1MB,
// then 1MB steps, like sds's greedy preallocation.
func strGrowCap(n int) int {
	if n < 1024*1024 {
		return n * 2
	}
	return n + 1024*1024
}

func appendCommand(c *Client) {
	key, val := c.argv[1], c.argv[2]
	o := c.lookupWrite(key)
	var total int
	if o == nil {
		no := c.db.Add(key, keyspace.NewString(val))
		total = no.StringLen()
	} else {
		if o.Kind() != keyspace.KindString {
			c.addError(errWrongType)
			return
		}
		if !c.strCheckLength(int64(o.StringLen()), int64(len(val))) {
			return
		}
		b := strUnshare(o)
		if len(b)+len(val) > cap(b) {
			nb := make([]byte, len(b), strGrowCap(len(b)+len(val)))
			copy(nb, b)
			b = nb
		}
		b = append(b, val...)
		o.SetBytes(b)
		total = len(b)
	}
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyString, "append", key, c.db.ID)
	c.srv.dirty++
	c.addInt(int64(total))
}

func strlenCommand(c *Client) {
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	c.addInt(int64(o.StringLen()))
}

// strBytes returns the string form of a string value, formatting ints into
// buf.
func strBytes(o *keyspace.Object, buf []byte) []byte {
	if o.IsInt() {
		return strconv.AppendInt(buf[:0], o.Int(), 10)
	}
	return o.Bytes()
}

// GETRANGE key start end (and its old name SUBSTR).
func getrangeCommand(c *Client) {
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
		c.addBulk(nil)
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	var buf [24]byte
	s := strBytes(o, buf[:])
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		c.addBulk(nil)
		return
	}
	start, end = clampRange(start, end, n)
	if start > end || n == 0 {
		c.addBulk(nil)
		return
	}
	c.addBulk(s[start : end+1])
}

func setrangeCommand(c *Client) {
	key, val := c.argv[1], c.argv[3]
	offset, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	if offset < 0 {
		c.addError("ERR offset is out of range")
		return
	}
	o := c.lookupWrite(key)
	if o == nil {
		if len(val) == 0 {
			c.addInt(0)
			return
		}
		if !c.strCheckLength(offset, int64(len(val))) {
			return
		}
		b := make([]byte, int(offset)+len(val))
		copy(b[offset:], val)
		c.db.Add(key, keyspace.NewRawString(b))
		c.strSetrangeDone(key, len(b))
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	if len(val) == 0 {
		c.addInt(int64(o.StringLen()))
		return
	}
	if !c.strCheckLength(offset, int64(len(val))) {
		return
	}
	strUnshare(o)
	b := strGrowZero(o, int(offset)+len(val))
	copy(b[offset:], val)
	c.strSetrangeDone(key, len(b))
}

func (c *Client) strSetrangeDone(key []byte, n int) {
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyString, "setrange", key, c.db.ID)
	c.srv.dirty++
	c.addInt(int64(n))
}

func incrCommand(c *Client) { c.strIncrDecr(1) }
func decrCommand(c *Client) { c.strIncrDecr(-1) }

func incrbyCommand(c *Client) {
	if incr, ok := c.strIntArgOrReply(c.argv[2]); ok {
		c.strIncrDecr(incr)
	}
}

func decrbyCommand(c *Client) {
	incr, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	if incr == math.MinInt64 {
		c.addError("ERR decrement would overflow")
		return
	}
	c.strIncrDecr(-incr)
}

// strObjectInt reads a string value as an integer (Redis's
// getLongLongFromObject); nil counts as 0.
func strObjectInt(o *keyspace.Object) (int64, bool) {
	if o == nil {
		return 0, true
	}
	if o.IsInt() {
		return o.Int(), true
	}
	return keyspace.ParseCanonicalInt(o.Bytes())
}

func (c *Client) strIncrDecr(incr int64) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o != nil && o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	value, ok := strObjectInt(o)
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value) {
		c.addError(errOverflow)
		return
	}
	value += incr
	if o != nil {
		o.Replace(keyspace.NewInt(value))
	} else {
		c.db.Add(key, keyspace.NewInt(value))
	}
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyString, "incrby", key, c.db.ID)
	c.srv.dirty++
	c.addInt(value)
}

// strObjectLongDouble reads a string value as a long double (Redis's
// getLongDoubleFromObject); nil counts as 0.
func strObjectLongDouble(o *keyspace.Object) (str.LongDouble, bool) {
	if o == nil {
		return str.LongDouble{}, true
	}
	if o.IsInt() {
		return str.LongDoubleFromInt(o.Int()), true
	}
	return str.ParseLongDouble(o.Bytes())
}

func incrbyfloatCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o != nil && o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	value, ok := strObjectLongDouble(o)
	if !ok {
		c.addError(errNotFloat)
		return
	}
	incr, ok := str.ParseLongDouble(c.argv[2])
	if !ok {
		c.addError(errNotFloat)
		return
	}
	sum, ok := value.Add(incr)
	if !ok {
		c.addError("ERR increment would produce NaN or Infinity")
		return
	}
	text := sum.AppendHuman(nil)
	nv := keyspace.NewEmbstrOrRaw(text)
	if o != nil {
		o.Replace(nv)
	} else {
		c.db.Add(key, nv)
	}
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyString, "incrbyfloat", key, c.db.ID)
	c.srv.dirty++
	c.addBulk(text)
	// Replicas must not redo the float arithmetic: propagate the result.
	if c.propagating() {
		c.rewritePropagation([]byte("SET"), key, text, []byte("KEEPTTL"))
	}
}

// clampRange turns a [start, end] range over n elements, where negative
// indexes count from the end, into absolute indexes clamped to [0, n-1] the
// way GETRANGE, BITCOUNT and BITPOS do. start > end afterwards means an
// empty range.
func clampRange(start, end, n int64) (int64, int64) {
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	return start, end
}
