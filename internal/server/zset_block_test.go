package server

import (
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestZsetBlockingDiff runs the same blocking scenarios on redis-server
// and Modis: clients blocked in BZPOPMIN/BZPOPMAX/BZMPOP are served by a
// later ZADD (FIFO, several keys, RESP2 and RESP3), time out with a null
// array, and the resulting content matches.
func TestZsetBlockingDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	type step struct {
		conn  int      // which client sends
		args  []string // command
		async bool     // blocks: read its reply later
		read  int      // read the pending reply of this client first (-1: none)
	}
	scenario := []step{
		{0, []string{"BZPOPMIN", "k1", "k2", "0"}, true, -1},
		{1, []string{"BZPOPMAX", "k2", "0"}, true, -1},
		{2, []string{"ZADD", "k2", "1", "a", "2", "b", "3", "c"}, false, -1},
		{0, []string{"PING"}, false, 0},
		{1, []string{"PING"}, false, 1},
		{2, []string{"ZRANGE", "k2", "0", "-1", "WITHSCORES"}, false, -1},
		{0, []string{"BZMPOP", "0", "2", "k3", "k4", "MAX", "COUNT", "5"}, true, -1},
		{2, []string{"ZADD", "k4", "1", "x", "2", "y"}, false, -1},
		{0, []string{"EXISTS", "k4"}, false, 0},
		{1, []string{"HELLO", "3"}, false, -1},
		{1, []string{"BZMPOP", "0", "1", "k5", "MIN"}, true, -1},
		{2, []string{"ZADD", "k5", "5", "m"}, false, -1},
		{1, []string{"BZPOPMIN", "k6", "0.05"}, false, 1},
		{0, []string{"BZPOPMAX", "k6", "0.05"}, false, -1},
		{0, []string{"BZMPOP", "0.05", "1", "k6", "MIN"}, false, -1},
		{1, []string{"BZMPOP", "0.05", "1", "k6", "MIN"}, false, -1},
		{0, []string{"BZPOPMIN", "k7", "0"}, true, -1},
		{2, []string{"SET", "k7", "string"}, false, -1},
		{2, []string{"DEL", "k7"}, false, -1},
		{2, []string{"ZADD", "k7", "1", "z"}, false, -1},
		{0, []string{"PING"}, false, 0},
	}
	run := func(addr string) []string {
		var conns []*difftest.Conn
		for i := 0; i < 3; i++ {
			conns = append(conns, dial(t, addr))
		}
		var out []string
		for _, st := range scenario {
			if st.read >= 0 {
				raw, _, err := conns[st.read].Read()
				if err != nil {
					t.Fatalf("%s: reading blocked reply: %v", addr, err)
				}
				out = append(out, "blocked: "+string(raw))
			}
			if st.async {
				if err := conns[st.conn].Send(st.args...); err != nil {
					t.Fatal(err)
				}
				time.Sleep(20 * time.Millisecond) // let it block
				continue
			}
			raw, _, err := conns[st.conn].Do(st.args...)
			if err != nil {
				t.Fatalf("%s %v: %v", addr, st.args, err)
			}
			if st.args[0] == "HELLO" {
				continue // the client id differs
			}
			out = append(out, string(raw))
		}
		return out
	}
	want, got := run(r.Addr), run(s.Addr().String())
	for i := range want {
		if i >= len(got) || want[i] != got[i] {
			t.Errorf("reply %d: redis %q modis %q", i, want[i], got[min(i, len(got)-1)])
		}
	}
}
