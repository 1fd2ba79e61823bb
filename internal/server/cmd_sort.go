package server

import (
	"bytes"
	"math"
	"sort"

	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/set"
	"github.com/modis/modis/internal/types/zset"
)

// SORT and SORT_RO (Redis's sort.c): the elements of a list, set or sorted
// set ordered numerically or (ALPHA) as strings, optionally by the values
// of other keys (BY pattern, "nosort" for a pattern without '*'), sliced by
// LIMIT, mapped through GET patterns and stored as a list (STORE).

func init() {
	register(map[string]func(*Client){
		"sort":    func(c *Client) { sortGeneric(c, false) },
		"sort_ro": func(c *Client) { sortGeneric(c, true) },
	})
}

// sortItem is one element to sort with its sort key (Redis's
// redisSortObject).
type sortItem struct {
	elem  []byte
	score float64
	cmp   []byte // ALPHA BY value; nil when the key is missing
}

// cstrBytes is b up to its first NUL, as C string functions see it.
func cstrBytes(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// sortLookup is Redis's lookupKeyByPattern: "#" is the element itself;
// otherwise the first '*' of pattern is replaced by the element and the
// key (or, with "->field", the hash field) read. It returns nil when the
// pattern has no '*' or the value is missing or of another type.
func (c *Client) sortLookup(pattern, elem []byte) []byte {
	cp := cstrBytes(pattern)
	if len(cp) == 1 && cp[0] == '#' {
		return elem
	}
	star := bytes.IndexByte(cp, '*')
	if star < 0 {
		return nil
	}
	fieldLen := 0
	var field []byte
	if f := bytes.Index(cp[star+1:], []byte("->")); f >= 0 && star+1+f+2 < len(cp) {
		fpos := star + 1 + f
		fieldLen = len(pattern) - fpos - 2
		field = pattern[fpos+2:]
	}
	postLen := len(pattern) - (star + 1)
	if fieldLen > 0 {
		postLen -= fieldLen + 2
	}
	key := make([]byte, 0, star+len(elem)+postLen)
	key = append(key, pattern[:star]...)
	key = append(key, elem...)
	key = append(key, pattern[star+1:star+1+postLen]...)
	o := c.lookupRead(key)
	if o == nil {
		return nil
	}
	if fieldLen > 0 {
		if o.Kind() != keyspace.KindHash {
			return nil
		}
		v, ok := hashOf(o).Get(field)
		if !ok {
			return nil
		}
		return append([]byte(nil), v...)
	}
	if o.Kind() != keyspace.KindString {
		return nil
	}
	return o.AppendString(nil)
}

// compareBinary is Redis's compareStringObjects: memcmp, then length.
func compareBinary(a, b []byte) int { return bytes.Compare(a, b) }

// compareColl is strcoll under the C locale: strcmp of the C strings.
func compareColl(a, b []byte) int { return bytes.Compare(cstrBytes(a), cstrBytes(b)) }

func sortGeneric(c *Client, readonly bool) {
	argv := c.argv
	desc, alpha, dontsort := false, false, false
	var limitStart, limitCount int64 = 0, -1
	var sortBy, storeKey []byte
	var gets [][]byte
	// BY and GET read arbitrary keys: they need access to every key.
	fullAccess := c.user == nil || c.user.KeyAllowed([]byte("*"), acl.PermRead)
	for j := 2; j < len(argv); j++ {
		left := len(argv) - j - 1
		a := argv[j]
		switch {
		case isOpt(a, "asc"):
			desc = false
		case isOpt(a, "desc"):
			desc = true
		case isOpt(a, "alpha"):
			alpha = true
		case isOpt(a, "limit") && left >= 2:
			var ok bool
			if limitStart, ok = c.strIntArgOrReply(argv[j+1]); !ok {
				return
			}
			if limitCount, ok = c.strIntArgOrReply(argv[j+2]); !ok {
				return
			}
			j += 2
		case !readonly && isOpt(a, "store") && left >= 1:
			storeKey = argv[j+1]
			j++
		case isOpt(a, "by") && left >= 1:
			sortBy = argv[j+1]
			// A pattern without '*' is a constant: nothing to sort by.
			dontsort = bytes.IndexByte(cstrBytes(sortBy), '*') < 0
			if !dontsort && !fullAccess {
				c.addError("ERR BY option of SORT denied due to insufficient ACL permissions.")
				return
			}
			j++
		case isOpt(a, "get") && left >= 1:
			if !fullAccess {
				c.addError("ERR GET option of SORT denied due to insufficient ACL permissions.")
				return
			}
			gets = append(gets, argv[j+1])
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	o := c.lookupRead(argv[1])
	if o != nil && o.Kind() != keyspace.KindSet && o.Kind() != keyspace.KindList && o.Kind() != keyspace.KindZSet {
		c.addError(errWrongType)
		return
	}
	kind := keyspace.KindList
	if o != nil {
		kind = o.Kind()
	}
	// An unsorted set would come out in hash order: with STORE it is
	// sorted as strings so that replicas agree.
	if dontsort && kind == keyspace.KindSet && storeKey != nil {
		dontsort, alpha, sortBy = false, true, nil
	}
	// SORT turns a listpack sorted set into a skiplist for good.
	if kind == keyspace.KindZSet {
		z := zsetOf(o)
		if z.IsListpack() {
			z.ConvertToSkiplist()
			o.SetEncoding(keyspace.EncSkiplist)
			// A change of representation, not of the value: memory is
			// re-measured but WATCH is not touched, as in Redis.
			c.db.Reaccount(argv[1])
		}
	}
	vlen := 0
	if o != nil {
		switch kind {
		case keyspace.KindList:
			vlen = asList(o).Len()
		case keyspace.KindSet:
			vlen = setOf(o).Len()
		case keyspace.KindZSet:
			vlen = zsetOf(o).Len()
		}
	}
	// LIMIT is clamped to the size first, so start+count cannot overflow.
	start := min(max(limitStart, 0), int64(vlen))
	limitCount = min(max(limitCount, -1), int64(vlen))
	end := int64(vlen) - 1
	if limitCount >= 0 {
		end = start + limitCount - 1
	}
	if start >= int64(vlen) {
		start, end = int64(vlen)-1, int64(vlen)-2
	}
	if end >= int64(vlen) {
		end = int64(vlen) - 1
	}
	var items []sortItem
	direct := (kind == keyspace.KindZSet || kind == keyspace.KindList) && dontsort
	if direct && o != nil {
		// Lists and sorted sets keep their order: load just the range.
		if end >= start {
			n := int(end - start + 1)
			if kind == keyspace.KindList {
				l := asList(o)
				from := int(start)
				if desc {
					from = l.Len() - int(start) - 1
				}
				it := l.Iterator(from, desc)
				for len(items) < n {
					v, ok := it.Next()
					if !ok {
						break
					}
					items = append(items, sortItem{elem: append([]byte(nil), v...)})
				}
			} else {
				z := zsetOf(o)
				a, b := int(start), int(start)+n
				if desc {
					a, b = z.Len()-int(start)-n, z.Len()-int(start)
				}
				z.Range(a, b, desc, func(m []byte, _ float64) bool {
					items = append(items, sortItem{elem: append([]byte(nil), m...)})
					return true
				})
			}
			end -= start
			start = 0
		}
	} else if o != nil {
		switch kind {
		case keyspace.KindList:
			asList(o).Each(func(v []byte) bool {
				items = append(items, sortItem{elem: append([]byte(nil), v...)})
				return true
			})
		case keyspace.KindSet:
			setOf(o).Each(func(m set.Member) bool {
				items = append(items, sortItem{elem: m.Append(nil)})
				return true
			})
		case keyspace.KindZSet:
			zsetOf(o).EachUnordered(func(m []byte, _ float64) {
				items = append(items, sortItem{elem: append([]byte(nil), m...)})
			})
		}
	}
	convErr := false
	if !dontsort {
		for i := range items {
			it := &items[i]
			by := it.elem
			if sortBy != nil {
				by = c.sortLookup(sortBy, it.elem)
				if by == nil {
					continue
				}
			}
			if alpha {
				if sortBy != nil {
					it.cmp = by
				}
				continue
			}
			v, n, erange := zset.Strtod(by)
			if (n < len(by) && by[n] != 0) || erange || math.IsNaN(v) {
				convErr = true
			}
			if n == 0 {
				v = 0
			}
			it.score = v
		}
		cmp := func(a, b *sortItem) int {
			var r int
			switch {
			case !alpha:
				switch {
				case a.score > b.score:
					r = 1
				case a.score < b.score:
					r = -1
				default:
					r = compareBinary(a.elem, b.elem)
				}
			case sortBy != nil:
				switch {
				case a.cmp == nil || b.cmp == nil:
					if a.cmp == nil && b.cmp == nil {
						r = 0
					} else if a.cmp == nil {
						r = -1
					} else {
						r = 1
					}
				case storeKey != nil:
					r = compareBinary(a.cmp, b.cmp)
				default:
					r = compareColl(a.cmp, b.cmp)
				}
			case storeKey != nil:
				r = compareBinary(a.elem, b.elem)
			default:
				r = compareColl(a.elem, b.elem)
			}
			if desc {
				return -r
			}
			return r
		}
		if sortBy != nil && (start != 0 || end != int64(len(items))-1) {
			partialSort(items, cmp, int(start), int(end))
		} else {
			// glibc's qsort is a stable merge sort.
			sort.SliceStable(items, func(i, j int) bool { return cmp(&items[i], &items[j]) < 0 })
		}
	}
	n := int(max(end-start+1, 0))
	outLen := n
	if len(gets) > 0 {
		outLen = len(gets) * n
	}
	if convErr {
		c.addError("ERR One or more scores can't be converted into double")
		return
	}
	if storeKey == nil {
		c.addArrayLen(outLen)
		for j := int(start); j < int(start)+n; j++ {
			if len(gets) == 0 {
				c.addBulk(items[j].elem)
			}
			for _, g := range gets {
				if v := c.sortLookup(g, items[j].elem); v != nil {
					c.addBulk(v)
				} else {
					c.addNull()
				}
			}
		}
		return
	}
	if outLen > 0 {
		lo := c.srv.newListObject()
		l := asList(&lo)
		for j := int(start); j < int(start)+n; j++ {
			if len(gets) == 0 {
				l.PushTail(items[j].elem)
			}
			for _, g := range gets {
				v := c.sortLookup(g, items[j].elem)
				if v == nil {
					v = []byte{}
				}
				l.PushTail(v)
			}
		}
		c.db.Set(storeKey, lo, false)
		c.srv.keyModified(c.db, storeKey)
		c.srv.notify(notifyList, "sortstore", storeKey, c.db.ID)
		c.srv.dirty += int64(outLen)
	} else if c.db.Delete(storeKey) {
		c.srv.keyModified(c.db, storeKey)
		c.srv.notify(notifyGeneric, "del", storeKey, c.db.ID)
		c.srv.dirty++
	}
	c.addInt(int64(outLen))
}
