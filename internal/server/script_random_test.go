package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modis/modis/internal/difftest"
)

// TestScriptRandomDiff generates small random Lua scripts (arithmetic,
// string functions, tables, redis.call/pcall on string, list and counter
// keys, conversions of every reply type, errors) and runs the same
// stream on redis-server and Modis, comparing replies byte for byte. It
// runs about two seconds.
func TestScriptRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, seed := randomSeed("MODIS_SCRIPT_SEED", 7)
	keys := []string{"s0", "s1", "l0", "n0", "h0"}
	num := func() string {
		switch rng.Intn(6) {
		case 0:
			return strconv.Itoa(rng.Intn(2000) - 1000)
		case 1:
			return fmt.Sprintf("%d.%d", rng.Intn(100), rng.Intn(100))
		case 2:
			return fmt.Sprintf("(%d/%d)", rng.Intn(50), 1+rng.Intn(9))
		case 3:
			return fmt.Sprintf("2^%d", rng.Intn(70))
		case 4:
			return "-" + strconv.Itoa(rng.Intn(10))
		}
		return strconv.Itoa(rng.Intn(10))
	}
	str := func() string {
		words := []string{"'a'", "'hello'", "''", "'x y'", "ARGV[1]", "KEYS[1]", "tostring(" + num() + ")"}
		return words[rng.Intn(len(words))]
	}
	var expr func(depth int) string
	expr = func(depth int) string {
		if depth > 2 {
			if rng.Intn(2) == 0 {
				return num()
			}
			return str()
		}
		switch rng.Intn(22) {
		case 0:
			return num() + " + " + num()
		case 1:
			return num() + " * " + num()
		case 2:
			return "math.floor(" + num() + ")"
		case 3:
			return "string.len(" + str() + ")"
		case 4:
			return str() + " .. " + str()
		case 5:
			return "string.upper(" + str() + ")"
		case 6:
			return "{" + expr(depth+1) + ", " + expr(depth+1) + "}"
		case 7:
			return "redis.call('get', KEYS[1])"
		case 8:
			return "redis.call('incrby', 'n0', " + strconv.Itoa(rng.Intn(10)) + ")"
		case 9:
			return "redis.call('lrange', 'l0', 0, " + strconv.Itoa(rng.Intn(5)-1) + ")"
		case 10:
			return "redis.pcall('incr', 's0')"
		case 11:
			return "redis.call('rpush', 'l0', " + str() + ")"
		case 12:
			return "redis.call('set', KEYS[1], " + expr(depth+1) + ")"
		case 13:
			return "redis.call('hset', 'h0', 'f', " + num() + ")"
		case 14:
			return "redis.call('hgetall', 'h0')"
		case 15:
			return "redis.call('exists', KEYS[1], 's1')"
		case 16:
			return "{ok=" + str() + "}"
		case 17:
			return "redis.status_reply(" + str() + ")"
		case 18:
			return "cjson.encode({" + expr(depth+1) + "})"
		case 19:
			return "bit.band(" + num() + ", 255)"
		case 20:
			return "(" + num() + " > " + num() + ")"
		}
		return "redis.call('type', KEYS[1])"
	}
	deadline := time.Now().Add(2 * time.Second)
	for i := 0; i < 3000 && time.Now().Before(deadline); i++ {
		var body strings.Builder
		if rng.Intn(8) == 0 {
			body.WriteString("redis.setresp(3) ")
		}
		for n := rng.Intn(3); n > 0; n-- {
			body.WriteString("local v" + strconv.Itoa(n) + " = " + expr(0) + " ")
		}
		switch rng.Intn(10) {
		case 0:
			body.WriteString("error(" + str() + ")")
		case 1:
			body.WriteString("return redis.call('incr', 's0')")
		default:
			body.WriteString("return " + expr(0))
		}
		cmd := []string{"EVAL", body.String(), "1", keys[rng.Intn(len(keys))], strconv.Itoa(rng.Intn(100))}
		if err := p.Compare(difftest.Exact, cmd...); err != nil {
			t.Fatalf("op %d (seed %d): %v", i, seed, err)
		}
		if rng.Intn(200) == 0 {
			if err := p.Compare(difftest.Exact, "SCRIPT", "FLUSH"); err != nil {
				t.Fatal(err)
			}
		}
	}
}
