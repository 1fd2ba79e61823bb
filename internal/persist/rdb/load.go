package rdb

import (
	"encoding/binary"
	"github.com/modis/modis/internal/keyspace"
	"io"
)

// Load reads a whole RDB file from r and hands its content to sink. It
// checks the signature and version, every record, and the footer checksum
// (unless opts.IgnoreChecksum or the file was written without one). The
// error says what is wrong: ErrShortRead for input ending early,
// *CorruptError for bad content, *ChecksumError, *VersionError,
// ErrSignature, or an error returned by sink.
func Load(r io.Reader, opts *LoadOptions, sink Sink) error {
	rd := newReader(r)
	var hdr [9]byte
	if err := rd.full(hdr[:]); err != nil {
		return err
	}
	if string(hdr[:5]) != "REDIS" {
		return ErrSignature
	}
	ver := 0
	for _, c := range hdr[5:] {
		if c < '0' || c > '9' {
			return &VersionError{Version: ver}
		}
		ver = ver*10 + int(c-'0')
	}
	if ver < 1 || ver > Version {
		return &VersionError{Version: ver}
	}
	l := newLoader(rd, opts)
	db := 0
	info := KeyInfo{ExpireMs: -1, Idle: -1, Freq: -1}
	for {
		t, err := rd.byte()
		if err != nil {
			return err
		}
		switch t {
		case OpExpireTime:
			var b [4]byte
			if err := rd.full(b[:]); err != nil {
				return err
			}
			info.ExpireMs = int64(binary.LittleEndian.Uint32(b[:])) * 1000
			continue
		case OpExpireTimeMs:
			v, err := rd.u64le()
			if err != nil {
				return err
			}
			info.ExpireMs = int64(v)
			continue
		case OpFreq:
			f, err := rd.byte()
			if err != nil {
				return err
			}
			info.Freq = int(f)
			continue
		case OpIdle:
			v, err := rd.length()
			if err != nil {
				return err
			}
			info.Idle = int64(min(v, 1<<62))
			continue
		case OpEOF:
			return l.footer(ver)
		case OpSelectDB:
			v, err := rd.length()
			if err != nil {
				return err
			}
			if v > 1<<31 {
				return rd.corrupt("Invalid database number %d", v)
			}
			db = int(v)
			if err := sink.SelectDB(db); err != nil {
				return err
			}
			continue
		case OpResizeDB:
			keys, err := rd.length()
			if err != nil {
				return err
			}
			expires, err := rd.length()
			if err != nil {
				return err
			}
			if err := sink.ResizeDB(keys, expires); err != nil {
				return err
			}
			continue
		case OpAux:
			k, err := rd.str()
			if err != nil {
				return err
			}
			v, err := rd.str()
			if err != nil {
				return err
			}
			if err := sink.Aux(k, v); err != nil {
				return err
			}
			continue
		case OpModuleAux:
			id, err := rd.length()
			if err != nil {
				return err
			}
			whenOp, err := rd.length()
			if err != nil {
				return err
			}
			if whenOp != ModOpUInt {
				return rd.corrupt("bad when_opcode")
			}
			when, err := rd.length()
			if err != nil {
				return err
			}
			payload, err := l.modulePayload(id)
			if err != nil {
				return err
			}
			if err := sink.ModuleAux(id, int(when), payload); err != nil {
				return err
			}
			continue
		case OpFunction:
			// The format of Redis 7.0's release candidates: name,
			// engine, optional description and code, turned into
			// the code with its shebang line as 7.0 does.
			code, err := rd.preReleaseFunction()
			if err != nil {
				return err
			}
			if err := sink.Function(code); err != nil {
				return err
			}
			continue
		case OpFunction2:
			code, err := rd.str()
			if err != nil {
				return err
			}
			if err := sink.Function(code); err != nil {
				return err
			}
			continue
		}
		if !IsObjectType(t) {
			return rd.corrupt("Unknown RDB encoding type %d", t)
		}
		key, err := rd.str()
		if err != nil {
			return err
		}
		o, err := l.value(t, key, db)
		if err == errEmptyKey {
			info = KeyInfo{ExpireMs: -1, Idle: -1, Freq: -1}
			continue
		}
		if err != nil {
			return err
		}
		if err := sink.Key(db, key, o, info); err != nil {
			return err
		}
		info = KeyInfo{ExpireMs: -1, Idle: -1, Freq: -1}
	}
}

// footer reads and checks the checksum after the EOF opcode (files of
// version 5 and later).
func (l *loader) footer(ver int) error {
	if ver < 5 {
		return nil
	}
	expected := l.r.crc
	l.r.sum = false
	got, err := l.r.u64le()
	if err != nil {
		return err
	}
	if got != 0 && !l.opts.IgnoreChecksum && got != expected {
		return &ChecksumError{Expected: expected, Got: got}
	}
	return nil
}

// VerifyPayload checks a DUMP payload's footer: an RDB version this server
// reads and, unless skipChecksum, the CRC-64 of everything before it.
func VerifyPayload(p []byte, skipChecksum bool) bool {
	if len(p) < 10 {
		return false
	}
	footer := p[len(p)-10:]
	if int(binary.LittleEndian.Uint16(footer)) > Version {
		return false
	}
	if skipChecksum {
		return true
	}
	return CRC64(0, p[:len(p)-8]) == binary.LittleEndian.Uint64(footer[2:])
}

// ErrEmptyValue is returned by LoadPayload for a value without elements
// (which files may hold and Load skips, as Redis does).
var ErrEmptyValue = errEmptyKey

// LoadPayload decodes the value of a DUMP payload (checked with
// VerifyPayload) for key in db. Any error means RESTORE's "Bad data
// format".
func LoadPayload(p []byte, key []byte, db int, opts *LoadOptions) (o keyspace.Object, err error) {
	if len(p) < 10 {
		return o, ErrShortRead
	}
	// Like Redis, the value is read from the whole payload: a value
	// running into the footer reads the footer's bytes.
	rd := newBytesReader(p)
	l := newLoader(rd, opts)
	t, err := rd.byte()
	if err != nil {
		return o, err
	}
	if !IsObjectType(t) {
		return o, rd.corrupt("Unknown RDB encoding type %d", t)
	}
	return l.value(t, key, db)
}

// preReleaseFunction reads a function library in the RDB_OPCODE_FUNCTION
// format and returns its code as "#!<engine> name=<name>\n<code>".
func (r *reader) preReleaseFunction() ([]byte, error) {
	name, err := r.str()
	if err != nil {
		return nil, err
	}
	engine, err := r.str()
	if err != nil {
		return nil, err
	}
	hasDesc, err := r.length()
	if err != nil {
		return nil, err
	}
	if hasDesc != 0 {
		if _, err := r.str(); err != nil {
			return nil, err
		}
	}
	blob, err := r.str()
	if err != nil {
		return nil, err
	}
	code := append([]byte("#!"), engine...)
	code = append(append(append(code, " name="...), name...), '\n')
	return append(code, blob...), nil
}
