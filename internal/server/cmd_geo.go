package server

import (
	"math"
	"sort"
	"strconv"

	"github.com/modis/modis/internal/geo"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/zset"
)

// Geo commands (Redis's geo.c): points are sorted-set members whose score
// is the 52-bit geohash of their position, so GEOADD is ZADD with computed
// scores and searches scan score ranges of the cells around the centre.
// The hash arithmetic is internal/geo.

func init() {
	register(map[string]func(*Client){
		"geoadd":               geoaddCommand,
		"geodist":              geodistCommand,
		"geohash":              geohashCommand,
		"geopos":               geoposCommand,
		"georadius":            func(c *Client) { geoSearch(c, 1, geoByCoords) },
		"georadius_ro":         func(c *Client) { geoSearch(c, 1, geoByCoords|geoNoStore) },
		"georadiusbymember":    func(c *Client) { geoSearch(c, 1, geoByMember) },
		"georadiusbymember_ro": func(c *Client) { geoSearch(c, 1, geoByMember|geoNoStore) },
		"geosearch":            func(c *Client) { geoSearch(c, 1, geoSearchCmd) },
		"geosearchstore":       func(c *Client) { geoSearch(c, 2, geoSearchCmd|geoSearchStore) },
	})
}

// Search kinds (Redis's RADIUS_COORDS etc.).
const (
	geoByCoords = 1 << iota
	geoByMember
	geoNoStore
	geoSearchCmd
	geoSearchStore
)

const (
	errGeoUnit   = "ERR unsupported unit provided. please use M, KM, FT, MI"
	errGeoMember = "ERR could not decode requested zset member"
)

// geoUnit returns the meters per unit of a GEO unit argument, replying
// with an error (and ok false) for an unknown unit.
func (c *Client) geoUnit(b []byte) (float64, bool) {
	switch {
	case isOpt(b, "m"):
		return 1, true
	case isOpt(b, "km"):
		return 1000, true
	case isOpt(b, "ft"):
		return 0.3048, true
	case isOpt(b, "mi"):
		return 1609.34, true
	}
	c.addError(errGeoUnit)
	return 0, false
}

// geoDouble parses a float argument as getDoubleFromObjectOrReply, with
// msg (or the generic float error) as the error.
func (c *Client) geoDouble(b []byte, msg string) (float64, bool) {
	v, ok := zset.ParseScore(b)
	if !ok {
		if msg == "" {
			msg = errNotFloat
		}
		c.addError(msg)
	}
	return v, ok
}

// geoLongLat parses a longitude, latitude pair and checks its limits.
func (c *Client) geoLongLat(args [][]byte) (long, lat float64, ok bool) {
	if long, ok = c.geoDouble(args[0], ""); !ok {
		return
	}
	if lat, ok = c.geoDouble(args[1], ""); !ok {
		return
	}
	if long < geo.LongMin || long > geo.LongMax || lat < geo.LatMin || lat > geo.LatMax {
		c.addError("ERR invalid longitude,latitude pair " + cFixed6(long) + "," + cFixed6(lat))
		return 0, 0, false
	}
	return long, lat, true
}

// cFixed6 formats as C's "%f".
func cFixed6(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// geoDistanceArg parses "<radius> <unit>".
func (c *Client) geoDistanceArg(args [][]byte) (radius, conv float64, ok bool) {
	if radius, ok = c.geoDouble(args[0], "ERR need numeric radius"); !ok {
		return
	}
	if radius < 0 {
		c.addError("ERR radius cannot be negative")
		return 0, 0, false
	}
	conv, ok = c.geoUnit(args[1])
	return radius, conv, ok
}

// geoBoxArg parses "<width> <height> <unit>".
func (c *Client) geoBoxArg(args [][]byte) (w, h, conv float64, ok bool) {
	if w, ok = c.geoDouble(args[0], "ERR need numeric width"); !ok {
		return
	}
	if h, ok = c.geoDouble(args[1], "ERR need numeric height"); !ok {
		return
	}
	if h < 0 || w < 0 {
		c.addError("ERR height or width cannot be negative")
		return 0, 0, 0, false
	}
	conv, ok = c.geoUnit(args[2])
	return w, h, conv, ok
}

// geoMemberPos returns the position of member in the geo set z.
func geoMemberPos(z *zset.ZSet, member []byte) (long, lat float64, ok bool) {
	score, found := z.Score(member)
	if !found {
		return 0, 0, false
	}
	return geo.DecodeScore(score)
}

// addGeoCoord replies one coordinate as Redis's addReplyHumanLongDouble:
// up to 17 decimals without trailing zeros, a bulk string in RESP2 and a
// double in RESP3.
func (c *Client) addGeoCoord(v float64) {
	b := strconv.AppendFloat(nil, v, 'f', 17, 64)
	for len(b) > 0 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if string(b) == "-0" {
		b = b[:0]
		b = append(b, '0')
	}
	if c.resp == 2 {
		c.addBulk(b)
		return
	}
	if !c.replyOff {
		c.out = append(c.out, ',')
		c.out = append(c.out, b...)
		c.out = append(c.out, '\r', '\n')
	}
}

// addGeoDistance replies a distance with four decimals as a bulk string,
// formatted as Redis's fixedpoint_d2string: the distance times 10^4,
// rounded (the product first, then half to even), printed as a fixed-point
// number. This differs from "%.4f" when the scaled product lands on .5.
func (c *Client) addGeoDistance(d float64) {
	c.addBulk(appendFixed4(nil, d))
}

// appendFixed4 appends d with four fractional digits the way
// fixedpoint_d2string does.
func appendFixed4(b []byte, d float64) []byte {
	if d == 0 {
		return append(b, "0.0000"...)
	}
	scaled := float64(d * 10000)
	v := int64(math.RoundToEven(scaled))
	var u uint64
	if v < 0 {
		b = append(b, '-')
		u = uint64(-v)
	} else {
		u = uint64(v)
	}
	b = strconv.AppendUint(b, u/10000, 10)
	frac := u % 10000
	b = append(b, '.', byte('0'+frac/1000), byte('0'+frac/100%10), byte('0'+frac/10%10), byte('0'+frac%10))
	return b
}

// GEOADD key [NX|XX] [CH] long lat member [long lat member ...] runs as
// ZADD with the geohash scores (and propagates as that ZADD).
func geoaddCommand(c *Client) {
	xx, nx := false, false
	idx := 2
	for ; idx < len(c.argv); idx++ {
		a := c.argv[idx]
		switch {
		case isOpt(a, "nx"):
			nx = true
		case isOpt(a, "xx"):
			xx = true
		case isOpt(a, "ch"):
		default:
			goto parsed
		}
	}
parsed:
	if (len(c.argv)-idx)%3 != 0 || (xx && nx) {
		c.addError(errSyntax)
		return
	}
	elements := (len(c.argv) - idx) / 3
	argv := make([][]byte, 0, idx+2*elements)
	argv = append(argv, []byte("zadd"))
	argv = append(argv, c.argv[1:idx]...)
	for i := 0; i < elements; i++ {
		p := c.argv[idx+3*i:]
		long, lat, ok := c.geoLongLat(p)
		if !ok {
			return
		}
		bits, _ := geo.Score(long, lat)
		argv = append(argv, strconv.AppendUint(nil, bits, 10), p[2])
	}
	// ZADD reads c.argv; the original stays for SLOWLOG and MONITOR.
	orig := c.argv
	c.argv = argv
	c.rewritePropagation(argv...)
	zaddCommand(c)
	c.argv = orig
}

func geodistCommand(c *Client) {
	conv := 1.0
	if len(c.argv) == 5 {
		var ok bool
		if conv, ok = c.geoUnit(c.argv[4]); !ok {
			return
		}
	} else if len(c.argv) > 5 {
		c.addError(errSyntax)
		return
	}
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	z := zsetOf(o)
	long1, lat1, ok1 := geoMemberPos(z, c.argv[2])
	if !ok1 {
		c.addNull()
		return
	}
	long2, lat2, ok2 := geoMemberPos(z, c.argv[3])
	if !ok2 {
		c.addNull()
		return
	}
	c.addGeoDistance(geo.Distance(long1, lat1, long2, lat2) / conv)
}

func geohashCommand(c *Client) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		var score float64
		found := false
		if o != nil {
			score, found = zsetOf(o).Score(m)
		}
		if !found {
			c.addNull()
			continue
		}
		h, ok := geo.StandardHash(score)
		if !ok {
			c.addNull()
			continue
		}
		c.addBulkString(h)
	}
}

func geoposCommand(c *Client) {
	o, ok := c.lookupZsetRead(c.argv[1])
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		if o == nil {
			c.addNullArray()
			continue
		}
		long, lat, found := geoMemberPos(zsetOf(o), m)
		if !found {
			c.addNullArray()
			continue
		}
		c.addArrayLen(2)
		c.addGeoCoord(long)
		c.addGeoCoord(lat)
	}
}

// geoPoint is a search result.
type geoPoint struct {
	long, lat, dist, score float64
	member                 []byte
}

// geoCollect scans the zset scores of the cells of s in Redis's order,
// appending the points inside the shape; limit > 0 stops the scan once
// that many were found (COUNT ANY).
func geoCollect(z *zset.ZSet, s *geo.Shape, limit int) []geoPoint {
	cells := s.SearchCells()
	var out []geoPoint
	last := -1
	for i, h := range cells {
		if h.IsZero() {
			continue
		}
		// Huge radii can make adjacent neighbours the same cell.
		if last > 0 && h == cells[last] {
			continue
		}
		if len(out) > 0 && limit > 0 && len(out) >= limit {
			break
		}
		lo, hi := h.ScoreRange()
		a, b := z.ScoreRanks(zset.ScoreRange{Min: float64(lo), Max: float64(hi), Maxex: true})
		z.Range(a, b, false, func(m []byte, score float64) bool {
			long, lat, ok := geo.DecodeScore(score)
			if ok {
				if d, in := s.InShape(long, lat); in {
					out = append(out, geoPoint{long: long, lat: lat, dist: d, score: score, member: append([]byte(nil), m...)})
				}
			}
			return !(len(out) > 0 && limit > 0 && len(out) >= limit)
		})
		last = i
	}
	return out
}

// geoSearch is Redis's georadiusGeneric: GEORADIUS[BYMEMBER][_RO],
// GEOSEARCH and GEOSEARCHSTORE. srcIdx is the source key's index.
func geoSearch(c *Client, srcIdx int, flags int) {
	argv := c.argv
	o := c.lookupRead(argv[srcIdx])
	if o != nil && o.Kind() != keyspace.KindZSet {
		c.addError(errWrongType)
		return
	}
	var z *zset.ZSet
	if o != nil {
		z = zsetOf(o)
	}
	var shape geo.Shape
	var storeKey []byte
	storeDist := false
	base := 0
	switch {
	case flags&geoByCoords != 0:
		base = 6
		var ok bool
		if shape.Long, shape.Lat, ok = c.geoLongLat(argv[2:]); !ok {
			return
		}
		if shape.Radius, shape.Conversion, ok = c.geoDistanceArg(argv[4:]); !ok {
			return
		}
	case flags&geoByMember != 0 && z == nil:
		base = 5
	case flags&geoByMember != 0:
		base = 5
		var ok bool
		if shape.Long, shape.Lat, ok = geoMemberPos(z, argv[2]); !ok {
			c.addError(errGeoMember)
			return
		}
		if shape.Radius, shape.Conversion, ok = c.geoDistanceArg(argv[3:]); !ok {
			return
		}
	default:
		base = 2
		if flags&geoSearchStore != 0 {
			base = 3
			storeKey = argv[1]
		}
	}
	withDist, withHash, withCoord := false, false, false
	fromMember, fromLoc, byRadius, byBox := false, false, false, false
	sortDir := 0 // 0 none, 1 asc, -1 desc
	anyOpt := false
	var count int64
	isSearch := flags&geoSearchCmd != 0
	remaining := len(argv) - base
	for i := 0; i < remaining; i++ {
		a := argv[base+i]
		switch {
		case isOpt(a, "withdist"):
			withDist = true
		case isOpt(a, "withhash"):
			withHash = true
		case isOpt(a, "withcoord"):
			withCoord = true
		case isOpt(a, "any"):
			anyOpt = true
		case isOpt(a, "asc"):
			sortDir = 1
		case isOpt(a, "desc"):
			sortDir = -1
		case isOpt(a, "count") && i+1 < remaining:
			v, ok := c.strIntArgOrReply(argv[base+i+1])
			if !ok {
				return
			}
			if v <= 0 {
				c.addError("ERR COUNT must be > 0")
				return
			}
			count = v
			i++
		case (isOpt(a, "store") || isOpt(a, "storedist")) && i+1 < remaining &&
			flags&geoNoStore == 0 && !isSearch:
			storeKey = argv[base+i+1]
			storeDist = isOpt(a, "storedist")
			i++
		case isOpt(a, "storedist") && isSearch && flags&geoSearchStore != 0:
			storeDist = true
		case isOpt(a, "frommember") && i+1 < remaining && isSearch && !fromLoc:
			if z == nil {
				// No source: parse on, the reply is empty anyway.
				fromMember = true
				i++
				continue
			}
			var ok bool
			if shape.Long, shape.Lat, ok = geoMemberPos(z, argv[base+i+1]); !ok {
				c.addError(errGeoMember)
				return
			}
			fromMember = true
			i++
		case isOpt(a, "fromlonlat") && i+2 < remaining && isSearch && !fromMember:
			var ok bool
			if shape.Long, shape.Lat, ok = c.geoLongLat(argv[base+i+1:]); !ok {
				return
			}
			fromLoc = true
			i += 2
		case isOpt(a, "byradius") && i+2 < remaining && isSearch && !byBox:
			var ok bool
			if shape.Radius, shape.Conversion, ok = c.geoDistanceArg(argv[base+i+1:]); !ok {
				return
			}
			shape.Box = false
			byRadius = true
			i += 2
		case isOpt(a, "bybox") && i+3 < remaining && isSearch && !byRadius:
			var ok bool
			if shape.Width, shape.Height, shape.Conversion, ok = c.geoBoxArg(argv[base+i+1:]); !ok {
				return
			}
			shape.Box = true
			byBox = true
			i += 3
		default:
			c.addError(errSyntax)
			return
		}
	}
	if storeKey != nil && (withDist || withHash || withCoord) {
		what := "STORE option in GEORADIUS"
		if flags&geoSearchStore != 0 {
			what = "GEOSEARCHSTORE"
		}
		c.addError("ERR " + what + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
		return
	}
	if isSearch && !(fromMember || fromLoc) {
		c.addError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + cstr(string(argv[0])))
		return
	}
	if isSearch && !(byRadius || byBox) {
		c.addError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + cstr(string(argv[0])))
		return
	}
	if anyOpt && count == 0 {
		c.addError("ERR the ANY argument requires COUNT argument")
		return
	}
	if z == nil {
		if storeKey != nil {
			if c.db.Delete(storeKey) {
				c.srv.keyModified(c.db, storeKey)
				c.srv.notify(notifyGeneric, "del", storeKey, c.db.ID)
				c.srv.dirty++
			}
			c.addInt(0)
		} else {
			c.addArrayLen(0)
		}
		return
	}
	// COUNT returns the closest points: it implies ASC unless ANY.
	if count != 0 && sortDir == 0 && !anyOpt {
		sortDir = 1
	}
	limit := 0
	if anyOpt {
		limit = int(min(count, math.MaxInt32))
	}
	pts := geoCollect(z, &shape, limit)
	if len(pts) == 0 && storeKey == nil {
		c.addArrayLen(0)
		return
	}
	returned := len(pts)
	if count != 0 && int64(returned) > count {
		returned = int(count)
	}
	if sortDir != 0 {
		cmp := func(a, b *geoPoint) int {
			r := 0
			if a.dist > b.dist {
				r = 1
			} else if a.dist < b.dist {
				r = -1
			}
			return r * sortDir
		}
		if returned == len(pts) {
			// glibc's qsort (a merge sort) keeps equal distances in scan
			// order.
			sort.SliceStable(pts, func(i, j int) bool { return cmp(&pts[i], &pts[j]) < 0 })
		} else {
			partialSort(pts, cmp, 0, returned-1)
		}
	}
	pts = pts[:returned]
	if storeKey == nil {
		opts := 0
		for _, b := range []bool{withDist, withCoord, withHash} {
			if b {
				opts++
			}
		}
		c.addArrayLen(returned)
		for i := range pts {
			p := &pts[i]
			if opts > 0 {
				c.addArrayLen(opts + 1)
			}
			c.addBulk(p.member)
			if withDist {
				c.addGeoDistance(p.dist / shape.Conversion)
			}
			if withHash {
				c.addInt(int64(p.score))
			}
			if withCoord {
				c.addArrayLen(2)
				c.addGeoCoord(p.long)
				c.addGeoCoord(p.lat)
			}
		}
		return
	}
	if returned == 0 {
		if c.db.Delete(storeKey) {
			c.srv.keyModified(c.db, storeKey)
			c.srv.notify(notifyGeneric, "del", storeKey, c.db.ID)
			c.srv.dirty++
		}
		c.addInt(0)
		return
	}
	// The result is built as a skiplist and converted when small enough.
	dst := zset.New(true)
	maxLen := 0
	for i := range pts {
		p := &pts[i]
		score := p.score
		if storeDist {
			score = p.dist / shape.Conversion
		}
		dst.Add(p.member, score, 0, zset.Limits{})
		maxLen = max(maxLen, len(p.member))
	}
	if c.srv.zsetFitsListpack(dst.Len(), maxLen) {
		dst.ConvertToListpack()
	}
	c.db.Set(storeKey, newZsetObject(dst), false)
	c.srv.keyModified(c.db, storeKey)
	event := "georadiusstore"
	if isSearch {
		event = "geosearchstore"
	}
	c.srv.notify(notifyZset, event, storeKey, c.db.ID)
	c.srv.dirty += int64(returned)
	c.addInt(int64(returned))
}
