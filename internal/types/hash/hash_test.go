package hash

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/modis/modis/internal/keyspace"
)

var defLim = Limits{MaxEntries: 128, MaxValue: 64}

func TestEncodingConversions(t *testing.T) {
	tests := []struct {
		name string
		lim  Limits
		ops  func(h *Hash, lim Limits)
		want keyspace.Encoding
	}{
		{"small", defLim, func(h *Hash, l Limits) { h.Set([]byte("a"), []byte("1"), l) }, keyspace.EncListpack},
		{"entries at limit", Limits{3, 64}, func(h *Hash, l Limits) {
			for i := 0; i < 3; i++ {
				h.Set([]byte{byte('a' + i)}, []byte("v"), l)
			}
		}, keyspace.EncListpack},
		{"entries over limit", Limits{3, 64}, func(h *Hash, l Limits) {
			for i := 0; i < 4; i++ {
				h.Set([]byte{byte('a' + i)}, []byte("v"), l)
			}
		}, keyspace.EncHashtable},
		{"long value", Limits{128, 4}, func(h *Hash, l Limits) { h.Set([]byte("a"), []byte("12345"), l) }, keyspace.EncHashtable},
		{"long field", Limits{128, 4}, func(h *Hash, l Limits) { h.Set([]byte("abcde"), []byte("1"), l) }, keyspace.EncHashtable},
		{"value at limit", Limits{128, 4}, func(h *Hash, l Limits) { h.Set([]byte("abcd"), []byte("1234"), l) }, keyspace.EncListpack},
		{"zero entries", Limits{0, 64}, func(h *Hash, l Limits) { h.Set([]byte("a"), []byte("1"), l) }, keyspace.EncHashtable},
		{"try conversion", defLim, func(h *Hash, l Limits) {
			h.TryConversion(Limits{128, 2}, [][]byte{[]byte("a"), []byte("abc")})
		}, keyspace.EncHashtable},
		{"never back", Limits{1, 64}, func(h *Hash, l Limits) {
			h.Set([]byte("a"), []byte("1"), l)
			h.Set([]byte("b"), []byte("1"), l)
			h.Delete([]byte("b"))
		}, keyspace.EncHashtable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New()
			tt.ops(h, tt.lim)
			if got := h.Encoding(); got != tt.want {
				t.Fatalf("encoding %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListpackOrder(t *testing.T) {
	h := New()
	for _, f := range []string{"c", "a", "b"} {
		h.Set([]byte(f), []byte("v"+f), defLim)
	}
	h.Set([]byte("a"), []byte("longer value"), defLim) // keeps its place
	h.Delete([]byte("c"))
	h.Set([]byte("c"), []byte("x"), defLim) // goes to the end
	var got []string
	h.Each(func(f, v []byte) bool { got = append(got, string(f)+"="+string(v)); return true })
	want := "[a=longer value b=vb c=x]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	if cur := h.Scan(0, func(f, v []byte) {}); cur != 0 {
		t.Fatalf("listpack scan cursor %d", cur)
	}
}

// TestRandomModel drives both encodings with random operations and checks
// them against a map.
func TestRandomModel(t *testing.T) {
	for _, lim := range []Limits{{8, 6}, {1000, 1000}, {0, 0}} {
		t.Run(fmt.Sprint(lim), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			h := New()
			model := map[string]string{}
			for i := 0; i < 3000; i++ {
				f := fmt.Sprint("f", r.IntN(20))
				switch r.IntN(4) {
				case 0, 1:
					v := fmt.Sprint(100000 + r.IntN(900000))[:1+r.IntN(5)]
					_, had := model[f]
					if isNew := h.Set([]byte(f), []byte(v), lim); isNew == had {
						t.Fatalf("Set(%s) new=%v had=%v", f, isNew, had)
					}
					model[f] = v
				case 2:
					_, had := model[f]
					if h.Delete([]byte(f)) != had {
						t.Fatalf("Delete(%s) != %v", f, had)
					}
					delete(model, f)
				case 3:
					v, ok := h.Get([]byte(f))
					if mv, had := model[f]; ok != had || string(v) != mv {
						t.Fatalf("Get(%s) = %q %v, want %q %v", f, v, ok, mv, had)
					}
				}
				if h.Len() != len(model) {
					t.Fatalf("Len %d, want %d", h.Len(), len(model))
				}
			}
			seen := map[string]string{}
			var cur uint64
			for {
				cur = h.Scan(cur, func(f, v []byte) { seen[string(f)] = string(v) })
				if cur == 0 {
					break
				}
			}
			if fmt.Sprint(seen) != fmt.Sprint(model) {
				t.Fatalf("scan %v, want %v", seen, model)
			}
			d := h.Dup()
			d.Set([]byte("new"), []byte("x"), lim)
			if h.Exists([]byte("new")) {
				t.Fatal("Dup is not independent")
			}
			if h.Len() > 0 {
				sample := h.Sampler()
				for j := 0; j < 50; j++ {
					p := sample()
					if mv, ok := model[string(p.Field)]; !ok || mv != string(p.Value) {
						t.Fatalf("sampled pair %s=%s not in model", p.Field, p.Value)
					}
				}
			}
			if h.Len() > 2 {
				got := h.RandomDistinct(h.Len() - 1)
				keys := map[string]bool{}
				for _, p := range got {
					keys[string(p.Field)] = true
					if model[string(p.Field)] != string(p.Value) {
						t.Fatalf("random pair %s=%s not in model", p.Field, p.Value)
					}
				}
				if len(keys) != h.Len()-1 {
					t.Fatalf("RandomDistinct gave %d distinct, want %d", len(keys), h.Len()-1)
				}
			}
		})
	}
}

func TestMemSizeTracks(t *testing.T) {
	h := New()
	lim := Limits{0, 64}
	base := h.MemSize()
	for i := 0; i < 100; i++ {
		h.Set([]byte(fmt.Sprint("field", i)), []byte("value"), lim)
	}
	grown := h.MemSize()
	if grown <= base {
		t.Fatalf("size did not grow: %d -> %d", base, grown)
	}
	var fields []string
	h.Each(func(f, v []byte) bool { fields = append(fields, string(f)); return true })
	sort.Strings(fields)
	for _, f := range fields {
		h.Delete([]byte(f))
	}
	if h.mem != 0 {
		t.Fatalf("entry memory after deleting all: %d", h.mem)
	}
}
