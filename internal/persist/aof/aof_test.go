package aof

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestManifestRoundTrip(t *testing.T) {
	m := &Manifest{}
	if got := m.NewBase("appendonly.aof", true); got != "appendonly.aof.1.base.rdb" {
		t.Fatalf("base name %q", got)
	}
	if got := m.LastIncr("appendonly.aof"); got != "appendonly.aof.1.incr.aof" {
		t.Fatalf("incr name %q", got)
	}
	m.NewIncr("appendonly.aof")
	m.NewBase("appendonly.aof", false)
	m.MarkIncrsHistory(true)
	want := "file appendonly.aof.2.base.aof seq 2 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.1.base.rdb seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\n"
	if m.String() != want {
		t.Fatalf("manifest:\n%s\nwant:\n%s", m.String(), want)
	}
	p, err := ParseManifest([]byte(m.String()))
	if err != nil {
		t.Fatal(err)
	}
	if p.String() != want || p.BaseSeq != 2 || p.IncrSeq != 2 {
		t.Fatalf("reparsed:\n%s", p.String())
	}
}

func TestManifestQuotedName(t *testing.T) {
	m := &Manifest{}
	m.NewBase("my aof\x01\"x", false)
	s := m.String()
	if !strings.HasPrefix(s, `file "my aof\x01\"x.1.base.aof" seq 1 type b`) {
		t.Fatalf("quoted: %q", s)
	}
	p, err := ParseManifest([]byte(s))
	if err != nil || p.Base.Name != "my aof\x01\"x.1.base.aof" {
		t.Fatalf("%v %+v", err, p)
	}
}

func TestManifestErrors(t *testing.T) {
	long := "file " + strings.Repeat("a", 1100) + " seq 1 type b\n"
	for _, tc := range []struct{ in, msg string }{
		{"", "Found an empty AOF manifest"},
		{"file a seq 1 type b", "The AOF manifest file contains too long line"},
		{long, "The AOF manifest file contains too long line"},
		{"\n", "Invalid AOF manifest file format"},
		{"file a seq 1\n", "Invalid AOF manifest file format"},
		{"file a seq 1 type\n", "Invalid AOF manifest file format"},
		{"file a seq 0 type b\n", "Invalid AOF manifest file format"},
		{"file \"a seq 1 type b\n", "Invalid AOF manifest file format"},
		{"file d/a seq 1 type b\n", "File can't be a path, just a filename"},
		{"file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information"},
		{"file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number"},
		{"file a seq 1 type x\n", "Unknown AOF file type"},
	} {
		_, err := ParseManifest([]byte(tc.in))
		var me *ManifestError
		if !errors.As(err, &me) || me.Msg != tc.msg {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.msg)
		}
	}
	// Comments and extra key/value pairs are accepted.
	m, err := ParseManifest([]byte("# hello\nfile a seq 1 type b extra 1\nFILE c SEQ 3 TYPE i\n"))
	if err != nil || m.Base.Name != "a" || len(m.Incrs) != 1 || m.IncrSeq != 3 {
		t.Fatalf("%v %+v", err, m)
	}
}

func TestReader(t *testing.T) {
	var b []byte
	b = append(b, "#TS:1700000000\r\n"...)
	b = AppendCommand(b, []byte("SET"), []byte("k"), []byte("v\r\nx"))
	b = AppendSelect(b, 3)
	full := len(b)
	r := NewReader(bytes.NewReader(b), 0)
	var got []string
	for {
		argv, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(bytes.Join(argv, []byte(" "))))
	}
	if strings.Join(got, "|") != "SET k v\r\nx|SELECT 3" || r.Offset() != int64(full) {
		t.Fatalf("%q %d", got, r.Offset())
	}
	// Every cut inside the last command is a truncation after the first.
	first := len(AppendCommand([]byte("#TS:1700000000\r\n"), []byte("SET"), []byte("k"), []byte("v\r\nx")))
	for cut := first + 1; cut < full; cut++ {
		r := NewReader(bytes.NewReader(b[:cut]), 0)
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		valid := r.Offset()
		if _, err := r.Next(); err != ErrTruncated {
			t.Fatalf("cut %d: %v", cut, err)
		}
		if valid != int64(first) {
			t.Fatalf("valid %d", valid)
		}
	}
	for _, bad := range []string{"hello\r\n", "*0\r\n", "*1\r\nfoo\r\n", "*x\r\n"} {
		if _, err := NewReader(strings.NewReader(bad), 0).Next(); err != ErrFormat {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestSplitArgs(t *testing.T) {
	for in, want := range map[string]string{
		`a b  c`:           "a|b|c",
		`"a b" 'c d'`:      "a b|c d",
		`"\x41\n" 'it\'s'`: "A\n|it's",
		`x"y z"`:           "xy z",
		`  `:               "",
	} {
		args, ok := SplitArgs(in)
		if !ok || strings.Join(args, "|") != want {
			t.Errorf("%q: %q %v", in, args, ok)
		}
	}
	for _, bad := range []string{`"abc`, `'abc`, `"a"b`} {
		if _, ok := SplitArgs(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParsers feeds arbitrary bytes to the manifest parser and the
// command reader: neither may panic, and a manifest that parses must
// print and reparse to the same thing.
func FuzzParsers(f *testing.F) {
	f.Add([]byte("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"))
	f.Add([]byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n#TS:1\r\n*1\r\n$4\r\nPING\r\n"))
	f.Add([]byte("file \"a b\" seq 3 type h\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := ParseManifest(data); err == nil {
			s := m.String()
			if s != "" {
				m2, err := ParseManifest([]byte(s))
				if err != nil || m2.String() != s {
					t.Fatalf("reparse of %q: %v", s, err)
				}
			}
		}
		r := NewReader(bytes.NewReader(data), 0)
		for i := 0; i < 1000; i++ {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	})
}
