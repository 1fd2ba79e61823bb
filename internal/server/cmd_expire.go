package server

import (
	"math"
	"strconv"

	"github.com/modis/modis/internal/keyspace"
)

// Expiry commands: setting TTLs (relative or absolute, seconds or ms, with
// the NX/XX/GT/LT conditions), reading them, and PERSIST.

func init() {
	register(map[string]func(*Client){
		"expire":      expireCommand,
		"pexpire":     pexpireCommand,
		"expireat":    expireatCommand,
		"pexpireat":   pexpireatCommand,
		"ttl":         ttlCommand,
		"pttl":        pttlCommand,
		"expiretime":  expiretimeCommand,
		"pexpiretime": pexpiretimeCommand,
		"persist":     persistCommand,
	})
}

// Conditions of EXPIRE and friends.
const (
	expireNX = 1 << iota // only if the key has no TTL
	expireXX             // only if it has one
	expireGT             // only if the new TTL is greater (no TTL = infinite)
	expireLT             // only if the new TTL is less
)

func expireCommand(c *Client)    { expireGeneric(c, c.srv.ks.Now, true) }
func pexpireCommand(c *Client)   { expireGeneric(c, c.srv.ks.Now, false) }
func expireatCommand(c *Client)  { expireGeneric(c, 0, true) }
func pexpireatCommand(c *Client) { expireGeneric(c, 0, false) }

// parseExpireFlags parses the options after the time; it replies with the
// error and returns false on failure.
func parseExpireFlags(c *Client) (int, bool) {
	flags := 0
	for _, a := range c.argv[3:] {
		switch {
		case isOpt(a, "nx"):
			flags |= expireNX
		case isOpt(a, "xx"):
			flags |= expireXX
		case isOpt(a, "gt"):
			flags |= expireGT
		case isOpt(a, "lt"):
			flags |= expireLT
		default:
			c.addError("ERR Unsupported option " + cstr(string(a)))
			return 0, false
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		c.addError("ERR NX and XX, GT or LT options at the same time are not compatible")
		return 0, false
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		c.addError("ERR GT and LT options at the same time are not compatible")
		return 0, false
	}
	return flags, true
}

// expireGeneric is Redis's expireGenericCommand: basetime is added to the
// argument (0 for the *AT forms); seconds converts it from seconds.
func expireGeneric(c *Client, basetime int64, seconds bool) {
	key := c.argv[1]
	flags, ok := parseExpireFlags(c)
	if !ok {
		return
	}
	when, ok := keyspace.ParseCanonicalInt(c.argv[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	// Negative times are allowed (they delete the key), but overflow of
	// the unit conversion or of the addition is an error.
	invalid := "ERR invalid expire time in '" + c.cmd.spec.Name + "' command"
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			c.addError(invalid)
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-basetime {
		c.addError(invalid)
		return
	}
	when += basetime

	if c.lookupWrite(key) == nil {
		c.addInt(0)
		return
	}
	if flags != 0 {
		cur := c.db.Expire(key)
		if flags&expireNX != 0 && cur != -1 ||
			flags&expireXX != 0 && cur == -1 ||
			flags&expireGT != 0 && (when <= cur || cur == -1) ||
			flags&expireLT != 0 && cur != -1 && when >= cur {
			c.addInt(0)
			return
		}
	}
	s := c.srv
	if when <= s.ks.Now && !s.ks.NoExpire {
		// Already in the past: the key goes away at once, as a DEL.
		c.db.Delete(key)
		s.dirty++
		s.keyModified(c.db, key)
		s.notify(notifyGeneric, "del", key, c.db.ID)
		c.addInt(1)
		if c.propagating() {
			c.rewritePropagation(s.delOrUnlink(), key)
		}
		return
	}
	c.db.SetExpire(key, when)
	c.addInt(1)
	s.keyModified(c.db, key)
	s.notify(notifyGeneric, "expire", key, c.db.ID)
	s.dirty++
	// Every form propagates as PEXPIREAT with the absolute time, options
	// kept.
	if c.propagating() {
		pa := append([][]byte{[]byte("PEXPIREAT"), key, strconv.AppendInt(nil, when, 10)}, c.argv[3:]...)
		c.rewritePropagation(pa...)
	}
}

func ttlCommand(c *Client)         { ttlGeneric(c, false, false) }
func pttlCommand(c *Client)        { ttlGeneric(c, true, false) }
func expiretimeCommand(c *Client)  { ttlGeneric(c, false, true) }
func pexpiretimeCommand(c *Client) { ttlGeneric(c, true, true) }

// ttlGeneric replies with the remaining TTL or the absolute expiry time:
// -2 for a missing key, -1 for a key without TTL.
func ttlGeneric(c *Client, ms, abs bool) {
	if c.lookupReadFlags(c.argv[1], true, false) == nil {
		c.addInt(-2)
		return
	}
	expire := c.db.Expire(c.argv[1])
	if expire == -1 {
		c.addInt(-1)
		return
	}
	ttl := expire
	if !abs {
		ttl = expire - c.srv.ks.Now
	}
	if ttl < 0 {
		ttl = 0
	}
	if !ms {
		ttl = (ttl + 500) / 1000
	}
	c.addInt(ttl)
}

func persistCommand(c *Client) {
	key := c.argv[1]
	if c.lookupWrite(key) == nil || !c.db.Persist(key) {
		c.addInt(0)
		return
	}
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyGeneric, "persist", key, c.db.ID)
	c.addInt(1)
	c.srv.dirty++
}
