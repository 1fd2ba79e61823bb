//go:build cgo

package cabi

import (
	"fmt"
	"testing"

	"github.com/modis/modis/internal/module"
)

// TestBridgeTypeIO drives a C data type's rdb_save, rdb_load, aof_rewrite
// and digest through the engine directly (the server has no RDB/AOF yet),
// in an in-process server, under the execution lock.
func TestBridgeTypeIO(t *testing.T) {
	so := modulePath(t, "bridgetype")
	s, c := inProcessServer(t)
	do := func(want string, args ...string) {
		t.Helper()
		raw, _, err := c.Do(args...)
		if err != nil || string(raw) != want {
			t.Fatalf("%q: %q %v, want %q", args, raw, err, want)
		}
	}
	do("+OK\r\n", "MODULE", "LOAD", so)
	do("+OK\r\n", "bt.tset", "k", "42")

	eng := s.Modules()
	h := eng.Host()
	h.Lock()
	db := h.Keyspace().DBs[0]
	typ, v := module.ValueOf(db.Lookup([]byte("k")))
	if typ == nil {
		h.Unlock()
		t.Fatal("k holds no module value")
	}
	id, payload := eng.SaveValue([]byte("k"), 0, typ, v)
	t2, v2, ok := eng.LoadValue(id, payload, []byte("k2"), 0)
	if ok {
		db.Set([]byte("k2"), module.NewModuleObject(t2, v2), false)
	}
	_, bad, badOK := eng.LoadValue(id, payload[:len(payload)/2], []byte("k3"), 0)
	io := eng.NewSaveIO(typ, []byte("k"), 0)
	typ.Methods.AofRewrite(io, module.NewString([]byte("k")), v)
	emitted := io.Emitted()
	d1, dok := module.DigestValue(db.Lookup([]byte("k")))
	h.Unlock()

	if !ok || t2 != typ {
		t.Fatalf("LoadValue: ok=%v type=%v", ok, t2)
	}
	if badOK || bad != nil {
		t.Errorf("a truncated payload loaded: %v", bad)
	}
	do(":42\r\n", "bt.tget", "k2")
	if got := fmt.Sprintf("%q", emitted); got != `[["BT.TSET" "k" "42"]]` {
		t.Errorf("AOF rewrite emitted %s", got)
	}
	if !dok || d1 == ([20]byte{}) {
		t.Errorf("digest: ok=%v %x", dok, d1)
	}
	do("+OK\r\n", "bt.tset", "k", "43")
	h.Lock()
	d2, _ := module.DigestValue(db.Lookup([]byte("k")))
	h.Unlock()
	if d1 == d2 {
		t.Errorf("digest did not change with the value")
	}
}
