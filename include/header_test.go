package include

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The header's API pointer declarations, e.g.
//
//	REDISMODULE_API int (*RedisModule_WrongArity)(RedisModuleCtx *ctx) REDISMODULE_ATTR;
//
// The parameter list is cut out by paren matching (see params), as it may
// itself hold function pointer types.
var declRE = regexp.MustCompile(`(?m)^REDISMODULE_API [^;(]*\(\*(RedisModule_\w+)\)\((.*);$`)

// The requests RedisModule_Init makes: REDISMODULE_GET_API(Name);
var requestRE = regexp.MustCompile(`(?m)^\s*REDISMODULE_GET_API\((\w+)\);`)

// variadic7 lists the Redis 7.0 APIs that take "...".
var variadic7 = []string{
	"RedisModule_Call", "RedisModule_CreateStringPrintf", "RedisModule_EmitAOF",
	"RedisModule_HashGet", "RedisModule_HashSet", "RedisModule_Log",
	"RedisModule_LogIOError", "RedisModule_Replicate",
}

func readHeader(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("redismodule.h")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// registered70 is the list of the 332 names Redis 7.0.15 registers.
func registered70(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "module-api-7.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			names = append(names, s)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// headerNames returns the declared API pointers (with their parameter
// lists) and the names RedisModule_Init requests, in header order.
func headerNames(t *testing.T) (decls map[string]string, declOrder, requests []string) {
	t.Helper()
	h := readHeader(t)
	decls = map[string]string{}
	for _, m := range declRE.FindAllStringSubmatch(h, -1) {
		if _, dup := decls[m[1]]; dup {
			t.Errorf("%s declared twice", m[1])
		}
		decls[m[1]] = params(t, m[1], m[2])
		declOrder = append(declOrder, m[1])
	}
	for _, m := range requestRE.FindAllStringSubmatch(h, -1) {
		requests = append(requests, "RedisModule_"+m[1])
	}
	return decls, declOrder, requests
}

// params returns the parameter list at the start of rest, which follows the
// list's opening paren, up to the matching closing paren.
func params(t *testing.T, name, rest string) string {
	depth := 1
	for i, r := range rest {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return rest[:i]
			}
		}
	}
	t.Errorf("%s: unbalanced parameter list %q", name, rest)
	return rest
}

// diff reports the names only in a and only in b.
func diff(a, b []string) (onlyA, onlyB []string) {
	in := func(s []string, x string) bool { return slices.Contains(s, x) }
	for _, x := range a {
		if !in(b, x) {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if !in(a, x) {
			onlyB = append(onlyB, x)
		}
	}
	return onlyA, onlyB
}

// TestHeaderAPINames checks the header against Redis 7.0's API set: one
// pointer per registered name plus GetApi and the never-registered
// ReplySetPushLength, and an Init that requests exactly the declared names
// except GetApi.
func TestHeaderAPINames(t *testing.T) {
	want := registered70(t)
	if len(want) != 332 {
		t.Fatalf("testdata/module-api-7.0.txt has %d names, want 332", len(want))
	}
	decls, declOrder, requests := headerNames(t)

	declared := slices.DeleteFunc(slices.Clone(declOrder), func(s string) bool {
		return s == "RedisModule_GetApi" || s == "RedisModule_ReplySetPushLength"
	})
	if onlyH, onlyW := diff(declared, want); len(onlyH) > 0 || len(onlyW) > 0 {
		t.Errorf("declared API pointers differ from Redis 7.0's 332 names:\n  extra in header: %v\n  missing from header: %v", onlyH, onlyW)
	}
	for _, n := range []string{"RedisModule_GetApi", "RedisModule_ReplySetPushLength"} {
		if _, ok := decls[n]; !ok {
			t.Errorf("%s is not declared", n)
		}
	}

	wantReq := slices.DeleteFunc(slices.Clone(declOrder), func(s string) bool { return s == "RedisModule_GetApi" })
	if len(requests) != 333 {
		t.Errorf("RedisModule_Init requests %d names, want 333 (332 + ReplySetPushLength)", len(requests))
	}
	if onlyR, onlyD := diff(requests, wantReq); len(onlyR) > 0 || len(onlyD) > 0 {
		t.Errorf("Init requests differ from the declarations:\n  requested, not declared: %v\n  declared, not requested: %v", onlyR, onlyD)
	}
	seen := map[string]bool{}
	for _, r := range requests {
		if seen[r] {
			t.Errorf("Init requests %s twice", r)
		}
		seen[r] = true
	}

	for name, params := range decls {
		isVar := strings.HasSuffix(strings.TrimSpace(params), "...")
		if isVar != slices.Contains(variadic7, name) {
			t.Errorf("%s: variadic = %v, want %v (params %q)", name, isVar, !isVar, params)
		}
	}
}

// cc returns the C compiler to use ($CC, else cc, gcc or clang) or skips
// the test when there is none.
func cc(t *testing.T) string {
	t.Helper()
	cands := []string{"cc", "gcc", "clang"}
	if env := os.Getenv("CC"); env != "" {
		cands = append([]string{env}, cands...)
	}
	for _, c := range cands {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	t.Skip("no C compiler (cc, gcc or clang) in PATH: skipping the C header checks")
	return ""
}

// cxx returns a C++ compiler or "" when there is none.
func cxx() string {
	cands := []string{"c++", "g++", "clang++"}
	if env := os.Getenv("CXX"); env != "" {
		cands = append([]string{env}, cands...)
	}
	for _, c := range cands {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// run runs a command and fails the test with its output when it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestHeaderLayout compiles testdata/layout.c, whose static assertions hold
// every struct size, field offset and constant value of the Redis 7.0 ABI,
// in several dialects with warnings as errors, then runs its run-time part.
func TestHeaderLayout(t *testing.T) {
	c := cc(t)
	dir := t.TempDir()
	src := filepath.Join("testdata", "layout.c")
	obj := filepath.Join(dir, "layout.o")
	for _, std := range [][]string{
		{"-std=c99"},
		{"-std=gnu99"},
		{"-std=c11", "-pedantic"},
	} {
		args := append(slices.Clone(std), "-Wall", "-Wextra", "-Werror", "-I.", "-c", src, "-o", obj)
		run(t, c, args...)
	}
	if cp := cxx(); cp != "" {
		run(t, cp, "-x", "c++", "-std=c++11", "-Wall", "-Wextra", "-Werror", "-I.", "-c", src, "-o", obj)
	} else {
		t.Log("no C++ compiler: skipped the C++ build of the header")
	}
	exe := filepath.Join(dir, "layout")
	run(t, c, "-std=c99", "-Wall", "-Wextra", "-Werror", "-DLAYOUT_MAIN", "-I.", src, "-o", exe)
	run(t, exe)
}

// buildHello builds testdata/hello into a shared object and returns its path.
func buildHello(t *testing.T) string {
	t.Helper()
	c := cc(t)
	so := filepath.Join(t.TempDir(), "hello.so")
	run(t, c, "-std=c99", "-Wall", "-Wextra", "-Werror", "-fno-common",
		"-shared", "-fPIC", "-pthread", "-I.",
		filepath.Join("testdata", "hello", "hello.c"),
		filepath.Join("testdata", "hello", "hello_extra.c"),
		"-o", so)
	return so
}

// TestHelloModule builds the hello module against the header and loads it
// into testdata/host.c, a minimal stand-in for the server's loader, to check
// what the compiled-in RedisModule_Init does: it asks GetApi (read from the
// first word of the context) for every name, tolerates refusals, honours
// IsModuleNameBusy when present and then calls SetModuleAttribs.
func TestHelloModule(t *testing.T) {
	c := cc(t)
	so := buildHello(t)
	host := filepath.Join(t.TempDir(), "host")
	run(t, c, "-std=c99", "-Wall", "-Wextra", "-Werror", filepath.Join("testdata", "host.c"), "-o", host, "-ldl")

	_, declOrder, _ := headerNames(t)
	wantReq := slices.DeleteFunc(slices.Clone(declOrder), func(s string) bool { return s == "RedisModule_GetApi" })
	const wantCommands = 8

	for _, tc := range []struct {
		mode      string
		onload    string
		attribs   bool
		nCommands int
	}{
		{"normal", "onload 0", true, wantCommands},
		{"busy", "onload 1", false, 0},
		{"nobusyapi", "onload 0", true, wantCommands},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			out := run(t, host, so, tc.mode)
			var requested, commands []string
			facts := map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				switch {
				case strings.HasPrefix(line, "requested "):
					requested = append(requested, strings.TrimPrefix(line, "requested "))
				case strings.HasPrefix(line, "command "):
					commands = append(commands, line)
				default:
					facts[line] = true
				}
			}
			if !slices.Equal(requested, wantReq) {
				onlyGot, onlyWant := diff(requested, wantReq)
				t.Errorf("Init requested %d names, want the header's %d in order; extra %v, missing %v",
					len(requested), len(wantReq), onlyGot, onlyWant)
			}
			if !facts[tc.onload] {
				t.Errorf("want %q in the host output:\n%s", tc.onload, out)
			}
			if got := facts["attribs helloc 1 1"]; got != tc.attribs {
				t.Errorf("SetModuleAttribs called = %v, want %v:\n%s", got, tc.attribs, out)
			}
			if len(commands) != tc.nCommands {
				t.Errorf("module created %d commands, want %d: %v", len(commands), tc.nCommands, commands)
			}
			// The server never registers ReplySetPushLength, so the module
			// sees it NULL; a served API is non-NULL.
			for _, f := range []string{"supported ReplySetPushLength 0", "supported CreateCommand 1"} {
				if !facts[f] {
					t.Errorf("want %q in the host output:\n%s", f, out)
				}
			}
		})
	}
}
