package server

import "testing"

// TestHLLEventsAndDirty compares replies, keyspace events, the change
// counter and hit/miss counters of the HyperLogLog commands with Redis
// (see diffEvents).
func TestHLLEventsAndDirty(t *testing.T) { diffEvents(t, hllEventScript, eventDiff{}) }

const hllEventScript = `
PFADD h
PFADD h a b
PFADD h a
PFCOUNT h
PFCOUNT h
PFADD h c
PFCOUNT h nokey
PFCOUNT nokey
PFCOUNT nokey nokey2
PFADD h2 x
PFMERGE h3 h h2
PFMERGE h3
PFMERGE h4 nokey
PFDEBUG ENCODING h
PFDEBUG DECODE h
PFDEBUG TODENSE h
PFDEBUG TODENSE h
PFDEBUG ENCODING nokey
PFADD h2 y
PFDEBUG GETREG h2
PFDEBUG GETREG h2
SET s x
PFADD s a
PFCOUNT s
PFMERGE s h
PFMERGE h s
SET bad "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"
PFCOUNT bad
PFMERGE h bad
PFADD e a
PEXPIRE e 30
!sleep 60
PFCOUNT e
PFADD e a
PEXPIRE e 30
!sleep 60
PFADD e b
PFADD f a
PEXPIRE f 30
!sleep 60
PFMERGE f h
`
