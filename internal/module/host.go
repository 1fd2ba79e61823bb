package module

import (
	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/keyspace"
)

// Host is what the engine needs from the server. The server implements it;
// the engine never imports the server package (the server imports the
// engine). Every method is called with the execution lock held unless its
// comment says otherwise.
type Host interface {
	// AddCommand adds a top-level command whose procedure calls proc. It
	// reports false if the name is taken.
	AddCommand(spec *command.Spec, proc CommandProc) bool
	// AddSubcommand adds sub under the top-level command parent.
	AddSubcommand(parent *command.Spec, sub *command.Spec, proc CommandProc) bool
	// RemoveCommand removes a command added by AddCommand (with its
	// subcommands).
	RemoveCommand(spec *command.Spec)
	// LookupCommand returns the spec of a top-level command or of
	// "parent|sub", or nil.
	LookupCommand(name string) *command.Spec

	// Call runs argv as a command on a temporary client selected on db,
	// speaking protocol proto, and returns the raw RESP reply. errno is
	// non-zero when the command could not run (unknown command: ENOENT,
	// wrong arity: EINVAL, refused by flags: ESPIPE/ENOSPC); the reply is
	// then empty and errMsg is the error text a client would have got.
	Call(db int, argv [][]byte, proto int, flags CallFlags) (reply []byte, errno Errno, errMsg string)

	// Keyspace returns the databases.
	Keyspace() *keyspace.Keyspace
	// LookupRead and LookupWrite look a key up with Redis's lookupKeyRead
	// and lookupKeyWrite side effects (lazy expiry, hit/miss statistics,
	// LRU/LFU touch unless noTouch).
	LookupRead(db int, key []byte, noTouch bool) *keyspace.Object
	LookupWrite(db int, key []byte) *keyspace.Object
	// KeyModified is signalModifiedKey (WATCH invalidation).
	KeyModified(db int, key []byte)
	// Notify fires a keyspace notification (class is a NOTIFY_* bit).
	Notify(class int, event string, key []byte, db int)
	// NotifyFlags is the parsed notify-keyspace-events setting.
	NotifyFlags() int
	// Dirty adds n to the count of changes since the last save.
	Dirty(n int)
	// Now is the cached ms time used for expiry decisions.
	Now() int64

	// Propagate queues commands a module replicates for AOF and replicas,
	// in the current execution unit (sent at once outside any).
	Propagate(db int, cmds []Propagated)

	// Logf writes a log line at one of the LogLevel levels.
	Logf(level LogLevel, format string, args ...any)

	// AfterFunc runs fn once, d milliseconds from now, under the execution
	// lock, between commands (module timers). The returned stop function
	// reports whether it prevented the call.
	AfterFunc(ms int64, fn func()) (stop func() bool)

	// Lock and Unlock take and release the execution lock (thread-safe
	// contexts); TryLock reports whether it got it. They are called
	// without the lock.
	Lock()
	Unlock()
	TryLock() bool

	// ParkClient marks c blocked: its connection runs no further command
	// until UnparkClient. UnparkClient also sends the output c got
	// meanwhile.
	ParkClient(c Client)
	UnparkClient(c Client)
	// RunSoon runs fn under the execution lock on another goroutine soon
	// (the wake-up of the event loop). Callable without the lock.
	RunSoon(fn func())

	// Publish sends a pub/sub message; it returns the receivers.
	Publish(channel, message []byte) int
	// ClientName returns a client's name; ok is false for no client.
	ClientName(id uint64) (name string, ok bool)
	// SetClientName names a client (ENOENT: no client, EINVAL: bad name).
	SetClientName(id uint64, name []byte) Errno

	// Info is the text of INFO for the given section names (nil: default).
	Info(sections []string) string

	// ClientInfo describes a connected client by id; ok is false when there
	// is none.
	ClientInfo(id uint64) (info ClientInfo, ok bool)
}

// UnitHost is implemented by a host that groups propagated commands into
// execution units (Redis's also_propagate, sent at the end of the
// outermost unit). Every context the engine creates for a callback opens
// a unit that its end closes; within a command the host's own unit
// already encloses it.
type UnitHost interface {
	EnterUnit()
	ExitUnit()
}

// Client is the connection a module command runs for, as the engine sees
// it. The server's client implements it.
type Client interface {
	// ModClientID is the client id (CLIENT ID).
	ModClientID() uint64
	// ModDB is the selected database.
	ModDB() int
	// ModSelectDB selects a database; it reports false for a bad index.
	ModSelectDB(id int) bool
	// ModProto is the protocol version, 2 or 3.
	ModProto() int
	// ModWrite appends encoded reply bytes to the client's output.
	ModWrite(b []byte)
	// ModNoteError accounts an error reply (INFO errorstats, failed
	// calls); msg is its text without '-'.
	ModNoteError(msg string)
	// ModArgv is the current command's arguments.
	ModArgv() [][]byte
	// ModInMulti reports whether the client runs inside MULTI/EXEC.
	ModInMulti() bool
	// ModCanBlock reports whether the client may be blocked (not in
	// MULTI, not a temporary client).
	ModCanBlock() bool
}

// CommandProc is the procedure the server runs for a module command: the
// engine's dispatcher bound to one command.
type CommandProc func(c Client, argv [][]byte)

// Propagated is one command a module asked to replicate.
type Propagated struct {
	Argv   [][]byte
	Target int // PropagateAOF|PropagateRepl
}

// Propagation targets (Redis's PROPAGATE_AOF / PROPAGATE_REPL).
const (
	PropagateAOF  = 1
	PropagateRepl = 2
)

// ClientInfo is RedisModuleClientInfo (version 1).
type ClientInfo struct {
	Flags uint64
	ID    uint64
	Addr  string
	Port  int
	DB    int
}

// Client info flags (REDISMODULE_CLIENTINFO_FLAG_*).
const (
	ClientInfoFlagSSL      = 1 << 0
	ClientInfoFlagPubSub   = 1 << 1
	ClientInfoFlagBlocked  = 1 << 2
	ClientInfoFlagTracking = 1 << 3
	ClientInfoFlagUnixSock = 1 << 4
	ClientInfoFlagMulti    = 1 << 5
)

// LogLevel is a server log level.
type LogLevel int

// Log levels, as Redis's LL_*.
const (
	LogDebug LogLevel = iota
	LogVerbose
	LogNotice
	LogWarning
)

// Errno is a C errno value some APIs report (RedisModule_Call sets errno).
type Errno int

// The errno values the module API uses (Linux numbering).
const (
	ENOENT      Errno = 2
	EBADF       Errno = 9
	EAGAIN      Errno = 11
	EACCES      Errno = 13
	EBUSY       Errno = 16
	EINVAL      Errno = 22
	ENOSPC      Errno = 28
	ESPIPE      Errno = 29
	EROFS       Errno = 30
	ENOTSUP     Errno = 95
	ENETDOWN    Errno = 100
	ECANCELED   Errno = 125
	EPERM       Errno = 1
	EINPROGRESS Errno = 115
)

// CallFlags are the RM_Call options the host must honour.
type CallFlags struct {
	ScriptMode bool // 'S'
	NoWrites   bool // 'W'
	RespectOOM bool // 'M'
	// Propagate is where the command propagates itself, as a top-level
	// command would ('!', minus 'A'/'R'): a mask of PropagateAOF and
	// PropagateRepl, 0 for nowhere.
	Propagate int
	// CheckACL asks the host to check Caller's permissions ('C').
	CheckACL bool
	// Caller is the context's client (nil for a context without one).
	Caller Client
	// User is the user SetContextUser set, whose permissions 'C' checks
	// instead of Caller's (nil: Caller's).
	User *acl.User
	// ThreadSafe: called from a thread-safe context (the OOM state is then
	// measured, not taken from before the command).
	ThreadSafe bool
}
