package server

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestListPropagation checks the commands the list family propagates:
// blocking and multi-key pops replicate as the plain pop or move they
// performed (Redis's rewriteClientCommandVector), no-ops nothing.
func TestListPropagation(t *testing.T) {
	s, sink, c := propTestServer(t)
	all := "0 " + strconv.Itoa(PropagateAOF|PropagateRepl) + " "
	modExpect(t, c, ":3\r\n", "RPUSH", "l", "a", "b", "c")
	expectProp(t, sink, all+"RPUSH l a b c")
	modExpect(t, c, "*2\r\n$1\r\nl\r\n$1\r\na\r\n", "BLPOP", "nokey", "l", "0")
	expectProp(t, sink, all+"LPOP l")
	modExpect(t, c, "*2\r\n$1\r\nl\r\n$1\r\nc\r\n", "BRPOP", "l", "0")
	expectProp(t, sink, all+"RPOP l")
	modExpect(t, c, ":2\r\n", "RPUSH", "l", "x")
	sink.take()
	modExpect(t, c, "$1\r\nx\r\n", "BRPOPLPUSH", "l", "d", "0")
	expectProp(t, sink, all+"RPOPLPUSH l d")
	modExpect(t, c, "$1\r\nb\r\n", "BLMOVE", "l", "d", "left", "RIGHT", "0")
	expectProp(t, sink, all+"LMOVE l d left RIGHT")
	modExpect(t, c, "*2\r\n$1\r\nd\r\n*2\r\n$1\r\nb\r\n$1\r\nx\r\n", "LMPOP", "1", "d", "RIGHT", "COUNT", "10")
	expectProp(t, sink, all+"RPOP d 2")
	modExpect(t, c, ":2\r\n", "RPUSH", "m", "1", "2")
	sink.take()
	modExpect(t, c, "*2\r\n$1\r\nm\r\n*1\r\n$1\r\n1\r\n", "BLMPOP", "0", "1", "m", "LEFT")
	expectProp(t, sink, all+"LPOP m 1")
	modExpect(t, c, "*-1\r\n", "LMPOP", "1", "nokey", "LEFT")
	modExpect(t, c, "*-1\r\n", "BLPOP", "nokey", "0.01")
	modExpect(t, c, "*0\r\n", "LPOP", "m", "0")
	modExpect(t, c, "+OK\r\n", "LTRIM", "nokey", "0", "1")
	expectProp(t, sink)

	// A client served after blocking: the push, then the pop.
	b := dial(t, s.Addr().String())
	if err := b.Send("BLMOVE", "q", "d2", "RIGHT", "LEFT", "0"); err != nil {
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
	modExpect(t, c, ":1\r\n", "RPUSH", "q", "v")
	if raw, _, err := b.Read(); err != nil || string(raw) != "$1\r\nv\r\n" {
		t.Fatalf("BLMOVE served %q, %v", raw, err)
	}
	expectProp(t, sink, all+"RPUSH q v", all+"LMOVE q d2 RIGHT LEFT")
}
