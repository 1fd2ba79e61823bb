package resp

import (
	"bytes"
	"strconv"
)

// Limits that Redis hard-codes in networking.c; proto-max-bulk-len is the
// only one that is configurable and is passed in through Parser.MaxBulk.
const (
	InlineMax            = 64 * 1024         // longest inline request
	MultibulkMax         = 1024 * 1024       // largest multibulk count
	UnauthMultibulkMax   = 10                // multibulk count before AUTH
	UnauthBulkMax        = 16384             // bulk length before AUTH
	DefaultMaxBulk       = 512 * 1024 * 1024 // proto-max-bulk-len default
	maxCountStringLength = 32                // longest "*<n>" / "$<n>" line
)

// ProtocolError is a malformed request. The server replies with
// "-ERR Protocol error: <Msg>" and closes the connection, as Redis does.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// Parser turns a stream of request bytes into commands. It is incremental:
// Feed appends what was read from the socket, Next returns one complete
// command at a time. A partially received multibulk command keeps its
// progress, so a command with very many arguments is not re-parsed on every
// read. Arguments are sub-slices of the internal buffer and are valid until
// the next call to Feed or Compact.
type Parser struct {
	MaxBulk       int64 // proto-max-bulk-len
	Authenticated bool  // lifts the unauthenticated size limits

	buf []byte // buf[pos:] is unparsed input
	pos int

	// State of a multibulk command being parsed.
	start   int // offset of the command's first byte
	want    int // number of arguments announced, 0 when idle
	args    [][]byte
	argOffs []int // start offsets of args (rebuilt into args on completion)
	argLens []int
	bulkLen int // length of the bulk being waited for, -1 when none
	inline  bool
}

// NewParser returns a parser with Redis's default limits.
func NewParser() *Parser {
	return &Parser{MaxBulk: DefaultMaxBulk, bulkLen: -1}
}

// Feed appends newly read bytes.
func (p *Parser) Feed(b []byte) { p.buf = append(p.buf, b...) }

// Buffer returns spare capacity at the end of the input buffer, growing it to
// at least n bytes, so the caller can read from the socket without an extra
// copy. Call Commit with the number of bytes actually read.
func (p *Parser) Buffer(n int) []byte {
	if cap(p.buf)-len(p.buf) < n {
		p.grow(n)
	}
	return p.buf[len(p.buf):cap(p.buf)]
}

// Commit marks n bytes of the slice returned by Buffer as read.
func (p *Parser) Commit(n int) { p.buf = p.buf[:len(p.buf)+n] }

func (p *Parser) grow(n int) {
	// Drop consumed bytes first: it often makes room without allocating.
	p.Compact()
	if cap(p.buf)-len(p.buf) >= n {
		return
	}
	size := 2 * cap(p.buf)
	if size < len(p.buf)+n {
		size = len(p.buf) + n
	}
	nb := make([]byte, len(p.buf), size)
	copy(nb, p.buf)
	p.buf = nb
}

// Compact discards bytes of commands already returned by Next. Arguments
// returned earlier become invalid.
func (p *Parser) Compact() {
	keep := p.pos
	if p.want > 0 {
		keep = p.start
	}
	if keep == 0 {
		return
	}
	n := copy(p.buf, p.buf[keep:])
	p.buf = p.buf[:n]
	p.pos -= keep
	if p.want > 0 {
		for i := range p.argOffs {
			p.argOffs[i] -= keep
		}
		p.start = 0
	}
}

// Buffered is the number of unparsed bytes held (the query buffer length).
func (p *Parser) Buffered() int { return len(p.buf) - p.start0() }

// Peek returns up to n of the buffered bytes (for log messages).
func (p *Parser) Peek(n int) []byte {
	b := p.buf[p.start0():]
	if len(b) > n {
		b = b[:n]
	}
	return b
}

func (p *Parser) start0() int {
	if p.want > 0 {
		return p.start
	}
	return p.pos
}

// Pending reports whether a command has been started but not completed.
func (p *Parser) Pending() bool { return p.want > 0 || p.pos < len(p.buf) }

// Next returns the next complete command. ok is false when more input is
// needed. An empty argv with ok true is an empty inline line or a "*0"
// multibulk, which Redis silently ignores; callers skip it.
func (p *Parser) Next() (argv [][]byte, ok bool, err error) {
	if p.want == 0 {
		if p.pos >= len(p.buf) {
			return nil, false, nil
		}
		if p.buf[p.pos] != '*' {
			return p.parseInline()
		}
		// Multibulk header.
		nl := bytes.IndexByte(p.buf[p.pos:], '\n')
		if nl < 0 {
			if len(p.buf)-p.pos > InlineMax {
				return nil, false, &ProtocolError{"too big mbulk count string"}
			}
			return nil, false, nil
		}
		line := p.buf[p.pos+1 : p.pos+nl]
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if nl > InlineMax {
			return nil, false, &ProtocolError{"too big mbulk count string"}
		}
		n, perr := parseInt(line)
		if perr || n > MultibulkMax {
			return nil, false, &ProtocolError{"invalid multibulk length"}
		}
		if !p.Authenticated && n > UnauthMultibulkMax {
			return nil, false, &ProtocolError{"unauthenticated multibulk length"}
		}
		p.start = p.pos
		p.pos += nl + 1
		if n <= 0 {
			return p.args[:0], true, nil
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
			nl := bytes.IndexByte(p.buf[p.pos:], '\n')
			if nl < 0 {
				if len(p.buf)-p.pos > InlineMax {
					return nil, false, &ProtocolError{"too big bulk count string"}
				}
				return nil, false, nil
			}
			if nl > InlineMax {
				return nil, false, &ProtocolError{"too big bulk count string"}
			}
			if p.buf[p.pos] != '$' {
				return nil, false, &ProtocolError{"expected '$', got '" + string(p.buf[p.pos]) + "'"}
			}
			line := bytes.TrimSuffix(p.buf[p.pos+1:p.pos+nl], []byte{'\r'})
			n, perr := parseInt(line)
			if perr || n < 0 || (n > p.MaxBulk) {
				return nil, false, &ProtocolError{"invalid bulk length"}
			}
			if !p.Authenticated && n > UnauthBulkMax {
				return nil, false, &ProtocolError{"unauthenticated bulk length"}
			}
			p.pos += nl + 1
			p.bulkLen = int(n)
		}
		if len(p.buf)-p.pos < p.bulkLen+2 {
			// Make sure a big bulk can arrive in one buffer.
			if need := p.bulkLen + 2 - (len(p.buf) - p.pos); cap(p.buf)-len(p.buf) < need && p.bulkLen > 32*1024 {
				p.grow(need)
			}
			return nil, false, nil
		}
		p.argOffs = append(p.argOffs, p.pos)
		p.argLens = append(p.argLens, p.bulkLen)
		p.pos += p.bulkLen + 2 // Redis does not check the trailing CRLF
		p.bulkLen = -1
	}
	p.args = p.args[:0]
	for i, off := range p.argOffs {
		p.args = append(p.args, p.buf[off:off+p.argLens[i]:off+p.argLens[i]])
	}
	p.want = 0
	return p.args, true, nil
}

func (p *Parser) parseInline() ([][]byte, bool, error) {
	nl := bytes.IndexByte(p.buf[p.pos:], '\n')
	if nl < 0 {
		if len(p.buf)-p.pos > InlineMax {
			return nil, false, &ProtocolError{"too big inline request"}
		}
		return nil, false, nil
	}
	if nl > InlineMax {
		return nil, false, &ProtocolError{"too big inline request"}
	}
	line := p.buf[p.pos : p.pos+nl]
	line = bytes.TrimSuffix(line, []byte{'\r'})
	p.pos += nl + 1
	args, ok := SplitArgs(line, p.args[:0])
	if !ok {
		return nil, false, &ProtocolError{"unbalanced quotes in request"}
	}
	p.args = args
	return args, true, nil
}

// parseInt parses a decimal integer the way Redis's string2ll does for
// protocol counts: optional '-', digits only, no leading '+' or spaces.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, true
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || b[0] == '+' {
		return 0, true
	}
	return n, false
}

// SplitArgs splits an inline command line like Redis's sdssplitargs: spaces
// separate arguments, "double quotes" understand \n \r \t \b \a \\ \" and
// \xHH escapes, 'single quotes' only \'. A closing quote must be followed by
// a space or the end of the line. ok is false on unbalanced quotes.
func SplitArgs(line []byte, dst [][]byte) (args [][]byte, ok bool) {
	i, n := 0, len(line)
	for {
		for i < n && isSpace(line[i]) {
			i++
		}
		if i >= n {
			return dst, true
		}
		cur := []byte{}
		inq, insq := false, false
	arg:
		for {
			switch {
			case inq:
				if i >= n {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < n && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					cur = append(cur, hexVal(line[i+2])*16+hexVal(line[i+3]))
					i += 3
				case c == '\\' && i+1 < n:
					i++
					cur = append(cur, unescape(line[i]))
				case c == '"':
					if i+1 < n && !isSpace(line[i+1]) {
						return nil, false
					}
					i++
					break arg
				default:
					cur = append(cur, c)
				}
			case insq:
				if i >= n {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < n && line[i+1] == '\'':
					i++
					cur = append(cur, '\'')
				case c == '\'':
					if i+1 < n && !isSpace(line[i+1]) {
						return nil, false
					}
					i++
					break arg
				default:
					cur = append(cur, c)
				}
			default:
				if i >= n {
					break arg
				}
				switch c := line[i]; c {
				case ' ', '\n', '\r', '\t', '\v', '\f':
					break arg
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			i++
		}
		dst = append(dst, cur)
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
