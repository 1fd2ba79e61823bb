package module

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Call reply types (REDISMODULE_REPLY_*).
const (
	ReplyUnknown        = -1
	ReplyString         = 0
	ReplyError          = 1
	ReplyInteger        = 2
	ReplyArray          = 3
	ReplyNull           = 4
	ReplyMap            = 5
	ReplySet            = 6
	ReplyBool           = 7
	ReplyDouble         = 8
	ReplyBigNumber      = 9
	ReplyVerbatimString = 10
	ReplyAttribute      = 11
)

// CallReply is RedisModuleCallReply: a command's reply, parsed lazily from
// its protocol bytes. Elements of aggregates belong to their parent.
type CallReply struct {
	ctx    *Ctx
	proto  int
	raw    []byte
	parsed bool
	bad    bool

	typ    int
	str    []byte // string, error, verbatim text, double/bignumber text
	format string // verbatim type
	n      int64
	d      float64
	elems  []*CallReply // array, set; map and attribute as key, value, ...
	attr   *CallReply
	child  bool
	pooled bool // raw came from the engine's call buffers (TakeCallBuf)

	// Ext is free for the API layer above the engine (the Go API keeps its
	// wrapper here, reused with the reply).
	Ext any
}

// Proto is RedisModule_CallReplyProto: the raw RESP bytes.
func (r *CallReply) Proto() []byte {
	if r == nil {
		return nil
	}
	return r.raw
}

func (r *CallReply) parse() {
	if r.parsed {
		return
	}
	r.parsed = true
	if _, ok := parseReplyInto(r, r.raw, 0); !ok {
		r.bad = true
		r.typ = ReplyUnknown
	}
}

// parseReplyInto parses one reply at raw[pos:] into r (setting r.raw to
// its span) and returns the end position.
func parseReplyInto(r *CallReply, raw []byte, pos int) (int, bool) {
	start := pos
	if pos >= len(raw) {
		return pos, false
	}
	if raw[pos] == '|' {
		// An attribute precedes the value it annotates.
		attr := &CallReply{proto: r.proto, parsed: true, child: true}
		end, ok := parseAggregate(attr, raw, pos, ReplyAttribute, 2)
		if !ok {
			return pos, false
		}
		r.attr = attr
		pos = end
	}
	t := raw[pos]
	nl := bytes.Index(raw[pos:], []byte("\r\n"))
	if nl < 0 {
		return pos, false
	}
	line := raw[pos+1 : pos+nl]
	next := pos + nl + 2
	var end int
	switch t {
	case '+':
		r.typ, r.str, end = ReplyString, line, next
	case '-':
		r.typ, r.str, end = ReplyError, line, next
	case ':':
		v, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil {
			return pos, false
		}
		r.typ, r.n, end = ReplyInteger, v, next
	case '_':
		r.typ, end = ReplyNull, next
	case '#':
		r.typ, end = ReplyBool, next
		if len(line) == 1 && line[0] == 't' {
			r.n = 1
		}
	case ',':
		r.typ, r.str, end = ReplyDouble, line, next
		r.d = parseRESPDouble(line)
	case '(':
		r.typ, r.str, end = ReplyBigNumber, line, next
	case '$', '=':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return pos, false
		}
		if n < 0 {
			r.typ, end = ReplyNull, next
			break
		}
		if next+n+2 > len(raw) {
			return pos, false
		}
		body := raw[next : next+n]
		end = next + n + 2
		if t == '=' {
			if len(body) < 4 {
				return pos, false
			}
			r.typ, r.format, r.str = ReplyVerbatimString, string(body[:3]), body[4:]
		} else {
			r.typ, r.str = ReplyString, body
		}
	case '*', '~', '%', '>':
		typ, mul := ReplyArray, 1
		switch t {
		case '~':
			typ = ReplySet
		case '%':
			typ, mul = ReplyMap, 2
		}
		e, ok := parseAggregate(r, raw, pos, typ, mul)
		if !ok {
			return pos, false
		}
		end = e
	default:
		return pos, false
	}
	r.raw = raw[start:end]
	return end, true
}

func parseAggregate(r *CallReply, raw []byte, pos int, typ, mul int) (int, bool) {
	nl := bytes.Index(raw[pos:], []byte("\r\n"))
	if nl < 0 {
		return pos, false
	}
	n, err := strconv.Atoi(string(raw[pos+1 : pos+nl]))
	if err != nil {
		return pos, false
	}
	next := pos + nl + 2
	if n < 0 {
		r.typ = ReplyNull
		r.raw = raw[pos:next]
		return next, true
	}
	r.typ = typ
	r.elems = make([]*CallReply, 0, n*mul)
	for i := 0; i < n*mul; i++ {
		e := &CallReply{proto: r.proto, parsed: true, child: true}
		end, ok := parseReplyInto(e, raw, next)
		if !ok {
			return pos, false
		}
		r.elems = append(r.elems, e)
		next = end
	}
	r.raw = raw[pos:next]
	return next, true
}

func parseRESPDouble(b []byte) float64 {
	switch string(b) {
	case "inf":
		return math.Inf(1)
	case "-inf":
		return math.Inf(-1)
	case "nan", "-nan":
		return math.NaN()
	}
	d, _ := strconv.ParseFloat(string(b), 64)
	return d
}

// CallReplyType is RedisModule_CallReplyType (ReplyUnknown for nil).
func CallReplyType(r *CallReply) int {
	if r == nil {
		return ReplyUnknown
	}
	r.parse()
	return r.typ
}

// CallReplyLength is RedisModule_CallReplyLength: string length or element
// count (pairs for maps), 0 for other types.
func CallReplyLength(r *CallReply) int {
	switch CallReplyType(r) {
	case ReplyString, ReplyError, ReplyVerbatimString:
		return len(r.str)
	case ReplyArray, ReplySet:
		return len(r.elems)
	case ReplyMap, ReplyAttribute:
		return len(r.elems) / 2
	}
	return 0
}

// CallReplyStringPtr is RedisModule_CallReplyStringPtr (strings and
// errors; nil otherwise).
func CallReplyStringPtr(r *CallReply) []byte {
	switch CallReplyType(r) {
	case ReplyString, ReplyError:
		return r.str
	}
	return nil
}

// CallReplyInteger is RedisModule_CallReplyInteger (LLONG_MIN for other
// types).
func CallReplyInteger(r *CallReply) int64 {
	if CallReplyType(r) != ReplyInteger {
		return math.MinInt64
	}
	return r.n
}

// CallReplyDouble is RedisModule_CallReplyDouble.
func CallReplyDouble(r *CallReply) float64 {
	if CallReplyType(r) != ReplyDouble {
		return float64(math.MinInt64)
	}
	return r.d
}

// CallReplyBool is RedisModule_CallReplyBool.
func CallReplyBool(r *CallReply) bool { return CallReplyType(r) == ReplyBool && r.n == 1 }

// CallReplyBigNumber is RedisModule_CallReplyBigNumber.
func CallReplyBigNumber(r *CallReply) []byte {
	if CallReplyType(r) != ReplyBigNumber {
		return nil
	}
	return r.str
}

// CallReplyVerbatim is RedisModule_CallReplyVerbatim: text and format.
func CallReplyVerbatim(r *CallReply) ([]byte, string) {
	if CallReplyType(r) != ReplyVerbatimString {
		return nil, ""
	}
	return r.str, r.format
}

// CallReplyArrayElement is RedisModule_CallReplyArrayElement (nil out of
// range or for non-arrays).
func CallReplyArrayElement(r *CallReply, idx int) *CallReply {
	if CallReplyType(r) != ReplyArray || idx < 0 || idx >= len(r.elems) {
		return nil
	}
	return r.elems[idx]
}

// CallReplySetElement is RedisModule_CallReplySetElement.
func CallReplySetElement(r *CallReply, idx int) *CallReply {
	if CallReplyType(r) != ReplySet || idx < 0 || idx >= len(r.elems) {
		return nil
	}
	return r.elems[idx]
}

// CallReplyMapElement is RedisModule_CallReplyMapElement: key and value of
// pair idx.
func CallReplyMapElement(r *CallReply, idx int) (key, val *CallReply, ret int) {
	if CallReplyType(r) != ReplyMap || idx < 0 || 2*idx+1 >= len(r.elems) {
		return nil, nil, ERR
	}
	return r.elems[2*idx], r.elems[2*idx+1], OK
}

// CallReplyAttribute is RedisModule_CallReplyAttribute. As in Redis
// 7.0.15, it does not parse the reply itself: before any other accessor
// (CallReplyType, ...) has looked at the reply it returns nil.
func CallReplyAttribute(r *CallReply) *CallReply {
	if r == nil || !r.parsed {
		return nil
	}
	return r.attr
}

// isRESP3 reports whether a parsed reply is of a RESP3-only type or
// carries an attribute (Redis's REPLY_FLAG_RESP3, set while parsing).
func (r *CallReply) isRESP3() bool {
	if !r.parsed || r.bad {
		return false
	}
	if r.attr != nil {
		return true
	}
	switch r.typ {
	case ReplyMap, ReplySet, ReplyBool, ReplyDouble, ReplyBigNumber, ReplyVerbatimString, ReplyAttribute:
		return true
	case ReplyNull:
		return len(r.raw) > 0 && r.raw[0] == '_'
	}
	return false
}

// CallReplyAttributeElement is RedisModule_CallReplyAttributeElement.
func CallReplyAttributeElement(r *CallReply, idx int) (key, val *CallReply, ret int) {
	if r == nil || r.typ != ReplyAttribute || idx < 0 || 2*idx+1 >= len(r.elems) {
		return nil, nil, ERR
	}
	return r.elems[2*idx], r.elems[2*idx+1], OK
}

// CreateStringFromCallReply is RedisModule_CreateStringFromCallReply
// (strings, errors and integers; nil otherwise).
func (ctx *Ctx) CreateStringFromCallReply(r *CallReply) *String {
	switch CallReplyType(r) {
	case ReplyString, ReplyError:
		return ctx.newString(r.str)
	case ReplyInteger:
		return ctx.newString(strconv.AppendInt(nil, r.n, 10))
	}
	return nil
}

// FreeCallReply is RedisModule_FreeCallReply (elements are owned by their
// parent and ignored).
func (ctx *Ctx) FreeCallReply(r *CallReply) {
	if r == nil || r.child {
		return
	}
	ctx.autoRemove(autoEntry{reply: r})
	r.free()
}

func (r *CallReply) free() {
	if r.raw == nil && !r.parsed {
		return // freed already
	}
	e := (*Engine)(nil)
	if r.ctx != nil && r.ctx.flags&ctxThreadSafe == 0 {
		// The engine's pools are used under the execution lock; a
		// thread-safe context's reply may be freed without it (as
		// helloblock does after ThreadSafeContextUnlock), so it pools
		// nothing.
		e = r.ctx.eng
	}
	if r.pooled && e != nil {
		e.putCallBuf(r.raw)
	}
	ext := r.Ext
	*r = CallReply{Ext: ext}
	if e != nil && !r.child && len(e.replyPool) < 8 {
		e.replyPool = append(e.replyPool, r)
	}
}

// newCallReply returns a root reply for raw, reusing a freed one.
func (ctx *Ctx) newCallReply(proto int, raw []byte, pooled bool) *CallReply {
	e := ctx.eng
	var r *CallReply
	if n := len(e.replyPool); n > 0 {
		r = e.replyPool[n-1]
		e.replyPool = e.replyPool[:n-1]
	} else {
		r = &CallReply{}
	}
	r.ctx, r.proto, r.raw, r.pooled = ctx, proto, raw, pooled
	return r
}

// TakeCallBuf returns an empty buffer for the reply of a command run by
// Call (the host's temporary client writes into it); the reply gives it
// back when it is freed.
func (e *Engine) TakeCallBuf() []byte {
	if n := len(e.callBufs); n > 0 {
		b := e.callBufs[n-1]
		e.callBufs = e.callBufs[:n-1]
		return b[:0]
	}
	return make([]byte, 0, 256)
}

func (e *Engine) putCallBuf(b []byte) {
	if cap(b) > 0 && cap(b) <= 64<<10 && len(e.callBufs) < 8 {
		e.callBufs = append(e.callBufs, b[:0])
	}
}

// countErrors accounts error replies copied to the client (only an error
// reply starts with '-': no need to parse anything else).
func (r *CallReply) countErrors(ctx *Ctx) {
	if len(r.raw) > 0 && r.raw[0] == '-' && CallReplyType(r) == ReplyError {
		ctx.noteError(string(r.str))
	}
}

// callOptions are the RM_Call flag characters.
type callOptions struct {
	replicate    bool // !
	noAOF, noRep bool // A, R
	proto        int  // 2, 3, or 0 for the caller's
	checkACL     bool // C
	flags        CallFlags
	errorReplies bool // E
}

func parseCallOptions(opts string) (callOptions, bool) {
	o := callOptions{proto: 2}
	for i := 0; i < len(opts); i++ {
		switch opts[i] {
		case '!':
			o.replicate = true
		case 'A':
			o.noAOF = true
		case 'R':
			o.noRep = true
		case '3':
			o.proto = 3
		case '0':
			o.proto = 0
		case 'C':
			o.checkACL = true
		case 'S':
			o.flags.ScriptMode = true
		case 'W':
			o.flags.NoWrites = true
		case 'M':
			o.flags.RespectOOM = true
		case 'E':
			o.errorReplies = true
		default:
			return o, false
		}
	}
	return o, true
}

// Call is RedisModule_Call once the arguments are formatted: cmd is the
// command name, argv its arguments, opts the flag characters of the
// format ("!", "A", "R", "3", "0", "C", "S", "W", "M", "E"). It returns
// the reply, or nil and an errno when the command could not run (with
// "E", an error reply instead of nil). Errors raised by the command itself
// are ordinary error replies.
func (ctx *Ctx) Call(cmd string, argv [][]byte, opts string) (*CallReply, Errno) {
	o, ok := parseCallOptions(opts)
	if !ok {
		return nil, EBADF
	}
	noteWrite() // the command may write
	proto := o.proto
	if proto == 0 {
		proto = 2
		if ctx.client != nil {
			proto = ctx.client.ModProto()
		}
	}
	// The command name and arguments go in buffers the context keeps:
	// the command runs during this call and whatever keeps its arguments
	// (propagation, the slow log, MONITOR) copies them.
	ctx.callCmd = append(ctx.callCmd[:0], cmd...)
	full := append(ctx.callArgv[:0], ctx.callCmd)
	full = append(full, argv...)
	ctx.callArgv = full
	defer clear(full)
	if ctx.eng.HasFilters() {
		if f := ctx.eng.ApplyFilters(full, ctx.module); len(f) > 0 {
			full = f
		}
	}
	if o.replicate && ctx.flags&ctxKeysPosRequest == 0 {
		// The command propagates itself, as executed (a relative expire
		// as an absolute one, ...), in the caller's execution unit.
		o.flags.Propagate = PropagateAOF | PropagateRepl
		if o.noAOF {
			o.flags.Propagate &^= PropagateAOF
		}
		if o.noRep {
			o.flags.Propagate &^= PropagateRepl
		}
	}
	o.flags.CheckACL, o.flags.Caller = o.checkACL, ctx.client
	o.flags.User = ctx.aclCallUser()
	o.flags.ThreadSafe = ctx.flags&ctxThreadSafe != 0
	raw, errno, msg := ctx.eng.host.Call(ctx.dbID(), full, proto, o.flags)
	if errno != 0 {
		return ctx.callError(o, errno, msg)
	}
	r := ctx.newCallReply(proto, raw, true)
	ctx.autoAdd(autoEntry{reply: r})
	return r, 0
}

func (ctx *Ctx) callError(o callOptions, errno Errno, msg string) (*CallReply, Errno) {
	if !o.errorReplies || msg == "" {
		return nil, errno
	}
	r := ctx.newCallReply(2, appendModuleError(nil, msg), false)
	ctx.autoAdd(autoEntry{reply: r})
	return r, errno
}

func copyArgv(argv [][]byte) [][]byte {
	out := make([][]byte, len(argv))
	for i, a := range argv {
		out[i] = append([]byte(nil), a...)
	}
	return out
}

// FormatArgs converts RM_Call-style format and arguments to argv and the
// option characters. Specifiers: c (string), s (*String), b ([]byte), l
// (int64 or int), v ([]*String); the option characters consume no
// argument. ok is false for an unknown character or a mismatched argument
// (Redis: EBADF).
func FormatArgs(format string, args ...any) (argv [][]byte, opts string, ok bool) {
	var ob strings.Builder
	ai := 0
	next := func() (any, bool) {
		if ai >= len(args) {
			return nil, false
		}
		ai++
		return args[ai-1], true
	}
	for i := 0; i < len(format); i++ {
		switch format[i] {
		case 'c':
			a, ok := next()
			s, ok2 := a.(string)
			if !ok || !ok2 {
				return nil, "", false
			}
			argv = append(argv, []byte(s))
		case 's':
			a, ok := next()
			s, ok2 := a.(*String)
			if !ok || !ok2 {
				return nil, "", false
			}
			argv = append(argv, s.Bytes())
		case 'b':
			a, ok := next()
			b, ok2 := a.([]byte)
			if !ok || !ok2 {
				return nil, "", false
			}
			argv = append(argv, b)
		case 'l':
			a, ok := next()
			if !ok {
				return nil, "", false
			}
			switch v := a.(type) {
			case int64:
				argv = append(argv, strconv.AppendInt(nil, v, 10))
			case int:
				argv = append(argv, strconv.AppendInt(nil, int64(v), 10))
			default:
				return nil, "", false
			}
		case 'v':
			a, ok := next()
			vs, ok2 := a.([]*String)
			if !ok || !ok2 {
				return nil, "", false
			}
			for _, s := range vs {
				argv = append(argv, s.Bytes())
			}
		case '!', 'A', 'R', '3', '0', 'C', 'S', 'W', 'M', 'E':
			ob.WriteByte(format[i])
		default:
			return nil, "", false
		}
	}
	return argv, ob.String(), true
}

// Replicate is RedisModule_Replicate once formatted: record cmd argv for
// AOF and replicas (opts may hold 'A' / 'R' to skip one). ERR for an
// unknown command.
func (ctx *Ctx) Replicate(cmd string, argv [][]byte, opts string) int {
	if ctx.eng.host.LookupCommand(cmd) == nil {
		return ERR
	}
	target := PropagateAOF | PropagateRepl
	if strings.IndexByte(opts, 'A') >= 0 {
		target &^= PropagateAOF
	}
	if strings.IndexByte(opts, 'R') >= 0 {
		target &^= PropagateRepl
	}
	full := append([][]byte{[]byte(cmd)}, argv...)
	ctx.replicate(Propagated{Argv: copyArgv(full), Target: target})
	return OK
}

// replicate queues p in the current execution unit (Redis's
// alsoPropagate), except while answering a key-position request.
func (ctx *Ctx) replicate(p Propagated) {
	ctx.propagate = append(ctx.propagate, p)
	if ctx.flags&ctxKeysPosRequest == 0 && p.Target != 0 {
		ctx.eng.host.Propagate(ctx.dbID(), []Propagated{p})
	}
}

// ReplicateVerbatim is RedisModule_ReplicateVerbatim: propagate the
// current command as the client sent it.
func (ctx *Ctx) ReplicateVerbatim() int {
	if ctx.client == nil {
		return ERR
	}
	ctx.replicate(Propagated{Argv: copyArgv(ctx.client.ModArgv()), Target: PropagateAOF | PropagateRepl})
	return OK
}

// Propagated returns what the context has recorded for propagation so far
// (tests).
func (ctx *Ctx) Propagated() []Propagated { return ctx.propagate }
