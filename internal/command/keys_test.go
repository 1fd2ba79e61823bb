package command

import (
	"reflect"
	"strings"
	"testing"
)

func find(name string) *Spec {
	t := NewTable()
	parent, sub, ok := strings.Cut(name, "|")
	s := t.Lookup([]byte(parent))
	if ok && s != nil {
		return s.Sub([]byte(sub))
	}
	return s
}

func TestGetKeys(t *testing.T) {
	cases := []struct {
		line string
		want []int
	}{
		{"get k", []int{1}},
		{"mset a 1 b 2", []int{1, 3}},
		{"del a b c", []int{1, 2, 3}},
		{"zunionstore d 2 a b weights 1 2", []int{1, 3, 4}},
		{"zunionstore d 0 a", nil},
		{"zunionstore d 2abc a b", []int{3, 4, 1}}, // spec fails, atoi fallback
		{"eval s 2 a b c", []int{3, 4}},
		{"eval s 0", nil},
		{"sort k by x get y store z", []int{1, 7}},
		{"migrate h p '' 0 5 keys a b", []int{7, 8}},
		{"migrate h p k 0 5", []int{3}},
		{"xread count 1 streams a b 1 2", []int{4, 5}},
		{"xread streams a b 1", []int{2}}, // spec: half of the rest, rounded down
		{"georadius k 1 2 3 m store x storedist y", []int{1, 7, 9}},
		{"lmove a b left right", []int{1, 2}},
		{"blmpop 0 2 a b left", []int{3, 4}},
		{"bitfield k get u8 0", []int{1}},
	}
	for _, tc := range cases {
		argv := [][]byte{}
		for _, f := range strings.Fields(tc.line) {
			if f == "''" {
				f = ""
			}
			argv = append(argv, []byte(f))
		}
		spec := find(string(argv[0]))
		var got []int
		for _, k := range spec.GetKeys(argv) {
			got = append(got, k.Pos)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: keys at %v, want %v", tc.line, got, tc.want)
		}
	}
}
