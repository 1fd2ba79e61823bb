package server

import (
	"encoding/binary"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/lzf"
	"github.com/modis/modis/internal/persist/rdb"
	"github.com/modis/modis/internal/resp"
	"github.com/modis/modis/internal/scripting"
)

// FUNCTION and FCALL: libraries of Lua functions, loaded once, kept by
// name, persisted in RDB (FUNCTION2 records) and in FUNCTION DUMP
// payloads.

func init() {
	register(map[string]func(*Client){
		"fcall":            func(c *Client) { fcallGeneric(c, false) },
		"fcall_ro":         func(c *Client) { fcallGeneric(c, true) },
		"function|load":    functionLoadCommand,
		"function|delete":  functionDeleteCommand,
		"function|flush":   functionFlushCommand,
		"function|list":    functionListCommand,
		"function|stats":   functionStatsCommand,
		"function|dump":    functionDumpCommand,
		"function|restore": functionRestoreCommand,
		"function|kill":    func(c *Client) { killScript(c, true) },
		"function|help":    functionHelpCommand,
	})
}

// library is a loaded function library.
type library struct {
	name  string
	code  string
	funcs []*function
}

// function is one registered function.
type function struct {
	def   *scripting.FunctionDef
	lib   *library
	flags int // script flags
}

// functionsState holds the FUNCTION libraries.
type functionsState struct {
	eng   *scripting.Engine
	libs  map[string]*library
	order []*library // load order: LIST, DUMP and RDB iterate in it
	funcs map[string]*function
}

func (s *Server) functions() *functionsState {
	st := s.scriptState()
	if st.fn == nil {
		st.fn = newFunctionsState()
		st.fn.eng.Rand = st.rnd
	}
	return st.fn
}

func newFunctionsState() *functionsState {
	return &functionsState{eng: scripting.NewEngine(true), libs: map[string]*library{}, funcs: map[string]*function{}}
}

// parseLibraryMeta reads "#!lua name=<lib>" and returns the library name
// and the code with the shebang line blanked.
func parseLibraryMeta(code string) (name, body, errMsg string) {
	if !strings.HasPrefix(code, "#!") {
		return "", "", "ERR Missing library metadata"
	}
	end := strings.IndexByte(code, '\n')
	if end < 0 {
		return "", "", "ERR Invalid library metadata"
	}
	line, body := code[:end], code[end:]
	parts := strings.Fields(line[2:])
	engine := ""
	if len(parts) > 0 {
		engine = parts[0]
	}
	if !strings.EqualFold(engine, "lua") {
		return "", "", "ERR Engine '" + engine + "' not found"
	}
	seen := false
	for _, p := range parts[1:] {
		if !strings.HasPrefix(p, "name=") {
			return "", "", "ERR Invalid metadata value given: " + p
		}
		if seen {
			return "", "", "ERR Invalid metadata value, name argument was given multiple times"
		}
		seen = true
		name = p[len("name="):]
	}
	if !seen {
		return "", "", "ERR Library name was not given"
	}
	if !scripting.ValidName(name) {
		return "", "", "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
	}
	return name, body, ""
}

// compileLibrary loads a library's code without installing it.
func (fs *functionsState) compileLibrary(code string) (*library, string) {
	name, body, msg := parseLibraryMeta(code)
	if msg != "" {
		return nil, msg
	}
	defs, msg := fs.eng.LoadLibrary(body)
	if msg != "" {
		return nil, msg
	}
	lib := &library{name: name, code: code}
	for _, d := range defs {
		f := &function{def: d, lib: lib}
		for _, fl := range d.Flags {
			for _, n := range scriptFlagNames {
				if n.name == fl {
					f.flags |= n.flag
				}
			}
		}
		lib.funcs = append(lib.funcs, f)
	}
	return lib, ""
}

// install adds lib, replacing a library of the same name when replace
// is set; it fails without change on a collision.
func (fs *functionsState) install(lib *library, replace bool) string {
	old := fs.libs[lib.name]
	if old != nil && !replace {
		return "ERR Library '" + lib.name + "' already exists"
	}
	for _, f := range lib.funcs {
		if other := fs.funcs[f.def.Name]; other != nil && other.lib != old {
			return "ERR Function " + f.def.Name + " already exists"
		}
	}
	if old != nil {
		fs.remove(old)
	}
	fs.libs[lib.name] = lib
	fs.order = append(fs.order, lib)
	for _, f := range lib.funcs {
		fs.funcs[f.def.Name] = f
	}
	return ""
}

func (fs *functionsState) remove(lib *library) {
	delete(fs.libs, lib.name)
	for _, f := range lib.funcs {
		delete(fs.funcs, f.def.Name)
	}
	for i, l := range fs.order {
		if l == lib {
			fs.order = append(fs.order[:i:i], fs.order[i+1:]...)
			break
		}
	}
}

// LoadFunctionLibrary installs a library read from an RDB file (the
// persist loader's hook for FUNCTION2 records); replace as FUNCTION
// RESTORE REPLACE. Call it under the execution lock.
func (s *Server) LoadFunctionLibrary(code []byte, replace bool) error {
	fs := s.functions()
	lib, msg := fs.compileLibrary(string(code))
	if msg == "" {
		msg = fs.install(lib, replace)
	}
	if msg != "" {
		return errorString(msg)
	}
	return nil
}

// FunctionLibraries returns the code of every library, in load order,
// for RDB saving (Encoder.Function). Call it under the execution lock.
func (s *Server) FunctionLibraries() [][]byte {
	if s.scripting == nil || s.scripting.fn == nil {
		return nil
	}
	out := make([][]byte, 0, len(s.scripting.fn.order))
	for _, l := range s.scripting.fn.order {
		out = append(out, []byte(l.code))
	}
	return out
}

type errorString string

func (e errorString) Error() string { return string(e) }

func functionLoadCommand(c *Client) {
	replace := false
	i := 2
	if len(c.argv) == 4 {
		if !strings.EqualFold(string(c.argv[2]), "replace") {
			c.addError("ERR Unknown option given: " + string(c.argv[2]))
			return
		}
		replace, i = true, 3
	} else if len(c.argv) != 3 {
		c.addSubcommandSyntaxError()
		return
	}
	fs := c.srv.functions()
	lib, msg := fs.compileLibrary(string(c.argv[i]))
	if msg == "" {
		msg = fs.install(lib, replace)
	}
	if msg != "" {
		c.addError(msg)
		return
	}
	c.srv.dirty++
	c.addBulkString(lib.name)
}

func functionDeleteCommand(c *Client) {
	fs := c.srv.functions()
	lib := fs.libs[string(c.argv[2])]
	if lib == nil {
		c.addError("ERR Library not found")
		return
	}
	fs.remove(lib)
	c.srv.dirty++
	c.addOK()
}

func functionFlushCommand(c *Client) {
	if len(c.argv) > 3 {
		c.addError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
		return
	}
	if len(c.argv) == 3 {
		switch strings.ToLower(string(c.argv[2])) {
		case "sync", "async":
		default:
			c.addError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
			return
		}
	}
	st := c.srv.scriptState()
	if st.fn != nil {
		st.fn.eng.Close()
	}
	st.fn = newFunctionsState()
	st.fn.eng.Rand = st.rnd
	c.srv.dirty++
	c.addOK()
}

func functionListCommand(c *Client) {
	withCode := false
	pattern := ""
	hasPattern := false
	for i := 2; i < len(c.argv); i++ {
		a := string(c.argv[i])
		switch {
		case strings.EqualFold(a, "withcode") && !withCode:
			withCode = true
		case strings.EqualFold(a, "libraryname") && !hasPattern:
			if i+1 >= len(c.argv) {
				c.addError("ERR library name argument was not given")
				return
			}
			pattern, hasPattern = string(c.argv[i+1]), true
			i++
		default:
			c.addError("ERR Unknown argument " + a)
			return
		}
	}
	fs := c.srv.functions()
	var libs []*library
	for _, l := range fs.order {
		if hasPattern && !glob.MatchString(pattern, l.name) {
			continue
		}
		libs = append(libs, l)
	}
	c.addArrayLen(len(libs))
	for _, l := range libs {
		n := 3
		if withCode {
			n = 4
		}
		c.addMapLen(n)
		c.addBulkString("library_name")
		c.addBulkString(l.name)
		c.addBulkString("engine")
		c.addBulkString("LUA")
		c.addBulkString("functions")
		c.addArrayLen(len(l.funcs))
		for _, f := range l.funcs {
			c.addMapLen(3)
			c.addBulkString("name")
			c.addBulkString(f.def.Name)
			c.addBulkString("description")
			if f.def.HasDesc {
				c.addBulkString(f.def.Desc)
			} else {
				c.addNull()
			}
			c.addBulkString("flags")
			c.addSetLen(len(f.def.Flags))
			for _, fl := range f.def.Flags {
				c.addSimple(fl)
			}
		}
		if withCode {
			c.addBulkString("library_code")
			c.addBulkString(l.code)
		}
	}
}

func functionStatsCommand(c *Client) {
	s := c.srv
	fs := s.functions()
	if run := s.scripting.running; run != nil && !run.function {
		c.addError(run.busyError())
		return
	}
	c.addMapLen(2)
	c.addBulkString("running_script")
	if run := s.scripting.running; run != nil && run.function {
		c.addMapLen(3)
		c.addBulkString("name")
		c.addBulkString(run.name)
		c.addBulkString("command")
		c.addArrayLen(len(run.argv))
		for _, a := range run.argv {
			c.addBulk(a)
		}
		c.addBulkString("duration_ms")
		c.addInt(run.elapsedMs())
	} else {
		c.addNull()
	}
	c.addBulkString("engines")
	c.addMapLen(1)
	c.addBulkString("LUA")
	c.addMapLen(2)
	c.addBulkString("libraries_count")
	c.addInt(int64(len(fs.libs)))
	c.addBulkString("functions_count")
	c.addInt(int64(len(fs.funcs)))
}

// functionsPayload is FUNCTION DUMP's payload: a FUNCTION2 record per
// library, the RDB version and the CRC64, as Redis's DUMP format.
func (s *Server) functionsPayload() []byte {
	var b []byte
	for _, code := range s.FunctionLibraries() {
		b = append(b, rdb.OpFunction2)
		b = rdb.AppendString(b, code, s.cfg.RDBCompression)
	}
	b = binary.LittleEndian.AppendUint16(b, rdb.Version)
	return binary.LittleEndian.AppendUint64(b, rdb.CRC64(0, b))
}

func functionDumpCommand(c *Client) { c.addBulk(c.srv.functionsPayload()) }

// ParseFunctionsPayload splits a FUNCTION DUMP payload into library
// codes; ok is false when it is malformed (checksum, version, records).
func ParseFunctionsPayload(p []byte) (codes [][]byte, ok bool) {
	if len(p) < 10 {
		return nil, false
	}
	body := p[:len(p)-10]
	ver := binary.LittleEndian.Uint16(p[len(p)-10:])
	if ver > rdb.Version {
		return nil, false
	}
	if sum := binary.LittleEndian.Uint64(p[len(p)-8:]); sum != rdb.CRC64(0, p[:len(p)-8]) {
		return nil, false
	}
	for len(body) > 0 {
		if body[0] != rdb.OpFunction2 {
			return nil, false
		}
		code, n, ok := readRDBString(body[1:])
		if !ok {
			return nil, false
		}
		codes = append(codes, code)
		body = body[1+n:]
	}
	return codes, true
}

// readRDBLen reads an RDB length; enc reports a special encoding.
func readRDBLen(b []byte) (v uint64, enc bool, n int, ok bool) {
	if len(b) < 1 {
		return 0, false, 0, false
	}
	switch b[0] >> 6 {
	case 0:
		return uint64(b[0] & 0x3f), false, 1, true
	case 1:
		if len(b) < 2 {
			return 0, false, 0, false
		}
		return uint64(b[0]&0x3f)<<8 | uint64(b[1]), false, 2, true
	case 2:
		switch b[0] {
		case 0x80:
			if len(b) < 5 {
				return 0, false, 0, false
			}
			return uint64(binary.BigEndian.Uint32(b[1:])), false, 5, true
		case 0x81:
			if len(b) < 9 {
				return 0, false, 0, false
			}
			return binary.BigEndian.Uint64(b[1:]), false, 9, true
		}
		return 0, false, 0, false
	}
	return uint64(b[0] & 0x3f), true, 1, true
}

// readRDBString reads an RDB string (raw, integer or LZF encoded).
func readRDBString(b []byte) ([]byte, int, bool) {
	v, enc, n, ok := readRDBLen(b)
	if !ok {
		return nil, 0, false
	}
	if !enc {
		if uint64(len(b)-n) < v {
			return nil, 0, false
		}
		return b[n : n+int(v)], n + int(v), true
	}
	switch v {
	case 0:
		if len(b) < 2 {
			return nil, 0, false
		}
		return []byte(strconv.Itoa(int(int8(b[1])))), 2, true
	case 1:
		if len(b) < 3 {
			return nil, 0, false
		}
		return []byte(strconv.Itoa(int(int16(binary.LittleEndian.Uint16(b[1:]))))), 3, true
	case 2:
		if len(b) < 5 {
			return nil, 0, false
		}
		return []byte(strconv.Itoa(int(int32(binary.LittleEndian.Uint32(b[1:]))))), 5, true
	case 3:
		clen, _, n1, ok := readRDBLen(b[1:])
		if !ok {
			return nil, 0, false
		}
		ulen, _, n2, ok := readRDBLen(b[1+n1:])
		if !ok {
			return nil, 0, false
		}
		start := 1 + n1 + n2
		if uint64(len(b)-start) < clen || ulen > 1<<29 {
			return nil, 0, false
		}
		out, err := lzf.Decompress(b[start:start+int(clen)], int(ulen))
		if err != nil || len(out) != int(ulen) {
			return nil, 0, false
		}
		return out, start + int(clen), true
	}
	return nil, 0, false
}

func functionRestoreCommand(c *Client) {
	policy := "append"
	if len(c.argv) > 4 {
		c.addSubcommandSyntaxError()
		return
	}
	if len(c.argv) == 4 {
		policy = strings.ToLower(string(c.argv[3]))
		if policy != "append" && policy != "replace" && policy != "flush" {
			c.addError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
			return
		}
	}
	codes, ok := ParseFunctionsPayload(c.argv[2])
	if !ok {
		c.addError("ERR DUMP payload version or checksum are wrong")
		return
	}
	s := c.srv
	// Build the new libraries in a fresh state, then merge.
	tmp := newFunctionsState()
	tmp.eng.Close()
	fs := s.functions()
	tmp.eng = fs.eng
	var libs []*library
	for _, code := range codes {
		lib, msg := tmp.compileLibrary(string(code))
		if msg == "" {
			msg = tmp.install(lib, false)
		}
		if msg != "" {
			c.addError(msg)
			return
		}
		libs = append(libs, lib)
	}
	if policy == "flush" {
		fs.libs, fs.order, fs.funcs = map[string]*library{}, nil, map[string]*function{}
	}
	// Check collisions before changing anything.
	for _, lib := range libs {
		if old := fs.libs[lib.name]; old != nil && policy == "append" {
			c.addError("ERR Library " + lib.name + " already exists")
			return
		}
		for _, f := range lib.funcs {
			if other := fs.funcs[f.def.Name]; other != nil && (policy == "append" || other.lib.name != lib.name) {
				c.addError("ERR Function " + f.def.Name + " already exists")
				return
			}
		}
	}
	for _, lib := range libs {
		fs.install(lib, true)
	}
	s.dirty++
	c.addOK()
}

func fcallGeneric(c *Client, ro bool) {
	s := c.srv
	fs := s.functions()
	f := fs.funcs[string(c.argv[1])]
	if f == nil {
		c.addError("ERR Function not found")
		return
	}
	numkeys, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
	if err != nil {
		c.addError("ERR Bad number of keys provided")
		return
	}
	if numkeys > int64(len(c.argv)-3) {
		c.addError("ERR Number of keys can't be greater than number of args")
		return
	}
	if numkeys < 0 {
		c.addError("ERR Number of keys can't be negative")
		return
	}
	if msg := s.scriptPrepare(c, f.flags, ro, true); msg != "" {
		c.addError(msg)
		return
	}
	keys := c.argv[3 : 3+numkeys]
	args := c.argv[3+numkeys:]
	s.runScript(c, fs.eng, f.def.Fn, f.def.Name, []lua.LValue{fs.eng.BytesTable(keys), fs.eng.BytesTable(args)}, f.flags, ro, true)
}

func functionHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
		"DUMP",
		"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
		"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
		"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
		"    control how to handle existing libraries (default APPEND):",
		"    * FLUSH: delete all existing libraries.",
		"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
		"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
		"      libraries with the new libraries (notice that even on this option there is a chance of failure",
		"      in case of functions name collision with another library).",
	})
}

// functionRecords encodes every library as an RDB FUNCTION2 record, for
// the RDB writers (taken under the lock, written later).
func (s *Server) functionRecords() [][]byte {
	return functionRecordsOf(s.FunctionLibraries(), s.cfg.RDBCompression)
}

func functionRecordsOf(codes [][]byte, compress bool) [][]byte {
	var out [][]byte
	for _, code := range codes {
		rec := append([]byte{rdb.OpFunction2}, rdb.AppendString(nil, code, compress)...)
		out = append(out, rec)
	}
	return out
}

// functionLoadCommands is how an AOF rewrite without RDB preamble
// records the libraries (Redis's rewriteFunctions): FUNCTION LOAD each.
func functionLoadCommands(codes [][]byte) []byte {
	var b []byte
	for _, code := range codes {
		b = append(b, "*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n"...)
		b = resp.AppendBulk(b, code)
	}
	return b
}

// writeFunctionRecords writes function records after the header and the
// modules' before-RDB aux data, as Redis's rdbSaveRio.
func writeFunctionRecords(enc rdbEncoder, recs [][]byte) error {
	for _, r := range recs {
		if err := enc.Raw(r); err != nil {
			return err
		}
	}
	return nil
}

// loadFunctionRecord is the RDB loader's FUNCTION2 hook: the library
// replaces one of the same name (DEBUG RELOAD keeps the libraries).
func (s *Server) loadFunctionRecord(code []byte) error {
	if err := s.LoadFunctionLibrary(code, true); err != nil {
		return errorString("Failed loading library: " + strings.TrimPrefix(err.Error(), "ERR "))
	}
	return nil
}
