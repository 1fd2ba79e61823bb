package resp

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// parseAll feeds input in chunks of the given sizes (the last size repeats)
// and returns copies of every command, or the first error.
func parseAll(p *Parser, input []byte, chunks ...int) ([][]string, error) {
	var out [][]string
	for len(input) > 0 {
		n := chunks[0]
		if len(chunks) > 1 {
			chunks = chunks[1:]
		}
		n = min(n, len(input))
		buf := p.Buffer(n)
		copy(buf, input[:n])
		p.Commit(n)
		input = input[n:]
		for {
			argv, ok, err := p.Next()
			if err != nil {
				return out, err
			}
			if !ok {
				break
			}
			if len(argv) == 0 {
				continue
			}
			cmd := make([]string, len(argv))
			for i, a := range argv {
				cmd[i] = string(a)
			}
			out = append(out, cmd)
		}
		p.Compact()
	}
	return out, nil
}

// newParser returns a parser of an authenticated connection.
func newParser() *Parser {
	p := NewParser()
	p.Authenticated = true
	return p
}

func mbulk(args ...string) string { return string(AppendCommand(nil, args...)) }

func TestParserStream(t *testing.T) {
	big := strings.Repeat("x", 100*1024)
	input := mbulk("SET", "key", "value") +
		"PING\r\n" +
		"ECHO \"a b\" 'c'\n" +
		"\r\n" + // empty inline line: ignored
		"*0\r\n" + // empty multibulk: ignored
		"*-1\r\n" +
		mbulk("SET", "big", big) +
		mbulk("GET", "") +
		mbulk("MSET", "a", "1", "b", "2")
	want := [][]string{
		{"SET", "key", "value"},
		{"PING"},
		{"ECHO", "a b", "c"},
		{"SET", "big", big},
		{"GET", ""},
		{"MSET", "a", "1", "b", "2"},
	}
	check := func(name string, got [][]string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %d commands, want %d (first: %.40q)", name, len(got), len(want), got)
		}
	}
	got, err := parseAll(newParser(), []byte(input), len(input))
	check("whole", got, err)
	got, err = parseAll(newParser(), []byte(input), 1)
	check("byte by byte", got, err)
	for _, n := range []int{2, 3, 7, 16, 100, 4096, 16 * 1024} {
		got, err = parseAll(newParser(), []byte(input), n)
		check(fmt.Sprintf("chunks of %d", n), got, err)
	}
	// Every split point of the small part of the stream (the big bulk
	// makes full coverage quadratic).
	small := input[:strings.Index(input, "*3\r\n$3\r\nSET\r\n$3\r\nbig")]
	for i := 1; i < len(small); i++ {
		got, err := parseAll(newParser(), []byte(small), i, len(small))
		if err != nil || len(got) != 3 || got[2][1] != "a b" {
			t.Fatalf("split at %d: %q %v", i, got, err)
		}
	}
}

// A batch of pipelined commands is parsed before any runs: the argv of
// every command must stay intact while later ones are parsed, also when a
// big bulk makes the buffer move.
func TestParserBatchStaysValid(t *testing.T) {
	big := strings.Repeat("b", 200*1024)
	input := mbulk("SET", "k1", "v1") + "SET k2 \"v\\x32\"\r\n" + mbulk("SET", "k3", big) + mbulk("GET", "k4")
	p := newParser()
	var batch [][][]byte
	in := []byte(input)
	for len(in) > 0 {
		n := min(len(in), 64*1024)
		copy(p.Buffer(n), in[:n])
		p.Commit(n)
		in = in[n:]
		for {
			argv, ok, err := p.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			batch = append(batch, argv)
		}
		if len(in) > 0 && len(batch) > 0 {
			break // keep the batch outstanding: feed the rest via Feed below
		}
	}
	// Feed invalidates by contract, so check what we hold now.
	want := []string{"SET k1 v1", "SET k2 v2"}
	for i, w := range want {
		if got := string(bytes.Join(batch[i], []byte(" "))); got != w {
			t.Fatalf("command %d = %q, want %q", i, got, w)
		}
	}
	// The rest arrives while the first commands are still held: the big
	// bulk forces a bigger buffer.
	for len(in) > 0 {
		n := min(len(in), 16*1024)
		p.buf = append(p.buf, in[:n]...) // like Commit, without resetting the batch
		in = in[n:]
		for {
			argv, ok, err := p.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			batch = append(batch, argv)
		}
	}
	if len(batch) != 4 {
		t.Fatalf("got %d commands", len(batch))
	}
	for i, w := range want {
		if got := string(bytes.Join(batch[i], []byte(" "))); got != w {
			t.Fatalf("after growth, command %d = %q, want %q", i, got, w)
		}
	}
	if len(batch[2][2]) != len(big) || string(batch[3][1]) != "k4" {
		t.Fatalf("big command damaged")
	}
}

// The protocol errors, each checked against redis-server 7.0.15 by hand
// (raw bytes over TCP); testdata/diff/protocol-errors.txt keeps the
// differential version.
func TestParserErrors(t *testing.T) {
	long := strings.Repeat("a", InlineMax+1)
	cases := []struct {
		in, err string
		auth    bool
	}{
		{"*a\r\n", "invalid multibulk length", true},
		{"*01\r\n", "invalid multibulk length", true},
		{"*+1\r\n", "invalid multibulk length", true},
		{"*-0\r\n", "invalid multibulk length", true},
		{"* 1\r\n", "invalid multibulk length", true},
		{"*2147483648\r\n", "invalid multibulk length", true},
		{"*99999999999999999999\r\n", "invalid multibulk length", true},
		{"*1\nPING\r\n", "invalid multibulk length", true}, // Redis looks for '\r'
		{"*11\r\n", "unauthenticated multibulk length", false},
		{"*1\r\n$-1\r\n", "invalid bulk length", true},
		{"*1\r\n$04\r\nPING\r\n", "invalid bulk length", true},
		{"*1\r\n$x\r\n", "invalid bulk length", true},
		{"*1\r\n$536870913\r\n", "invalid bulk length", true},
		{"*1\r\n$16385\r\n", "unauthenticated bulk length", false},
		{"*1\r\nx\r\n", "expected '$', got 'x'", true},
		{"*1\r\n#4\r\n", "expected '$', got '#'", true},
		{"*1\r$4\r\nPING\r\n", "expected '$', got '4'", true},
		{"\"unbalanced\r\n", "unbalanced quotes in request", true},
		{"set a 'b\r\n", "unbalanced quotes in request", true},
		{"set a \"b\"c\r\n", "unbalanced quotes in request", true},
		{long, "too big inline request", true},
		{"*" + long, "too big mbulk count string", true},
		{"*1\r\n$" + long, "too big bulk count string", true},
	}
	for _, tc := range cases {
		p := NewParser()
		p.Authenticated = tc.auth
		_, err := parseAll(p, []byte(tc.in), len(tc.in))
		if err == nil || err.Error() != "Protocol error: "+tc.err {
			t.Errorf("%.30q: got %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestParserIncomplete(t *testing.T) {
	// Inputs that are valid but unfinished: no command, no error.
	for _, in := range []string{
		"", "*", "*1", "*1\r", "*1\r\n", "*1\r\n$", "*1\r\n$4\r", "*1\r\n$4\r\nPI",
		"*1\r\n$4\r\nPING\r", "PING", "PING\r", "*1048577\r\n",
		"*1\r\n:\x00\r\n", "*1\x00\r\n", // a NUL hides the '\r' from Redis's strchr
		"PI\x00NG\r\n",
	} {
		got, err := parseAll(newParser(), []byte(in), max(len(in), 1))
		if err != nil || len(got) != 0 {
			t.Errorf("%q: got %q, %v", in, got, err)
		}
	}
	// Redis skips the byte after '\r' and the two after a bulk unseen.
	got, err := parseAll(newParser(), []byte("*1\r\n$4\rxPINGxx*1\rx$4\r\nPONG\r\n"), 64)
	if err != nil || !reflect.DeepEqual(got, [][]string{{"PING"}, {"PONG"}}) {
		t.Errorf("lenient line ends: %q %v", got, err)
	}
}

func TestParserMaxBulk(t *testing.T) {
	p := NewParser()
	p.Authenticated = true
	p.MaxBulk = 10
	if _, err := parseAll(p, []byte(mbulk("SET", "k", "0123456789")), 100); err != nil {
		t.Fatal(err)
	}
	p = NewParser()
	p.Authenticated = true
	p.MaxBulk = 10
	if _, err := parseAll(p, []byte(mbulk("SET", "k", "0123456789X")), 100); err == nil || !strings.Contains(err.Error(), "invalid bulk length") {
		t.Fatalf("got %v", err)
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1": 1, "-1": -1, "9223372036854775807": 1<<63 - 1, "-9223372036854775808": -1 << 63} {
		if v, bad := parseInt([]byte(in)); bad || v != want {
			t.Errorf("%q: %d %v", in, v, bad)
		}
	}
	for _, in := range []string{"", "-", "+1", "01", "-0", "00", " 1", "1 ", "1a", "9223372036854775808", "-9223372036854775809", "99999999999999999999"} {
		if _, bad := parseInt([]byte(in)); !bad {
			t.Errorf("%q accepted", in)
		}
	}
}

// Expected splits checked against redis-server 7.0.15 (RPUSH of the inline
// arguments, then LRANGE).
func TestSplitArgs(t *testing.T) {
	cases := []struct {
		in   string
		want []string // nil: unbalanced quotes
	}{
		{"", []string{}},
		{"   ", []string{}},
		{"a b  c", []string{"a", "b", "c"}},
		{"\"a b\" c", []string{"a b", "c"}},
		{`"a\x41\x4g\q\n"`, []string{"aAx4gq\n"}},
		{`"a\x4"`, []string{"ax4"}},
		{`"\xfF"`, []string{"\xff"}},
		{`"\t\r\b\a\\\""`, []string{"\t\r\b\a\\\""}},
		{`'a\'b' c`, []string{"a'b", "c"}},
		{`'a\nb'`, []string{`a\nb`}},
		{`\x41`, []string{`\x41`}},
		{`a"b c" d`, []string{"ab c", "d"}},
		{"\"a\"\t\"b\"", []string{"a", "b"}},
		{"x\vy", []string{"x\vy"}}, // \v only separates between arguments
		{"\vx\f", []string{"x\f"}},
		{`""`, []string{""}},
		{`''`, []string{""}},
		{`"\""`, []string{`"`}},
		{"a\x00b c", []string{"a"}}, // a NUL ends the C string
		{`"abc"def`, nil},
		{`"abc`, nil},
		{`'abc`, nil},
		{`a"b c"d`, nil},
		{`"a\`, nil},
		{`'a'b`, nil},
		{`a'b c'd e`, nil},
		{`"a"'b'`, nil},
	}
	for _, tc := range cases {
		line := []byte(tc.in)
		got, ok := SplitArgs(line, nil)
		if string(line) != tc.in {
			t.Errorf("%q: input modified", tc.in)
		}
		if tc.want == nil {
			if ok {
				t.Errorf("%q: accepted as %q", tc.in, got)
			}
			continue
		}
		gs := make([]string, len(got))
		for i, a := range got {
			gs[i] = string(a)
		}
		if !ok || !reflect.DeepEqual(gs, tc.want) {
			t.Errorf("%q: got %q %v, want %q", tc.in, gs, ok, tc.want)
		}
		// Arguments must not share spare capacity.
		if len(got) > 1 {
			_ = append(got[0], 'Z')
			if string(got[1]) != tc.want[1] {
				t.Errorf("%q: appending to one argument changed the next", tc.in)
			}
		}
	}
}

func TestParserAllocs(t *testing.T) {
	batch := []byte(strings.Repeat(mbulk("SET", "key:000042", "some-value-16byt"), 16) + strings.Repeat("GET key:42\r\n", 4))
	p := NewParser()
	p.Authenticated = true
	run := func() {
		copy(p.Buffer(len(batch)), batch)
		p.Commit(len(batch))
		for {
			argv, ok, err := p.Next()
			if err != nil || !ok {
				break
			}
			_ = argv
		}
		p.Compact()
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Fatalf("parsing a pipelined batch allocates %v times", n)
	}
}
