package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestGeoSortEventsAndDirty compares, command by command, the replies,
// keyspace events, dirty counter and hit/miss counters of the GEO and SORT
// commands against redis-server, no-op and error paths included.
func TestGeoSortEventsAndDirty(t *testing.T) { diffEvents(t, geoSortEventScript, eventDiff{}) }

const geoSortEventScript = `
GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
GEOADD g 13.361389 38.115556 Palermo
GEOADD g CH 13.36 38.11 Palermo
GEOADD g NX 1 1 Palermo
GEOADD g XX 1 1 nosuch
GEOADD g 200 1 bad
GEOPOS g Palermo nosuch
GEOPOS nokey a
GEOHASH g Palermo
GEODIST g Palermo Catania
GEODIST nokey a b
GEORADIUS g 15 37 200 km
GEORADIUS nokey 15 37 200 km
GEORADIUS g 15 37 200 km STORE dst
GEORADIUS g 15 37 200 km STOREDIST dst
GEORADIUS g 15 37 1 km STORE dst
GEORADIUS g 15 37 1 km STORE dst
GEORADIUS nokey 15 37 1 km STORE g2
GEORADIUSBYMEMBER g Palermo 300 km STORE dst
GEORADIUSBYMEMBER_RO g Palermo 300 km
GEOSEARCH g FROMMEMBER Palermo BYRADIUS 300 km
GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 300 km
GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 1 m
GEOSEARCHSTORE dst nokey FROMMEMBER Palermo BYRADIUS 1 m
RPUSH l 3 1 2
MSET w_1 3 w_2 2 w_3 1
SORT l
SORT l BY w_* GET w_*
SORT nokey
SORT l STORE out
SORT l BY w_* GET # GET w_* STORE out
SORT l LIMIT 0 0 STORE out
SORT l LIMIT 0 0 STORE out
SORT nokey STORE out
SORT_RO l BY w_*
SADD s b a c
SORT s BY nosort STORE out
ZADD z 1 a
SORT z
`

// TestGeoSortPropagation checks what GEO and SORT replicate: GEOADD as the
// ZADD it performs, the store forms as themselves, reads nothing.
func TestGeoSortPropagation(t *testing.T) {
	_, sink, c := propTestServer(t)
	all := "0 " + strconv.Itoa(PropagateAOF|PropagateRepl) + " "
	modExpect(t, c, ":1\r\n", "GEOADD", "g", "CH", "13.361389", "38.115556", "Palermo")
	expectProp(t, sink, all+"zadd g CH 3479099956230698 Palermo")
	modExpect(t, c, ":0\r\n", "GEOADD", "g", "13.361389", "38.115556", "Palermo")
	expectProp(t, sink)
	modExpect(t, c, "*1\r\n$7\r\nPalermo\r\n", "GEORADIUS", "g", "13", "38", "100", "km")
	expectProp(t, sink)
	modExpect(t, c, ":1\r\n", "GEORADIUS", "g", "13", "38", "100", "km", "STORE", "d")
	expectProp(t, sink, all+"GEORADIUS g 13 38 100 km STORE d")
	modExpect(t, c, ":1\r\n", "GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "13", "38", "BYBOX", "200", "200", "km")
	expectProp(t, sink, all+"GEOSEARCHSTORE d2 g FROMLONLAT 13 38 BYBOX 200 200 km")
	modExpect(t, c, ":2\r\n", "RPUSH", "l", "2", "1")
	sink.take()
	modExpect(t, c, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "SORT", "l")
	expectProp(t, sink)
	modExpect(t, c, ":2\r\n", "SORT", "l", "STORE", "o")
	expectProp(t, sink, all+"SORT l STORE o")
}

// TestGeoaddSlowlogArgv checks that GEOADD, which runs as ZADD, still shows
// in SLOWLOG with the arguments the client sent (as in Redis 7.0).
func TestGeoaddSlowlogArgv(t *testing.T) {
	s := startTestServer(t, nil)
	c, err := difftest.Dial(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{
		{"CONFIG", "SET", "slowlog-log-slower-than", "0"},
		{"SLOWLOG", "RESET"},
		{"geoadd", "sl", "1", "2", "m"},
	} {
		if _, _, err := c.Do(cmd...); err != nil {
			t.Fatal(err)
		}
	}
	raw, _, err := c.Do("SLOWLOG", "GET", "1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "*5\r\n$6\r\ngeoadd\r\n$2\r\nsl\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nm\r\n") {
		t.Fatalf("SLOWLOG GET 1 = %q", raw)
	}
}
