package rdb

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/list"
	"github.com/modis/modis/internal/types/stream"
)

// Payloads in the encodings older Redis versions wrote (and 7.0 still
// reads), built by hand: each is RESTOREd into redis-server and loaded
// here, and both must give the same value in the same encoding.

// ziplist builds a ziplist of elements, integers encoded as Redis does.
func ziplist(elems ...string) []byte {
	zl := make([]byte, 10)
	prev, last := 0, 10
	for _, e := range elems {
		start := len(zl)
		if prev < 254 {
			zl = append(zl, byte(prev))
		} else {
			zl = append(zl, 0xFE)
			zl = binary.LittleEndian.AppendUint32(zl, uint32(prev))
		}
		if v, ok := keyspace.ParseCanonicalInt([]byte(e)); ok && len(e) <= 20 {
			switch {
			case v >= 0 && v <= 12:
				zl = append(zl, 0xF1+byte(v))
			case v >= math.MinInt8 && v <= math.MaxInt8:
				zl = append(zl, 0xFE, byte(v))
			case v >= math.MinInt16 && v <= math.MaxInt16:
				zl = append(zl, 0xC0, byte(v), byte(v>>8))
			case v >= -(1<<23) && v < 1<<23:
				zl = append(zl, 0xF0, byte(v), byte(v>>8), byte(v>>16))
			case v >= math.MinInt32 && v <= math.MaxInt32:
				zl = append(zl, 0xD0)
				zl = binary.LittleEndian.AppendUint32(zl, uint32(v))
			default:
				zl = append(zl, 0xE0)
				zl = binary.LittleEndian.AppendUint64(zl, uint64(v))
			}
		} else {
			switch n := len(e); {
			case n < 64:
				zl = append(zl, byte(n))
			case n < 16384:
				zl = append(zl, 0x40|byte(n>>8), byte(n))
			default:
				zl = append(zl, 0x80)
				zl = binary.BigEndian.AppendUint32(zl, uint32(n))
			}
			zl = append(zl, e...)
		}
		prev, last = len(zl)-start, start
	}
	zl = append(zl, 0xFF)
	binary.LittleEndian.PutUint32(zl, uint32(len(zl)))
	binary.LittleEndian.PutUint32(zl[4:], uint32(last))
	binary.LittleEndian.PutUint16(zl[8:], uint16(min(len(elems), 65535)))
	return zl
}

// zipmap builds a zipmap of key/value pairs.
func zipmap(kv ...string) []byte {
	zm := []byte{byte(min(len(kv)/2, 254))}
	putLen := func(n int) {
		if n < 254 {
			zm = append(zm, byte(n))
		} else {
			zm = append(zm, 254)
			zm = binary.LittleEndian.AppendUint32(zm, uint32(n))
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		putLen(len(kv[i]))
		zm = append(zm, kv[i]...)
		putLen(len(kv[i+1]))
		zm = append(zm, 0)
		zm = append(zm, kv[i+1]...)
	}
	return append(zm, 0xFF)
}

// payload frames a value body as a DUMP payload.
func payload(t byte, body []byte) []byte {
	p := append([]byte{t}, body...)
	p = binary.LittleEndian.AppendUint16(p, Version)
	return binary.LittleEndian.AppendUint64(p, CRC64(0, p))
}

func strs(ss ...string) []byte {
	var b []byte
	for _, s := range ss {
		b = AppendString(b, []byte(s), false)
	}
	return b
}

func withLen(n int, rest []byte) []byte { return append(AppendLen(nil, uint64(n)), rest...) }

// textScore is the old ZSET score encoding.
func textScore(s string) []byte {
	switch s {
	case "nan":
		return []byte{253}
	case "inf":
		return []byte{254}
	case "-inf":
		return []byte{255}
	}
	return append([]byte{byte(len(s))}, s...)
}

// streamV1 writes a stream as RDB_TYPE_STREAM_LISTPACKS (Redis 5 to 6.2):
// without first ID, max deleted ID, entries added and group counters.
func streamV1(s *stream.Stream) []byte {
	full := appendStream(nil, s, false, nil)
	// Re-encode by hand: nodes as they are, then the shorter metadata.
	var b []byte
	b = AppendLen(b, uint64(s.NodeCount()))
	s.EachListpack(func(key, lp []byte) {
		b = AppendString(b, key, false)
		b = AppendString(b, lp, false)
	})
	b = AppendLen(b, s.Len())
	b = AppendLen(b, s.LastID.Ms)
	b = AppendLen(b, s.LastID.Seq)
	b = AppendLen(b, uint64(s.GroupCount()))
	if s.GroupCount() > 0 {
		git := s.Groups().Iterator()
		git.Seek("^", nil)
		for name, g, ok := git.Next(); ok; name, g, ok = git.Next() {
			b = AppendString(b, name, false)
			b = AppendLen(b, g.LastID.Ms)
			b = AppendLen(b, g.LastID.Seq)
			b = AppendLen(b, uint64(g.PEL.Len()))
			pit := g.PEL.Iterator()
			pit.Seek("^", nil)
			for id, nack, ok := pit.Next(); ok; id, nack, ok = pit.Next() {
				b = append(b, id...)
				b = binary.LittleEndian.AppendUint64(b, uint64(nack.DeliveryTime))
				b = AppendLen(b, uint64(nack.DeliveryCount))
			}
			b = AppendLen(b, uint64(g.Consumers.Len()))
			cit := g.Consumers.Iterator()
			cit.Seek("^", nil)
			for cname, c, ok := cit.Next(); ok; cname, c, ok = cit.Next() {
				b = AppendString(b, cname, false)
				b = binary.LittleEndian.AppendUint64(b, uint64(c.SeenTime))
				b = AppendLen(b, uint64(c.PEL.Len()))
				cp := c.PEL.Iterator()
				cp.Seek("^", nil)
				for id, _, ok := cp.Next(); ok; id, _, ok = cp.Next() {
					b = append(b, id...)
				}
			}
		}
	}
	_ = full
	return b
}

type legacyCase struct {
	name string
	p    []byte
}

func legacyCases() []legacyCase {
	long := strings.Repeat("L", 100)
	var many []string
	for i := 0; i < 600; i++ {
		many = append(many, strconv.Itoa(i*3-500))
	}
	var pairs []string
	for i := 0; i < 600; i++ {
		pairs = append(pairs, "f"+strconv.Itoa(i), strconv.Itoa(i))
	}
	var zpairs []string
	for i := 0; i < 200; i++ {
		zpairs = append(zpairs, "m"+strconv.Itoa(i), strconv.Itoa(i%13))
	}
	var listBody []byte
	for i := 0; i < 300; i++ {
		listBody = append(listBody, strs("item"+strconv.Itoa(i))...)
	}
	zsetText := []string{"a", "1.5", "b", "-2", "c", "inf", "d", "-inf", "e", "3e10", "f", "0.1"}
	var zt []byte
	for i := 0; i < len(zsetText); i += 2 {
		zt = append(zt, strs(zsetText[i])...)
		zt = append(zt, textScore(zsetText[i+1])...)
	}
	xs := mkStream(300, true)
	return []legacyCase{
		{"list-ziplist", payload(TypeListZiplist, strs(string(ziplist("a", "1", "-5", "300", "70000", "-9000000", "9000000000", long, "12", "13"))))},
		{"list-plain", payload(TypeList, withLen(300, listBody))},
		{"quicklist-v1", payload(TypeListQuicklist, withLen(2, strs(string(ziplist("a", "b", "1")), string(ziplist(long, "x")))))},
		{"set-plain-int", payload(TypeSet, withLen(3, strs("3", "-1", "100000")))},
		{"set-plain-mixed", payload(TypeSet, withLen(3, strs("3", "x", "1")))},
		{"set-plain-many", payload(TypeSet, withLen(len(many), strs(many...)))},
		{"zset-text", payload(TypeZSet, withLen(6, zt))},
		{"zset2-small", payload(TypeZSet2, withLen(2, append(append(strs("a"), f64(1.5)...), append(strs("b"), f64(-1)...)...)))},
		{"zset2-long", payload(TypeZSet2, withLen(1, append(strs(long), f64(2)...)))},
		{"zset-ziplist", payload(TypeZSetZiplist, strs(string(ziplist("a", "1", "b", "2.5", "c", "30"))))},
		{"zset-ziplist-many", payload(TypeZSetZiplist, strs(string(ziplist(zpairs...))))},
		{"hash-ziplist", payload(TypeHashZiplist, strs(string(ziplist("f", "v", "n", "1", "l", long))))},
		{"hash-ziplist-many", payload(TypeHashZiplist, strs(string(ziplist(pairs...))))},
		{"hash-zipmap", payload(TypeHashZipmap, strs(string(zipmap("f", "v", "n", "1"))))},
		{"hash-zipmap-long", payload(TypeHashZipmap, strs(string(zipmap("f", "v", "n", long))))},
		{"hash-plain", payload(TypeHash, withLen(2, strs("f", "v", "g", "w")))},
		{"hash-plain-long", payload(TypeHash, withLen(3, strs("f", "v", "g", long, "h", "x")))},
		{"stream-v1", payload(TypeStreamListpacks, streamV1((*stream.Stream)(xs.Ptr())))},
	}
}

func f64(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }

func mkListpack(elems ...string) []byte {
	var out []byte
	var els []elem
	for _, e := range elems {
		els = append(els, elem{s: []byte(e)})
	}
	_ = els
	l := mkList(-2, elems...)
	(*listOf(&l)).EachListpack(func(lp []byte) { out = append([]byte(nil), lp...) })
	return out
}

func TestInteropLegacyEncodings(t *testing.T) {
	r := difftest.StartRedis(t, "--sanitize-dump-payload", "yes")
	c, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tc := range legacyCases() {
		_, v, _ := c.Do("RESTORE", tc.name, "0", string(tc.p))
		if v.Type == '-' {
			t.Errorf("%s: redis refuses: %s", tc.name, v.Str)
			continue
		}
		o, err := LoadPayload(tc.p, []byte(tc.name), 0, &LoadOptions{Limits: DefaultLimits, Sanitize: true})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkAgainstRedis(t, c, 0, tc.name, &o)
	}
}

// TestInteropCorruptPayloads mutates valid payloads (keeping the checksum
// right) and checks that whatever loads here also loads into Redis (with
// deep sanitization) as the same value. Redis accepting more than Modis is
// fine: Modis checks more than Redis does.
func TestInteropCorruptPayloads(t *testing.T) {
	mutations := 1000
	if n, err := strconv.Atoi(os.Getenv("MODIS_RDB_MUTATIONS")); err == nil {
		mutations = n
	}
	r := difftest.StartRedis(t, "--sanitize-dump-payload", "yes", "--enable-debug-command", "yes")
	c, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var seeds [][]byte
	for _, tc := range legacyCases() {
		seeds = append(seeds, tc.p)
	}
	for _, k := range testKeys() {
		p, _ := DumpPayload([]byte(k.key), &k.o, nil)
		seeds = append(seeds, p)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for i := 0; i < mutations; i++ {
		seed := seeds[rng.IntN(len(seeds))]
		body := append([]byte(nil), seed[:len(seed)-10]...)
		for n := 1 + rng.IntN(3); n > 0; n-- {
			switch pos := rng.IntN(len(body)); rng.IntN(3) {
			case 0:
				body[pos] ^= byte(1 << rng.IntN(8))
			case 1:
				body[pos] = byte(rng.IntN(256))
			default:
				body = body[:pos+1]
			}
		}
		p := payload(body[0], body[1:])
		key := fmt.Sprintf("k%d", i)
		o, err := LoadPayload(p, []byte(key), 0, &LoadOptions{Limits: DefaultLimits, Sanitize: true})
		if err != nil {
			continue
		}
		accepted++
		_, v, rerr := c.Do("RESTORE", key, "0", string(p))
		if rerr != nil {
			t.Fatalf("redis: %v", rerr)
		}
		if v.Type == '-' {
			t.Errorf("mutation %d accepted here, redis says %s: %x", i, v.Str, p)
			continue
		}
		// Redis keeps a payload's blobs as they are, non-canonical
		// encodings and unsorted sorted-set listpacks included, where
		// Modis rebuilds them: the values must still be equal, which
		// Redis's digest of our re-encoding tells.
		mine, _ := DumpPayload([]byte(key), &o, nil)
		if _, v, _ := c.Do("RESTORE", key+":ours", "0", string(mine)); v.Type == '-' {
			t.Errorf("mutation %d: redis refuses our re-encoding: %s", i, v.Str)
			continue
		}
		a := do(t, c, "DEBUG", "DIGEST-VALUE", key)
		b := do(t, c, "DEBUG", "DIGEST-VALUE", key+":ours")
		if len(a.Elems) != 1 || len(b.Elems) != 1 || string(a.Elems[0].Str) != string(b.Elems[0].Str) {
			t.Errorf("mutation %d: value differs from Redis's: %x", i, p)
		}
	}
	t.Logf("%d of %d mutations accepted", accepted, mutations)
}

func listOf(o *keyspace.Object) **list.List { l := (*list.List)(o.Ptr()); return &l }

// Redis keeps a plain quicklist node (an element above the packed
// threshold) plain; Modis has no plain nodes and packs it, so only the
// content is compared.
func TestPlainQuicklistNode(t *testing.T) {
	long := strings.Repeat("L", 100)
	p := payload(TypeListQuicklist2, withLen(2, append(append(AppendLen(nil, containerPlain), strs(long)...), append(AppendLen(nil, containerPacked), strs(string(mkListpack("p", "5")))...)...)))
	o, err := LoadPayload(p, nil, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	(*list.List)(o.Ptr()).Each(func(v []byte) bool { got = append(got, string(v)); return true })
	if strings.Join(got, ",") != long+",p,5" {
		t.Fatalf("got %q", got)
	}
}
