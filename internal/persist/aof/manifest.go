// Package aof holds the file formats of Redis 7.0's multi-part append-only
// file: the manifest that lists the base, incr and history files of an
// appenddirname directory, the command stream of the .aof files, and the
// commands that rebuild a key in an AOF base written without an RDB
// preamble. The server side (writing, fsync, rewrite, loading) lives in
// internal/server/aof*.go.
package aof

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/modis/modis/internal/repr"
)

// File types of the manifest's "type" field.
const (
	TypeBase    = 'b'
	TypeHistory = 'h'
	TypeIncr    = 'i'
)

// Name parts, as Redis builds them.
const (
	baseSuffix     = ".base"
	incrSuffix     = ".incr"
	rdbSuffix      = ".rdb"
	aofSuffix      = ".aof"
	manifestSuffix = ".manifest"
	tempPrefix     = "temp-"
)

// maxManifestLine is the longest manifest line Redis reads (a line that
// does not fit, or the last line without a newline, is refused).
const maxManifestLine = 1024

// Info is one file of the manifest.
type Info struct {
	Name string
	Seq  int64
	Type byte
}

// Manifest is the list of files making up the AOF.
type Manifest struct {
	Base    *Info
	Incrs   []Info // in sequence order; the last is the one being written
	History []Info
	BaseSeq int64 // highest base sequence used
	IncrSeq int64 // highest incr sequence used
	Dirty   bool  // changed since last written
}

// ManifestName is the manifest's file name for appendfilename.
func ManifestName(appendFilename string) string { return appendFilename + manifestSuffix }

// TempManifestName is the temporary name the manifest is written under
// before its atomic rename.
func TempManifestName(appendFilename string) string {
	return tempPrefix + appendFilename + manifestSuffix
}

// TempIncrName is the incr file that collects writes while AOF is being
// switched on (before its first base exists).
func TempIncrName(appendFilename string) string {
	return tempPrefix + appendFilename + incrSuffix
}

// Clone returns a deep copy, to be modified and swapped in once written.
func (m *Manifest) Clone() *Manifest {
	c := &Manifest{BaseSeq: m.BaseSeq, IncrSeq: m.IncrSeq, Dirty: m.Dirty}
	if m.Base != nil {
		b := *m.Base
		c.Base = &b
	}
	c.Incrs = append([]Info(nil), m.Incrs...)
	c.History = append([]Info(nil), m.History...)
	return c
}

// NewBase names the next base file (<appendfilename>.<seq>.base.rdb, or
// .aof without the RDB preamble); the current base becomes history.
func (m *Manifest) NewBase(appendFilename string, rdbPreamble bool) string {
	if m.Base != nil {
		h := *m.Base
		h.Type = TypeHistory
		m.History = append([]Info{h}, m.History...)
	}
	suffix := aofSuffix
	if rdbPreamble {
		suffix = rdbSuffix
	}
	m.BaseSeq++
	name := appendFilename + "." + strconv.FormatInt(m.BaseSeq, 10) + baseSuffix + suffix
	m.Base = &Info{Name: name, Seq: m.BaseSeq, Type: TypeBase}
	m.Dirty = true
	return name
}

// NewIncr names the next incr file and appends it to the list.
func (m *Manifest) NewIncr(appendFilename string) string {
	m.IncrSeq++
	name := appendFilename + "." + strconv.FormatInt(m.IncrSeq, 10) + incrSuffix + aofSuffix
	m.Incrs = append(m.Incrs, Info{Name: name, Seq: m.IncrSeq, Type: TypeIncr})
	m.Dirty = true
	return name
}

// LastIncr is the incr file to append to, created when there is none.
func (m *Manifest) LastIncr(appendFilename string) string {
	if len(m.Incrs) == 0 {
		return m.NewIncr(appendFilename)
	}
	return m.Incrs[len(m.Incrs)-1].Name
}

// MarkIncrsHistory turns the incr files a rewrite made obsolete into
// history: all of them, or all but the last when keepLast (the file being
// written, opened when the rewrite started).
func (m *Manifest) MarkIncrsHistory(keepLast bool) {
	n := len(m.Incrs)
	if keepLast {
		n--
	}
	if n <= 0 {
		return
	}
	// Newest first at the head of the history list, as Redis orders it.
	for i := n - 1; i >= 0; i-- {
		h := m.Incrs[i]
		h.Type = TypeHistory
		m.History = append([]Info{h}, m.History...)
	}
	m.Incrs = append([]Info(nil), m.Incrs[n:]...)
	m.Dirty = true
}

// Files returns the base (if any) and the incr files, in loading order.
func (m *Manifest) Files() []Info {
	var out []Info
	if m.Base != nil {
		out = append(out, *m.Base)
	}
	return append(out, m.Incrs...)
}

// String is the manifest file's content: base, history, then incr lines.
func (m *Manifest) String() string {
	var b strings.Builder
	line := func(i Info) {
		b.WriteString("file ")
		if needsRepr(i.Name) {
			b.WriteString(repr.String(i.Name))
		} else {
			b.WriteString(i.Name)
		}
		b.WriteString(" seq ")
		b.WriteString(strconv.FormatInt(i.Seq, 10))
		b.WriteString(" type ")
		b.WriteByte(i.Type)
		b.WriteByte('\n')
	}
	if m.Base != nil {
		line(*m.Base)
	}
	for _, i := range m.History {
		line(i)
	}
	for _, i := range m.Incrs {
		line(i)
	}
	return b.String()
}

// ManifestError is a manifest Redis would refuse, with its message and,
// when a line is at fault, that line (trimmed) and its number.
type ManifestError struct {
	Msg     string
	Line    string
	LineNum int
	HasLine bool
}

func (e *ManifestError) Error() string { return e.Msg }

// ParseManifest reads a manifest as Redis 7.0 does, refusing what it
// refuses with the same messages.
func ParseManifest(data []byte) (*Manifest, error) {
	m := &Manifest{}
	var maxSeq int64
	lineNum := 0
	rest := data
	for {
		if len(rest) == 0 {
			if lineNum == 0 {
				return nil, &ManifestError{Msg: "Found an empty AOF manifest"}
			}
			return m, nil
		}
		// fgets of at most maxManifestLine bytes.
		n := len(rest)
		if n > maxManifestLine {
			n = maxManifestLine
		}
		chunk := rest[:n]
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			chunk = chunk[:i+1]
		}
		rest = rest[len(chunk):]
		lineNum++
		if chunk[0] == '#' {
			continue
		}
		if bytes.IndexByte(chunk, '\n') < 0 {
			return nil, &ManifestError{Msg: "The AOF manifest file contains too long line"}
		}
		// A C string stops at a NUL.
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			chunk = chunk[:i]
		}
		line := strings.Trim(string(chunk), " \t\r\n")
		lerr := func(msg string) error {
			return &ManifestError{Msg: msg, Line: line, LineNum: lineNum, HasLine: true}
		}
		if line == "" {
			return nil, lerr("Invalid AOF manifest file format")
		}
		argv, ok := SplitArgs(line)
		if !ok || len(argv) < 6 || len(argv)%2 != 0 {
			return nil, lerr("Invalid AOF manifest file format")
		}
		var info Info
		for i := 0; i < len(argv); i += 2 {
			switch strings.ToLower(argv[i]) {
			case "file":
				info.Name = argv[i+1]
				if strings.ContainsAny(info.Name, "/\\") {
					return nil, lerr("File can't be a path, just a filename")
				}
			case "seq":
				info.Seq = atoll(argv[i+1])
			case "type":
				if argv[i+1] != "" {
					info.Type = argv[i+1][0]
				} else {
					info.Type = 0
				}
			}
		}
		if info.Name == "" || info.Seq == 0 || info.Type == 0 {
			return nil, lerr("Invalid AOF manifest file format")
		}
		switch info.Type {
		case TypeBase:
			if m.Base != nil {
				return nil, lerr("Found duplicate base file information")
			}
			b := info
			m.Base = &b
			m.BaseSeq = info.Seq
		case TypeHistory:
			m.History = append(m.History, info)
		case TypeIncr:
			if info.Seq <= maxSeq {
				return nil, lerr("Found a non-monotonic sequence number")
			}
			m.Incrs = append(m.Incrs, info)
			m.IncrSeq = info.Seq
			maxSeq = info.Seq
		default:
			return nil, lerr("Unknown AOF file type")
		}
	}
}

// atoll is C's atoll: optional blanks and sign, then digits; anything
// else ends the number (0 when there is none).
func atoll(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var n int64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int64(s[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// ErrUnbalanced is SplitArgs's failure: unbalanced quotes, or a closing
// quote not followed by a space.
var ErrUnbalanced = errors.New("unbalanced quotes")

// SplitArgs splits a line into arguments the way Redis's configuration
// and manifest reader does: blanks separate arguments; "double quotes"
// allow \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' allow \'.
// ok is false on unbalanced quotes.
func SplitArgs(line string) (args []string, ok bool) {
	i := 0
	args = []string{}
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		var cur []byte
		inDQ, inSQ, done := false, false, false
		for !done {
			if inDQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					cur = append(cur, hexVal(line[i+2])<<4|hexVal(line[i+3]))
					i += 3
				case c == '\\' && i+1 < len(line):
					i++
					switch line[i] {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, line[i])
					}
				case c == '"':
					// The closing quote must be followed by a space or the end.
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					done = true
				default:
					cur = append(cur, c)
				}
			} else if inSQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
					i++
					cur = append(cur, '\'')
				case c == '\'':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					done = true
				default:
					cur = append(cur, c)
				}
			} else {
				if i >= len(line) {
					break
				}
				switch c := line[i]; c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inDQ = true
				case '\'':
					inSQ = true
				default:
					cur = append(cur, c)
				}
			}
			if i < len(line) {
				i++
			}
		}
		args = append(args, string(cur))
	}
}

func isSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

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

// needsRepr reports whether a file name must be written quoted (Redis's
// sdsneedsrepr, plus the single quote, which Redis leaves bare and then
// cannot read back).
func needsRepr(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' || c == '"' || c == '\'' || c == '\n' || c == '\r' || c == '\t' || c == '\a' || c == '\b' ||
			c < 0x20 || c >= 0x7f || isSpace(c) {
			return true
		}
	}
	return false
}
