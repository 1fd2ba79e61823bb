package acl

// Log contexts (ACL LOG "context").
const (
	CtxTopLevel = iota
	CtxMulti
	CtxLua
	CtxModule
)

var contextNames = [...]string{"toplevel", "multi", "lua", "module"}

// ContextName is the ACL LOG "context" string.
func ContextName(ctx int) string {
	if ctx >= 0 && ctx < len(contextNames) {
		return contextNames[ctx]
	}
	return "unknown"
}

// groupingMs is how close in time two equal denials must be to be counted
// as one entry.
const groupingMs = 60000

// LogEntry is one ACL LOG entry.
type LogEntry struct {
	Count      int64
	Reason     Result
	Context    int
	Object     string
	Username   string
	CTime      int64  // ms, last occurrence
	ClientInfo string // CLIENT INFO line of the client, at the last occurrence
}

// Log is the ACL LOG: newest entry first.
type Log struct {
	Entries []*LogEntry
}

// Add records a denial: an equal recent entry among the 10 newest (same
// reason, context, object and user, less than a minute apart) is counted
// and moved to the front; otherwise a new entry goes first and the log is
// trimmed to maxLen.
func (l *Log) Add(e LogEntry, maxLen int) {
	for i := 0; i < len(l.Entries) && i < 10; i++ {
		m := l.Entries[i]
		d := e.CTime - m.CTime
		if d < 0 {
			d = -d
		}
		if m.Reason == e.Reason && m.Context == e.Context && m.Object == e.Object &&
			m.Username == e.Username && d <= groupingMs {
			m.Count++
			m.CTime = e.CTime
			m.ClientInfo = e.ClientInfo
			copy(l.Entries[1:i+1], l.Entries[:i])
			l.Entries[0] = m
			return
		}
	}
	e.Count = 1
	l.Entries = append(l.Entries, nil)
	copy(l.Entries[1:], l.Entries)
	l.Entries[0] = &e
	if maxLen < 0 {
		maxLen = 0
	}
	for len(l.Entries) > maxLen {
		l.Entries[len(l.Entries)-1] = nil
		l.Entries = l.Entries[:len(l.Entries)-1]
	}
}

// Reset empties the log.
func (l *Log) Reset() { l.Entries = nil }
