package rdb

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/types/hash"
	"github.com/modis/modis/internal/types/list"
	"github.com/modis/modis/internal/types/set"
	"github.com/modis/modis/internal/types/stream"
	"github.com/modis/modis/internal/types/zset"
)

// memSink collects what Load reads.
type memSink struct {
	aux     [][2]string
	dbs     []int
	resize  [][2]uint64
	keys    []loadedKey
	modAux  []string
	funcs   []string
	failKey bool
}

type loadedKey struct {
	db   int
	key  string
	o    keyspace.Object
	info KeyInfo
}

func (m *memSink) Aux(k, v []byte) error {
	m.aux = append(m.aux, [2]string{string(k), string(v)})
	return nil
}
func (m *memSink) SelectDB(db int) error { m.dbs = append(m.dbs, db); return nil }
func (m *memSink) ResizeDB(k, e uint64) error {
	m.resize = append(m.resize, [2]uint64{k, e})
	return nil
}
func (m *memSink) Key(db int, key []byte, o keyspace.Object, info KeyInfo) error {
	m.keys = append(m.keys, loadedKey{db, string(key), o, info})
	return nil
}
func (m *memSink) ModuleAux(id uint64, when int, payload []byte) error {
	m.modAux = append(m.modAux, fmt.Sprintf("%x/%d/%x", id, when, payload))
	return nil
}
func (m *memSink) Function(code []byte) error { m.funcs = append(m.funcs, string(code)); return nil }

// testKey is a key of the test keyspace.
type testKey struct {
	key    string
	o      keyspace.Object
	expire int64
}

func mkList(fill int, elems ...string) keyspace.Object {
	l := list.New(fill)
	for _, e := range elems {
		l.PushTail([]byte(e))
	}
	return keyspace.NewValue(keyspace.KindList, keyspace.EncQuicklist, unsafe.Pointer(l))
}

func mkSet(max int64, members ...string) keyspace.Object {
	s := set.NewFor([]byte(members[0]))
	for _, m := range members {
		s.Add([]byte(m), max)
	}
	return keyspace.NewValue(keyspace.KindSet, s.Encoding(), unsafe.Pointer(s))
}

func mkHash(pairs ...string) keyspace.Object {
	h := hash.New()
	lim := hash.Limits{MaxEntries: 512, MaxValue: 64}
	for i := 0; i+1 < len(pairs); i += 2 {
		h.Set([]byte(pairs[i]), []byte(pairs[i+1]), lim)
	}
	return keyspace.NewValue(keyspace.KindHash, h.Encoding(), unsafe.Pointer(h))
}

func mkZSet(pairs ...string) keyspace.Object {
	z := zset.New(false)
	lim := zset.Limits{Entries: 128, Value: 64}
	for i := 0; i+1 < len(pairs); i += 2 {
		s, _ := strconv.ParseFloat(pairs[i+1], 64)
		z.Add([]byte(pairs[i]), s, 0, lim)
	}
	return zsetObject(z)
}

func mkStream(n int, groups bool) keyspace.Object {
	s := stream.New()
	for i := 0; i < n; i++ {
		fv := [][]byte{[]byte("f"), []byte(strconv.Itoa(i)), []byte("name"), []byte(strings.Repeat("x", i%30))}
		if i%7 == 3 {
			fv = append(fv, []byte("extra"), []byte("v"))
		}
		id := stream.ID{Ms: uint64(1000 + i/3), Seq: uint64(i % 3)}
		if _, err := s.Add(fv, &id, true, 0, 4096, 100); err != nil {
			panic(err)
		}
	}
	if n > 5 {
		s.DeleteEntries([]stream.ID{{Ms: 1001, Seq: 0}})
	}
	if groups {
		g := s.CreateGroup([]byte("g1"), stream.ID{Ms: 1002, Seq: 1}, 5)
		c := s.CreateConsumer(g, []byte("alice"), 12345)
		s.CreateConsumer(g, []byte("bob"), 999)
		s.AddPending(g, c, stream.ID{Ms: 1000, Seq: 0}, 5555)
		s.AddPending(g, c, stream.ID{Ms: 1000, Seq: 2}, 5556)
		s.CreateGroup([]byte("g0"), stream.ID{}, stream.InvalidEntriesRead)
	}
	return keyspace.NewValue(keyspace.KindStream, keyspace.EncStream, unsafe.Pointer(s))
}

func nums(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(from + i*7)
	}
	return out
}

func words(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s:%d", prefix, i)
	}
	return out
}

func pairsOf(prefix string, n int, vlen int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("%s%d", prefix, i), strings.Repeat("v", vlen)+strconv.Itoa(i))
	}
	return out
}

func testKeys() []testKey {
	big := strings.Repeat("abcdefghij", 30)
	zs := []string{"a", "1", "b", "2.5", "c", "-3", "d", "inf", "e", "-inf", "f", "1e300", "g", "0.1", "h", "4503599627370496", "i", "-0"}
	var zbig []string
	for i := 0; i < 200; i++ {
		zbig = append(zbig, fmt.Sprintf("m%d", i), strconv.Itoa(i%17))
	}
	zl := mkZSet(zbig...)
	(*zset.ZSet)(zl.Ptr()).ConvertToSkiplist()
	zl = zsetObject((*zset.ZSet)(zl.Ptr()))
	return []testKey{
		{"s:int", keyspace.NewString([]byte("12345")), -1},
		{"s:neg", keyspace.NewString([]byte("-129")), -1},
		{"s:bigint", keyspace.NewString([]byte("9223372036854775807")), 4000000000000},
		{"s:embstr", keyspace.NewString([]byte("hello world")), -1},
		{"s:raw", keyspace.NewString([]byte(big)), -1},
		{"s:rand", keyspace.NewString([]byte("\x00\x01\xff binary")), -1},
		{"s:empty", keyspace.NewString(nil), -1},
		{"l:small", mkList(-2, "a", "1", "-5", "hello", "300000", big), -1},
		{"l:big", mkList(-2, words("elem", 2000)...), 1800000000000},
		{"l:fill", mkList(5, words("e", 23)...), -1},
		{"set:int", mkSet(512, nums(-100, 50)...), -1},
		{"set:wide", mkSet(512, "1", "70000", "-5000000000"), -1},
		{"set:ht", mkSet(512, words("m", 40)...), -1},
		{"set:bigint", mkSet(512, nums(0, 600)...), -1},
		{"h:lp", mkHash("f1", "v1", "n", "12", "neg", "-7", "e", ""), -1},
		{"h:ht", mkHash(pairsOf("f", 600, 3)...), -1},
		{"h:long", mkHash("f", strings.Repeat("y", 100)), -1},
		{"z:lp", mkZSet(zs...), -1},
		{"z:sl", zl, -1},
		{"x:small", mkStream(3, false), -1},
		{"x:big", mkStream(500, true), -1},
		{"x:empty", mkStream(0, true), -1},
	}
}

// canon describes a value so that equal values give equal text.
func canon(t *testing.T, o *keyspace.Object) string {
	t.Helper()
	prefix := o.Kind().String() + "/" + o.Encoding().String() + ":"
	switch o.Kind() {
	case keyspace.KindSet:
		s := (*set.Set)(o.Ptr())
		if s.IsIntset() {
			break
		}
		var ms []string
		s.Each(func(m set.Member) bool { ms = append(ms, string(m.Bytes())); return true })
		sort.Strings(ms)
		return prefix + strings.Join(ms, ",")
	case keyspace.KindHash:
		h := (*hash.Hash)(o.Ptr())
		if h.IsListpack() {
			break
		}
		var ps []string
		h.Each(func(f, v []byte) bool { ps = append(ps, string(f)+"="+string(v)); return true })
		sort.Strings(ps)
		return prefix + strings.Join(ps, ",")
	}
	b, err := AppendValue(nil, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	return prefix + fmt.Sprintf("%x", b)
}

func writeFile(t *testing.T, keys []testKey, opts *Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := NewEncoder(&buf, opts)
	if err := e.Header([][2]string{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}}); err != nil {
		t.Fatal(err)
	}
	expires := 0
	for _, k := range keys {
		if k.expire >= 0 {
			expires++
		}
	}
	if err := e.ModuleAux(0x1234, 2, []byte{ModOpUInt, 5, ModOpEOF}); err != nil {
		t.Fatal(err)
	}
	if err := e.Function([]byte("#!lua name=lib\nredis.register_function('f', function() return 1 end)")); err != nil {
		t.Fatal(err)
	}
	if err := e.SelectDB(0, uint64(len(keys)), uint64(expires)); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		rec, err := AppendKeyValue(nil, []byte(k.key), &k.o, k.expire, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Raw(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.SelectDB(3, 1, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.KeyValue([]byte("other"), &keys[0].o, -1, 3); err != nil {
		t.Fatal(err)
	}
	if err := e.Footer(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	keys := testKeys()
	for _, opts := range []*Options{{}, {Compression: true, Checksum: true}} {
		t.Run(fmt.Sprintf("comp=%v", opts.Compression), func(t *testing.T) {
			file := writeFile(t, keys, opts)
			var sink memSink
			if err := Load(bytes.NewReader(file), &LoadOptions{Limits: DefaultLimits, Sanitize: true}, &sink); err != nil {
				t.Fatal(err)
			}
			if len(sink.keys) != len(keys)+1 {
				t.Fatalf("loaded %d keys, want %d", len(sink.keys), len(keys)+1)
			}
			for i, k := range keys {
				got := sink.keys[i]
				if got.key != k.key || got.db != 0 || got.info.ExpireMs != k.expire {
					t.Fatalf("key %d: got %q db %d expire %d, want %q %d", i, got.key, got.db, got.info.ExpireMs, k.key, k.expire)
				}
				if a, b := canon(t, &k.o), canon(t, &got.o); a != b {
					t.Errorf("%s: value differs\n got %.300s\nwant %.300s", k.key, b, a)
				}
			}
			if last := sink.keys[len(keys)]; last.db != 3 || last.key != "other" {
				t.Errorf("last key %+v", last)
			}
			if len(sink.aux) != 2 || sink.aux[0] != [2]string{"redis-ver", "7.0.15"} {
				t.Errorf("aux %v", sink.aux)
			}
			if fmt.Sprint(sink.dbs) != "[0 3]" || len(sink.modAux) != 1 || len(sink.funcs) != 1 {
				t.Errorf("dbs %v modaux %v funcs %v", sink.dbs, sink.modAux, sink.funcs)
			}
			if opts.Checksum {
				bad := append([]byte(nil), file...)
				bad[len(bad)-1] ^= 1
				if err := Load(bytes.NewReader(bad), nil, &memSink{}); err == nil || !strings.Contains(err.Error(), "Wrong RDB checksum") {
					t.Errorf("bad checksum: %v", err)
				}
			}
		})
	}
}

func TestDumpPayloadRoundTrip(t *testing.T) {
	for _, k := range testKeys() {
		p, err := DumpPayload([]byte(k.key), &k.o, &Options{Compression: true})
		if err != nil {
			t.Fatal(err)
		}
		if !VerifyPayload(p, false) {
			t.Fatalf("%s: payload does not verify", k.key)
		}
		o, err := LoadPayload(p, []byte(k.key), 0, &LoadOptions{Limits: DefaultLimits})
		if k.key == "x:empty" && err == nil {
			// An empty stream is a valid value.
		} else if err != nil {
			t.Fatalf("%s: %v", k.key, err)
		}
		if a, b := canon(t, &k.o), canon(t, &o); a != b {
			t.Errorf("%s: differs", k.key)
		}
		p[0] ^= 0x40
		if VerifyPayload(p, false) {
			t.Errorf("%s: corrupted payload verifies", k.key)
		}
	}
}

func TestCRC64(t *testing.T) {
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64 = %x", got)
	}
	long := bytes.Repeat([]byte("abcdefghijklmnopq"), 100)
	if CRC64(CRC64(0, long[:37]), long[37:]) != CRC64(0, long) {
		t.Fatal("crc64 not incremental")
	}
}

func TestModuleTypeName(t *testing.T) {
	// The id of a type named "mytype123" with encoding version 5.
	var id uint64
	for _, c := range "mytype123" {
		id = id<<6 | uint64(strings.IndexRune(moduleCharset, c))
	}
	id = id<<10 | 5
	if got := ModuleTypeName(id); got != "mytype123" {
		t.Fatalf("got %q", got)
	}
	_ = math.Pi
}
