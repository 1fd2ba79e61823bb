//go:build cgo

package cabi

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/modis/modis/internal/module"
)

// TestAPITable checks the bridge's table against the Redis 7.0 API list:
// every entry is a real API name, listed once, and served by GetApi (the
// engine implements it, or it is bridge-native). It logs the coverage.
func TestAPITable(t *testing.T) {
	data, err := os.ReadFile("../../../include/testdata/module-api-7.0.txt")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		known[l] = true
	}
	seen := map[string]bool{}
	served := apiTable()
	for _, e := range bridgeAPI {
		t.Run(e.name, func(t *testing.T) {
			if !known[e.name] {
				t.Errorf("not a Redis 7.0 API name")
			}
			if seen[e.name] {
				t.Errorf("listed twice")
			}
			seen[e.name] = true
			if e.fn == nil {
				t.Errorf("nil function")
			}
			if served[e.name] == nil {
				t.Errorf("not served: the engine registry lacks it (add it there or drop it here)")
			}
		})
	}
	if served["RedisModule_ReplySetPushLength"] != nil {
		t.Errorf("ReplySetPushLength must stay unregistered, as in Redis")
	}
	var engineOnly []string
	for _, n := range module.APINames() {
		if !seen[n] {
			engineOnly = append(engineOnly, n)
		}
	}
	sort.Strings(engineOnly)
	t.Logf("C bridge serves %d of %d Redis 7.0 APIs; %d engine APIs not bridged yet: %s",
		len(served), len(known), len(engineOnly), strings.Join(engineOnly, " "))
}
