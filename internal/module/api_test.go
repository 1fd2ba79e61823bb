package module

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// Every registered API must be one of the 332 names Redis 7.0.15
// registers, and every "Ctx.X" implementation must exist.
func TestAPIRegistry(t *testing.T) {
	data, err := os.ReadFile("/work/shared/module-api-7.0.txt")
	if err != nil {
		t.Skip("API list not available:", err)
	}
	known := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		known[l] = true
	}
	if len(known) != 332 {
		t.Fatalf("API list has %d names, want 332", len(known))
	}
	ctxType := reflect.TypeOf(&Ctx{})
	for _, name := range APINames() {
		if !known[name] {
			t.Errorf("%s is not a Redis 7.0 API", name)
		}
		impl := APIImplementation(name)
		if m, ok := strings.CutPrefix(impl, "Ctx."); ok {
			if _, ok := ctxType.MethodByName(m); !ok {
				t.Errorf("%s: *Ctx has no method %s", name, m)
			}
		}
		if !APIImplemented("Valkey" + strings.TrimPrefix(name, "Redis")) {
			t.Errorf("Valkey spelling of %s not accepted", name)
		}
	}
	if APIImplemented("RedisModule_ReplySetPushLength") {
		t.Error("ReplySetPushLength must stay unregistered (Redis never registers it)")
	}
}

func TestRegisterPanics(t *testing.T) {
	for _, info := range []Info{{Name: ""}, {Name: "x"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%+v) did not panic", info)
				}
			}()
			Register(info)
		}()
	}
	Register(Info{Name: "test.dup", New: func() Loader { return nil }})
	defer func() {
		if recover() == nil {
			t.Error("duplicate Register did not panic")
		}
	}()
	Register(Info{Name: "test.dup", New: func() Loader { return nil }})
}

func TestD2String(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{1.5, "1.5"}, {3, "3"}, {-0.0, "0"}, {123456789012345678, "123456789012345680"}, {0.1, "0.10000000000000001"}, {1e300, "1.0000000000000001e+300"}, {1e-5, "1.0000000000000001e-05"}} {
		if got := string(AppendD2String(nil, c.in)); got != c.want {
			t.Errorf("d2string(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStringConversions(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
		v  int64
	}{{"12", true, 12}, {"-3", true, -3}, {"+3", false, 0}, {" 3", false, 0}, {"03", false, 0}, {"-0", false, 0}, {"9223372036854775808", false, 0}} {
		v, r := StringToLongLong(NewString([]byte(c.in)))
		if (r == OK) != c.ok || v != c.v {
			t.Errorf("StringToLongLong(%q) = %d, %d", c.in, v, r)
		}
	}
	if v, r := StringToULongLong(NewString([]byte("18446744073709551615"))); r != OK || v != 1<<64-1 {
		t.Errorf("StringToULongLong max = %d, %d", v, r)
	}
	if _, r := StringToULongLong(NewString([]byte("-1"))); r != ERR {
		t.Error("StringToULongLong(-1) succeeded")
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"1.5", true}, {"inf", true}, {"nan", false}, {" 1", false}, {"1 ", false}, {"1e400", false}, {"", false}} {
		_, r := StringToDouble(NewString([]byte(c.in)))
		if (r == OK) != c.ok {
			t.Errorf("StringToDouble(%q) = %d", c.in, r)
		}
	}
}

func TestStringRefcount(t *testing.T) {
	ctx := &Ctx{flags: ctxAutoMemory}
	s := ctx.CreateString([]byte("a"))
	ctx.RetainString(s) // leaves the auto-memory queue, count stays 1
	if s.Refs() != 1 || len(ctx.auto) != 0 {
		t.Fatalf("RetainString: refs %d, queue %d", s.Refs(), len(ctx.auto))
	}
	if ctx.StringAppendBuffer(s, []byte("b")) != OK || string(s.Bytes()) != "ab" {
		t.Fatal("append on an unshared string failed")
	}
	h := ctx.HoldString(s)
	if h.Refs() != 2 {
		t.Fatal("HoldString did not add a reference")
	}
	ctx.autoMemoryCollect()
	if s.Refs() != 1 {
		t.Fatalf("auto memory left refs %d", s.Refs())
	}
	if StringCompare(NewString([]byte("a")), NewString([]byte("b"))) >= 0 {
		t.Error("StringCompare")
	}
}

func TestCallReplyParse(t *testing.T) {
	r := &CallReply{proto: 3, raw: []byte("|1\r\n+k\r\n:1\r\n*3\r\n$3\r\nfoo\r\n%1\r\n+a\r\n,1.5\r\n_\r\n")}
	if CallReplyType(r) != ReplyArray || CallReplyLength(r) != 3 {
		t.Fatalf("type %d len %d", CallReplyType(r), CallReplyLength(r))
	}
	if a := CallReplyAttribute(r); a == nil || CallReplyLength(a) != 1 {
		t.Fatal("attribute missing")
	}
	if string(CallReplyStringPtr(CallReplyArrayElement(r, 0))) != "foo" {
		t.Error("element 0")
	}
	k, v, ok := CallReplyMapElement(CallReplyArrayElement(r, 1), 0)
	if ok != OK || string(CallReplyStringPtr(k)) != "a" || CallReplyDouble(v) != 1.5 {
		t.Error("map element")
	}
	if CallReplyType(CallReplyArrayElement(r, 2)) != ReplyNull || CallReplyArrayElement(r, 3) != nil {
		t.Error("null / out of range")
	}
	if string(CallReplyArrayElement(r, 1).Proto()) != "%1\r\n+a\r\n,1.5\r\n" {
		t.Errorf("element proto %q", CallReplyArrayElement(r, 1).Proto())
	}
}

func TestFormatArgs(t *testing.T) {
	argv, opts, ok := FormatArgs("!cslbv3", "a", NewString([]byte("b")), int64(5), []byte("c"), []*String{NewString([]byte("d"))})
	if !ok || opts != "!3" || len(argv) != 5 || string(argv[2]) != "5" || string(argv[4]) != "d" {
		t.Fatalf("FormatArgs = %q %q %v", argv, opts, ok)
	}
	if _, _, ok := FormatArgs("x"); ok {
		t.Error("unknown specifier accepted")
	}
}

func TestParseCommandFlags(t *testing.T) {
	for _, s := range []string{"write readonly admin deny-oom deny-script allow-loading pubsub random blocking allow-stale no-monitor no-slowlog fast no-auth may-replicate getkeys-api getchannels-api no-cluster no-mandatory-keys allow-busy", "", "use-memory"} {
		if _, _, ok := parseCommandFlags(s); !ok {
			t.Errorf("flags %q refused", s)
		}
	}
	if _, _, ok := parseCommandFlags("write bogus"); ok {
		t.Error("unknown flag accepted")
	}
}
