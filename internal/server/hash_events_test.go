package server

import "testing"

// TestHashEventsAndDirty compares, command by command, the replies, the
// keyspace events (key-miss events left out), the change counter and the
// keyspace hit/miss counters of the hash commands, write and no-op paths
// alike, with a listpack limit of 2 so conversions happen (see diffEvents).
func TestHashEventsAndDirty(t *testing.T) {
	diffEvents(t, hashEventScript, eventDiff{
		Flags: "KEA",
		Setup: [][]string{{"CONFIG", "SET", "hash-max-listpack-entries", "2"}},
	})
}

const hashEventScript = `
HSET h a 1
HSET h a 1
HSET h a 2 b 3 c 4
HMSET h d 5
HSETNX h a x
HSETNX h e 6
HSETNX n a 1
HDEL h nosuch
HDEL h a b nosuch
HINCRBY h c 10
HINCRBY h x 1
HINCRBY h e abc
HINCRBYFLOAT h c 1.5
HINCRBYFLOAT h y 2.5
HINCRBYFLOAT h c abc
HGET h c
HLEN h
HSTRLEN h c
HGETALL nokey
HSET lp a 1
HKEYS lp
HRANDFIELD nokey
HRANDFIELD lp 2
HSCAN nokey 0
HSCAN lp 0 COUNT 100
HMGET h a b
HMGET nokey a
HEXISTS h c
HEXISTS nokey c
HDEL h c d e x y
EXISTS h
HDEL n a
HDEL n a
HSET n
SET s v
HSET s a 1
HDEL s a
HINCRBY nk f 5
HINCRBYFLOAT nf f 5
HDEL nk f nf
`
