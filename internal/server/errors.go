package server

// Error replies shared by many commands, byte for byte as Redis sends them
// (without the leading '-' and trailing CRLF).
const (
	errSyntax        = "ERR syntax error"
	errWrongType     = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errNotInteger    = "ERR value is not an integer or out of range"
	errNotFloat      = "ERR value is not a valid float"
	errNoSuchKey     = "ERR no such key"
	errOutOfRange    = "ERR index out of range"
	errDBIndex       = "ERR DB index is out of range"
	errSameObject    = "ERR source and destination objects are the same"
	errOverflow      = "ERR increment or decrement would overflow"
	errNoAuth        = "NOAUTH Authentication required."
	errWrongPass     = "WRONGPASS invalid username-password pair or user is disabled."
	errOOM           = "OOM command not allowed when used memory > 'maxmemory'."
	errExecAbort     = "EXECABORT Transaction discarded because of previous errors."
	errNestedMulti   = "ERR MULTI calls can not be nested"
	errExecNoMulti   = "ERR EXEC without MULTI"
	errDiscardNoMult = "ERR DISCARD without MULTI"
	errWatchInMulti  = "ERR WATCH inside MULTI is not allowed"
	errTimeoutNeg    = "ERR timeout is negative"
	errStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
)
