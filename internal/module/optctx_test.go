package module

import (
	"fmt"
	"testing"
)

// TestOptCtxHooks checks the key names and db ids each v4 method and the
// digest method get through the engine's hooks, and that the older forms
// still run when no v4 method is set.
func TestOptCtxHooks(t *testing.T) {
	var log []string
	rec := func(what string, o *KeyOptCtx) {
		to := "(nil)"
		if s := GetToKeyNameFromOptCtx(o); s != nil {
			to = string(s.Bytes())
		}
		log = append(log, fmt.Sprintf("%s %s %d %s %d", what, GetKeyNameFromOptCtx(o).Bytes(), GetDbIdFromOptCtx(o), to, GetToDbIdFromOptCtx(o)))
	}
	dt := &DataType{Methods: TypeMethods{
		Digest: func(d *Digest, v any) {
			log = append(log, fmt.Sprintf("digest %s %d", GetKeyNameFromDigest(d).Bytes(), GetDbIdFromDigest(d)))
		},
		MemUsage: func(v any) uint64 { return 1 },
	}}
	obj := NewModuleObject(dt, 7)
	if n, ok := MemUsageValue(&obj, []byte("k"), 2, 5); !ok || n != 1 {
		t.Fatalf("v1 mem usage = %d %v", n, ok)
	}
	if e := FreeEffortValue(&obj, []byte("k"), 2); e != 1 {
		t.Fatalf("default free effort = %d", e)
	}
	dt.SetTypeMethods4(TypeMethods4{
		MemUsage2:   func(o *KeyOptCtx, v any, samples int) uint64 { rec(fmt.Sprint("mem", samples), o); return 9 },
		FreeEffort2: func(o *KeyOptCtx, v any) uint64 { rec("effort", o); return 3 },
		Unlink2:     func(o *KeyOptCtx, v any) { rec("unlink", o) },
		Copy2:       func(o *KeyOptCtx, v any) any { rec("copy", o); return v },
	})
	if n, _ := MemUsageValue(&obj, []byte("k"), 2, 5); n != 9 {
		t.Fatalf("mem_usage2 = %d", n)
	}
	if e := FreeEffortValue(&obj, []byte("k"), 3); e != 3 {
		t.Fatalf("free_effort2 = %d", e)
	}
	UnlinkValue(&obj, []byte("u"), 4)
	if _, msg := DupValue(&obj, []byte("f"), []byte("t"), 1, 6); msg != "" {
		t.Fatal(msg)
	}
	DigestValueKey(&obj, []byte("d"), 8)
	want := []string{"mem5 k 2 (nil) -1", "effort k 3 (nil) -1", "unlink u 4 (nil) -1", "copy f 1 t 6", "digest d 8"}
	if fmt.Sprint(log) != fmt.Sprint(want) {
		t.Fatalf("got %q\nwant %q", log, want)
	}
}
