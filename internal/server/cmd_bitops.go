package server

import (
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/str"
)

// The bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS,
// BITOP, BITFIELD and BITFIELD_RO. Bitmaps are plain strings; bit 0 is the
// most significant bit of the first byte.

func init() {
	register(map[string]func(*Client){
		"setbit":      setbitCommand,
		"getbit":      getbitCommand,
		"bitcount":    bitcountCommand,
		"bitpos":      bitposCommand,
		"bitop":       bitopCommand,
		"bitfield":    bitfieldCommand,
		"bitfield_ro": bitfieldroCommand,
	})
}

const errBitOffset = "ERR bit offset is not an integer or out of range"

// bitOffsetArg parses a bit offset (Redis's getBitOffsetFromArgument). With
// bits > 0 the "#N" form means N*bits (BITFIELD). Offsets whose byte is
// beyond proto-max-bulk-len are refused.
func (c *Client) bitOffsetArg(arg []byte, bits int) (uint64, bool) {
	hash := bits > 0 && len(arg) > 0 && arg[0] == '#'
	if hash {
		arg = arg[1:]
	}
	v, ok := keyspace.ParseCanonicalInt(arg)
	if !ok {
		c.addError(errBitOffset)
		return 0, false
	}
	if hash {
		v *= int64(bits) // may wrap, as in Redis; caught by the range check
	}
	if v < 0 || v>>3 >= c.srv.cfg.ProtoMaxBulkLen {
		c.addError(errBitOffset)
		return 0, false
	}
	return uint64(v), true
}

// bitStringForWrite returns the string at argv[1] made raw and at least
// long enough to address bit maxbit, creating it if missing (Redis's
// lookupStringForBitCommand). grown reports that the key was created or
// lengthened. A WRONGTYPE error gives nil.
func (c *Client) bitStringForWrite(maxbit uint64) (o *keyspace.Object, b []byte, grown bool) {
	key := c.argv[1]
	n := int(maxbit>>3) + 1
	o = c.lookupWrite(key)
	if o == nil {
		o = c.db.Add(key, keyspace.NewRawString(make([]byte, n)))
		return o, o.Bytes(), true
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return nil, nil, false
	}
	strUnshare(o)
	old := len(o.Bytes())
	b = strGrowZero(o, n)
	return o, b, len(b) != old
}

func setbitCommand(c *Client) {
	off, ok := c.bitOffsetArg(c.argv[2], 0)
	if !ok {
		return
	}
	on, ok := keyspace.ParseCanonicalInt(c.argv[3])
	if !ok || on&^1 != 0 {
		c.addError("ERR bit is not an integer or out of range")
		return
	}
	_, b, grown := c.bitStringForWrite(off)
	if b == nil {
		return
	}
	byteIdx, shift := off>>3, 7-off&7
	old := (b[byteIdx] >> shift) & 1
	if grown || int64(old) != on {
		b[byteIdx] = b[byteIdx]&^(1<<shift) | byte(on)<<shift
		key := c.argv[1]
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyString, "setbit", key, c.db.ID)
		c.srv.dirty++
	}
	c.addInt(int64(old))
}

func getbitCommand(c *Client) {
	off, ok := c.bitOffsetArg(c.argv[2], 0)
	if !ok {
		return
	}
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	var buf [24]byte
	s := strBytes(o, buf[:])
	var bit int64
	if byteIdx := off >> 3; byteIdx < uint64(len(s)) {
		bit = int64(s[byteIdx]>>(7-off&7)) & 1
	}
	c.addInt(bit)
}

// bitRangeMasks normalises a start..end range over a string of n bytes,
// in bytes or (isBit) in bits, as BITCOUNT and BITPOS do. For bit ranges
// it returns the byte range plus masks of the bits of the first and last
// byte that fall outside the range.
func bitRangeMasks(start, end, n int64, isBit bool) (int64, int64, byte, byte) {
	total := n
	if isBit {
		total <<= 3
	}
	start, end = clampRange(start, end, total)
	var first, last byte
	if isBit && start <= end {
		first = ^byte((1<<(8-(start&7)))-1) & 0xff
		last = byte((1 << (7 - (end & 7))) - 1)
		start >>= 3
		end >>= 3
	}
	return start, end, first, last
}

// bitUnitArg parses the BIT|BYTE option; it reports whether the unit is
// bits.
func (c *Client) bitUnitArg(arg []byte) (isBit, ok bool) {
	switch {
	case strOpt(arg, "bit"):
		return true, true
	case strOpt(arg, "byte"):
		return false, true
	}
	c.addError(errSyntax)
	return false, false
}

// BITCOUNT key [start end [BYTE|BIT]]
func bitcountCommand(c *Client) {
	o := c.lookupRead(c.argv[1])
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	var buf [24]byte
	p := strBytes(o, buf[:])
	n := int64(len(p))
	var start, end int64
	var first, last byte
	switch len(c.argv) {
	case 4, 5:
		var ok bool
		if start, ok = c.strIntArgOrReply(c.argv[2]); !ok {
			return
		}
		if end, ok = c.strIntArgOrReply(c.argv[3]); !ok {
			return
		}
		if start < 0 && end < 0 && start > end {
			c.addInt(0)
			return
		}
		isBit := false
		if len(c.argv) == 5 {
			if isBit, ok = c.bitUnitArg(c.argv[4]); !ok {
				return
			}
		}
		start, end, first, last = bitRangeMasks(start, end, n, isBit)
	case 2:
		start, end = 0, n-1
	default:
		c.addError(errSyntax)
		return
	}
	if start > end {
		c.addInt(0)
		return
	}
	count := str.Popcount(p[start : end+1])
	if first != 0 || last != 0 {
		// Take away the bits of the edge bytes outside the bit range.
		var edges [2]byte
		if first != 0 {
			edges[0] = p[start] & first
		}
		if last != 0 {
			edges[1] = p[end] & last
		}
		count -= str.Popcount(edges[:])
	}
	c.addInt(count)
}

// BITPOS key bit [start [end [BYTE|BIT]]]
func bitposCommand(c *Client) {
	bit, ok := c.strIntArgOrReply(c.argv[2])
	if !ok {
		return
	}
	if bit != 0 && bit != 1 {
		c.addError("ERR The bit argument must be 1 or 0.")
		return
	}
	o := c.lookupRead(c.argv[1])
	if o == nil {
		// A missing key is an infinite run of zeros.
		if bit == 1 {
			c.addInt(-1)
		} else {
			c.addInt(0)
		}
		return
	}
	if o.Kind() != keyspace.KindString {
		c.addError(errWrongType)
		return
	}
	var buf [24]byte
	p := strBytes(o, buf[:])
	n := int64(len(p))
	var start, end int64
	var first, last byte
	endGiven := false
	switch len(c.argv) {
	case 4, 5, 6:
		if start, ok = c.strIntArgOrReply(c.argv[3]); !ok {
			return
		}
		isBit := false
		if len(c.argv) == 6 {
			if isBit, ok = c.bitUnitArg(c.argv[5]); !ok {
				return
			}
		}
		if len(c.argv) >= 5 {
			if end, ok = c.strIntArgOrReply(c.argv[4]); !ok {
				return
			}
			endGiven = true
		} else if isBit {
			end = n<<3 + 7
		} else {
			end = n - 1
		}
		start, end, first, last = bitRangeMasks(start, end, n, isBit)
	case 3:
		start, end = 0, n-1
	default:
		c.addError(errSyntax)
		return
	}
	if start > end {
		c.addInt(-1)
		return
	}
	c.addInt(bitposRange(p, start, end, first, last, int(bit), endGiven))
}

// bitposRange searches p[start..end] with the edge masks of a bit range,
// following Redis's three-step search (first byte, middle, last byte).
func bitposRange(p []byte, start, end int64, first, last byte, bit int, endGiven bool) int64 {
	bytes := end - start + 1
	var pos int64
	masked := func(ch, mask byte) byte {
		if bit == 1 {
			return ch &^ mask
		}
		return ch | mask
	}
	if first != 0 {
		tmp := masked(p[start], first)
		if last != 0 && bytes == 1 {
			tmp = masked(tmp, last)
		}
		pos = str.Bitpos([]byte{tmp}, bit)
		if bytes == 1 || (pos != -1 && pos != 8) {
			goto result
		}
		start++
		bytes--
	}
	{
		cur := bytes
		if last != 0 {
			cur--
		}
		if cur > 0 {
			pos = str.Bitpos(p[start:start+cur], bit)
			if bytes == cur || (pos != -1 && pos != cur<<3) {
				goto result
			}
			start += cur
			bytes -= cur
		}
		pos = str.Bitpos([]byte{masked(p[end], last)}, bit)
	}
result:
	// With an explicit end, running past the range looking for a 0 means
	// there is none in the range.
	if endGiven && bit == 0 && pos == bytes<<3 {
		return -1
	}
	if pos != -1 {
		pos += start << 3
	}
	return pos
}

// BITOP AND|OR|XOR|NOT destkey key [key ...]
func bitopCommand(c *Client) {
	opname := c.argv[1]
	var op byte
	switch {
	case strOpt(opname, "and"):
		op = '&'
	case strOpt(opname, "or"):
		op = '|'
	case strOpt(opname, "xor"):
		op = '^'
	case strOpt(opname, "not"):
		op = '~'
	default:
		c.addError(errSyntax)
		return
	}
	if op == '~' && len(c.argv) != 4 {
		c.addError("ERR BITOP NOT must be called with a single source key.")
		return
	}
	keys := c.argv[3:]
	srcs := make([][]byte, len(keys))
	maxlen := 0
	for j, k := range keys {
		o := c.lookupRead(k)
		if o == nil {
			continue
		}
		if o.Kind() != keyspace.KindString {
			c.addError(errWrongType)
			return
		}
		if o.IsInt() {
			srcs[j] = strBytes(o, nil)
		} else {
			srcs[j] = o.Bytes()
		}
		if len(srcs[j]) > maxlen {
			maxlen = len(srcs[j])
		}
	}
	target := c.argv[2]
	s := c.srv
	if maxlen == 0 {
		// Redis deletes the target straight from the table here, without
		// expiring it first: a logically expired target gives "del".
		if c.db.Remove(target, keyspace.FreeServer) {
			s.keyModified(c.db, target)
			s.notify(notifyGeneric, "del", target, c.db.ID)
			s.dirty++
		}
		c.addInt(0)
		return
	}
	res := make([]byte, maxlen)
	copy(res, srcs[0])
	switch op {
	case '~':
		for i := range res {
			res[i] = ^res[i]
		}
	default:
		for _, src := range srcs[1:] {
			str.BitopInto(res, src, op)
		}
	}
	// The sources may alias the target's value: it is replaced only now.
	o := c.lookupWrite(target)
	nv := keyspace.NewRawString(res)
	if o != nil && o.Kind() == keyspace.KindModule {
		c.db.Set(target, nv, false) // releases the module value with its key
	} else if o != nil {
		o.Replace(nv)
		c.db.Persist(target)
	} else {
		c.db.Add(target, nv)
	}
	s.keyModified(c.db, target)
	s.notify(notifyString, "set", target, c.db.ID)
	s.dirty++
	c.addInt(int64(maxlen))
}

// bitfieldOp is one GET, SET or INCRBY of a BITFIELD command.
type bitfieldOp struct {
	offset uint64
	value  int64 // SET value or INCRBY increment
	op     byte  // 'g', 's', 'i'
	ow     int   // str.Overflow*
	bits   int
	signed bool
}

const errBitfieldType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."

// bitfieldTypeArg parses i<bits> (1..64) or u<bits> (1..63).
func (c *Client) bitfieldTypeArg(arg []byte) (signed bool, bits int, ok bool) {
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		c.addError(errBitfieldType)
		return false, 0, false
	}
	signed = arg[0] == 'i'
	digits := arg[1:]
	for i, ch := range digits { // read as a C string
		if ch == 0 {
			digits = digits[:i]
			break
		}
	}
	n, ok := keyspace.ParseCanonicalInt(digits)
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		c.addError(errBitfieldType)
		return false, 0, false
	}
	return signed, int(n), true
}

func bitfieldCommand(c *Client)   { c.bitfieldGeneric(false) }
func bitfieldroCommand(c *Client) { c.bitfieldGeneric(true) }

// bitfieldGeneric parses every subcommand first, then runs them in order on
// one string; writes make the string long enough for the farthest field.
func (c *Client) bitfieldGeneric(readonlyCmd bool) {
	var ops []bitfieldOp
	ow := str.OverflowWrap
	readonly := true
	var highest uint64
	argv := c.argv
	for j := 2; j < len(argv); j++ {
		remaining := len(argv) - j - 1
		sub := argv[j]
		var op byte
		switch {
		case strOpt(sub, "get") && remaining >= 2:
			op = 'g'
		case strOpt(sub, "set") && remaining >= 3:
			op = 's'
		case strOpt(sub, "incrby") && remaining >= 3:
			op = 'i'
		case strOpt(sub, "overflow") && remaining >= 1:
			j++
			switch t := argv[j]; {
			case strOpt(t, "wrap"):
				ow = str.OverflowWrap
			case strOpt(t, "sat"):
				ow = str.OverflowSat
			case strOpt(t, "fail"):
				ow = str.OverflowFail
			default:
				c.addError("ERR Invalid OVERFLOW type specified")
				return
			}
			continue
		default:
			c.addError(errSyntax)
			return
		}
		signed, bits, ok := c.bitfieldTypeArg(argv[j+1])
		if !ok {
			return
		}
		off, ok := c.bitOffsetArg(argv[j+2], bits)
		if !ok {
			return
		}
		var v int64
		if op != 'g' {
			readonly = false
			if last := off + uint64(bits) - 1; last > highest {
				highest = last
			}
			if v, ok = c.strIntArgOrReply(argv[j+3]); !ok {
				return
			}
			j++
		}
		ops = append(ops, bitfieldOp{offset: off, value: v, op: op, ow: ow, bits: bits, signed: signed})
		j += 2
	}

	var o *keyspace.Object
	var p []byte
	grown := false
	if readonly {
		o = c.lookupRead(argv[1])
		if o != nil && o.Kind() != keyspace.KindString {
			c.addError(errWrongType)
			return
		}
	} else {
		if readonlyCmd {
			c.addError("ERR BITFIELD_RO only supports the GET subcommand")
			return
		}
		if o, p, grown = c.bitStringForWrite(highest); o == nil {
			return
		}
	}

	c.addArrayLen(len(ops))
	changes := int64(0)
	for i := range ops {
		op := &ops[i]
		if op.op == 'g' {
			c.addInt(bitfieldGet(o, op))
			continue
		}
		if op.signed {
			oldv := str.GetSignedBitfield(p, op.offset, op.bits)
			var newv, ret int64
			var overflow int
			var limit int64
			if op.op == 'i' {
				overflow, limit = str.CheckSignedOverflow(oldv, op.value, op.bits, op.ow)
				newv = oldv + op.value
				if overflow != 0 {
					newv = limit
				}
				ret = newv
			} else {
				newv = op.value
				overflow, limit = str.CheckSignedOverflow(newv, 0, op.bits, op.ow)
				if overflow != 0 {
					newv = limit
				}
				ret = oldv
			}
			if overflow != 0 && op.ow == str.OverflowFail {
				c.addNull()
				continue
			}
			c.addInt(ret)
			str.SetUnsignedBitfield(p, op.offset, op.bits, uint64(newv))
			if grown || oldv != newv {
				changes++
			}
		} else {
			oldv := str.GetUnsignedBitfield(p, op.offset, op.bits)
			var newv, ret, limit uint64
			var overflow int
			if op.op == 'i' {
				newv = oldv + uint64(op.value)
				overflow, limit = str.CheckUnsignedOverflow(oldv, op.value, op.bits, op.ow)
				if overflow != 0 {
					newv = limit
				}
				ret = newv
			} else {
				newv = uint64(op.value)
				overflow, limit = str.CheckUnsignedOverflow(newv, 0, op.bits, op.ow)
				if overflow != 0 {
					newv = limit
				}
				ret = oldv
			}
			if overflow != 0 && op.ow == str.OverflowFail {
				c.addNull()
				continue
			}
			c.addInt(int64(ret))
			str.SetUnsignedBitfield(p, op.offset, op.bits, newv)
			if grown || oldv != newv {
				changes++
			}
		}
	}
	if changes > 0 {
		key := argv[1]
		c.srv.keyModified(c.db, key)
		c.srv.notify(notifyString, "setbit", key, c.db.ID)
		c.srv.dirty += changes
	}
}

// bitfieldGet reads a field, treating bytes past the end of the string (or
// a missing key) as zeros.
func bitfieldGet(o *keyspace.Object, op *bitfieldOp) int64 {
	var window [9]byte
	if o != nil {
		var buf [24]byte
		src := strBytes(o, buf[:])
		byteIdx := op.offset >> 3
		if byteIdx < uint64(len(src)) {
			copy(window[:], src[byteIdx:])
		}
	}
	off := op.offset & 7
	if op.signed {
		return str.GetSignedBitfield(window[:], off, op.bits)
	}
	return int64(str.GetUnsignedBitfield(window[:], off, op.bits))
}
