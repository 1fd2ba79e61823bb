package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/modis/modis/internal/difftest"
)

// TestHashRandomDiff sends the same pseudo-random stream of hash commands
// (fixed seed) to redis-server and Modis with small listpack thresholds,
// so keys convert to hashtables along the way, and compares the replies:
// byte for byte where the order is defined (listpack order, single
// fields), as multisets for whole-hash replies of hashtables, by shape for
// HRANDFIELD. Every hash is checked field by field and by encoding now and
// then.
func TestHashRandomDiff(t *testing.T) {
	p := debugPair(t)
	rng, _ := randomSeed("MODIS_HASH_SEED", 11)
	for _, cfg := range [][]string{{"hash-max-listpack-entries", "8"}, {"hash-max-listpack-value", "10"}} {
		if err := p.Compare(difftest.Exact, "CONFIG", "SET", cfg[0], cfg[1]); err != nil {
			t.Fatal(err)
		}
	}
	keys := []string{"h0", "h1", "h2", "h3", "s"}
	key := func() string { return keys[rng.Intn(len(keys))] }
	field := func() string {
		if rng.Intn(20) == 0 {
			return fmt.Sprintf("longfield%04d", rng.Intn(3))
		}
		return "f" + strconv.Itoa(rng.Intn(14))
	}
	val := func() string {
		switch rng.Intn(5) {
		case 0:
			return strconv.Itoa(rng.Intn(2000) - 1000)
		case 1:
			return fmt.Sprintf("%.3f", rng.NormFloat64()*10)
		case 2:
			return ""
		case 3:
			return "longvalue-" + strconv.Itoa(rng.Intn(100))
		}
		return "v" + strconv.Itoa(rng.Intn(50))
	}
	// isHT asks the reference for the key's current encoding.
	isHT := func(k string) bool {
		_, v, err := p.Redis.Do("OBJECT", "ENCODING", k)
		if err != nil {
			t.Fatal(err)
		}
		return string(v.Str) == "hashtable"
	}
	for i := 0; i < 1500; i++ {
		k := key()
		mode := difftest.Exact
		var cmd []string
		switch rng.Intn(16) {
		case 0, 1:
			cmd = []string{"HSET", k}
			for n := 1 + rng.Intn(3); n > 0; n-- {
				cmd = append(cmd, field(), val())
			}
		case 2:
			cmd = []string{"HSETNX", k, field(), val()}
		case 3:
			cmd = []string{"HGET", k, field()}
		case 4:
			cmd = []string{"HMGET", k, field(), field(), field()}
		case 5:
			cmd = []string{"HDEL", k, field(), field()}
		case 6:
			cmd = []string{"HLEN", k}
		case 7:
			cmd = []string{"HSTRLEN", k, field()}
		case 8:
			cmd = []string{"HEXISTS", k, field()}
		case 9:
			cmd = []string{[]string{"HKEYS", "HVALS", "HGETALL"}[rng.Intn(3)], k}
			if isHT(k) {
				mode = difftest.Sorted
			}
		case 10:
			cmd = []string{"HINCRBY", k, field(), strconv.Itoa(rng.Intn(200) - 100)}
		case 11:
			cmd = []string{"HINCRBYFLOAT", k, field(), fmt.Sprintf("%.2f", rng.NormFloat64()*5)}
		case 12:
			cmd = []string{"HRANDFIELD", k}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, strconv.Itoa(rng.Intn(30)-15))
				if rng.Intn(2) == 0 {
					cmd = append(cmd, "WITHVALUES")
				}
			}
			mode = difftest.Shape
		case 13:
			cmd = []string{"HSCAN", k, "0", "COUNT", "1000"}
			if rng.Intn(2) == 0 {
				cmd = append(cmd, "MATCH", "f1*")
			}
			if isHT(k) {
				mode = difftest.Shape
			}
		case 14:
			if rng.Intn(10) == 0 {
				cmd = []string{"SET", "s", "x"}
			} else {
				cmd = []string{"DEBUG", "DIGEST-VALUE", k}
			}
		case 15:
			cmd = []string{"OBJECT", "ENCODING", k}
		}
		if err := p.Compare(mode, cmd...); err != nil {
			t.Fatalf("op %d %q: %v", i, cmd, err)
		}
		if i%50 == 0 {
			for _, k := range keys {
				if err := p.Compare(difftest.Exact, "OBJECT", "ENCODING", k); err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
				for f := 0; f < 14; f++ {
					if err := p.Compare(difftest.Exact, "HGET", k, "f"+strconv.Itoa(f)); err != nil {
						t.Fatalf("op %d: %v", i, err)
					}
				}
			}
			if err := p.Compare(difftest.Exact, "DEBUG", "DIGEST"); err != nil {
				t.Fatalf("op %d: %v", i, err)
			}
			for _, k := range keys {
				if k == "s" {
					continue
				}
				if r, m := hashSerializedLength(t, p.Redis, k), hashSerializedLength(t, p.Modis, k); r != m {
					t.Fatalf("op %d: DEBUG OBJECT %s serializedlength redis %s modis %s", i, k, r, m)
				}
				// All samples: the average then does not depend on the
				// table order, which differs.
				if err := p.Compare(difftest.Exact, "MEMORY", "USAGE", k, "SAMPLES", "0"); err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
				hashScanAll(t, p, k)
			}
		}
	}
	for _, cfg := range [][]string{{"hash-max-listpack-entries", "512"}, {"hash-max-listpack-value", "64"}} {
		if err := p.Compare(difftest.Exact, "CONFIG", "SET", cfg[0], cfg[1]); err != nil {
			t.Fatal(err)
		}
	}
}

// hashSerializedLength is the serializedlength of DEBUG OBJECT key ("" when
// the key is missing).
func hashSerializedLength(t *testing.T, c *difftest.Conn, key string) string {
	t.Helper()
	_, v, err := c.Do("DEBUG", "OBJECT", key)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(v.Str)) {
		if n, ok := strings.CutPrefix(f, "serializedlength:"); ok {
			return n
		}
	}
	return ""
}

// hashScanAll walks HSCAN on Modis with small COUNTs until the cursor
// returns to 0 and checks that every pair HGETALL shows on redis-server
// was returned, and nothing else.
func hashScanAll(t *testing.T, p *difftest.Pair, key string) {
	t.Helper()
	_, all, err := p.Redis.Do("HGETALL", key)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for i := 0; i+1 < len(all.Elems); i += 2 {
		want[string(all.Elems[i].Str)] = string(all.Elems[i+1].Str)
	}
	got := map[string]string{}
	cursor := "0"
	for n := 0; ; n++ {
		if n > 1000 {
			t.Fatalf("HSCAN %s does not terminate", key)
		}
		_, v, err := p.Modis.Do("HSCAN", key, cursor, "COUNT", "1")
		if err != nil || len(v.Elems) != 2 {
			t.Fatalf("HSCAN %s: %v %v", key, v, err)
		}
		items := v.Elems[1].Elems
		for i := 0; i+1 < len(items); i += 2 {
			got[string(items[i].Str)] = string(items[i+1].Str)
		}
		cursor = string(v.Elems[0].Str)
		if cursor == "0" {
			break
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("HSCAN %s walk got %v, HGETALL on redis %v", key, got, want)
	}
}
