package rdb

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/resp"
	"github.com/modis/modis/internal/types/hash"
	"github.com/modis/modis/internal/types/set"
)

// Interoperability with redis-server 7.0: files Redis writes load here into
// the same values (checked through Redis's own DUMP bytes and replies), and
// files written here pass redis-check-rdb and load into Redis.

func do(t *testing.T, c *difftest.Conn, args ...string) resp.Value {
	t.Helper()
	_, v, err := c.Do(args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if v.Type == '-' {
		t.Fatalf("%v: %s", args, v.Str)
	}
	return v
}

// fillRedis creates keys of every type and encoding.
func fillRedis(t *testing.T, c *difftest.Conn) {
	big := strings.Repeat("compressible ", 20)
	cmds := [][]string{
		{"SET", "s:int", "12345"}, {"SET", "s:neg", "-70000"}, {"SET", "s:big", "9223372036854775807"},
		{"SET", "s:emb", "hello"}, {"SET", "s:raw", big}, {"SET", "s:px", "v", "PX", "500000"},
		{"SET", "s:bin", "\x00\xff\x10"}, {"SET", "s:empty", ""}, {"SETRANGE", "s:rng", "3", "abc"},
		{"DEBUG", "POPULATE", "50", "pop", "30"},
		{"RPUSH", "l:small", "a", "1", "-5", "300000", "-9000000000", big},
		{"SADD", "set:int", "1", "2", "-3", "40000"}, {"SADD", "set:wide", "1", "-5000000000"},
		{"SADD", "set:ht", "a", "b", "c", "1"},
		{"HSET", "h:lp", "f", "v", "n", "12", "neg", "-1", "e", ""},
		{"HSET", "h:long", "f", strings.Repeat("y", 100)},
		{"ZADD", "z:lp", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "-inf", "e", "1e300", "f", "0.1", "g", "4503599627370496", "h", "123456789012", "i"},
		{"ZADD", "z:long", "1", strings.Repeat("m", 100)},
		{"PEXPIRE", "h:lp", "900000"},
		{"XADD", "x:s", "1-1", "a", "1", "b", "2"}, {"XADD", "x:s", "1-2", "a", "3", "b", "4"},
		{"XADD", "x:s", "2-0", "c", "x"}, {"XDEL", "x:s", "1-2"},
		{"XGROUP", "CREATE", "x:s", "g1", "0"}, {"XGROUP", "CREATE", "x:s", "g2", "$"},
		{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "1", "STREAMS", "x:s", ">"},
		{"XGROUP", "CREATECONSUMER", "x:s", "g1", "bob"},
		{"XADD", "x:empty", "MAXLEN", "0", "*", "f", "v"},
	}
	for _, cmd := range cmds {
		do(t, c, cmd...)
	}
	for i := 0; i < 1500; i++ {
		c.Send("RPUSH", "l:big", "element-"+strconv.Itoa(i))
		c.Send("SADD", "set:bigint", strconv.Itoa(i*3))
		c.Send("SADD", "set:bight", "m"+strconv.Itoa(i))
		c.Send("HSET", "h:ht", "f"+strconv.Itoa(i), strconv.Itoa(i))
		c.Send("ZADD", "z:sl", strconv.Itoa(i%50), "m"+strconv.Itoa(i))
		c.Send("XADD", "x:big", "*", "field", strconv.Itoa(i), "other", strings.Repeat("z", i%40))
	}
	for i := 0; i < 1500*6; i++ {
		if _, _, err := c.Read(); err != nil {
			t.Fatal(err)
		}
	}
	do(t, c, "XGROUP", "CREATE", "x:big", "grp", "0")
	do(t, c, "XREADGROUP", "GROUP", "grp", "c1", "COUNT", "30", "STREAMS", "x:big", ">")
	do(t, c, "XREADGROUP", "GROUP", "grp", "c2", "COUNT", "5", "STREAMS", "x:big", ">")
	do(t, c, "SELECT", "2")
	do(t, c, "SET", "db2key", "x")
	do(t, c, "SELECT", "0")
}

// sortedContent is the order-independent content of a hashtable set or
// hash as Redis replies it.
func redisContent(t *testing.T, c *difftest.Conn, kind keyspace.Kind, key string) string {
	var v resp.Value
	if kind == keyspace.KindSet {
		v = do(t, c, "SMEMBERS", key)
	} else {
		v = do(t, c, "HGETALL", key)
	}
	var items []string
	for i := 0; i < len(v.Elems); i++ {
		s := string(v.Elems[i].Str)
		if kind == keyspace.KindHash {
			i++
			s += "=" + string(v.Elems[i].Str)
		}
		items = append(items, s)
	}
	sort.Strings(items)
	return strings.Join(items, ",")
}

func ourContent(o *keyspace.Object) string {
	var items []string
	if o.Kind() == keyspace.KindSet {
		(*set.Set)(o.Ptr()).Each(func(m set.Member) bool { items = append(items, string(m.Bytes())); return true })
	} else {
		(*hash.Hash)(o.Ptr()).Each(func(f, v []byte) bool { items = append(items, string(f)+"="+string(v)); return true })
	}
	sort.Strings(items)
	return strings.Join(items, ",")
}

// checkAgainstRedis compares a value with key's value in Redis: same
// encoding, and the same DUMP payload (or, for hashtables, whose order
// differs, the same content).
func checkAgainstRedis(t *testing.T, c *difftest.Conn, db int, key string, o *keyspace.Object) {
	t.Helper()
	do(t, c, "SELECT", strconv.Itoa(db))
	enc := do(t, c, "OBJECT", "ENCODING", key)
	if string(enc.Str) != o.Encoding().String() {
		t.Errorf("%s: encoding %s, redis %s", key, o.Encoding(), enc.Str)
	}
	if o.Encoding() == keyspace.EncHashtable {
		if a, b := ourContent(o), redisContent(t, c, o.Kind(), key); a != b {
			t.Errorf("%s: content differs:\n ours  %.200s\n redis %.200s", key, a, b)
		}
		return
	}
	want := do(t, c, "DUMP", key)
	got, err := DumpPayload([]byte(key), o, &Options{Compression: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Str) {
		t.Errorf("%s: DUMP differs:\n ours  %x\n redis %x", key, got, want.Str)
	}
}

func TestInteropLoadRedisFile(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	c, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fillRedis(t, c)
	do(t, c, "FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)")
	do(t, c, "DEBUG", "RELOAD")
	f, err := os.Open(filepath.Join(r.Dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sink memSink
	if err := Load(f, &LoadOptions{Limits: DefaultLimits, Sanitize: true}, &sink); err != nil {
		t.Fatal(err)
	}
	dbsize := do(t, c, "DBSIZE").Int
	n0 := 0
	for _, k := range sink.keys {
		if k.db == 0 {
			n0++
		}
		checkAgainstRedis(t, c, k.db, k.key, &k.o)
		pt := do(t, c, "PEXPIRETIME", k.key).Int
		if pt != k.info.ExpireMs {
			t.Errorf("%s: expire %d, redis %d", k.key, k.info.ExpireMs, pt)
		}
	}
	if int64(n0) != dbsize {
		t.Errorf("loaded %d keys in db 0, redis has %d", n0, dbsize)
	}
	if len(sink.funcs) != 1 || !strings.Contains(sink.funcs[0], "mylib") {
		t.Errorf("functions: %q", sink.funcs)
	}
}

func TestInteropRedisLoadsOurFile(t *testing.T) {
	if _, err := exec.LookPath("redis-check-rdb"); err != nil {
		t.Skip("redis-check-rdb not installed")
	}
	dir := t.TempDir()
	keys := testKeys()
	for _, opts := range []*Options{{Compression: true, Checksum: true}, {}} {
		var buf bytes.Buffer
		e := NewEncoder(&buf, opts)
		e.Header([][2]string{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"ctime", "1700000000"}})
		e.Function([]byte("#!lua name=lib\nredis.register_function('f', function() return 1 end)"))
		e.SelectDB(0, uint64(len(keys)), 0)
		for _, k := range keys {
			if err := e.KeyValue([]byte(k.key), &k.o, k.expire, 0); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Footer(); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "dump.rdb")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("redis-check-rdb", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "RDB looks OK") {
			t.Fatalf("redis-check-rdb: %v\n%s", err, out)
		}
	}
	r := difftest.StartRedis(t, "--dir", dir, "--dbfilename", "dump.rdb", "--enable-debug-command", "yes")
	c, err := difftest.Dial(r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n := do(t, c, "DBSIZE").Int; n != int64(len(keys)) {
		t.Fatalf("redis loaded %d keys, want %d", n, len(keys))
	}
	for _, k := range keys {
		// What Redis would have after loading: our own load of the value.
		p, _ := DumpPayload([]byte(k.key), &k.o, nil)
		o, err := LoadPayload(p, []byte(k.key), 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstRedis(t, c, 0, k.key, &o)
	}
	fmt.Fprint(os.Stderr)
}
