package server

import "testing"

// TestStreamEventsAndDirty compares, command by command, the replies, the
// keyspace events, the change counter and the keyspace hit/miss counters
// of the stream commands (see diffEvents). Replies that carry times are
// compared by shape only ("~ ").
func TestStreamEventsAndDirty(t *testing.T) { diffEvents(t, streamEventScript, eventDiff{}) }

// streamEventScript exercises the write and no-op paths of every stream
// command.
const streamEventScript = `
XADD s 1-0 a 1
XADD s 2-0 a 2
XADD s 1-0 a 1
XADD s NOMKSTREAM 3-0 a 3
XADD n NOMKSTREAM 3-0 a 3
XADD s MAXLEN 2 4-0 a 4
XADD s MAXLEN 5 5-0 a 5
XLEN s
XLEN nokey
XRANGE s - +
XRANGE nokey - +
XREVRANGE s + -
XDEL s 2-0 9-0
XDEL s 9-0
XDEL nokey 1-0
XTRIM s MAXLEN 1
XTRIM s MAXLEN 1
XTRIM nokey MAXLEN 1
XREAD STREAMS s 0
XREAD STREAMS nokey 0
XADD s 6-0 a 6
XGROUP CREATE s g 0
XGROUP CREATE s g 0
XGROUP CREATE m g $ MKSTREAM
XGROUP CREATECONSUMER s g c1
XGROUP CREATECONSUMER s g c1
XREADGROUP GROUP g c2 STREAMS s >
XREADGROUP GROUP g c2 STREAMS s >
XREADGROUP GROUP g c2 STREAMS s 0
XREADGROUP GROUP g c3 NOACK STREAMS s 0
XACK s g 5-0 9-0
XACK s g 6-0
XACK nokey g 1-0
XPENDING s g
~ XPENDING s g - + 10
XCLAIM s g c4 0 6-0
XCLAIM s g c4 0 7-0
XCLAIM s g c4 0 5-0 FORCE JUSTID
XCLAIM s g c4 0 5-0 LASTID 9-0 JUSTID
XCLAIM s g c4 0 5-0 LASTID 1-0 JUSTID
XCLAIM s g c4 0 99-0 LASTID 99-0
XAUTOCLAIM s g c5 0 0
XAUTOCLAIM s g c5 0 0 JUSTID
XDEL s 5-0
XAUTOCLAIM s g c5 0 0
XGROUP SETID s g 0
XGROUP DELCONSUMER s g c5
XGROUP DELCONSUMER s g c9
XGROUP DESTROY s g
XGROUP DESTROY s g
XSETID s 100-0
XSETID s 100-0 ENTRIESADDED 50 MAXDELETEDID 5-0
~ XINFO STREAM s
XINFO GROUPS s
XTRIM s MAXLEN 0
XLEN s
DEL s
`
