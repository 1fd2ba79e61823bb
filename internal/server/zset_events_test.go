package server

import "testing"

// TestZsetEventsAndDirty compares, command by command, the replies, the
// keyspace events, the change counter and the keyspace hit/miss counters
// of the sorted set commands, no-op paths included (see diffEvents).
func TestZsetEventsAndDirty(t *testing.T) { diffEvents(t, zsetEventScript, eventDiff{}) }

const zsetEventScript = `
ZADD z 1 a 2 b 3 c
ZADD z 1 a
ZADD z CH 5 a
ZADD z NX 7 a
ZADD z XX 8 nosuch
ZADD z INCR 1 a
ZADD z INCR NX 1 a
ZADD z XX 1 a
ZADD nokey XX 1 a
ZADD z 1 a 2 b 9 c 10 d
ZADD z abc a
ZINCRBY z 2 b
ZINCRBY z 0 b
ZADD z INCR +inf b
ZADD z INCR -inf b
ZREM z nosuch
ZREM z a b
ZREM nokey a
ZCARD z
ZCARD nokey
ZSCORE z c
ZSCORE nokey c
ZMSCORE z c d
ZMSCORE nokey c
ZRANK z c
ZREVRANK nokey c
ZCOUNT z 0 100
ZCOUNT nokey 0 100
ZLEXCOUNT z - +
ZRANGE z 0 -1
ZRANGE nokey 0 -1
ZRANGEBYSCORE z 0 10
ZRANGEBYLEX z - +
ZREVRANGE z 0 -1
ZRANGESTORE dst z 0 -1
ZRANGESTORE dst z 10 20
ZRANGESTORE dst nokey 0 -1
ZRANGESTORE dst z 0 0
ZREMRANGEBYRANK z 5 6
ZREMRANGEBYRANK z 0 0
ZREMRANGEBYSCORE z 100 200
ZREMRANGEBYLEX z - +
ZREMRANGEBYRANK nokey 0 1
ZADD z 1 a 2 b 3 c 4 d
ZPOPMIN z
ZPOPMAX z 0
ZPOPMAX z 5
ZPOPMIN nokey
ZADD z 1 a 2 b
ZADD z2 1 a 3 c
ZMPOP 2 nokey z MIN COUNT 1
ZMPOP 1 nokey MIN
ZRANDMEMBER z
ZRANDMEMBER nokey
ZRANDMEMBER z 3
ZUNION 2 z z2
ZINTER 2 z z2 nokey
ZDIFF 2 z z2
ZINTERCARD 2 z z2
ZUNIONSTORE u 2 z z2
ZINTERSTORE u 2 z z2
ZDIFFSTORE u 2 z z2
ZDIFFSTORE u 2 z z
ZDIFFSTORE u 2 z z
ZINTERSTORE z 2 z z2
ZSCAN z2 0
ZSCAN nokey 0
SET s v
ZADD s 1 a
ZRANGE s 0 1
ZUNIONSTORE s 1 z2
ZREMRANGEBYSCORE z2 -inf +inf
`
