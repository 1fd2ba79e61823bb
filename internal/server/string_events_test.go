package server

import "testing"

// TestStringEventsAndDirty compares the string and bitmap commands with
// redis-server: replies, keyspace events (key-miss included), the change
// counter and the keyspace hit/miss counters, lazy expiry included (see
// diffEvents).
func TestStringEventsAndDirty(t *testing.T) { diffEvents(t, eventScript, eventDiff{}) }

// eventScript exercises the write and no-op paths of every command.
const eventScript = `
SET a 1
SET a 2 XX
SET a 3 NX
SET b 1 NX
SET a 4 GET
SET a 5 EX 100
SET a 6 PX 100000 GET
SET a 7 EXAT 99999999999
SET a 8 PXAT 99999999999000 KEEPTTL
SET a 8 KEEPTTL
SET a 9 EX 0
SET c 1 XX GET
SETNX a x
SETNX d x
SETEX e 100 v
SETEX e 0 v
PSETEX e 100000 v
GETSET e w
GETSET f w
GETDEL f
GETDEL f
GETEX e
GETEX e EX 100
GETEX e PX 100000
GETEX e PERSIST
GETEX e PERSIST
GETEX e EXAT 99999999999
GETEX e PXAT 1
GETEX nokey EX 10
MSET a 1 b 2 c 3
MSET a 1 a 2
MSETNX a 1 x 2
MSETNX x 1 y 2
APPEND g abc
APPEND g ""
APPEND g def
SETRANGE g 0 ""
SETRANGE g 1 X
SETRANGE h 0 ""
SETRANGE h 2 abc
SETRANGE h -1 abc
INCR i
INCRBY i 10
DECR i
DECRBY i 5
INCRBY i abc
INCR g
INCRBYFLOAT i 1.5
INCRBYFLOAT j 2
INCRBYFLOAT j abc
INCRBYFLOAT j inf
SETBIT k 7 1
SETBIT k 7 1
SETBIT k 7 0
SETBIT k 100 0
SETBIT k 100 0
SETBIT a 0 1
BITOP AND l a b
BITOP OR l nokey
BITOP OR l nokey
BITOP NOT l a
BITFIELD m SET u8 0 1
BITFIELD m SET u8 0 1
BITFIELD m SET u8 0 2 SET u8 8 3 INCRBY u8 0 1
BITFIELD m GET u8 0
BITFIELD m INCRBY u8 0 0
BITFIELD m SET u8 100 0
BITFIELD n OVERFLOW FAIL INCRBY u2 0 10
BITFIELD n OVERFLOW FAIL INCRBY u2 0 10
BITFIELD m OVERFLOW FAIL INCRBY u2 0 10 INCRBY u2 0 1
BITFIELD_RO m GET u8 0
GET a
MGET a b c
STRLEN a
GETRANGE a 0 -1
LCS a b
BITCOUNT m
BITPOS m 1
GETBIT m 0
SET x1 v PX 30
SET x2 v PX 30
SET x3 v PX 30
SET x4 v PX 30
SET x5 v PX 30
SET x6 v PX 30
SET x7 v PX 30
SET x8 v PX 30
!sleep 60
SET x1 w XX
SET x2 w KEEPTTL GET
INCR x3
APPEND x4 a
SETBIT x5 0 1
GETEX x6 PERSIST
MSETNX x7 1 x8 2
`
