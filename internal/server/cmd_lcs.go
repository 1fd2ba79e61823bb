package server

import (
	"math"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/str"
)

func init() {
	register(map[string]func(*Client){"lcs": lcsCommand})
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
func lcsCommand(c *Client) {
	oa := c.lookupRead(c.argv[1])
	ob := c.lookupRead(c.argv[2])
	if (oa != nil && oa.Kind() != keyspace.KindString) || (ob != nil && ob.Kind() != keyspace.KindString) {
		c.addError("ERR The specified keys must contain string values")
		return
	}
	var bufa, bufb [24]byte
	var a, b []byte
	if oa != nil {
		a = strBytes(oa, bufa[:])
	}
	if ob != nil {
		b = strBytes(ob, bufb[:])
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for j := 3; j < len(c.argv); j++ {
		opt := c.argv[j]
		more := len(c.argv) - 1 - j
		switch {
		case strOpt(opt, "idx"):
			getIdx = true
		case strOpt(opt, "len"):
			getLen = true
		case strOpt(opt, "withmatchlen"):
			withMatchLen = true
		case strOpt(opt, "minmatchlen") && more > 0:
			v, ok := c.strIntArgOrReply(c.argv[j+1])
			if !ok {
				return
			}
			minMatchLen = max(v, 0)
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	if getLen && getIdx {
		c.addError("ERR If you want both the length and indexes, please just use IDX.")
		return
	}
	if len(a) >= math.MaxUint32-1 || len(b) >= math.MaxUint32-1 {
		c.addError("ERR String too long for LCS")
		return
	}
	cells := uint64(len(a)+1) * uint64(len(b)+1)
	if cells*4 > uint64(c.srv.cfg.ProtoMaxBulkLen) {
		c.addError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
		return
	}
	length, lcs, matches := str.LCS(a, b, !getLen && !getIdx, getIdx)
	switch {
	case getIdx:
		c.addMapLen(2)
		c.addBulkString("matches")
		n := 0
		for _, m := range matches {
			if minMatchLen == 0 || int64(m.AEnd-m.AStart+1) >= minMatchLen {
				n++
			}
		}
		c.addArrayLen(n)
		for _, m := range matches {
			mlen := m.AEnd - m.AStart + 1
			if minMatchLen != 0 && int64(mlen) < minMatchLen {
				continue
			}
			if withMatchLen {
				c.addArrayLen(3)
			} else {
				c.addArrayLen(2)
			}
			c.addArrayLen(2)
			c.addInt(int64(m.AStart))
			c.addInt(int64(m.AEnd))
			c.addArrayLen(2)
			c.addInt(int64(m.BStart))
			c.addInt(int64(m.BEnd))
			if withMatchLen {
				c.addInt(int64(mlen))
			}
		}
		c.addBulkString("len")
		c.addInt(int64(length))
	case getLen:
		c.addInt(int64(length))
	default:
		c.addBulk(lcs)
	}
}
