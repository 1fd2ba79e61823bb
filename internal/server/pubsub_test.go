package server

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/difftest"
)

// TestPubsubDelivery compares message delivery between connections,
// RESP2 and RESP3, channels and patterns, against redis-server.
func TestPubsubDelivery(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	sub2 := sv.dial(t)
	sub3 := sv.dial(t)
	pub := sv.dial(t)

	sub2.do("SUBSCRIBE", "news")
	sub2.do("PSUBSCRIBE", "n?ws")
	sub2.do("PSUBSCRIBE", "other*")
	hello := sv.dial(t)
	_ = hello
	sub3.send("HELLO", "3")
	sub3.r.Read()
	sub3.m.Read()
	sub3.do("SUBSCRIBE", "news")
	sub3.do("PSUBSCRIBE", "n[a-f]ws")

	pub.do("PUBLISH", "news", "hello world")
	sub2.read() // message
	sub2.read() // pmessage
	sub3.read() // message (push)
	sub3.read() // pmessage (push)

	pub.do("PUBLISH", "news", "bin\r\n\x00ary")
	for i := 0; i < 2; i++ {
		sub2.read()
		sub3.read()
	}
	pub.do("PUBLISH", "nbws", "pattern only")
	sub2.read()
	sub3.read()
	pub.do("PUBLISH", "nzws", "one pattern")
	sub2.read()
	pub.do("PUBLISH", "nochannel", "x")

	pub.do("PUBSUB", "NUMSUB", "news", "nbws", "nochannel")
	pub.do("PUBSUB", "NUMPAT")
	pub.do("PUBSUB", "CHANNELS")
	pub.do("PUBSUB", "CHANNELS", "n*")
	pub.do("PUBSUB", "CHANNELS", "x*")
	pubsubInfo := func(c *difftest.Conn) string {
		_, v, _ := c.Do("INFO", "stats")
		var out []string
		for _, l := range strings.Split(string(v.Str), "\r\n") {
			if strings.HasPrefix(l, "pubsub") {
				out = append(out, l)
			}
		}
		return strings.Join(out, ",")
	}
	if r, m := pubsubInfo(pub.r), pubsubInfo(pub.m); r != m || !strings.Contains(m, "pubsub_channels:1") {
		t.Errorf("INFO pubsub fields: redis %q modis %q", r, m)
	}

	// RESP3 subscribers may run any command; they get pushes in between.
	sub3.do("SET", "k", "v")
	sub3.do("GET", "k")
	pub.do("PUBLISH", "news", "again")
	sub2.read()
	sub2.read()
	sub3.read()
	sub3.read()

	// Unsubscribing stops delivery.
	sub2.do("UNSUBSCRIBE", "news")
	sub2.do("PUNSUBSCRIBE", "n?ws")
	pub.do("PUBLISH", "news", "late")
	sub3.read()
	sub3.read()
	pub.do("PUBLISH", "otherthing", "for sub2")
	sub2.read()

	// A closed subscriber disappears from the counts.
	sub3.r.Close()
	sub3.m.Close()
	time.Sleep(50 * time.Millisecond)
	pub.do("PUBSUB", "NUMSUB", "news")
	pub.do("PUBLISH", "news", "nobody")
	pub.do("PUBSUB", "NUMPAT")

	// Shard channels work in standalone mode too.
	sub2.do("SSUBSCRIBE", "shard")
	pub.do("SPUBLISH", "shard", "smsg")
	sub2.read()
	pub.do("PUBSUB", "SHARDNUMSUB", "shard")
	pub.do("PUBSUB", "SHARDCHANNELS")
	pub.do("PUBLISH", "shard", "not a shard message")
}

// TestPubsubOrder checks that several subscribers of one channel all get
// the message and that PUBLISH counts each pattern match.
func TestPubsubOrder(t *testing.T) {
	t.Parallel()
	sv := startServers(t, nil, nil)
	var subs []*twin
	for i := 0; i < 4; i++ {
		w := sv.dial(t)
		w.do("SUBSCRIBE", "c")
		w.do("PSUBSCRIBE", "*")
		subs = append(subs, w)
	}
	pub := sv.dial(t)
	pub.do("PUBLISH", "c", "m")
	for _, w := range subs {
		w.read()
		w.read()
	}
}

// TestPubsubSlowSubscriber: a subscriber that never reads must not stall
// the publisher or other clients, and is disconnected when it passes the
// pubsub output buffer hard limit.
func TestPubsubSlowSubscriber(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, func(c *config.Config) {
		c.ClientOutputBufferLimits[clientTypePubsub] = config.ClientBufferLimit{Hard: 4 << 20}
		c.LogFile = t.TempDir() + "/log"
	})
	addr := s.Addr().String()
	slow := rawConn(t, addr)
	slow.Write([]byte("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nfeed\r\n"))
	fast, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	if v := do1(t, fast, "SUBSCRIBE", "feed"); len(v.Elems) != 3 {
		t.Fatalf("subscribe: %v", v)
	}
	pub, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	time.Sleep(50 * time.Millisecond)

	payload := strings.Repeat("x", 64*1024)
	var wg sync.WaitGroup
	wg.Add(1)
	received := 0
	go func() { // the fast subscriber keeps reading
		defer wg.Done()
		for received < 200 {
			if _, _, err := fast.Read(); err != nil {
				return
			}
			received++
		}
	}()
	start := time.Now()
	counts := map[int64]int{}
	for i := 0; i < 200; i++ {
		v := do1(t, pub, "PUBLISH", "feed", payload)
		counts[v.Int]++
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("publishing stalled: %v", d)
	}
	wg.Wait()
	if received != 200 {
		t.Fatalf("fast subscriber got %d messages", received)
	}
	if counts[1] == 0 {
		t.Fatalf("slow subscriber never disconnected: counts %v", counts)
	}
	v := do1(t, pub, "PUBSUB", "NUMSUB", "feed")
	if v.Elems[1].Int != 1 {
		t.Fatalf("NUMSUB after disconnect = %v", v.Elems[1])
	}
	if _, closed := readAll(slow, 2*time.Second); !closed {
		t.Fatal("slow subscriber connection not closed")
	}
}

// TestNormalOutputLimit: a normal client pipelining big replies without
// reading is disconnected at the normal-class hard limit, while another
// client keeps being served.
func TestNormalOutputLimit(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, func(c *config.Config) {
		c.ClientOutputBufferLimits[clientTypeNormal] = config.ClientBufferLimit{Hard: 1 << 20}
		c.LogFile = t.TempDir() + "/log"
	})
	addr := s.Addr().String()
	other, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	do1(t, other, "SET", "big", strings.Repeat("v", 256*1024))
	slow := rawConn(t, addr)
	var req []byte
	for i := 0; i < 200; i++ {
		req = append(req, "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"...)
	}
	go slow.Write(req)
	deadline := time.Now().Add(5 * time.Second)
	for {
		v := do1(t, other, "CLIENT", "LIST")
		if strings.Count(string(v.Str), "\n") == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slow client not disconnected:\n%s", v.Str)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if v := do1(t, other, "PING"); string(v.Str) != "PONG" {
		t.Fatalf("PING: %v", v)
	}
}

// TestPubsubKeyspacePublishHook checks the internal publish entry point.
func TestPubsubPublishAPI(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	do1(t, c, "PSUBSCRIBE", "__key*__:*")
	s.mu.Lock()
	n := s.publish([]byte("__keyspace@0__:foo"), []byte("set"))
	s.mu.Unlock()
	if n != 1 {
		t.Fatalf("publish returned %d", n)
	}
	raw, _, err := c.Read()
	if err != nil {
		t.Fatal(err)
	}
	want := "*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$18\r\n__keyspace@0__:foo\r\n$3\r\nset\r\n"
	if string(raw) != want {
		t.Fatalf("got %q", raw)
	}
}

func TestOrderedSet(t *testing.T) {
	var o orderedSet
	for _, s := range []string{"a", "b", "c", "b"} {
		o.add(s)
	}
	o.remove("a")
	o.add("d")
	o.remove("c")
	if got := fmt.Sprint(o.list); got != "[b d]" || o.idx["d"] != 1 || o.idx["b"] != 0 {
		t.Fatalf("list %s idx %v", got, o.idx)
	}
}

// TestQuitFlushesPendingMessages: QUIT from a subscriber whose earlier
// messages are still being written must not cut them off.
func TestQuitFlushesPendingMessages(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, nil)
	addr := s.Addr().String()
	sub := rawConn(t, addr)
	sub.Write([]byte("SUBSCRIBE big\r\n"))
	readAll(sub, 100*time.Millisecond)
	pub, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	payload := strings.Repeat("p", 64*1024)
	const n = 300
	for i := 0; i < n; i++ {
		do1(t, pub, "PUBLISH", "big", payload)
	}
	sub.Write([]byte("UNSUBSCRIBE big\r\nQUIT\r\n"))
	time.Sleep(50 * time.Millisecond)
	data, closed := readAll(sub, 2*time.Second)
	if !closed {
		t.Fatal("not closed after QUIT")
	}
	if got := strings.Count(string(data), "$7\r\nmessage\r\n"); got != n {
		t.Fatalf("got %d of %d messages (%d bytes)", got, n, len(data))
	}
	if !strings.HasSuffix(string(data), "$11\r\nunsubscribe\r\n$3\r\nbig\r\n:0\r\n+OK\r\n") {
		t.Fatalf("tail %q", data[len(data)-60:])
	}
}

// TestPubsubSoftLimit: over the soft limit a subscriber is disconnected
// only once it has stayed there for more than the configured seconds.
func TestPubsubSoftLimit(t *testing.T) {
	t.Parallel()
	s := startTestServer(t, func(c *config.Config) {
		c.ClientOutputBufferLimits[clientTypePubsub] = config.ClientBufferLimit{Soft: 256 << 10, SoftSeconds: 1}
		c.LogFile = t.TempDir() + "/log"
	})
	addr := s.Addr().String()
	slow := rawConn(t, addr)
	slow.Write([]byte("SUBSCRIBE soft\r\n"))
	readAll(slow, 100*time.Millisecond)
	pub, err := difftest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	payload := strings.Repeat("s", 64*1024)
	// Fill the socket buffers and then some: the subscriber stays
	// connected while within the grace period.
	for i := 0; i < 200; i++ {
		if v := do1(t, pub, "PUBLISH", "soft", payload); v.Int != 1 {
			t.Fatalf("message %d: disconnected within the grace period", i)
		}
	}
	s.mu.Lock()
	var since time.Time
	for _, c := range s.clients {
		if c.inPubsub() {
			since = c.obufSoftSince
			c.obufSoftSince = c.obufSoftSince.Add(-5 * time.Second)
		}
	}
	s.mu.Unlock()
	if since.IsZero() {
		t.Fatal("soft limit never reached")
	}
	if v := do1(t, pub, "PUBLISH", "soft", payload); v.Int != 0 {
		// The subscriber got this message queued, then was dropped; a
		// further message finds nobody.
		if v := do1(t, pub, "PUBLISH", "soft", payload); v.Int != 0 {
			t.Fatal("subscriber still connected after the soft limit period")
		}
	}
}
