package server

import (
	"bytes"
	"math"
	"math/bits"
	"strings"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/keyspace"
)

// SCAN over the keyspace. The collection families (HSCAN, SSCAN, ZSCAN) can
// reuse parseScanCursor and the option parsing.

func init() {
	register(map[string]func(*Client){
		"scan": scanCommand,
	})
}

const errInvalidCursor = "ERR invalid cursor"

// parseScanCursor parses a cursor as C's strtoul in base 10 (what Redis
// uses): an optional sign, digits, nothing else. A minus sign negates
// modulo 2^64, an empty string is 0, overflow is an error.
func parseScanCursor(b []byte) (uint64, bool) {
	// strtoul reads a C string: a NUL byte ends the cursor.
	if n := bytes.IndexByte(b, 0); n >= 0 {
		b = b[:n]
	}
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i++
	}
	if i == len(b) {
		// No digits: strtoul converts nothing and points at the start, so
		// only the empty string is accepted.
		return 0, len(b) == 0
	}
	var v uint64
	for ; i < len(b); i++ {
		ch := b[i]
		if ch < '0' || ch > '9' {
			return 0, false
		}
		hi, lo := bits.Mul64(v, 10)
		lo, carry := bits.Add64(lo, uint64(ch-'0'), 0)
		if hi != 0 || carry != 0 {
			return 0, false
		}
		v = lo
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanOptions are the parsed MATCH / COUNT / TYPE options.
type scanOptions struct {
	count      int64
	pattern    []byte
	usePattern bool
	typeName   []byte // nil unless TYPE was given
}

// parseScanOptions parses argv[first:]; allowType accepts TYPE (keyspace
// SCAN only). It replies with the error and returns false on failure.
func parseScanOptions(c *Client, first int, allowType bool) (scanOptions, bool) {
	opt := scanOptions{count: 10}
	for i := first; i < len(c.argv); {
		left := len(c.argv) - i
		a := c.argv[i]
		switch {
		case isOpt(a, "count") && left >= 2:
			n, ok := keyspace.ParseCanonicalInt(c.argv[i+1])
			if !ok {
				c.addError(errNotInteger)
				return opt, false
			}
			if n < 1 {
				c.addError(errSyntax)
				return opt, false
			}
			opt.count = n
			i += 2
		case isOpt(a, "match") && left >= 2:
			opt.pattern = c.argv[i+1]
			opt.usePattern = !(len(opt.pattern) == 1 && opt.pattern[0] == '*')
			i += 2
		case isOpt(a, "type") && allowType && left >= 2:
			opt.typeName = c.argv[i+1]
			i += 2
		default:
			c.addError(errSyntax)
			return opt, false
		}
	}
	return opt, true
}

func scanCommand(c *Client) {
	cursor, ok := parseScanCursor(c.argv[1])
	if !ok {
		c.addError(errInvalidCursor)
		return
	}
	opt, ok := parseScanOptions(c, 2, true)
	if !ok {
		return
	}
	keys, cursor := scanKeys(c.db.Main(), cursor, opt.count)
	// Filter after the walk: pattern, then type, then expiry (which may
	// delete keys, so it must not run inside the table walk).
	out := keys[:0]
	for _, k := range keys {
		if opt.usePattern && !glob.MatchKey(opt.pattern, k) {
			continue
		}
		kb := []byte(k)
		if opt.typeName != nil {
			t := objectTypeName(c.lookupReadFlags(kb, true, false))
			if !strings.EqualFold(cstr(string(opt.typeName)), t) {
				continue
			}
		}
		if c.db.ExpireIfNeeded(kb) {
			continue
		}
		out = append(out, k)
	}
	c.addArrayLen(2)
	// Redis formats the unsigned cursor as a signed long long.
	c.addBulkInt(int64(cursor))
	c.addArrayLen(len(out))
	for _, k := range out {
		c.addBulkString(k)
	}
}

// scanKeys walks the table from cursor until it collected count keys, the
// walk completed, or it visited ten times count buckets (so a sparse table
// cannot stall the server). It returns the keys and the next cursor.
func scanKeys(d *dict.Dict[keyspace.Object], cursor uint64, count int64) ([]string, uint64) {
	var keys []string
	if count > math.MaxInt32 {
		count = math.MaxInt32
	}
	maxIter := count * 10
	for {
		cursor = d.Scan(cursor, func(n *dict.Node[keyspace.Object]) {
			keys = append(keys, n.Key)
		})
		if cursor == 0 || maxIter == 0 || int64(len(keys)) >= count {
			break
		}
		maxIter--
	}
	return keys, cursor
}

// scanKeyStart is the common start of HSCAN, SSCAN and ZSCAN, in Redis's
// order: the cursor (an error for a bad one), the key (the empty scan
// reply when missing, WRONGTYPE for another kind), then the options. ok
// is false once a reply was sent.
func (c *Client) scanKeyStart(kind keyspace.Kind) (o *keyspace.Object, cursor uint64, opt scanOptions, ok bool) {
	if cursor, ok = parseScanCursor(c.argv[2]); !ok {
		c.addError(errInvalidCursor)
		return nil, 0, opt, false
	}
	if o = c.lookupRead(c.argv[1]); o == nil {
		c.addRaw(emptyScanReply)
		return nil, 0, opt, false
	}
	if !c.checkType(o, kind) {
		return nil, 0, opt, false
	}
	opt, ok = parseScanOptions(c, 3, false)
	return o, cursor, opt, ok
}

// scanWalk is the walk of a hash-table encoded value for HSCAN, SSCAN and
// ZSCAN: step visits one bucket and returns the next cursor; the walk
// stops when it is complete, collected() reached count, or it visited ten
// times count buckets (so a sparse table cannot make one call long), as
// Redis's scanGenericCommand.
func scanWalk(cursor uint64, count int64, collected func() int64, step func(cursor uint64) uint64) uint64 {
	count = min(count, math.MaxInt32)
	maxIter := count * 10
	for {
		cursor = step(cursor)
		if cursor == 0 || maxIter == 0 || collected() >= count {
			return cursor
		}
		maxIter--
	}
}
