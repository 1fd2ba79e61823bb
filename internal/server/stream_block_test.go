package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// TestStreamBlockingDiff runs blocking XREAD and XREADGROUP scenarios on
// redis-server and Modis with two or three connections each and compares
// the transcripts: what the blocked client receives, when it is woken,
// and the blocked_clients count in between. Step syntax:
//
//	A> cmd   send on connection A without reading (it blocks)
//	B cmd    send on B and read the reply
//	A<       read A's pending reply
//	B#       B reads INFO clients and records blocked_clients
//	!ms      sleep
func TestStreamBlockingDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	if !blocksOnStreams(t, s.Addr().String()) {
		t.Skip("XREAD BLOCK does not block: the blocking framework is not wired in")
	}
	for _, sc := range streamBlockScenarios {
		t.Run(sc.name, func(t *testing.T) {
			want := runBlockScenario(t, r.Addr, sc.steps)
			got := runBlockScenario(t, s.Addr().String(), sc.steps)
			for i := range want {
				if i >= len(got) || got[i] != want[i] {
					t.Fatalf("transcript differs at %d:\n redis %q\n modis %q", i, want, got)
				}
			}
		})
	}
}

type blockScenario struct {
	name  string
	steps string
}

var streamBlockScenarios = []blockScenario{
	{"xread-dollar", `
A> XREAD BLOCK 0 STREAMS s $
!50
B#
B XADD s 1-0 f v
A<
B#`},
	{"xread-existing-dollar", `
B XADD s 1-0 f v
A> XREAD BLOCK 0 STREAMS s $
!50
B XADD other 1-0 f v
B#
B XADD s 2-0 g w
A<`},
	{"xread-two-keys", `
A> XREAD COUNT 1 BLOCK 0 STREAMS s1 s2 $ 0
!50
B MULTI
B XADD s2 1-0 f v
B XADD s2 2-0 f v
B EXEC
A<`},
	{"xread-timeout", `
A> XREAD BLOCK 100 STREAMS s $
!300
A<
B#`},
	{"xread-resp3", `
A HELLO 3
A> XREAD BLOCK 0 STREAMS s 0
!50
B XADD s 5-0 f v
A<
A> XREAD BLOCK 100 STREAMS s $
!300
A<`},
	{"xread-multi", `
A MULTI
A XREAD BLOCK 0 STREAMS s $
A EXEC
B#`},
	{"xreadgroup", `
B XGROUP CREATE s g $ MKSTREAM
A> XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
C> XREADGROUP GROUP g bob BLOCK 0 COUNT 1 STREAMS s >
!50
B#
B XADD s 1-0 f v
A<
B#
B XADD s 2-0 f v
C<
B XPENDING s g
B XINFO GROUPS s`},
	{"xreadgroup-noack", `
B XGROUP CREATE s g $ MKSTREAM
A> XREADGROUP GROUP g alice BLOCK 0 NOACK STREAMS s >
!50
B XADD s 1-0 f v
A<
B XPENDING s g`},
	{"xreadgroup-destroy", `
B XGROUP CREATE s g $ MKSTREAM
A> XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
!50
B XGROUP DESTROY s g
A<
B#`},
	{"xreadgroup-del", `
B XGROUP CREATE s g $ MKSTREAM
A> XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
!50
B DEL s
A<
B#`},
	{"xreadgroup-overwrite", `
B XGROUP CREATE s g $ MKSTREAM
A> XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
!50
B SET s x
A<
B#`},
	{"xread-del-recreate", `
B XADD s 1-0 f v
A> XREAD BLOCK 0 STREAMS s $
!50
B DEL s
B#
B XADD s 0-5 f v
B#
B XADD s 2-0 f v
A<`},
	{"xreadgroup-timeout", `
B XGROUP CREATE s g $ MKSTREAM
A> XREADGROUP GROUP g alice BLOCK 100 STREAMS s >
!300
A<
B XINFO GROUPS s`},
}

func runBlockScenario(t *testing.T, addr string, steps string) []string {
	t.Helper()
	conns := map[string]*difftest.Conn{}
	conn := func(name string) *difftest.Conn {
		if c := conns[name]; c != nil {
			return c
		}
		c := dial(t, addr)
		conns[name] = c
		return c
	}
	mustDo(t, conn("B"), "FLUSHALL")
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(steps), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "!"):
			var ms int
			fmt.Sscan(line[1:], &ms)
			time.Sleep(time.Duration(ms) * time.Millisecond)
			continue
		case strings.HasSuffix(line, "#"):
			_, v, err := conn(line[:1]).Do("INFO", "clients")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(string(v.Str), "\r\n") {
				if strings.HasPrefix(l, "blocked_clients:") {
					out = append(out, line+" "+l)
				}
			}
			continue
		case strings.HasSuffix(line, "<"):
			raw, _, err := conn(line[:1]).Read()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, line+" "+string(raw))
			continue
		}
		name, rest := line[:1], strings.TrimSpace(line[1:])
		send := strings.HasPrefix(rest, ">")
		args, ok := resp.SplitArgs([]byte(strings.TrimPrefix(rest, ">")), nil)
		if !ok {
			t.Fatalf("bad step %q", line)
		}
		sargs := make([]string, len(args))
		for i, a := range args {
			sargs[i] = string(a)
		}
		if send {
			if err := conn(name).Send(sargs...); err != nil {
				t.Fatal(err)
			}
			continue
		}
		raw, _, err := conn(name).Do(sargs...)
		if err != nil {
			t.Fatal(err)
		}
		if sargs[0] == "HELLO" {
			continue
		}
		out = append(out, line+" "+string(raw))
	}
	return out
}

// blocksOnStreams reports whether XREAD BLOCK parks the client (it answers
// at once, like a timeout, until blocking support is wired in).
func blocksOnStreams(t *testing.T, addr string) bool {
	a, b := dial(t, addr), dial(t, addr)
	if err := a.Send("XREAD", "BLOCK", "0", "STREAMS", "blockprobe", "$"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	_, v, err := b.Do("INFO", "clients")
	if err != nil {
		t.Fatal(err)
	}
	blocked := strings.Contains(string(v.Str), "blocked_clients:1")
	mustDo(t, b, "XADD", "blockprobe", "*", "f", "v")
	if _, _, err := a.Read(); err != nil {
		t.Fatal(err)
	}
	mustDo(t, b, "DEL", "blockprobe")
	return blocked
}
