package resp

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
)

// Value is a parsed reply, used by clients of the protocol: tests, the
// command-table generator, replication later. The server never builds
// Values on its hot path.
type Value struct {
	Type  byte    // the RESP type byte: + - : $ * _ , # ! = ( % ~ | >
	Str   []byte  // simple, error, bulk, verbatim, double, big number text
	Int   int64   // integer, boolean (0/1)
	Null  bool    // $-1, *-1 or _
	Elems []Value // array, set, push; map and attribute as key, value, ...
	Attr  []Value // attribute pairs that preceded this value (RESP3)
}

var errBadReply = errors.New("resp: malformed reply")

// ReadValue reads one complete reply. raw, when not nil, receives the exact
// bytes consumed (for byte-for-byte comparisons).
func ReadValue(r *bufio.Reader, raw *[]byte) (Value, error) {
	line, err := readLine(r, raw)
	if err != nil {
		return Value{}, err
	}
	if len(line) == 0 {
		return Value{}, errBadReply
	}
	v := Value{Type: line[0]}
	body := line[1:]
	switch v.Type {
	case '+', '-', ',', '(':
		v.Str = append([]byte(nil), body...)
	case ':':
		v.Int, err = strconv.ParseInt(string(body), 10, 64)
	case '#':
		v.Int = 0
		if string(body) == "t" {
			v.Int = 1
		}
	case '_':
		v.Null = true
	case '$', '=', '!':
		n, perr := strconv.Atoi(string(body))
		if perr != nil {
			return v, errBadReply
		}
		if n < 0 {
			v.Null = true
			return v, nil
		}
		buf := make([]byte, n+2)
		if _, err = ioReadFull(r, buf); err != nil {
			return v, err
		}
		if raw != nil {
			*raw = append(*raw, buf...)
		}
		v.Str = buf[:n]
	case '*', '~', '>', '%', '|':
		n, perr := strconv.Atoi(string(body))
		if perr != nil {
			return v, errBadReply
		}
		if n < 0 {
			v.Null = true
			return v, nil
		}
		if v.Type == '%' || v.Type == '|' {
			n *= 2
		}
		v.Elems = make([]Value, 0, n)
		for i := 0; i < n; i++ {
			e, err := ReadValue(r, raw)
			if err != nil {
				return v, err
			}
			v.Elems = append(v.Elems, e)
		}
		if v.Type == '|' {
			next, err := ReadValue(r, raw)
			next.Attr = v.Elems
			return next, err
		}
	default:
		return v, fmt.Errorf("resp: unknown reply type %q", v.Type)
	}
	return v, err
}

func ioReadFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func readLine(r *bufio.Reader, raw *[]byte) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		full := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = r.ReadSlice('\n')
			full = append(full, line...)
		}
		line = full
	}
	if err != nil {
		return nil, err
	}
	if raw != nil {
		*raw = append(*raw, line...)
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, errBadReply
	}
	return line[:len(line)-2], nil
}

// String renders v the way redis-cli does, for test failure messages.
func (v Value) String() string {
	switch v.Type {
	case '+', ',', '(':
		return string(v.Str)
	case '-', '!':
		return "(error) " + string(v.Str)
	case ':':
		return "(integer) " + strconv.FormatInt(v.Int, 10)
	case '#':
		return fmt.Sprintf("(boolean) %v", v.Int == 1)
	case '_':
		return "(nil)"
	case '$', '=':
		if v.Null {
			return "(nil)"
		}
		return strconv.Quote(string(v.Str))
	default:
		if v.Null {
			return "(nil)"
		}
		s := "["
		for i, e := range v.Elems {
			if i > 0 {
				s += " "
			}
			s += e.String()
		}
		return s + "]"
	}
}

// AppendCommand encodes argv as a RESP multibulk request.
func AppendCommand(dst []byte, argv ...string) []byte {
	dst = AppendArrayLen(dst, len(argv))
	for _, a := range argv {
		dst = AppendBulkString(dst, a)
	}
	return dst
}
