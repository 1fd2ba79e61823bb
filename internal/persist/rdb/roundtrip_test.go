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

func writeFile(t testing.TB, keys []testKey, opts *Options) []byte {
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

// TestModuleValues: module values go through the SaveModule and
// LoadModule hooks; strings in the payload are compressed on the way out
// and plain on the way in; module aux data reaches the sink plain too.
func TestModuleValues(t *testing.T) {
	long := strings.Repeat("module-string-", 10)
	var plain []byte
	plain = append(plain, ModOpUInt, 7, ModOpString)
	plain = AppendLen(plain, uint64(len(long)))
	plain = append(plain, long...)
	plain = append(plain, ModOpString, 3, '1', '2', '3', ModOpDouble)
	plain = append(plain, f64(1.5)...)
	plain = append(plain, ModOpFloat, 0, 0, 0x20, 0x40, ModOpEOF)
	const id = uint64(0x1234567890) << 10
	type modVal struct{ payload []byte }
	v := &modVal{plain}
	o := keyspace.NewValue(keyspace.KindModule, keyspace.EncRaw, unsafe.Pointer(v))
	opts := &Options{Compression: true, SaveModule: func(key []byte, db int, o *keyspace.Object) (uint64, []byte, error) {
		if string(key) != "mk" || db != 4 {
			t.Errorf("SaveModule key %q db %d", key, db)
		}
		return id, (*modVal)(o.Ptr()).payload, nil
	}, DB: 4}
	if _, err := AppendValue(nil, &o, &Options{}); err != ErrNoModuleSaver {
		t.Fatalf("no saver: %v", err)
	}
	rec, err := AppendKeyValue(nil, []byte("mk"), &o, -1, opts)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec, []byte(long)) || !bytes.Contains(rec, []byte{0xC0 | encInt8, 123}) {
		t.Fatalf("module strings not encoded as Redis: %x", rec)
	}
	var buf bytes.Buffer
	e := NewEncoder(&buf, opts)
	e.Header(nil)
	e.ModuleAux(id, 2, plain)
	e.SelectDB(4, 1, 0)
	e.Raw(rec)
	e.Footer()
	var sink memSink
	var gotPayload []byte
	lo := &LoadOptions{Limits: DefaultLimits, LoadModule: func(gid uint64, payload []byte, key []byte, db int) (keyspace.Object, error) {
		if gid != id || string(key) != "mk" || db != 4 {
			t.Errorf("LoadModule id %x key %q db %d", gid, key, db)
		}
		gotPayload = payload
		return keyspace.NewValue(keyspace.KindModule, keyspace.EncRaw, unsafe.Pointer(&modVal{payload})), nil
	}}
	if err := Load(bytes.NewReader(buf.Bytes()), lo, &sink); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotPayload, plain) {
		t.Errorf("payload\n got %x\nwant %x", gotPayload, plain)
	}
	if len(sink.modAux) != 1 || sink.modAux[0] != fmt.Sprintf("%x/2/%x", id, plain) {
		t.Errorf("module aux %v", sink.modAux)
	}
	// Without a loader, Redis's error.
	err = Load(bytes.NewReader(buf.Bytes()), nil, &memSink{})
	if err == nil || !strings.Contains(err.Error(), "no matching module type '"+ModuleTypeName(id)+"'") {
		t.Errorf("no loader: %v", err)
	}
}

// TestIdleFreqRecords: the IDLE or FREQ record before a key, as the
// options ask, reaches the sink with the key; EXPIRETIME (seconds, old
// files) too.
func TestIdleFreqRecords(t *testing.T) {
	o := keyspace.NewString([]byte("v"))
	idle := &Options{Idle: func(*keyspace.Object) (uint64, bool) { return 12345, true }}
	freq := &Options{Freq: func(*keyspace.Object) (uint8, bool) { return 200, true }}
	a, _ := AppendKeyValue(nil, []byte("a"), &o, 4000000000000, idle)
	b, _ := AppendKeyValue(nil, []byte("b"), &o, -1, freq)
	c := append([]byte{OpExpireTime, 0x10, 0x20, 0x30, 0x40}, []byte{TypeString, 1, 'c', 1, 'v'}...)
	file := append([]byte("REDIS0009"), OpSelectDB, 0)
	file = append(append(append(file, a...), b...), c...)
	file = append(file, OpEOF, 0, 0, 0, 0, 0, 0, 0, 0)
	var sink memSink
	if err := Load(bytes.NewReader(file), nil, &sink); err != nil {
		t.Fatal(err)
	}
	want := []KeyInfo{{4000000000000, 12345, -1}, {-1, -1, 200}, {0x40302010 * 1000, -1, -1}}
	for i, k := range sink.keys {
		if k.info != want[i] {
			t.Errorf("key %s: %+v, want %+v", k.key, k.info, want[i])
		}
	}
	if len(sink.keys) != 3 {
		t.Fatalf("%d keys", len(sink.keys))
	}
}

// TestLoadErrors: what Load says about bad files.
func TestLoadErrors(t *testing.T) {
	good := writeFile(t, testKeys()[:3], &Options{Checksum: true})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "Short read or OOM loading DB"},
		{"signature", []byte("RODIS0010\xff"), "Wrong signature"},
		{"version", []byte("REDIS0011\xff"), "Can't handle RDB format version 11"},
		{"version0", []byte("REDIS0000\xff"), "Can't handle RDB format version 0"},
		{"truncated", good[:len(good)/2], "Short read"},
		{"no footer", good[:len(good)-8], "Short read"},
		{"checksum", append(append([]byte(nil), good[:len(good)-1]...), good[len(good)-1]^1), "Wrong RDB checksum"},
		{"type", []byte("REDIS0010\x64\x01k\x01v"), "Unknown RDB encoding type 100"},
		{"function", []byte("REDIS0010\xf6\x03lib"), "Short read"},
		{"length", []byte("REDIS0010\x00\x01k\x9f"), "Unknown length encoding 159"},
		{"when", []byte("REDIS0010\xf7\x01\x01\x02"), "bad when_opcode"},
	} {
		err := Load(bytes.NewReader(tc.data), nil, &memSink{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	// A zero checksum is not verified, and IgnoreChecksum skips it.
	zero := append(append([]byte(nil), good[:len(good)-8]...), make([]byte, 8)...)
	if err := Load(bytes.NewReader(zero), nil, &memSink{}); err != nil {
		t.Errorf("zero checksum: %v", err)
	}
	bad := append(append([]byte(nil), good[:len(good)-1]...), good[len(good)-1]^1)
	if err := Load(bytes.NewReader(bad), &LoadOptions{Limits: DefaultLimits, IgnoreChecksum: true}, &memSink{}); err != nil {
		t.Errorf("ignored checksum: %v", err)
	}
}

// TestEncoderSpills: a value bigger than the spill size is written in
// pieces with the same bytes as AppendKeyValue.
func TestEncoderSpills(t *testing.T) {
	big := mkList(-2, words(strings.Repeat("element", 20), 30000)...)
	h := mkHash(pairsOf(strings.Repeat("f", 30), 20000, 40)...)
	x := mkStream(40000, true)
	for _, o := range []keyspace.Object{big, h, x} {
		want, err := AppendKeyValue(nil, []byte("k"), &o, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) <= spillSize {
			t.Fatalf("value too small for the test: %d", len(want))
		}
		var buf bytes.Buffer
		e := NewEncoder(&buf, nil)
		if err := e.KeyValue([]byte("k"), &o, 5, 0); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("%s: spilled record differs", o.Kind())
		}
		if cap(e.buf) > 2*spillSize {
			t.Errorf("%s: buffer grew to %d", o.Kind(), cap(e.buf))
		}
	}
}

// TestPreReleaseFunction: the function format of 7.0's release candidates
// loads as the code with its shebang.
func TestPreReleaseFunction(t *testing.T) {
	file := []byte("REDIS0010\xf6")
	file = append(file, strs("mylib", "LUA")...)
	file = append(file, 1)
	file = append(file, strs("a description", "return 1")...)
	file = append(file, OpEOF, 0, 0, 0, 0, 0, 0, 0, 0)
	var sink memSink
	if err := Load(bytes.NewReader(file), nil, &sink); err != nil {
		t.Fatal(err)
	}
	if len(sink.funcs) != 1 || sink.funcs[0] != "#!LUA name=mylib\nreturn 1" {
		t.Fatalf("functions %q", sink.funcs)
	}
}
