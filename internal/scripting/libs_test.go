package scripting

import (
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// testHost serves runs without a server: redis.call answers +OK.
type testHost struct{}

func (testHost) Call([][]byte, int) ([]byte, string) { return []byte("+OK\r\n"), "" }
func (testHost) ACLCheck([][]byte) (bool, string)    { return true, "" }
func (testHost) Log(int, string)                     {}
func (testHost) SetRepl(int)                         {}
func (testHost) Tick(time.Duration) string           { return "" }

// evalString runs "return <expr>" and returns the reply bytes or error.
func evalString(t *testing.T, e *Engine, expr string) string {
	t.Helper()
	fn, msg := e.Compile([]byte("return "+expr), "user_script")
	if msg != "" {
		t.Fatalf("%s: %s", expr, msg)
	}
	e.SetKeysArgv(nil, nil)
	res := e.Run(fn, "test", nil, testHost{}, 2)
	if res.Err != "" {
		return "-" + res.Err
	}
	return string(res.Reply)
}

// TestLibraries checks cjson, cmsgpack, struct and bit against outputs
// collected from redis-server 7.0.15.
func TestLibraries(t *testing.T) {
	e := NewEngine(false)
	defer e.Close()
	bulk := func(s string) string { return "$" + itoa(len(s)) + "\r\n" + s + "\r\n" }
	cases := []struct{ expr, want string }{
		{`cjson.encode({1,'a/b',true,{x=cjson.null}})`, bulk(`[1,"a\/b",true,{"x":null}]`)},
		{`cjson.encode(0.1)`, bulk("0.1")},
		{`cjson.encode(1/3)`, bulk("0.33333333333333")},
		{`cjson.encode(cjson.decode('{"a":[1,2,{"b":null}]}'))`, bulk(`{"a":[1,2,{"b":null}]}`)},
		{`cjson.decode('[1,2')`, "-ERR user_script:1: Expected comma or array end but found T_END at character 5 script: test, on @user_script:1."},
		{`cjson.encode({[1]=1,[20]=3})`, "-ERR user_script:1: Cannot serialise table: excessively sparse array script: test, on @user_script:1."},
		{`cmsgpack.pack({1,'x',{a=true}}, -5, 3.25, 2^40)`, bulk("\x93\x01\xa1x\x81\xa1a\xc3\xfb\xca@P\x00\x00\xcf\x00\x00\x01\x00\x00\x00\x00\x00")},
		{`cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, 2^32, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31-1, 1.5, 0.1, 1e300, 'abc', true, false, nil)`,
			bulk("\x01\xff\x7f\xcc\x80\xcc\xff\xcd\x01\x00\xcd\xff\xff\xce\x00\x01\x00\x00\xcf\x00\x00\x00\x01\x00\x00\x00\x00\xe0\xd0\xdf\xd0\x80\xd1\xff\x7f\xd1\x80\x00\xd2\xff\xff\x7f\xff\xd2\x80\x00\x00\x00\xd3\xff\xff\xff\xff\x7f\xff\xff\xff\xca?\xc0\x00\x00\xcb?\xb9\x99\x99\x99\x99\x99\x9a\xcb~7\xe4<\x88\x00u\x9c\xa3abc\xc3\xc2\xc0")},
		{`cmsgpack.pack(1/0, -1/0, 2^63, -2^63, 2^64)`, bulk("\xca\x7f\x80\x00\x00\xca\xff\x80\x00\x00\xca_\x00\x00\x00\xd3\x80\x00\x00\x00\x00\x00\x00\x00\xca_\x80\x00\x00")},
		{`table.concat(cmsgpack.unpack('\147\1\2\3'), ',')`, bulk("1,2,3")},
		{`struct.pack('>iHb', -2, 65535, 7)`, bulk("\xff\xff\xff\xfe\xff\xff\a")},
		{`struct.pack('bBhHlLiI', 1, 2, 3, 4, 5, 6, 7, 8)`, bulk("\x01\x02\x03\x00\x04\x00\x05\x00\x00\x00\x00\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00\a\x00\x00\x00\b\x00\x00\x00")},
		{`table.concat({struct.unpack('<hI3', '\255\255\1\2\3')}, ',')`, bulk("-1,197121,6")},
		{`struct.size('s')`, "-ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size) script: test, on @user_script:1."},
		{`bit.tohex(bit.bxor(0x1234, bit.lshift(1, 20)))`, bulk("00101234")},
		{`{bit.tobit(0xffffffff), bit.rol(0x12345678, 8), bit.bswap(0x12345678), bit.arshift(-256, 4)}`, "*4\r\n:-1\r\n:878082066\r\n:2018915346\r\n:-16\r\n"},
		{`tostring(1/3) .. ' ' .. tostring(1e14) .. ' ' .. tostring(-0)`, bulk("0.33333333333333 1e+14 -0")},
	}
	for _, c := range cases {
		if got := evalString(t, e, c.expr); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.expr, got, c.want)
		}
	}
}

func itoa(n int) string { return lua.LNumber(n).String() }

// TestFormatNumber checks %.14g and %.17g against C's output.
func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		f        float64
		g14, g17 string
	}{
		{0.1, "0.1", "0.10000000000000001"},
		{1e15, "1e+15", "1000000000000000"},
		{100, "100", "100"},
		{1e-7, "1e-07", "9.9999999999999995e-08"},
		{9.2233720368547758e18, "9.2233720368548e+18", "9.2233720368547758e+18"},
	} {
		if got := FormatNumber(c.f); got != c.g14 {
			t.Errorf("%%.14g of %v: %q, want %q", c.f, got, c.g14)
		}
		if got := formatArg(c.f); got != c.g17 {
			t.Errorf("%%.17g of %v: %q, want %q", c.f, got, c.g17)
		}
	}
}

// TestRand48 checks math.random's sequence from the default state
// (redis-server's first three math.random(1000000) after start-up).
func TestRand48(t *testing.T) {
	r := NewRand()
	want := []int{396465, 840486, 353337}
	for i, w := range want {
		f := float64(r.next()%rand48Max) / float64(rand48Max)
		if got := int(f*1000000) + 1; got != w {
			t.Fatalf("draw %d: %d, want %d", i, got, w)
		}
	}
}

// TestReadonlyGlobals checks the sandbox's protection texts.
func TestReadonlyGlobals(t *testing.T) {
	e := NewEngine(false)
	defer e.Close()
	for expr, want := range map[string]string{
		"nosuch":                          "Script attempted to access nonexistent global variable 'nosuch'",
		"(function() x = 1 end)()":        "Attempt to modify a readonly table",
		"(function() string.x = 1 end)()": "Attempt to modify a readonly table",
	} {
		if got := evalString(t, e, expr); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", expr, got, want)
		}
	}
}
