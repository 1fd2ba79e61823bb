package scripting

import (
	"errors"
	"strconv"
)

// A small RESP reader: redis.call hands the script the reply the command
// wrote, parsed into Lua values (Redis converts its reply buffer the same
// way).

type respKind byte

// respValue is one parsed reply.
type respValue struct {
	kind  byte // the RESP type byte: + - : $ * % ~ _ # , ( = |
	str   []byte
	num   int64
	null  bool // $-1 or *-1
	elems []respValue
}

var errShortReply = errors.New("short reply")

// parseReply parses one value from b and returns it with the bytes used.
func parseReply(b []byte) (respValue, int, error) {
	if len(b) < 3 {
		return respValue{}, 0, errShortReply
	}
	end := indexCRLF(b)
	if end < 0 {
		return respValue{}, 0, errShortReply
	}
	t := b[0]
	line := b[1:end]
	used := end + 2
	v := respValue{kind: t}
	switch t {
	case '+', '-', ',', '(':
		v.str = line
		return v, used, nil
	case ':':
		n, err := strconv.ParseInt(string(line), 10, 64)
		v.num = n
		return v, used, err
	case '_':
		v.null = true
		return v, used, nil
	case '#':
		v.num = 0
		if len(line) == 1 && line[0] == 't' {
			v.num = 1
		}
		return v, used, nil
	case '$', '=':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return v, 0, err
		}
		if n < 0 {
			v.null = true
			return v, used, nil
		}
		if len(b) < used+n+2 {
			return v, 0, errShortReply
		}
		v.str = b[used : used+n]
		return v, used + n + 2, nil
	case '*', '%', '~', '|', '>':
		n, err := strconv.Atoi(string(line))
		if err != nil {
			return v, 0, err
		}
		if n < 0 {
			v.null = true
			return v, used, nil
		}
		if t == '%' || t == '|' {
			n *= 2
		}
		v.elems = make([]respValue, 0, n)
		for i := 0; i < n; i++ {
			e, k, err := parseReply(b[used:])
			if err != nil {
				return v, 0, err
			}
			used += k
			v.elems = append(v.elems, e)
		}
		return v, used, nil
	}
	return v, 0, errors.New("bad reply type")
}

func indexCRLF(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return i
		}
	}
	return -1
}
