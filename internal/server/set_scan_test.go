package server

import (
	"sort"
	"strconv"
	"testing"

	"github.com/modis/modis/internal/difftest"
	"github.com/modis/modis/internal/glob"
)

// TestSetScanComplete walks hashtable sets with SSCAN to the end, with
// several COUNT and MATCH values, on redis-server and Modis: the cursors
// differ (different hash functions) but both must return every matching
// member, and only those.
func TestSetScanComplete(t *testing.T) {
	r := difftest.StartRedis(t)
	s := startTestServer(t, nil)
	rc, mc := dial(t, r.Addr), dial(t, s.Addr().String())
	for _, size := range []int{5, 100, 2000} {
		key := "s" + strconv.Itoa(size)
		args := []string{"SADD", key}
		for i := 0; i < size; i++ {
			args = append(args, "m"+strconv.Itoa(i))
		}
		mustDo(t, rc, args...)
		mustDo(t, mc, args...)
		for _, count := range []string{"1", "10", "1000"} {
			for _, match := range []string{"*", "m1*", "nomatch*"} {
				walk := func(c *difftest.Conn) []string {
					seen := map[string]bool{}
					cursor := "0"
					for n := 0; ; n++ {
						_, v, err := c.Do("SSCAN", key, cursor, "COUNT", count, "MATCH", match)
						if err != nil || len(v.Elems) != 2 || n > 10000 {
							t.Fatalf("SSCAN %s %s: %v %v", key, cursor, v, err)
						}
						for _, e := range v.Elems[1].Elems {
							if !glob.MatchString(match, string(e.Str)) {
								t.Fatalf("SSCAN MATCH %s returned %q", match, e.Str)
							}
							seen[string(e.Str)] = true
						}
						cursor = string(v.Elems[0].Str)
						if cursor == "0" {
							break
						}
					}
					out := make([]string, 0, len(seen))
					for k := range seen {
						out = append(out, k)
					}
					sort.Strings(out)
					return out
				}
				want, got := walk(rc), walk(mc)
				if len(want) != len(got) {
					t.Fatalf("%s COUNT %s MATCH %s: redis %d members, modis %d", key, count, match, len(want), len(got))
				}
				for i := range want {
					if want[i] != got[i] {
						t.Fatalf("%s COUNT %s MATCH %s: member %q vs %q", key, count, match, want[i], got[i])
					}
				}
			}
		}
	}
}
