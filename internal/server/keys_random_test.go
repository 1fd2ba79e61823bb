package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestKeysRandomDiff sends the same pseudo-random stream (fixed seed) of
// generic key, expiry and database commands to redis-server and Modis and
// compares the replies byte for byte. Relative TTLs are multiples of 100s
// and never repeat, and absolute ones are far in the future, so no reply
// depends on the millisecond at which each server runs the command.
func TestKeysRandomDiff(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	p := difftest.NewPair(t, r.Addr, s.Addr().String())
	rng, seed := randomSeed("MODIS_KEYS_SEED", 11)
	keys := []string{"a", "b", "c", "ab", "x:1"}
	key := func() string { return keys[rng.Intn(len(keys))] }
	db := func() string { return strconv.Itoa(rng.Intn(3)) }
	usedRel := map[int]bool{}
	rel := func(ms bool) string {
		for {
			n := (10 + rng.Intn(1000)) * 100
			if !usedRel[n] {
				usedRel[n] = true
				if ms {
					return strconv.Itoa(n * 1000)
				}
				return strconv.Itoa(n)
			}
		}
	}
	abs := func(ms bool) string {
		n := 4_000_000_000 + rng.Intn(1000)
		if ms {
			return strconv.Itoa(n*1000 + rng.Intn(1000))
		}
		return strconv.Itoa(n)
	}
	flags := func() []string {
		var f []string
		for _, o := range []string{"NX", "XX", "GT", "LT"} {
			if rng.Intn(5) == 0 {
				f = append(f, o)
			}
		}
		return f
	}
	val := func() string {
		switch rng.Intn(3) {
		case 0:
			return strconv.Itoa(rng.Intn(20000) - 100)
		case 1:
			return "v" + strconv.Itoa(rng.Intn(100))
		}
		return strings.Repeat("x", 40+rng.Intn(10))
	}
	gen := func() (difftest.Mode, []string) {
		switch rng.Intn(24) {
		case 0, 1, 2:
			return difftest.Exact, []string{"SET", key(), val()}
		case 3:
			return difftest.Exact, []string{"DEL", key(), key()}
		case 4:
			return difftest.Exact, []string{"EXISTS", key(), key(), key()}
		case 5:
			return difftest.Exact, []string{"TYPE", key()}
		case 6:
			return difftest.Exact, []string{"RENAME", key(), key()}
		case 7:
			return difftest.Exact, []string{"RENAMENX", key(), key()}
		case 8:
			cmd := []string{"COPY", key(), key()}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "DB", db())
			}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "REPLACE")
			}
			return difftest.Exact, cmd
		case 9:
			return difftest.Exact, []string{"MOVE", key(), db()}
		case 10:
			return difftest.Exact, []string{"SELECT", db()}
		case 11:
			return difftest.Exact, []string{"SWAPDB", db(), db()}
		case 12, 13:
			cmd := []string{"EXPIRE", key(), rel(false)}
			if rng.Intn(8) == 0 {
				cmd[2] = "-" + cmd[2]
			}
			return difftest.Exact, append(cmd, flags()...)
		case 14:
			return difftest.Exact, append([]string{"PEXPIRE", key(), rel(true)}, flags()...)
		case 15:
			return difftest.Exact, append([]string{"EXPIREAT", key(), abs(false)}, flags()...)
		case 16:
			return difftest.Exact, append([]string{"PEXPIREAT", key(), abs(true)}, flags()...)
		case 17:
			if rng.Intn(2) == 0 {
				return ttlMode, []string{"TTL", key()}
			}
			// Absolute times after a relative EXPIRE depend on the clock.
			return difftest.Shape, []string{[]string{"EXPIRETIME", "PEXPIRETIME", "PTTL"}[rng.Intn(3)], key()}
		case 18:
			return difftest.Exact, []string{"PERSIST", key()}
		case 19:
			return difftest.Exact, []string{"OBJECT", []string{"ENCODING", "REFCOUNT"}[rng.Intn(2)], key()}
		case 20:
			return difftest.Exact, []string{"DBSIZE"}
		case 21:
			return difftest.Sorted, []string{"KEYS", []string{"*", "a*", "?", "[a-b]*", "x\\:*"}[rng.Intn(5)]}
		case 22:
			return difftest.Shape, []string{"RANDOMKEY"}
		default:
			if rng.Intn(10) == 0 {
				return difftest.Exact, []string{"FLUSHDB"}
			}
			return difftest.Exact, []string{"TOUCH", key()}
		}
	}
	for i := 0; i < 3000; i++ {
		mode, cmd := gen()
		if mode == ttlMode {
			if err := compareTTL(p, cmd...); err != nil {
				t.Fatalf("seed %d, command %d: %v\n%v", seed, i, cmd, err)
			}
			continue
		}
		if err := p.Compare(mode, cmd...); err != nil {
			t.Fatalf("seed %d, command %d: %v\n%v", seed, i, cmd, err)
		}
	}
}

// ttlMode marks a TTL whose rounding to seconds may differ by one between
// the servers: they read the clock a moment apart, and a remaining time
// close to n.5 seconds rounds either way.
const ttlMode difftest.Mode = -1

// compareTTL compares two integer replies allowing a difference of one
// when both are TTLs (not -1 or -2).
func compareTTL(p *difftest.Pair, args ...string) error {
	rraw, rv, err := p.Redis.Do(args...)
	if err != nil {
		return err
	}
	mraw, mv, err := p.Modis.Do(args...)
	if err != nil {
		return err
	}
	if rv.Type != ':' || mv.Type != ':' {
		return fmt.Errorf("not integers:\n redis: %q\n modis: %q", rraw, mraw)
	}
	d := rv.Int - mv.Int
	if d == 0 || (rv.Int >= 0 && mv.Int >= 0 && (d == 1 || d == -1)) {
		return nil
	}
	return fmt.Errorf("reply differs:\n redis: %q\n modis: %q", rraw, mraw)
}
