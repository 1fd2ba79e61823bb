package server

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hll"
)

// HyperLogLog commands (Redis's hyperloglog.c). HyperLogLogs are ordinary
// string values in Redis's exact format (internal/types/hll), so GET,
// SET, APPEND... see and change the same bytes as on Redis.

func init() {
	register(map[string]func(*Client){
		"pfadd":      pfaddCommand,
		"pfcount":    pfcountCommand,
		"pfmerge":    pfmergeCommand,
		"pfdebug":    pfdebugCommand,
		"pfselftest": pfselftestCommand,
	})
}

const (
	errNotHLL     = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errInvalidHLL = "INVALIDOBJ Corrupted HLL object detected"
)

// checkHLL is Redis's isHLLObjectOrReply: a string, not int-encoded, with
// a valid header. It replies with the error and returns false otherwise.
func (c *Client) checkHLL(o *keyspace.Object) bool {
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return false
	}
	if o.IsInt() || !hll.IsValid(o.Bytes()) {
		c.addError(errNotHLL)
		return false
	}
	return true
}

// hllBytes returns the value's bytes made private and raw-encoded
// (dbUnshareStringValue), ready to be modified in place.
func hllBytes(o *keyspace.Object) []byte { return strUnshare(o) }

func pfaddCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupWrite(key)
	updated := 0
	if o == nil {
		o = c.db.Add(key, keyspace.NewRawString(hll.New()))
		updated++
	} else {
		if !c.checkHLL(o) {
			return
		}
		hllBytes(o)
	}
	b := o.Bytes()
	max := c.srv.cfg.HLLSparseMaxBytes
	for _, ele := range c.argv[2:] {
		var r int
		b, r = hll.Add(b, ele, max)
		switch r {
		case 1:
			updated++
		case -1:
			o.SetBytes(b)
			c.addError(errInvalidHLL)
			return
		}
	}
	if updated > 0 {
		hll.InvalidateCache(b)
	}
	o.SetBytes(b)
	if updated > 0 {
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyString, "pfadd", key, c.db.ID)
		c.srv.dirty += int64(updated)
		c.addInt(1)
		return
	}
	c.addInt(0)
}

func pfcountCommand(c *Client) {
	if len(c.argv) > 2 {
		var regs hll.Registers
		for _, k := range c.argv[1:] {
			o := c.lookupRead(k)
			if o == nil {
				continue
			}
			if !c.checkHLL(o) {
				return
			}
			if !regs.Merge(o.Bytes()) {
				c.addError(errInvalidHLL)
				return
			}
		}
		c.addInt(int64(regs.Count()))
		return
	}
	key := c.argv[1]
	o := c.lookupRead(key)
	if o == nil {
		c.addInt(0)
		return
	}
	if !c.checkHLL(o) {
		return
	}
	b := hllBytes(o)
	card, ok := hll.CachedCount(b)
	if !ok {
		card, ok = hll.Count(b)
		if !ok {
			c.addError(errInvalidHLL)
			return
		}
		hll.SetCachedCount(b, card)
		c.srv.keyModified(c.db, key)
		c.srv.dirty++
	}
	c.addInt(int64(card))
}

func pfmergeCommand(c *Client) {
	var regs hll.Registers
	dense := false
	for _, k := range c.argv[1:] {
		o := c.lookupRead(k)
		if o == nil {
			continue
		}
		if !c.checkHLL(o) {
			return
		}
		b := o.Bytes()
		if hll.Encoding(b) == hll.Dense {
			dense = true
		}
		if !regs.Merge(b) {
			c.addError(errInvalidHLL)
			return
		}
	}
	key := c.argv[1]
	o := c.lookupWrite(key)
	if o == nil {
		o = c.db.Add(key, keyspace.NewRawString(hll.New()))
	} else {
		hllBytes(o)
	}
	b := o.Bytes()
	if dense {
		d, ok := hll.ToDense(b)
		if !ok {
			c.addError(errInvalidHLL)
			return
		}
		b = d
	}
	max := c.srv.cfg.HLLSparseMaxBytes
	for i, v := range regs {
		if v != 0 {
			b, _ = hll.Set(b, i, v, max)
		}
	}
	hll.InvalidateCache(b)
	o.SetBytes(b)
	c.srv.keyModified(c.db, key)
	c.srv.notify(notifyString, "pfadd", key, c.db.ID)
	c.srv.dirty++
	c.addOK()
}

func pfdebugCommand(c *Client) {
	sub := optLower(c.argv[1])
	key := c.argv[2]
	o := c.lookupWrite(key)
	if o == nil {
		c.addError("ERR The specified key does not exist")
		return
	}
	if !c.checkHLL(o) {
		return
	}
	b := hllBytes(o)
	switch sub {
	case "getreg":
		if hll.Encoding(b) == hll.Sparse {
			d, ok := hll.ToDense(b)
			if !ok {
				c.addError(errInvalidHLL)
				return
			}
			o.SetBytes(d)
			b = d
			// A forced change: counted, but not a modification for WATCH.
			c.db.Reaccount(key)
			c.srv.dirty++
		}
		regs := hll.DenseRegisters(b)
		c.addArrayLen(len(regs))
		for _, v := range regs {
			c.addInt(int64(v))
		}
	case "decode":
		if hll.Encoding(b) != hll.Sparse {
			c.addError("ERR HLL encoding is not sparse")
			return
		}
		c.addBulkString(hll.Decode(b))
	case "encoding":
		if hll.Encoding(b) == hll.Dense {
			c.addSimple("dense")
		} else {
			c.addSimple("sparse")
		}
	case "todense":
		conv := int64(0)
		if hll.Encoding(b) == hll.Sparse {
			d, ok := hll.ToDense(b)
			if !ok {
				c.addError(errInvalidHLL)
				return
			}
			o.SetBytes(d)
			conv = 1
			c.db.Reaccount(key)
			c.srv.dirty++
		}
		c.addInt(conv)
	default:
		c.addError("ERR Unknown PFDEBUG subcommand '" + cstr(string(c.argv[1])) + "'")
	}
}

func pfselftestCommand(c *Client) {
	if err := hll.SelfTest(c.srv.cfg.HLLSparseMaxBytes); err != nil {
		c.addError("TESTFAILED " + err.Error())
		return
	}
	c.addOK()
}
