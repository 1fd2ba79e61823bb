package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
)

// entry is a key's saved state in the tests.
type entry struct {
	val string
	ttl int64
}

// modVal stands for a module value: Flush and deletes free it through
// Hooks.FreeModule, after which it must not be saved.
type modVal struct {
	s     string
	freed bool
}

func newMod(s string) keyspace.Object {
	return keyspace.NewValue(keyspace.KindModule, keyspace.EncRaw, unsafe.Pointer(&modVal{s: s}))
}

// valueString renders a test value.
func valueString(o *keyspace.Object) (string, error) {
	switch o.Kind() {
	case keyspace.KindString:
		return string(o.AppendString(nil)), nil
	case keyspace.KindModule:
		m := (*modVal)(o.Ptr())
		if m.freed {
			return "", errors.New("saving a freed value")
		}
		return "mod:" + m.s, nil
	}
	return "", errors.New("unexpected kind")
}

func newKeyspace(n int) *keyspace.Keyspace {
	ks := keyspace.New(n)
	ks.Hooks.FreeModule = func(o *keyspace.Object) { (*modVal)(o.Ptr()).freed = true }
	return ks
}

// fakeSer writes a key as: uvarint len, key, uvarint len, value, varint ttl.
func fakeSer(dst []byte, db int, key []byte, o *keyspace.Object, exp int64) ([]byte, error) {
	v, err := valueString(o)
	if err != nil {
		return dst, err
	}
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = append(dst, key...)
	dst = binary.AppendUvarint(dst, uint64(len(v)))
	dst = append(dst, v...)
	return binary.AppendVarint(dst, exp), nil
}

// collector decodes Step output, checking the file structure: every
// database once, records only inside a database, no key twice.
type collector struct {
	t   *testing.T
	db  int
	dbs map[int]map[string]entry
}

func newCollector(t *testing.T) *collector {
	return &collector{t: t, db: -1, dbs: map[int]map[string]entry{}}
}

func (c *collector) take(msgs []Msg) {
	c.t.Helper()
	for _, m := range msgs {
		if m.SelectDB {
			if _, ok := c.dbs[m.DB]; ok {
				c.t.Fatalf("db %d selected twice", m.DB)
			}
			if m.DB <= c.db {
				c.t.Fatalf("db %d after db %d", m.DB, c.db)
			}
			c.db = m.DB
			c.dbs[m.DB] = map[string]entry{}
			continue
		}
		if c.db < 0 {
			c.t.Fatalf("records before any SELECTDB")
		}
		b := m.Records
		for len(b) > 0 {
			kl, n := binary.Uvarint(b)
			b = b[n:]
			k := string(b[:kl])
			b = b[kl:]
			vl, n := binary.Uvarint(b)
			b = b[n:]
			v := string(b[:vl])
			b = b[vl:]
			ttl, n := binary.Varint(b)
			b = b[n:]
			if _, dup := c.dbs[c.db][k]; dup {
				c.t.Fatalf("db %d key %q saved twice", c.db, k)
			}
			c.dbs[c.db][k] = entry{v, ttl}
		}
	}
}

// state copies what the tables hold, expired keys included (a snapshot
// saves what is stored; the loader drops what expired).
func state(ks *keyspace.Keyspace) map[int]map[string]entry {
	out := map[int]map[string]entry{}
	for _, db := range ks.DBs {
		if db.Len() == 0 {
			continue
		}
		m := map[string]entry{}
		db.Main().Each(func(nd *dict.Node[keyspace.Object]) bool {
			ttl := int64(-1)
			if e := db.Expires().Peek([]byte(nd.Key)); e != nil {
				ttl = e.Val
			}
			v, _ := valueString(&nd.Val)
			m[nd.Key] = entry{v, ttl}
			return true
		})
		out[db.ID] = m
	}
	return out
}

func compare(t *testing.T, want, got map[int]map[string]entry) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("databases: want %d got %d", len(want), len(got))
	}
	for id, w := range want {
		g := got[id]
		if len(w) != len(g) {
			t.Fatalf("db %d: want %d keys got %d", id, len(w), len(g))
		}
		for k, e := range w {
			if g[k] != e {
				t.Fatalf("db %d key %q: want %+v got %+v", id, k, e, g[k])
			}
		}
	}
}

func fill(ks *keyspace.Keyspace, r *rand.Rand, n int) {
	for i := 0; i < n; i++ {
		db := ks.DBs[r.IntN(len(ks.DBs))]
		k := []byte(fmt.Sprintf("k%d", r.IntN(n*2)))
		if db.Lookup(k) != nil {
			continue
		}
		if r.IntN(4) == 0 {
			db.Add(k, newMod(fmt.Sprintf("m%d", r.Int())))
		} else {
			db.Add(k, keyspace.NewString([]byte(fmt.Sprintf("v%d", r.Int()))))
		}
		if r.IntN(3) == 0 {
			db.SetExpire(k, ks.Now+int64(r.IntN(200)))
		}
	}
}

// mutate applies one random write (or read) to the keyspace.
func mutate(ks *keyspace.Keyspace, r *rand.Rand, space int) {
	db := ks.DBs[r.IntN(len(ks.DBs))]
	key := func() []byte { return []byte(fmt.Sprintf("k%d", r.IntN(space))) }
	k := key()
	switch op := r.IntN(100); {
	case op < 15:
		db.Set(k, keyspace.NewString([]byte(fmt.Sprintf("s%d", r.Int()))), r.IntN(2) == 0)
	case op < 30:
		if db.Lookup(k) == nil {
			db.Add(k, keyspace.NewString([]byte(fmt.Sprintf("a%d", r.Int()))))
		}
	case op < 40:
		db.Delete(k)
	case op < 50:
		if o := db.Lookup(k); o != nil {
			if o.Kind() == keyspace.KindModule {
				(*modVal)(o.Ptr()).s += "x"
			} else {
				o.SetBytes(append(o.AppendString(nil), 'x'))
			}
		}
	case op < 58:
		if db.Lookup(k) != nil {
			db.SetExpire(k, ks.Now+int64(r.IntN(100)))
		}
	case op < 63:
		db.Persist(k)
	case op < 70:
		dst := key()
		if db.Lookup(k) != nil && db.Lookup(dst) == nil {
			db.Rename(k, dst)
		}
	case op < 72:
		db.RandomKey()
	case op < 76:
		ks.Now += int64(r.IntN(20))
	case op < 79:
		db.Remove(k, keyspace.FreeEvicted)
	case op < 82:
		db.DeleteUnexpired(k)
	case op < 84:
		if n := db.LookupNode(k); n != nil && n.Val.Kind() == keyspace.KindString {
			n.Val.SetBytes([]byte("node"))
		}
	case op < 85:
		if r.IntN(4) == 0 {
			db.Flush()
		}
	case op < 86:
		if r.IntN(5) == 0 {
			keyspace.Swap(db, ks.DBs[r.IntN(len(ks.DBs))])
		}
	case op < 90:
		// Bulk inserts: tables grow (or would, frozen) meanwhile.
		for i := 0; i < 20; i++ {
			k := []byte(fmt.Sprintf("b%d", r.IntN(space*4)))
			if db.Lookup(k) == nil {
				db.Add(k, keyspace.NewString([]byte("bulk")))
			}
		}
	default:
		db.Exists(k)
	}
}

// TestSnapshotPointInTime runs random writers against a snapshot taken in
// tiny steps and checks the output is exactly the state at the start.
func TestSnapshotPointInTime(t *testing.T) {
	seeds := 60
	if testing.Short() {
		seeds = 20
	}
	for seed := 0; seed < seeds; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		ks := newKeyspace(4)
		ks.Now = 1000
		space := 50 + r.IntN(400)
		fill(ks, r, space)
		want := state(ks)
		s := Start(ks, fakeSer)
		col := newCollector(t)
		for steps := 0; ; steps++ {
			for i := r.IntN(6); i > 0; i-- {
				mutate(ks, r, space)
			}
			out, done, err := s.Step(1+r.IntN(4), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			col.take(out)
			if done {
				break
			}
			if steps > 1e6 {
				t.Fatal("snapshot does not end")
			}
		}
		if ks.Snapshot != nil {
			t.Fatal("snapshot still attached")
		}
		for _, db := range ks.DBs {
			if db.Main().Frozen() {
				t.Fatalf("db %d still frozen", db.ID)
			}
		}
		compare(t, want, col.dbs)
		if s.KeysProcessed != s.KeysTotal {
			t.Fatalf("processed %d of %d", s.KeysProcessed, s.KeysTotal)
		}
	}
}

// TestSnapshotMidRehash starts a snapshot while the tables are rehashing.
func TestSnapshotMidRehash(t *testing.T) {
	for seed := 0; seed < 20; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 9))
		ks := newKeyspace(2)
		ks.Now = 1000
		for i := 0; i < 1000; i++ {
			ks.DBs[0].Add([]byte(fmt.Sprintf("k%d", i)), keyspace.NewString([]byte("v")))
		}
		for i := 0; i < 1025+r.IntN(50); i++ {
			ks.DBs[1].Add([]byte(fmt.Sprintf("k%d", i)), keyspace.NewString([]byte("w")))
		}
		if !ks.DBs[1].Main().IsRehashing() {
			t.Fatal("test setup: want a rehash in progress")
		}
		want := state(ks)
		s := Start(ks, fakeSer)
		col := newCollector(t)
		for {
			for i := r.IntN(10); i > 0; i-- {
				mutate(ks, r, 1200)
			}
			out, done, err := s.Step(1+r.IntN(20), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			col.take(out)
			if done {
				break
			}
		}
		compare(t, want, col.dbs)
	}
}

// TestSnapshotAbort checks an aborted snapshot leaves no frozen table and
// that the next one is complete.
func TestSnapshotAbort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ks := newKeyspace(3)
	fill(ks, r, 500)
	s := Start(ks, fakeSer)
	s.Step(10, time.Time{})
	mutate(ks, r, 500)
	s.Abort()
	if ks.Snapshot != nil {
		t.Fatal("still attached")
	}
	for _, db := range ks.DBs {
		if db.Main().Frozen() {
			t.Fatal("frozen after abort")
		}
	}
	want := state(ks)
	s = Start(ks, fakeSer)
	col := newCollector(t)
	out, done, err := s.Step(0, time.Time{})
	if err != nil || !done {
		t.Fatal(done, err)
	}
	col.take(out)
	compare(t, want, col.dbs)
}

// TestSnapshotSerializeError stops the snapshot with the error.
func TestSnapshotSerializeError(t *testing.T) {
	ks := newKeyspace(1)
	ks.DBs[0].Add([]byte("a"), keyspace.NewString([]byte("1")))
	boom := errors.New("boom")
	s := Start(ks, func(dst []byte, db int, key []byte, o *keyspace.Object, exp int64) ([]byte, error) {
		return nil, boom
	})
	_, done, err := s.Step(0, time.Time{})
	if !done || err != boom || ks.Snapshot != nil || ks.DBs[0].Main().Frozen() {
		t.Fatal(done, err)
	}
}
