package module

import "testing"

func TestDict(t *testing.T) {
	d := (&Ctx{}).CreateDict()
	for _, k := range []string{"b", "d", "a", "c", "ab"} {
		if d.DictSet([]byte(k), k) != OK {
			t.Fatal("set", k)
		}
	}
	if d.DictSet([]byte("a"), "x") != ERR || d.DictSize() != 5 {
		t.Fatal("duplicate set")
	}
	if v, nokey := d.DictGet([]byte("a")); nokey || v != "a" {
		t.Fatal("get")
	}
	collect := func(it *DictIter, fwd bool) (out string) {
		for {
			var k []byte
			var ok bool
			if fwd {
				k, _, ok = it.DictNext()
			} else {
				k, _, ok = it.DictPrev()
			}
			if !ok {
				return
			}
			out += string(k) + ","
		}
	}
	for _, c := range []struct {
		op, key string
		fwd     bool
		want    string
	}{
		{"^", "", true, "a,ab,b,c,d,"},
		{"$", "", false, "d,c,b,ab,a,"},
		{">=", "b", true, "b,c,d,"},
		{">", "b", true, "c,d,"},
		{"<", "b", false, "ab,a,"},
		{"<=", "b", false, "b,ab,a,"},
		{"==", "c", true, "c,d,"},
		{"==", "zz", true, ""},
		{">", "z", true, ""},
	} {
		if got := collect(d.DictIteratorStart(c.op, []byte(c.key)), c.fwd); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.op, c.key, got, c.want)
		}
	}
	it := d.DictIteratorStart(">=", []byte("b"))
	it.DictNext()
	if it.DictCompare("<=", []byte("b")) != OK || it.DictCompare(">", []byte("b")) != ERR {
		t.Error("compare")
	}
	it.DictNext()
	if k, _, _ := it.DictPrev(); string(k) != "b" {
		t.Errorf("prev after next = %q", k)
	}
	if d.DictIteratorStart("!", nil) != nil {
		t.Error("bad operator accepted")
	}
	if _, r := d.DictDel([]byte("ab")); r != OK || d.DictSize() != 4 {
		t.Error("del")
	}
	d.DictReplace([]byte("a"), "z")
	if v, _ := d.DictGet([]byte("a")); v != "z" {
		t.Error("replace")
	}
}
