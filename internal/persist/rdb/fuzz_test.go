package rdb

import (
	"bytes"
	"testing"

	"github.com/modis/modis/internal/keyspace"
)

// Fuzz targets: loading never panics, and whatever loads re-encodes to
// something that loads again into the same value (no inconsistent value
// is accepted).

func FuzzLoad(f *testing.F) {
	keys := testKeys()
	f.Add(writeFile(f, keys[:8], &Options{Checksum: true}))
	f.Add(writeFile(f, keys[8:], &Options{Compression: true}))
	f.Add([]byte("REDIS0010\xff\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var sink memSink
		if err := Load(bytes.NewReader(data), &LoadOptions{Limits: DefaultLimits, IgnoreChecksum: true}, &sink); err != nil {
			return
		}
		for _, k := range sink.keys {
			reload(t, &k.o)
		}
	})
}

func FuzzRestore(f *testing.F) {
	for _, k := range testKeys() {
		p, _ := DumpPayload([]byte(k.key), &k.o, &Options{Compression: true})
		f.Add(p[:len(p)-10])
	}
	for _, tc := range legacyCases() {
		f.Add(tc.p[:len(tc.p)-10])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) == 0 {
			return
		}
		p := payload(body[0], body[1:])
		o, err := LoadPayload(p, []byte("k"), 0, &LoadOptions{Limits: DefaultLimits, Sanitize: true})
		if err != nil {
			return
		}
		reload(t, &o)
	})
}

// reload checks that a loaded value survives a save and load unchanged.
func reload(t *testing.T, o *keyspace.Object) {
	t.Helper()
	p, err := DumpPayload(nil, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := LoadPayload(p, nil, 0, &LoadOptions{Limits: DefaultLimits, Sanitize: true})
	if err != nil {
		t.Fatalf("a loaded value does not load again: %v", err)
	}
	if a, b := canon(t, o), canon(t, &o2); a != b {
		t.Fatalf("a loaded value changes on reload:\n%.300s\n%.300s", a, b)
	}
}
