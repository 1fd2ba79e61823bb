package server

import "testing"

// TestKeysEventsAndDirty compares, command by command, the generic key,
// expiry and database commands with redis-server: the keyspace events of
// every database, new-key events included (KEAmn), the change counter and
// the keyspace hit/miss counters (see diffEvents). Replies that depend on
// time or on hash order (KEYS, RANDOMKEY, TTL, EXPIRETIME) are not
// compared.
func TestKeysEventsAndDirty(t *testing.T) {
	diffEvents(t, keysEventScript, eventDiff{
		Flags: "KEAmn",
		SkipReply: func(args []string) bool {
			switch args[0] {
			case "KEYS", "RANDOMKEY", "TTL", "EXPIRETIME":
				return true
			}
			return false
		},
	})
}

// keysEventScript exercises the write, no-op and error paths of the
// generic key, expiry and database commands, lazy expiry included.
const keysEventScript = `
SET a 1
EXISTS a a nokey
TYPE a
TYPE nokey
TOUCH a nokey
EXPIRE a 100
EXPIRE a 100 NX
EXPIRE nokey 100
PEXPIRE a 200000 GT
EXPIREAT a 4102444800
PEXPIREAT a 4102444800000 LT
TTL a
PTTL nokey
EXPIRETIME a
PEXPIRETIME nokey
PERSIST a
PERSIST a
PERSIST nokey
EXPIRE a abc
EXPIRE a 10 NX XX
EXPIRE a -1
SET a 1
PEXPIRE a 0
SET b 2
RENAME b c
RENAME c c
RENAME nokey x
RENAMENX c d
SET e 5
RENAMENX d e
RENAME d e
COPY e f
COPY e f
COPY e f REPLACE
COPY e f DB 1
COPY nokey g
COPY e e
MOVE f 1
MOVE f 2
MOVE nokey 1
MOVE e 0
SET x 1
PEXPIRE x 20
!sleep 40
EXISTS x
SET y 1
PEXPIRE y 20
!sleep 40
TTL y
SET z 1
PEXPIRE z 20
!sleep 40
DEL z
SET w 1
PEXPIRE w 20
!sleep 40
RENAME w w2
SET v 1
PEXPIRE v 20
!sleep 40
COPY v v2
SET u 1
PEXPIRE u 20
!sleep 40
OBJECT ENCODING u
SET t 1
PEXPIRE t 20
!sleep 40
EXPIRE t 100
DEL e nokey e
UNLINK f
OBJECT ENCODING nokey
OBJECT ENCODING a
KEYS *
SCAN 0 COUNT 100 MATCH nomatch
SCAN 0 COUNT 100 TYPE hash
RANDOMKEY
DBSIZE
SWAPDB 0 1
SWAPDB 0 0
SWAPDB 1 0
SELECT 1
DEL f
SELECT 0
FLUSHDB
SET a 1
SET b 1
FLUSHALL
FLUSHALL
`
