package aof

import (
	"errors"
	"strconv"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hash"
	"github.com/modis/modis/internal/types/list"
	"github.com/modis/modis/internal/types/set"
	"github.com/modis/modis/internal/types/stream"
	"github.com/modis/modis/internal/types/zset"
)

// ItemsPerCmd is how many elements one rewritten RPUSH, SADD, ZADD or
// HMSET carries at most (AOF_REWRITE_ITEMS_PER_CMD).
const ItemsPerCmd = 64

// ModuleRewriteFunc returns the commands that rebuild a module value (its
// type's aof_rewrite through RedisModule_EmitAOF).
type ModuleRewriteFunc func(key []byte, db int, o *keyspace.Object) ([][][]byte, error)

// ErrUnknownKind is a value no rewrite exists for.
var ErrUnknownKind = errors.New("aof: unknown value kind")

// AppendSelect appends SELECT db.
func AppendSelect(dst []byte, db int) []byte {
	return AppendCommand(dst, []byte("SELECT"), strconv.AppendInt(nil, int64(db), 10))
}

// AppendKey appends the commands that rebuild key with value o and its
// expire time (absolute ms, -1 for none), as Redis's AOF rewrite writes
// them: SET, or RPUSH/SADD/ZADD/HMSET in batches of ItemsPerCmd, XADD +
// XSETID + XGROUP CREATE + XCLAIM/XGROUP CREATECONSUMER for streams, the
// module's own commands, then PEXPIREAT.
func AppendKey(dst []byte, db int, key []byte, o *keyspace.Object, expireMs int64, mod ModuleRewriteFunc) ([]byte, error) {
	start := len(dst)
	var err error
	switch o.Kind() {
	case keyspace.KindString:
		var v []byte
		if o.IsInt() {
			v = strconv.AppendInt(nil, o.Int(), 10)
		} else {
			v = o.Bytes()
		}
		dst = AppendCommand(dst, []byte("SET"), key, v)
	case keyspace.KindList:
		l := (*list.List)(o.Ptr())
		b := batch{dst: dst, verb: "RPUSH", key: key, left: l.Len(), per: 1}
		l.Each(func(v []byte) bool {
			b.add(v)
			return true
		})
		dst = b.dst
	case keyspace.KindSet:
		s := (*set.Set)(o.Ptr())
		b := batch{dst: dst, verb: "SADD", key: key, left: s.Len(), per: 1}
		var tmp []byte
		s.Each(func(m set.Member) bool {
			tmp = m.Append(tmp[:0])
			b.add(tmp)
			return true
		})
		dst = b.dst
	case keyspace.KindZSet:
		z := (*zset.ZSet)(o.Ptr())
		b := batch{dst: dst, verb: "ZADD", key: key, left: z.Len(), per: 2}
		var tmp []byte
		each := func(m []byte, s float64) bool {
			tmp = appendDouble(tmp[:0], s)
			b.add(tmp, m)
			return true
		}
		if z.IsListpack() {
			z.Range(0, z.Len(), false, each)
		} else {
			z.EachUnordered(func(m []byte, s float64) { each(m, s) })
		}
		dst = b.dst
	case keyspace.KindHash:
		h := (*hash.Hash)(o.Ptr())
		b := batch{dst: dst, verb: "HMSET", key: key, left: h.Len(), per: 2}
		h.Each(func(f, v []byte) bool {
			b.add(f, v)
			return true
		})
		dst = b.dst
	case keyspace.KindStream:
		dst = appendStream(dst, key, (*stream.Stream)(o.Ptr()))
	case keyspace.KindModule:
		if mod == nil {
			return dst, ErrUnknownKind
		}
		var cmds [][][]byte
		cmds, err = mod(key, db, o)
		if err != nil {
			return dst[:start], err
		}
		for _, c := range cmds {
			dst = AppendCommand(dst, c...)
		}
	default:
		return dst, ErrUnknownKind
	}
	if expireMs != -1 {
		dst = AppendCommand(dst, []byte("PEXPIREAT"), key, strconv.AppendInt(nil, expireMs, 10))
	}
	return dst, nil
}

// batch writes a variadic command per ItemsPerCmd elements, each header
// announcing how many elements that command carries.
type batch struct {
	dst   []byte
	verb  string
	key   []byte
	left  int // elements not written yet
	per   int // arguments per element
	count int // elements in the current command
}

func (b *batch) add(args ...[]byte) {
	if b.count == 0 {
		n := min(b.left, ItemsPerCmd)
		b.dst = appendHeader(b.dst, '*', int64(2+n*b.per))
		b.dst = appendBulk(b.dst, []byte(b.verb))
		b.dst = appendBulk(b.dst, b.key)
	}
	for _, a := range args {
		b.dst = appendBulk(b.dst, a)
	}
	b.left--
	if b.count++; b.count == ItemsPerCmd {
		b.count = 0
	}
}

func appendBulk(dst, a []byte) []byte {
	dst = appendHeader(dst, '$', int64(len(a)))
	dst = append(dst, a...)
	return append(dst, '\r', '\n')
}

// appendDouble formats a score as Redis's rioWriteBulkDouble: %.17g
// ("inf", "-inf" for infinities).
func appendDouble(dst []byte, f float64) []byte { return zset.FormatScore(dst, f) }

func appendID(dst []byte, id stream.ID) []byte { return id.Append(dst) }

// appendStream rebuilds a stream: its entries, XSETID with the last ID,
// the entries-added counter and the max deleted ID, every group with its
// last ID and entries-read, each pending entry as XCLAIM ... FORCE and
// each consumer without pending entries as XGROUP CREATECONSUMER.
func appendStream(dst, key []byte, s *stream.Stream) []byte {
	var idb []byte
	if s.Len() > 0 {
		it := s.Iter(stream.ID{}, stream.MaxID, false)
		for id, nf, ok := it.Next(); ok; id, nf, ok = it.Next() {
			dst = appendHeader(dst, '*', int64(3+nf*2))
			dst = appendBulk(dst, []byte("XADD"))
			dst = appendBulk(dst, key)
			idb = appendID(idb[:0], id)
			dst = appendBulk(dst, idb)
			for i := 0; i < nf; i++ {
				f, v := it.Field()
				dst = appendBulk(dst, f)
				dst = appendBulk(dst, v)
			}
		}
	} else {
		// An empty stream: add an entry with MAXLEN 0, which is trimmed at once.
		dst = AppendCommand(dst, []byte("XADD"), key, []byte("MAXLEN"), []byte("0"), []byte("0-1"), []byte("x"), []byte("y"))
	}
	dst = AppendCommand(dst, []byte("XSETID"), key, appendID(nil, s.LastID),
		[]byte("ENTRIESADDED"), strconv.AppendUint(nil, s.EntriesAdded, 10),
		[]byte("MAXDELETEDID"), appendID(nil, s.MaxDeletedID))
	if s.GroupCount() == 0 {
		return dst
	}
	git := s.Groups().Iterator()
	git.Seek("^", nil)
	for gname, g, ok := git.Next(); ok; gname, g, ok = git.Next() {
		dst = AppendCommand(dst, []byte("XGROUP"), []byte("CREATE"), key, gname, appendID(nil, g.LastID),
			[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.EntriesRead, 10))
		cit := g.Consumers.Iterator()
		cit.Seek("^", nil)
		for cname, c, ok := cit.Next(); ok; cname, c, ok = cit.Next() {
			if c.PEL.Len() == 0 {
				dst = AppendCommand(dst, []byte("XGROUP"), []byte("CREATECONSUMER"), key, gname, cname)
				continue
			}
			pit := c.PEL.Iterator()
			pit.Seek("^", nil)
			for rawid, nack, ok := pit.Next(); ok; rawid, nack, ok = pit.Next() {
				dst = AppendCommand(dst, []byte("XCLAIM"), key, gname, cname, []byte("0"),
					appendID(nil, stream.IDFromKey(rawid)),
					[]byte("TIME"), strconv.AppendInt(nil, nack.DeliveryTime, 10),
					[]byte("RETRYCOUNT"), strconv.AppendInt(nil, nack.DeliveryCount, 10),
					[]byte("JUSTID"), []byte("FORCE"))
			}
		}
	}
	return dst
}
