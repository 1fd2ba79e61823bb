package server

import (
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/resp"
)

// TestStringWrongType compares string and bitmap commands on a key of
// another type (a list made by LPUSH on both servers). Each
// group of lines (separated by blank lines) starts from a keyspace holding
// only that list and the strings a="\xff\x0f" and s="hello".
func TestStringWrongType(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	reset := func() {
		for _, c := range []*difftest.Conn{p.Redis, p.Modis} {
			mustDo(t, c, "FLUSHALL")
			mustDo(t, c, "SET", "a", "\xff\x0f")
			mustDo(t, c, "SET", "s", "hello")
		}
		for _, c := range []*difftest.Conn{p.Redis, p.Modis} {
			mustDo(t, c, "LPUSH", "list", "x")
		}
	}
	for _, group := range strings.Split(strings.TrimSpace(wrongTypeScript), "\n\n") {
		reset()
		for _, line := range strings.Split(group, "\n") {
			args, ok := resp.SplitArgs([]byte(line), nil)
			if !ok {
				t.Fatalf("bad line %q", line)
			}
			sargs := make([]string, len(args))
			for i, a := range args {
				sargs[i] = string(a)
			}
			if err := p.Compare(difftest.Exact, sargs...); err != nil {
				t.Errorf("%s: %v", line, err)
			}
		}
	}
}

const wrongTypeScript = `
GET list
GETDEL list
GETEX list
GETEX list EX 100
GETEX list EX abc
GETEX list FOO
MGET a list s
MGET list
STRLEN list
APPEND list x
GETRANGE list 0 1
GETRANGE list a 1
SUBSTR list 0 1
SETRANGE list 0 x
SETRANGE list 0 ""
SETRANGE list -1 x
SETRANGE list x x
INCR list
DECR list
INCRBY list 1
DECRBY list 1
INCRBY list abc
DECRBY list -9223372036854775808
INCRBYFLOAT list 1
INCRBYFLOAT list abc
LCS s list
LCS list s
LCS list nokey
LCS list s FOO
SETBIT list 0 1
SETBIT list -1 1
SETBIT list 0 5
GETBIT list 0
GETBIT list x
BITCOUNT list
BITCOUNT list a b
BITCOUNT list 0 1 FOO
BITPOS list 0
BITPOS list 2
BITPOS list 0 a
BITOP AND d a list
BITOP AND d list a
BITOP NOT d list
BITFIELD list GET u8 0
BITFIELD list SET u8 0 1
BITFIELD list
BITFIELD list FOO
BITFIELD list GET u64 0
BITFIELD_RO list GET u8 0
BITFIELD_RO list SET u8 0 1
SET list v GET
SET list v NX GET
SET list v XX GET
SET list v EX 0 GET
GETSET list x
SETNX list x
MSETNX list v
EXISTS d

SET list v
GET list

SET list v KEEPTTL
GET list

SET list v XX
GET list

SETEX list 100 v
GET list

MSET list v s w
MGET list s

BITOP AND list a
GET list

BITOP OR list nokey
EXISTS list
`
