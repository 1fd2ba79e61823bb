package server

import (
	"testing"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/keyspace"
)

// TestStringHotPathAllocs pins the allocation budget of GET and SET: GET
// allocates nothing, SET only the stored copy of the value (nothing for
// integers), whatever options are given.
func TestStringHotPathAllocs(t *testing.T) {
	s := New(config.Default())
	c := &Client{srv: s, db: s.ks.DBs[0], resp: 2, out: make([]byte, 0, 1<<16)}
	run := func(proc func(*Client), args ...string) float64 {
		argv := make([][]byte, len(args))
		for i, a := range args {
			argv[i] = []byte(a)
		}
		c.argv = argv
		c.cmd = s.procs[s.cmds.Lookup(argv[0])]
		return testing.AllocsPerRun(200, func() {
			c.out = c.out[:0]
			proc(c)
		})
	}
	s.ks.DBs[0].Add([]byte("k"), keyspace.NewString([]byte("some value")))
	for _, tc := range []struct {
		name string
		proc func(*Client)
		args []string
		max  float64
	}{
		{"GET hit", getCommand, []string{"GET", "k"}, 0},
		{"GET miss", getCommand, []string{"GET", "missing"}, 0},
		{"SET", setCommand, []string{"SET", "k", "value"}, 1},
		{"SET int", setCommand, []string{"SET", "k", "12345"}, 0},
		{"SET XX EX", setCommand, []string{"SET", "k", "value", "XX", "EX", "100"}, 1},
		{"SET KEEPTTL GET", setCommand, []string{"SET", "k", "value", "KEEPTTL", "GET"}, 1},
		{"INCR", incrCommand, []string{"INCR", "n"}, 0},
		{"STRLEN", strlenCommand, []string{"STRLEN", "k"}, 0},
	} {
		if got := run(tc.proc, tc.args...); got > tc.max {
			t.Errorf("%s: %v allocations, want <= %v", tc.name, got, tc.max)
		}
	}
}

// BenchmarkStringSetGet measures the SET and GET procedures alone (no
// network), the hottest paths of the server.
func BenchmarkStringSetGet(b *testing.B) {
	s := New(config.Default())
	c := &Client{srv: s, db: s.ks.DBs[0], resp: 2, out: make([]byte, 0, 1<<16)}
	set := [][]byte{[]byte("SET"), []byte("key:000000000042"), []byte("0123456789abcdef")}
	get := [][]byte{[]byte("GET"), []byte("key:000000000042")}
	setCmd, getCmd := s.procs[s.cmds.Lookup(set[0])], s.procs[s.cmds.Lookup(get[0])]
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.out = c.out[:0]
		c.argv, c.cmd = set, setCmd
		setCommand(c)
		c.argv, c.cmd = get, getCmd
		getCommand(c)
	}
}
