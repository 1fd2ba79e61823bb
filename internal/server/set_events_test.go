package server

import "testing"

// TestSetEventsAndDirty compares, command by command, the replies, the
// keyspace events, the change counter and the keyspace hit/miss counters
// of the set commands on redis-server and Modis (see diffEvents).
func TestSetEventsAndDirty(t *testing.T) { diffEvents(t, setEventScript, eventDiff{}) }

// setEventScript exercises the write, no-op and error paths of every set
// command. Random picks only ever take whole sets so the datasets stay
// equal.
const setEventScript = `
SADD s 1 2 3
SADD s 3
SADD s 4 a
SADD new x
SREM s 9
SREM s 1 9
SREM nokey 1
SREM new x
SREM s 2 3 4 a 99
SADD s 1 2 3
SMOVE s d 1
SMOVE s d 1
SMOVE s s 2
SMOVE nokey d 1
SADD d 2
SMOVE s d 2
SMOVE s d 3
SISMEMBER d 1
SISMEMBER nokey 1
SMISMEMBER d 1 2
SCARD d
SCARD nokey
SMEMBERS d
SMEMBERS nokey
SRANDMEMBER d 10
SRANDMEMBER nokey 10
SADD a 1 2 3
SADD b 2 3 4
SINTER a b
SINTER a nokey b
SINTERCARD 2 a b
SINTERSTORE dst a b
SINTERSTORE dst a nokey
SINTERSTORE dst a nokey
SUNION a b
SUNIONSTORE dst a b
SUNIONSTORE dst nokey
SDIFF a b
SDIFFSTORE dst a b
SDIFFSTORE dst a a
SET str x
SINTERSTORE str a b
SUNIONSTORE str nokey
SADD str 1
SPOP nokey
SPOP nokey 3
SPOP a 0
SPOP a 10
SADD a 1
SPOP a 1
SADD a 1 2 3
EXPIRE a 1000
SPOP a 5
SADD x 5
SPOP x
SSCAN b 0
SSCAN nokey 0
SADD e 1
PEXPIRE e 30
!sleep 60
SCARD e
SADD e 2
SADD f 1
PEXPIRE f 30
!sleep 60
SMOVE f g 1
SADD f 1
PEXPIRE f 30
!sleep 60
SINTERSTORE f a b
`
