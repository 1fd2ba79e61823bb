package server

import "testing"

// TestListEventsAndDirty compares, command by command, the keyspace events,
// the dirty counter and the hit/miss statistics of the list commands on
// redis-server and Modis (see diffEvents).
func TestListEventsAndDirty(t *testing.T) { diffEvents(t, listEventScript, eventDiff{}) }

// listEventScript exercises the write and no-op paths of every list command.
const listEventScript = `
RPUSH l a b c d e
LPUSH l x
LPUSHX l y
RPUSHX l z
LPUSHX nokey y
RPUSHX nokey y
LINSERT l BEFORE a q
LINSERT l AFTER nothere q
LINSERT nokey AFTER a q
LSET l 0 w
LSET l 100 w
LSET nokey 0 w
LTRIM l 1 -2
LTRIM l 0 -1
LTRIM nokey 0 1
LREM l 1 a
LREM l 0 nothere
LREM nokey 0 a
LPOP l
RPOP l
LPOP l 2
RPOP l 0
LPOP nokey
LPOP nokey 3
LLEN l
LINDEX l 0
LINDEX nokey 0
LRANGE l 0 -1
LRANGE nokey 0 -1
LPOS l c
LPOS nokey c
RPUSH m 1
RPOPLPUSH m m
RPOPLPUSH m n
RPOPLPUSH nokey n
LMOVE n o LEFT RIGHT
LMOVE o o RIGHT LEFT
LMOVE nokey o LEFT LEFT
RPUSH p 1 2 3
LMPOP 2 nokey p LEFT COUNT 2
LMPOP 1 p RIGHT COUNT 5
LMPOP 1 nokey RIGHT
RPUSH q 1 2 3
LTRIM q 5 10
RPUSH q a
LREM q 0 a
RPUSH q a b
RPOP q 5
SET s x
LPUSH s a
LPOP s
LMOVE o s LEFT LEFT
RPUSH r 1
LINSERT r BEFORE 1 0
COPY r r2
RPUSH bl a b c
BLPOP nokey bl 0
BRPOP bl 0
BRPOPLPUSH bl bl2 0
BLMOVE bl2 bl3 LEFT RIGHT 0
BLMPOP 0 2 nokey bl3 LEFT COUNT 3
BLPOP nokey 0.01
BLMOVE nokey bl3 LEFT LEFT 0.01
`
