package server

// TEMPORARY — DELETE THIS FILE AT MERGE. The clients helper owns pub/sub
// and provides the real (s *Server) publish(channel, message []byte) int
// plus SUBSCRIBE/PSUBSCRIBE. This placeholder only exists so the keyspace
// notification code and its tests build and run on the txevict branch: a
// bare SUBSCRIBE/PSUBSCRIBE (no unsubscribe, no subscribe-mode command
// restrictions) and delivery of messages to subscribers.

import (
	"sync"

	"github.com/modis/modis/internal/resp"
)

type stubPubsub struct {
	channels map[string][]*Client
	patterns map[string][]*Client
}

var (
	stubPubsubMu sync.Mutex
	stubPubsubs  = map[*Server]*stubPubsub{}
)

func (s *Server) stubPS() *stubPubsub {
	stubPubsubMu.Lock()
	defer stubPubsubMu.Unlock()
	ps := stubPubsubs[s]
	if ps == nil {
		ps = &stubPubsub{channels: map[string][]*Client{}, patterns: map[string][]*Client{}}
		stubPubsubs[s] = ps
	}
	return ps
}

func init() {
	register(map[string]func(*Client){
		"subscribe":  stubSubscribeCommand,
		"psubscribe": stubPsubscribeCommand,
	})
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) {
		ps := s.stubPS()
		for _, m := range []map[string][]*Client{ps.channels, ps.patterns} {
			for k, l := range m {
				out := l[:0]
				for _, x := range l {
					if x != c {
						out = append(out, x)
					}
				}
				if len(out) == 0 {
					delete(m, k)
				} else {
					m[k] = out
				}
			}
		}
	})
}

func stubSubscribe(c *Client, m map[string][]*Client, kind string) {
	ps := c.srv.stubPS()
	for _, a := range c.argv[1:] {
		k := string(a)
		found := false
		for _, x := range m[k] {
			found = found || x == c
		}
		if !found {
			m[k] = append(m[k], c)
		}
		n := 0
		for _, mm := range []map[string][]*Client{ps.channels, ps.patterns} {
			for _, l := range mm {
				for _, x := range l {
					if x == c {
						n++
					}
				}
			}
		}
		c.out = resp.AppendPushLen(c.out, 3, c.resp)
		c.addBulkString(kind)
		c.addBulk(a)
		c.addInt(int64(n))
	}
}

func stubSubscribeCommand(c *Client)  { stubSubscribe(c, c.srv.stubPS().channels, "subscribe") }
func stubPsubscribeCommand(c *Client) { stubSubscribe(c, c.srv.stubPS().patterns, "psubscribe") }

// publish delivers message to the subscribers of channel and of matching
// patterns and returns how many received it.
func (s *Server) publish(channel, message []byte) int {
	ps := s.stubPS()
	n := 0
	for _, c := range ps.channels[string(channel)] {
		c.out = resp.AppendPushLen(c.out, 3, c.resp)
		c.out = resp.AppendBulkString(c.out, "message")
		c.out = resp.AppendBulk(c.out, channel)
		c.out = resp.AppendBulk(c.out, message)
		c.wakeWriterLocked()
		n++
	}
	for pat, l := range ps.patterns {
		if !stubGlob(pat, string(channel)) {
			continue
		}
		for _, c := range l {
			c.out = resp.AppendPushLen(c.out, 4, c.resp)
			c.out = resp.AppendBulkString(c.out, "pmessage")
			c.out = resp.AppendBulkString(c.out, pat)
			c.out = resp.AppendBulk(c.out, channel)
			c.out = resp.AppendBulk(c.out, message)
			c.wakeWriterLocked()
			n++
		}
	}
	return n
}

// stubGlob matches '*' and '?' only.
func stubGlob(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if stubGlob(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
		default:
			if len(s) == 0 || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return len(s) == 0
}
