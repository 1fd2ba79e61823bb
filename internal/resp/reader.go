package resp

import (
	"bytes"
)

// Limits that Redis hard-codes in networking.c; proto-max-bulk-len is the
// only one that is configurable and is passed in through Parser.MaxBulk.
const (
	InlineMax          = 64 * 1024         // longest inline request or count line
	MultibulkMax       = 1<<31 - 1         // largest multibulk count (INT_MAX)
	UnauthMultibulkMax = 10                // multibulk count before AUTH
	UnauthBulkMax      = 16384             // bulk length before AUTH
	DefaultMaxBulk     = 512 * 1024 * 1024 // proto-max-bulk-len default
	bigArg             = 32 * 1024         // bulks this big get a buffer of their own size
)

// ProtocolError is a malformed request. The server replies with
// "-ERR Protocol error: <Msg>" and closes the connection, as Redis does.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// The protocol errors, with Redis 7.0's texts (networking.c).
var (
	errTooBigMbulk    = &ProtocolError{"too big mbulk count string"}
	errInvalidMbulk   = &ProtocolError{"invalid multibulk length"}
	errUnauthMbulk    = &ProtocolError{"unauthenticated multibulk length"}
	errTooBigBulk     = &ProtocolError{"too big bulk count string"}
	errInvalidBulk    = &ProtocolError{"invalid bulk length"}
	errUnauthBulk     = &ProtocolError{"unauthenticated bulk length"}
	errTooBigInline   = &ProtocolError{"too big inline request"}
	errUnbalancedQuot = &ProtocolError{"unbalanced quotes in request"}
)

// Parser turns a stream of request bytes into commands. It is incremental:
// bytes arrive through Buffer/Commit (or Feed), Next returns one complete
// command at a time. A partially received multibulk command keeps its
// progress, so a command with very many arguments is not re-parsed on every
// read.
//
// Arguments are sub-slices of the internal buffer. Commands returned by
// successive Next calls stay valid together (a pipelined batch can be
// parsed first and executed afterwards) until the next call to Buffer,
// Feed or Compact. Parsing a batch allocates nothing once the buffers have
// grown to the connection's working size.
type Parser struct {
	MaxBulk       int64 // proto-max-bulk-len
	Authenticated bool  // lifts the unauthenticated size limits

	buf []byte // buf[pos:] is unparsed input
	pos int

	// slab holds the argv of every command returned since the last
	// Buffer/Feed/Compact; each argv is a capped sub-slice of it.
	slab [][]byte

	// State of a multibulk command being parsed.
	start   int   // offset of the command's first byte
	want    int   // number of arguments announced, 0 when idle
	argOffs []int // start offsets of args (rebuilt into argv on completion)
	argLens []int
	bulkLen int // length of the bulk being waited for, -1 when none
}

// NewParser returns a parser with Redis's default limits.
func NewParser() *Parser {
	return &Parser{MaxBulk: DefaultMaxBulk, bulkLen: -1}
}

// Feed appends newly read bytes. Arguments returned earlier become invalid.
func (p *Parser) Feed(b []byte) {
	p.slab = p.slab[:0]
	p.buf = append(p.buf, b...)
}

// Buffer returns spare capacity at the end of the input buffer, growing it to
// at least n bytes, so the caller can read from the socket without an extra
// copy. Call Commit with the number of bytes actually read. Arguments
// returned earlier become invalid.
func (p *Parser) Buffer(n int) []byte {
	p.slab = p.slab[:0]
	if cap(p.buf)-len(p.buf) < n {
		p.grow(n)
	}
	return p.buf[len(p.buf):cap(p.buf)]
}

// Commit marks n bytes of the slice returned by Buffer as read.
func (p *Parser) Commit(n int) { p.buf = p.buf[:len(p.buf)+n] }

// grow makes room for n more bytes, compacting in place first: only valid
// when no returned arguments are outstanding.
func (p *Parser) grow(n int) {
	p.Compact()
	if cap(p.buf)-len(p.buf) >= n {
		return
	}
	p.relocate(n)
}

// relocate moves the unconsumed input to a new, larger buffer. The old one
// is left untouched, so arguments already returned stay valid.
func (p *Parser) relocate(n int) {
	keep := p.keepFrom()
	live := len(p.buf) - keep
	size := 2 * cap(p.buf)
	if size < live+n {
		size = live + n
	}
	nb := make([]byte, live, size)
	copy(nb, p.buf[keep:])
	p.rebase(keep)
	p.buf = nb
}

// rebase shifts the parse state after the first keep bytes were dropped.
func (p *Parser) rebase(keep int) {
	p.pos -= keep
	if p.want > 0 {
		for i := range p.argOffs {
			p.argOffs[i] -= keep
		}
		p.start -= keep
	}
}

// Peek returns up to n of the buffered bytes (for log messages).
func (p *Parser) Peek(n int) []byte {
	b := p.buf[p.keepFrom():]
	if len(b) > n {
		b = b[:n]
	}
	return b
}

func (p *Parser) keepFrom() int {
	if p.want > 0 {
		return p.start
	}
	return p.pos
}

// Compact discards bytes of commands already returned by Next. Arguments
// returned earlier become invalid.
func (p *Parser) Compact() {
	p.slab = p.slab[:0]
	keep := p.keepFrom()
	if keep == 0 {
		return
	}
	n := copy(p.buf, p.buf[keep:])
	p.buf = p.buf[:n]
	p.rebase(keep)
}

// Buffered is the number of unparsed bytes held (the query buffer length).
func (p *Parser) Buffered() int { return len(p.buf) - p.keepFrom() }

// Pending reports whether a command has been started but not completed.
func (p *Parser) Pending() bool { return p.want > 0 || p.pos < len(p.buf) }

// lineEnd finds c in buf[from:] the way Redis's strchr over its
// NUL-terminated query buffer does: a NUL byte before c hides it. It
// returns the index relative to from, or -1.
func lineEnd(buf []byte, from int, c byte) int {
	i := bytes.IndexByte(buf[from:], c)
	if i < 0 {
		return -1
	}
	if bytes.IndexByte(buf[from:from+i], 0) >= 0 {
		return -1
	}
	return i
}

// Next returns the next complete command. ok is false when more input is
// needed. An empty argv with ok true is an empty inline line or a "*0"
// (or negative) multibulk, which Redis silently ignores; callers skip it.
// After an error the parser must not be used again: Redis closes the
// connection.
func (p *Parser) Next() (argv [][]byte, ok bool, err error) {
	if p.want == 0 {
		if p.pos >= len(p.buf) {
			return nil, false, nil
		}
		if p.buf[p.pos] != '*' {
			return p.parseInline()
		}
		// Multibulk header: up to '\r', which must be followed by one
		// more byte (Redis skips it without looking).
		cr := lineEnd(p.buf, p.pos, '\r')
		if cr < 0 {
			if len(p.buf)-p.pos > InlineMax {
				return nil, false, errTooBigMbulk
			}
			return nil, false, nil
		}
		if cr > InlineMax {
			return nil, false, errTooBigMbulk
		}
		if p.pos+cr+2 > len(p.buf) {
			return nil, false, nil
		}
		n, perr := parseInt(p.buf[p.pos+1 : p.pos+cr])
		if perr || n > MultibulkMax {
			return nil, false, errInvalidMbulk
		}
		if !p.Authenticated && n > UnauthMultibulkMax {
			return nil, false, errUnauthMbulk
		}
		p.start = p.pos
		p.pos += cr + 2
		if n <= 0 {
			return [][]byte{}, true, nil
		}
		p.want = int(n)
		p.argOffs = p.argOffs[:0]
		p.argLens = p.argLens[:0]
		p.bulkLen = -1
	}
	for len(p.argOffs) < p.want {
		if p.bulkLen < 0 {
			if p.pos >= len(p.buf) {
				return nil, false, nil
			}
			cr := lineEnd(p.buf, p.pos, '\r')
			if cr < 0 {
				if len(p.buf)-p.pos > InlineMax {
					return nil, false, errTooBigBulk
				}
				return nil, false, nil
			}
			if cr > InlineMax {
				return nil, false, errTooBigBulk
			}
			if p.pos+cr+2 > len(p.buf) {
				return nil, false, nil
			}
			if c := p.buf[p.pos]; c != '$' {
				return nil, false, &ProtocolError{"expected '$', got '" + string([]byte{c}) + "'"}
			}
			n, perr := parseInt(p.buf[p.pos+1 : p.pos+cr])
			if perr || n < 0 || n > p.MaxBulk {
				return nil, false, errInvalidBulk
			}
			if !p.Authenticated && n > UnauthBulkMax {
				return nil, false, errUnauthBulk
			}
			p.pos += cr + 2
			p.bulkLen = int(n)
		}
		if len(p.buf)-p.pos < p.bulkLen+2 {
			// Make sure a big bulk can arrive in one buffer, without
			// moving the arguments of commands already returned.
			if need := p.bulkLen + 2 - (len(p.buf) - p.pos); cap(p.buf)-len(p.buf) < need && p.bulkLen >= bigArg {
				if len(p.slab) == 0 {
					p.grow(need)
				} else {
					p.relocate(need)
				}
			}
			return nil, false, nil
		}
		p.argOffs = append(p.argOffs, p.pos)
		p.argLens = append(p.argLens, p.bulkLen)
		p.pos += p.bulkLen + 2 // Redis does not check the trailing CRLF
		p.bulkLen = -1
	}
	base := len(p.slab)
	for i, off := range p.argOffs {
		end := off + p.argLens[i]
		p.slab = append(p.slab, p.buf[off:end:end])
	}
	p.want = 0
	return p.slab[base:len(p.slab):len(p.slab)], true, nil
}

func (p *Parser) parseInline() ([][]byte, bool, error) {
	nl := lineEnd(p.buf, p.pos, '\n')
	if nl < 0 {
		if len(p.buf)-p.pos > InlineMax {
			return nil, false, errTooBigInline
		}
		return nil, false, nil
	}
	if nl > InlineMax {
		return nil, false, errTooBigInline
	}
	line := p.buf[p.pos : p.pos+nl]
	if nl > 0 && line[nl-1] == '\r' {
		line = line[:nl-1]
	}
	p.pos += nl + 1
	// Unescaping only ever shrinks the text, so it is done in place in the
	// consumed part of the buffer: no allocation per argument.
	base := len(p.slab)
	slab, ok := splitArgsInPlace(line, p.slab)
	if !ok {
		return nil, false, errUnbalancedQuot
	}
	p.slab = slab
	return p.slab[base:len(p.slab):len(p.slab)], true, nil
}

// parseInt parses a protocol count the way Redis's string2ll does: an
// optional '-', then digits without leading zeros ("0" alone is fine); no
// '+', spaces or "-0". It reports true on error, including overflow.
func parseInt(b []byte) (int64, bool) {
	n := len(b)
	if n == 0 || n > 20 {
		return 0, true
	}
	if n == 1 && b[0] == '0' {
		return 0, false
	}
	i, neg := 0, false
	if b[0] == '-' {
		neg, i = true, 1
		if n == 1 {
			return 0, true
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, true
	}
	var v uint64
	for ; i < n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, true
		}
		if v > (1<<64-1-9)/10 {
			return 0, true
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, true
		}
		return -int64(v), false
	}
	if v > 1<<63-1 {
		return 0, true
	}
	return int64(v), false
}

// SplitArgs splits an inline command line like Redis's sdssplitargs:
// whitespace separates arguments, "double quotes" understand \n \r \t \b \a
// \xHH and \<any> escapes, 'single quotes' only \'. A closing quote must be
// followed by whitespace or the end of the line. ok is false on unbalanced
// quotes. A NUL byte ends the line, as it ends the C string. line is not
// modified; the arguments are appended to dst and share one new backing
// array (each capped at its own length).
func SplitArgs(line []byte, dst [][]byte) (args [][]byte, ok bool) {
	return splitArgsInPlace(append([]byte(nil), line...), dst)
}

// splitArgsInPlace is SplitArgs writing the unescaped arguments over line
// itself, which is safe because an argument's text never grows while it is
// unescaped.
func splitArgsInPlace(line []byte, dst [][]byte) ([][]byte, bool) {
	if z := bytes.IndexByte(line, 0); z >= 0 {
		line = line[:z]
	}
	i, n := 0, len(line)
	for {
		for i < n && isSpace(line[i]) {
			i++
		}
		if i >= n {
			return dst, true
		}
		w := i // write position: the argument is line[start:w]
		start := w
		inq, insq := false, false
	arg:
		for {
			switch {
			case inq:
				if i >= n {
					return dst, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < n && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					line[w] = hexVal(line[i+2])*16 + hexVal(line[i+3])
					w++
					i += 3
				case c == '\\' && i+1 < n:
					i++
					line[w] = unescape(line[i])
					w++
				case c == '"':
					if i+1 < n && !isSpace(line[i+1]) {
						return dst, false
					}
					i++
					break arg
				default:
					line[w] = c
					w++
				}
			case insq:
				if i >= n {
					return dst, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < n && line[i+1] == '\'':
					i++
					line[w] = '\''
					w++
				case c == '\'':
					if i+1 < n && !isSpace(line[i+1]) {
						return dst, false
					}
					i++
					break arg
				default:
					line[w] = c
					w++
				}
			default:
				if i >= n {
					break arg
				}
				// Only these end an unquoted argument; \v and \f are
				// skipped between arguments but kept inside one.
				switch c := line[i]; c {
				case ' ', '\n', '\r', '\t':
					break arg
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					line[w] = c
					w++
				}
			}
			i++
		}
		dst = append(dst, line[start:w:w])
	}
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
