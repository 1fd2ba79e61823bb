package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/persist/rdb"
)

const restorePayload = `"\x00\x0bhello world\n\x00\x0b\xfcI\xb9\xa6\xc7\xa04"`

// TestDumpRestoreEventsAndDirty compares RESTORE's keyspace events and
// change counter with redis-server: restore, the del of a replaced key
// expiring on arrival, nothing for refused ones.
func TestDumpRestoreEventsAndDirty(t *testing.T) {
	script := strings.ReplaceAll(`
SET a 1
DUMP a
RESTORE b 0 %P%
RESTORE b 0 %P%
RESTORE b 0 %P% REPLACE
RESTORE c 100000 %P%
RESTORE b 1 %P% ABSTTL REPLACE
RESTORE d 1 %P% ABSTTL
RESTORE e 0 garbage
RESTORE e 0 %P% FREQ 1000
RESTORE a 0 %P% IDLETIME 10 REPLACE
DUMP nokey
`, "%P%", restorePayload)
	diffEvents(t, script, eventDiff{Flags: "KEA"})
}

// TestRestorePropagation: a relative TTL propagates as an absolute one
// with ABSTTL; a key expired on arrival that replaced one propagates as
// DEL; a refused or no-op RESTORE propagates nothing.
func TestRestorePropagation(t *testing.T) {
	_, sink, c := propTestServer(t)
	all := "0 " + strconv.Itoa(PropagateAOF|PropagateRepl) + " "
	payload := "\x00\x0bhello world\n\x00\x0b\xfcI\xb9\xa6\xc7\xa04"
	modExpect(t, c, "+OK\r\n", "RESTORE", "k", "0", payload)
	expectProp(t, sink, all+"RESTORE k 0 "+payload)
	modExpect(t, c, "+OK\r\n", "RESTORE", "t", "5000", payload, "IDLETIME", "5")
	got := sink.take()
	if f := strings.SplitN(strings.Join(got, "\n"), " ", 5); len(got) != 1 || len(f) != 5 ||
		strings.Join(f[:3], " ") != "0 3 RESTORE" || f[3] != "t" ||
		!strings.HasSuffix(f[4], " "+payload+" IDLETIME 5 ABSTTL") {
		t.Errorf("propagated %q", got)
	} else {
		checkAbs(t, strings.Fields(f[4])[0], 5000)
	}
	modExpect(t, c, "+OK\r\n", "RESTORE", "t2", "4000000000000", payload, "ABSTTL")
	expectProp(t, sink, all+"RESTORE t2 4000000000000 "+payload+" ABSTTL")
	modExpect(t, c, "+OK\r\n", "RESTORE", "k", "1", payload, "ABSTTL", "REPLACE")
	expectProp(t, sink, all+"DEL k")
	modExpect(t, c, "+OK\r\n", "RESTORE", "k", "1", payload, "ABSTTL")
	modExpect(t, c, "-BUSYKEY Target key name already exists.\r\n", "RESTORE", "t", "0", payload)
	modExpect(t, c, "-ERR Bad data format\r\n", "RESTORE", "x", "0", badFormatPayload())
	expectProp(t, sink)
}

// badFormatPayload is a payload with a right checksum and a string cut
// short.
func badFormatPayload() string {
	// 63 bytes announced, fewer there even counting the footer.
	body := []byte("\x00\x3fhello")
	body = append(body, 10, 0)
	crc := rdb.CRC64(0, body)
	for i := 0; i < 8; i++ {
		body = append(body, byte(crc>>(8*i)))
	}
	return string(body)
}

// TestDumpRestoreDigests moves every key of a redis-server filled with all
// types and encodings into Modis with DUMP and RESTORE, and compares the
// per-key DEBUG DIGEST-VALUE, the DEBUG DIGEST of the whole dataset and
// OBJECT ENCODING.
func TestDumpRestoreDigests(t *testing.T) {
	r := difftest.StartRedis(t, "--enable-debug-command", "yes")
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	fill := [][]string{
		{"DEBUG", "POPULATE", "100", "str", "10"},
		{"SET", "big", strings.Repeat("compressible ", 40)},
		{"SET", "int", "-123456789"},
		{"RPUSH", "list", "a", "1", "-2", strings.Repeat("x", 100)},
		{"SADD", "intset", "1", "2", "300000", "-5"},
		{"SADD", "set", "a", "b", "c"},
		{"HSET", "hash", "f", "v", "n", "1"},
		{"HSET", "hashlong", "f", strings.Repeat("v", 100)},
		{"ZADD", "zset", "1", "a", "1.5", "b", "-inf", "c"},
		{"ZADD", "zsetlong", "1", strings.Repeat("m", 100)},
		{"PFADD", "hll", "a", "b", "c"},
		{"XADD", "stream", "1-1", "f", "v"},
		{"XADD", "stream", "2-1", "f", "v", "g", "w"},
		{"XGROUP", "CREATE", "stream", "grp", "0"},
		{"XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "stream", ">"},
	}
	for _, cmd := range fill {
		mustDo(t, rc, cmd...)
	}
	for i := 0; i < 300; i++ {
		n := strconv.Itoa(i)
		for _, cmd := range [][]string{{"RPUSH", "biglist", "e" + n}, {"SADD", "bigintset", n}, {"SADD", "bigset", "m" + n},
			{"HSET", "bighash", "f" + n, n}, {"ZADD", "bigzset", n, "m" + n}, {"XADD", "bigstream", "*", "f", n}} {
			mustDo(t, rc, cmd...)
		}
	}
	for i := 0; i < 3000; i++ {
		mustDo(t, rc, "SADD", "hugeintset", strconv.Itoa(i))
	}
	_, keys, _ := rc.Do("KEYS", "*")
	for _, k := range keys.Elems {
		key := string(k.Str)
		_, p, _ := rc.Do("DUMP", key)
		_, ttl, _ := rc.Do("PTTL", key)
		if ttl.Int < 0 {
			ttl.Int = 0
		}
		if raw, _, err := mc.Do("RESTORE", key, strconv.FormatInt(ttl.Int, 10), string(p.Str)); err != nil || string(raw) != "+OK\r\n" {
			t.Fatalf("RESTORE %s: %q %v", key, raw, err)
		}
		want, _, _ := rc.Do("DEBUG", "DIGEST-VALUE", key)
		got, _, _ := mc.Do("DEBUG", "DIGEST-VALUE", key)
		if string(got) != string(want) {
			t.Errorf("DIGEST-VALUE %s: modis %q, redis %q", key, got, want)
		}
		// The encoding a value has after RESTORE, in Redis.
		mustDo(t, rc, "RESTORE", key+":r", "0", string(p.Str))
		want, _, _ = rc.Do("OBJECT", "ENCODING", key+":r")
		got, _, _ = mc.Do("OBJECT", "ENCODING", key)
		if string(got) != string(want) {
			t.Errorf("OBJECT ENCODING %s: modis %q, redis %q", key, got, want)
		}
		rc.Do("DEL", key+":r")
		// And back: Modis's DUMP restores into Redis as the same value.
		_, mp, _ := mc.Do("DUMP", key)
		if raw, _, _ := rc.Do("RESTORE", key+":back", "0", string(mp.Str)); string(raw) != "+OK\r\n" {
			t.Errorf("redis RESTORE of modis's DUMP of %s: %q", key, raw)
		}
		a, _, _ := rc.Do("DEBUG", "DIGEST-VALUE", key)
		b, _, _ := rc.Do("DEBUG", "DIGEST-VALUE", key+":back")
		if string(a) != string(b) {
			t.Errorf("%s: round trip through modis changes the digest", key)
		}
		rc.Do("DEL", key+":back")
	}
	want, _, _ := rc.Do("DEBUG", "DIGEST")
	got, _, _ := mc.Do("DEBUG", "DIGEST")
	if string(got) != string(want) {
		t.Errorf("DEBUG DIGEST: modis %q, redis %q", got, want)
	}
}

// TestDumpRestoreModuleValue: module values go through their type's
// rdb_save and rdb_load; a payload of an unknown type is bad data.
func TestDumpRestoreModuleValue(t *testing.T) {
	_, c := moduleTestServer(t)
	modExpect(t, c, "+OK\r\n", "MODULE", "LOAD", "replytest")
	c.Do("rt.setval", "mv", "hello")
	_, p, err := c.Do("DUMP", "mv")
	if err != nil || p.Type != '$' || p.Str[0] != rdb.TypeModule2 {
		t.Fatalf("DUMP of a module value: %q %v", p.Str, err)
	}
	modExpect(t, c, "+OK\r\n", "RESTORE", "mv2", "0", string(p.Str))
	modExpect(t, c, "+rt-type-1\r\n", "TYPE", "mv2")
	modExpect(t, c, "$5\r\nhello\r\n", "rt.roundtrip", "mv2")
	modExpect(t, c, "+OK\r\n", "RESTORE", "mv2", "0", string(p.Str), "REPLACE")
	modExpect(t, c, "$5\r\nhello\r\n", "rt.roundtrip", "mv2")
	// Another type name in the id: unknown.
	body := append([]byte(nil), p.Str[:len(p.Str)-10]...)
	body[2] ^= 1
	body = append(body, 10, 0)
	crc := rdb.CRC64(0, body)
	for i := 0; i < 8; i++ {
		body = append(body, byte(crc>>(8*i)))
	}
	modExpect(t, c, "-ERR Bad data format\r\n", "RESTORE", "mv3", "0", string(body))
	// A payload the type cannot read (its string cut) is refused too:
	// type and id kept, then a string opcode announcing 60 bytes.
	body = append([]byte(nil), p.Str[:10]...)
	body = append(body, rdb.ModOpString, 60, 'a', 'b', 'c', 10, 0)
	crc = rdb.CRC64(0, body)
	for i := 0; i < 8; i++ {
		body = append(body, byte(crc>>(8*i)))
	}
	modExpect(t, c, "-ERR Bad data format\r\n", "RESTORE", "mv3", "0", string(body))
	modExpect(t, c, ":0\r\n", "EXISTS", "mv3")
}

// TestDumpPayloadSanitizations compares INFO dump_payload_sanitizations
// with Redis after RESTOREs under each sanitize-dump-payload setting.
func TestDumpPayloadSanitizations(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	setup := [][]string{
		{"RPUSH", "l", "a", "b"}, {"SADD", "si", "1", "2"}, {"SADD", "s", "a"}, {"HSET", "h", "f", "v"},
		{"ZADD", "z", "1", "a"}, {"XADD", "x", "1-1", "f", "v"}, {"SET", "str", "v"},
	}
	for _, cmd := range setup {
		mustDo(t, rc, cmd...)
	}
	stat := func(c *difftest.Conn) string {
		_, v, _ := c.Do("INFO", "stats")
		for _, line := range strings.Split(string(v.Str), "\r\n") {
			if strings.HasPrefix(line, "dump_payload_sanitizations:") {
				return line
			}
		}
		return "missing"
	}
	n := 0
	for _, mode := range []string{"no", "yes", "clients"} {
		mustDo(t, rc, "CONFIG", "SET", "sanitize-dump-payload", mode)
		mustDo(t, mc, "CONFIG", "SET", "sanitize-dump-payload", mode)
		for _, cmd := range setup {
			_, p, _ := rc.Do("DUMP", cmd[1])
			n++
			k := "k" + strconv.Itoa(n)
			mustDo(t, rc, "RESTORE", k, "0", string(p.Str))
			mustDo(t, mc, "RESTORE", k, "0", string(p.Str))
		}
		if a, b := stat(rc), stat(mc); a != b {
			t.Errorf("after mode %s: redis %s, modis %s", mode, a, b)
		}
	}
	mustDo(t, mc, "CONFIG", "RESETSTAT")
	if stat(mc) != "dump_payload_sanitizations:0" {
		t.Errorf("CONFIG RESETSTAT: %s", stat(mc))
	}
}

// TestRestoreServesBlockedClients: RESTORE creating a list serves a
// client blocked on it, as Redis's dbAdd signals the key as ready.
func TestRestoreServesBlockedClients(t *testing.T) {
	s := startTestServer(t, nil)
	c, b := dial(t, s.Addr().String()), dial(t, s.Addr().String())
	mustDo(t, c, "RPUSH", "src", "a", "b")
	_, p, _ := c.Do("DUMP", "src")
	if err := b.Send("BLPOP", "dst", "5"); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		_, v, _ := c.Do("INFO", "clients")
		if strings.Contains(string(v.Str), "blocked_clients:1\r\n") {
			break
		}
		if i > 200 {
			t.Fatal("client never blocked")
		}
		time.Sleep(5 * time.Millisecond)
	}
	mustDo(t, c, "RESTORE", "dst", "0", string(p.Str))
	if raw, _, err := b.Read(); err != nil || string(raw) != "*2\r\n$3\r\ndst\r\n$1\r\na\r\n" {
		t.Fatalf("BLPOP served %q, %v", raw, err)
	}
}
