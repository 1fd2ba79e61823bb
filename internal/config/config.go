// Package config holds the server configuration: the typed Config struct,
// the table of options that maps redis.conf names to its fields, parsing of
// the config file and command line (redis-server syntax), and the CONFIG
// GET/SET/REWRITE machinery.
package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/repr"
	"github.com/modis/modis/internal/resp"
)

// Config is every setting, typed. The server reads fields directly on hot
// paths; changes go through Set so validation and apply hooks run. Field
// comments give the redis.conf name where it isn't obvious.
type Config struct {
	// Network.
	Port            int
	Bind            []string
	BindSourceAddr  string
	ProtectedMode   bool
	Unixsocket      string
	Unixsocketperm  int // octal in redis.conf
	TCPBacklog      int
	TCPKeepalive    int
	Timeout         int // seconds, 0 = never
	MaxClients      int
	ProtoMaxBulkLen int64

	// Security.
	RequirePass            string
	MasterUser             string
	MasterAuth             string
	ACLFile                string
	ACLLogMaxLen           int
	ACLPubsubDefault       string
	EnableProtectedConfigs string // no, yes, local
	EnableDebugCommand     string
	EnableModuleCommand    string
	SanitizeDumpPayload    string

	// General.
	Databases                int
	Daemonize                bool
	Supervised               string
	PidFile                  string
	LogLevel                 string
	LogFile                  string
	SyslogEnabled            bool
	SyslogIdent              string
	SyslogFacility           string
	AlwaysShowLogo           bool
	SetProcTitle             bool
	ProcTitleTemplate        string
	CrashLogEnabled          bool
	CrashMemcheckEnabled     bool
	UseExitOnPanic           bool
	DisableTHP               bool
	IgnoreWarnings           string
	ShutdownTimeout          int
	ShutdownOnSigint         string // "default" or flags: save nosave now force
	ShutdownOnSigterm        string
	SocketMarkID             int64
	PropagationErrorBehavior string
	OOMScoreAdj              string
	OOMScoreAdjValues        [3]int
	ServerCPUList            string
	BioCPUList               string
	AOFRewriteCPUList        string
	BgsaveCPUList            string
	JemallocBgThread         bool
	IOThreads                int
	IOThreadsDoReads         bool
	WatchdogPeriod           int
	HZ                       int // effective value, clamped to 1..500
	DynamicHZ                bool

	// Snapshotting and persistence.
	Save                              []SavePoint
	Dir                               string // absolute; "" = the working directory
	DBFilename                        string
	RDBCompression                    bool
	RDBChecksum                       bool
	RDBDelSyncFiles                   bool
	RDBSaveIncrementalFsync           bool
	RDBKeySaveDelay                   int
	KeyLoadDelay                      int
	StopWritesOnBgsaveError           bool
	LoadingProcessEventsIntervalBytes int64
	AppendOnly                        bool
	AppendFilename                    string
	AppendDirname                     string
	AppendFsync                       string
	NoAppendfsyncOnRewrite            bool
	AutoAOFRewritePercentage          int
	AutoAOFRewriteMinSize             int64
	AOFLoadTruncated                  bool
	AOFUseRDBPreamble                 bool
	AOFTimestampEnabled               bool
	AOFRewriteIncrementalFsync        bool
	AOFDisableAutoGC                  bool

	// Memory and eviction.
	MaxMemory                  int64 // bytes, 0 = no limit
	MaxMemoryPolicy            string
	MaxMemorySamples           int
	MaxMemoryEvictionTenacity  int
	MaxMemoryClients           int64 // bytes, or -percent of maxmemory
	LFULogFactor               int
	LFUDecayTime               int
	ActiveExpireEffort         int
	LazyfreeLazyEviction       bool
	LazyfreeLazyExpire         bool
	LazyfreeLazyServerDel      bool
	LazyfreeLazyUserDel        bool
	LazyfreeLazyUserFlush      bool
	ActiveRehashing            bool
	ActiveDefrag               bool
	ActiveDefragIgnoreBytes    int64
	ActiveDefragThresholdLower int
	ActiveDefragThresholdUpper int
	ActiveDefragCycleMin       int
	ActiveDefragCycleMax       int
	ActiveDefragMaxScanFields  int64

	// Clients.
	ClientQueryBufferLimit   int64
	ClientOutputBufferLimits [3]ClientBufferLimit // by ClassNormal, ClassReplica, ClassPubsub
	TrackingTableMaxKeys     int64

	// Encodings.
	HashMaxListpackEntries int64
	HashMaxListpackValue   int64
	ListMaxListpackSize    int
	ListCompressDepth      int
	SetMaxIntsetEntries    int64
	ZsetMaxListpackEntries int64
	ZsetMaxListpackValue   int64
	HLLSparseMaxBytes      int64
	StreamNodeMaxBytes     int64
	StreamNodeMaxEntries   int64

	// Monitoring.
	SlowlogLogSlowerThan           int64 // microseconds, -1 disables
	SlowlogMaxLen                  int
	LatencyMonitorThreshold        int64 // milliseconds
	LatencyTracking                bool
	LatencyTrackingInfoPercentiles []float64
	NotifyKeyspaceEvents           string // class letters as set (CONFIG GET shows them canonical), "" = off
	BusyReplyThreshold             int64  // milliseconds (lua-time-limit)

	// Replication.
	ReplicaOfHost                string // "" = master
	ReplicaOfPort                int
	ReplicaServeStaleData        bool
	ReplicaReadOnly              bool
	ReplicaLazyFlush             bool
	ReplicaIgnoreMaxmemory       bool
	ReplicaAnnounced             bool
	ReplicaIgnoreDiskWriteErrors bool
	ReplicaAnnounceIP            string
	ReplicaAnnouncePort          int
	ReplicaPriority              int
	ReplDisklessSync             bool
	ReplDisklessSyncDelay        int
	ReplDisklessSyncMaxReplicas  int
	ReplDisklessLoad             string
	ReplDisableTCPNoDelay        bool
	ReplPingReplicaPeriod        int
	ReplTimeout                  int
	ReplBacklogSize              int64
	ReplBacklogTTL               int64
	MinReplicasToWrite           int
	MinReplicasMaxLag            int

	// Cluster.
	ClusterEnabled                  bool
	ClusterConfigFile               string
	ClusterNodeTimeout              int64
	ClusterPort                     int
	ClusterAnnounceIP               string
	ClusterAnnounceHostname         string
	ClusterAnnouncePort             int
	ClusterAnnounceBusPort          int
	ClusterAnnounceTLSPort          int
	ClusterPreferredEndpointType    string
	ClusterReplicaValidityFactor    int
	ClusterMigrationBarrier         int
	ClusterAllowReplicaMigration    bool
	ClusterRequireFullCoverage      bool
	ClusterReplicaNoFailover        bool
	ClusterAllowReadsWhenDown       bool
	ClusterAllowPubsubshardWhenDown bool
	ClusterLinkSendbufLimit         int64

	// TLS.
	TLSPort                int
	TLSCertFile            string
	TLSKeyFile             string
	TLSKeyFilePass         string
	TLSClientCertFile      string
	TLSClientKeyFile       string
	TLSClientKeyFilePass   string
	TLSDHParamsFile        string
	TLSCACertFile          string
	TLSCACertDir           string
	TLSAuthClients         string
	TLSReplication         bool
	TLSCluster             bool
	TLSProtocols           string
	TLSCiphers             string
	TLSCiphersuites        string
	TLSPreferServerCiphers bool
	TLSSessionCaching      bool
	TLSSessionCacheSize    int
	TLSSessionCacheTimeout int

	// Directives that are not options, collected for the server.
	RenameCommands [][2]string // rename-command old new ("" new = remove)
	Users          [][]string  // user directives (arguments after "user")
	LoadModules    [][]string  // loadmodule path [args...]
	ModuleConfigs  [][2]string // module.option value

	ConfigFile string // absolute path of the file loaded, "" if none

	// UserLines, set by the server, returns the ACL users as "user ..."
	// lines for CONFIG REWRITE (which writes them unless an aclfile keeps
	// the users).
	UserLines func() []string

	// hugeValues holds unsigned 64-bit option values too large for their
	// int64 field, by option name (the field holds math.MaxInt64).
	hugeValues map[string]uint64
}

// Default returns Redis 7.0's defaults, with the shipped redis.conf's
// network settings (bind 127.0.0.1 -::1, protected-mode yes).
func Default() *Config {
	c := &Config{}
	for _, o := range primaries {
		o.setDefault(c)
	}
	c.Bind = append([]string{}, DefaultBind...)
	c.Save = append([]SavePoint{}, DefaultSave...)
	c.ClientOutputBufferLimits = defaultBufferLimits
	c.OOMScoreAdjValues = defaultOOMScoreAdjValues
	c.LatencyTrackingInfoPercentiles = []float64{50, 99, 99.9}
	return c
}

// Clone returns a deep copy.
func (c *Config) Clone() *Config {
	n := *c
	n.Bind = append([]string(nil), c.Bind...)
	n.Save = append([]SavePoint(nil), c.Save...)
	n.LatencyTrackingInfoPercentiles = append([]float64(nil), c.LatencyTrackingInfoPercentiles...)
	n.RenameCommands = append([][2]string(nil), c.RenameCommands...)
	n.Users = append([][]string(nil), c.Users...)
	n.LoadModules = append([][]string(nil), c.LoadModules...)
	n.ModuleConfigs = append([][2]string(nil), c.ModuleConfigs...)
	if c.hugeValues != nil {
		n.hugeValues = map[string]uint64{}
		for k, v := range c.hugeValues {
			n.hugeValues[k] = v
		}
	}
	return &n
}

// Get returns an option's value as CONFIG GET shows it.
func (c *Config) Get(o *Option) string { return o.get(c) }

// Set sets an option from a CONFIG SET value (multi-argument options split
// it on spaces). It reports whether the value changed.
func (c *Config) Set(o *Option, value string) (changed bool, err error) {
	var args []string
	if o.Flags&MultiArg != 0 {
		if value != "" {
			args = strings.Split(value, " ")
		}
	} else {
		args = []string{value}
	}
	return o.set(c, args, nil)
}

// Error is a configuration error, printed by the server at start-up as
// Redis does ("*** FATAL CONFIG FILE ERROR ***").
type Error struct {
	Line    int    // 1-based line in the text parsed, 0 when not about a line
	Text    string // the offending line, trimmed
	Message string
}

func (e *Error) Error() string { return e.Message }

// FatalError is a start-up failure Redis reports as a log line rather than
// a config file error (an unreadable config file).
type FatalError struct{ Message string }

func (e *FatalError) Error() string { return e.Message }

// ErrHelp and ErrVersion are returned by ParseArgs for --help and --version.
var (
	ErrHelp    = errors.New("help")
	ErrVersion = errors.New("version")
)

// ParseArgs builds a Config from redis-server style arguments:
// [config-file] [--name value ...] [-]. stdin is read when "-" is the first
// or last argument.
func ParseArgs(args []string, stdin io.Reader) (*Config, error) {
	c := Default()
	if len(args) > 0 {
		switch args[0] {
		case "-v", "--version":
			return nil, ErrVersion
		case "-h", "--help":
			return nil, ErrHelp
		}
	}
	j := 0
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		abs, err := filepath.Abs(args[0])
		if err != nil {
			abs = args[0]
		}
		c.ConfigFile = abs
		j = 1
	}
	options, fromStdin := commandLineOptions(args, j)
	var text strings.Builder
	st := &loadState{}
	if c.ConfigFile != "" {
		data, err := readConfigFiles(c.ConfigFile)
		if err != nil {
			return nil, err
		}
		text.WriteString(data)
	}
	if fromStdin && stdin != nil {
		data, _ := io.ReadAll(stdin)
		text.Write(data)
	}
	text.WriteByte('\n')
	text.WriteString(options)
	if err := c.load(text.String(), st); err != nil {
		return nil, err
	}
	if c.LogFile != "" {
		f, err := os.OpenFile(c.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, &Error{Message: "Can't open the log file: " + errnoText(err)}
		}
		f.Close()
	}
	if c.ClusterEnabled && c.ReplicaOfHost != "" {
		return nil, &Error{Message: "replicaof directive not allowed in cluster mode"}
	}
	if c.ClusterEnabled {
		// Refused rather than ignored: a server that silently runs
		// standalone would mislead every cluster client.
		return nil, &Error{Message: "cluster mode (cluster-enabled yes) is not implemented in Modis yet"}
	}
	return c, nil
}

// commandLineOptions turns "--name value ..." arguments into config lines
// the way redis-server does: each --name starts a line, other arguments
// are quoted values. A "--name" right after an option name without a value
// is taken as a value, except after --save (which then means save "").
func commandLineOptions(args []string, j int) (string, bool) {
	var b strings.Builder
	fromStdin := false
	handledLast := true
	for ; j < len(args); j++ {
		a := args[j]
		switch {
		case a == "-" && (j == 0 || j == len(args)-1):
			fromStdin = true
		case handledLast && strings.HasPrefix(a, "--"):
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(a[2:])
			b.WriteByte(' ')
			parts, _ := resp.SplitArgs([]byte(a), nil)
			if len(parts) == 1 {
				// A bare option name: its value follows.
				handledLast = false
				nextIsOpt := j != len(args)-1 && strings.HasPrefix(args[j+1], "--")
				switch {
				case strings.EqualFold(a, "--save") && nextIsOpt:
					b.WriteString(`""`)
					handledLast = true
				case strings.EqualFold(a, "--save") && j == len(args)-1:
					b.WriteString(`""`)
				case strings.EqualFold(a, "--sentinel") && nextIsOpt:
					handledLast = true
				}
			} else {
				handledLast = true
			}
		default:
			b.WriteString(repr.String(a))
			b.WriteByte(' ')
			handledLast = true
		}
	}
	return b.String(), fromStdin
}

// readConfigFiles reads a config file, or every file matching a glob
// pattern (a pattern matching nothing reads nothing).
func readConfigFiles(path string) (string, error) {
	if strings.ContainsAny(path, "*?[") {
		matches, _ := filepath.Glob(path)
		var b strings.Builder
		for _, m := range matches {
			data, err := os.ReadFile(m)
			if err != nil {
				return "", &FatalError{fmt.Sprintf("Fatal error, can't open config file '%s': %s", m, errnoText(err))}
			}
			b.Write(data)
		}
		return b.String(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", &FatalError{fmt.Sprintf("Fatal error, can't open config file '%s': %s", path, errnoText(err))}
	}
	return string(data), nil
}

// LoadString applies config-file text (tests and embedding).
func (c *Config) LoadString(s string) error { return c.load(s, &loadState{}) }

// deprecatedDirectives are accepted with one argument and ignored.
var deprecatedDirectives = map[string]bool{
	"list-max-ziplist-entries": true, "list-max-ziplist-value": true, "lua-replicate-commands": true,
}

func (c *Config) load(text string, st *loadState) error {
	for i, line := range strings.Split(text, "\n") {
		line = strings.Trim(line, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		fail := func(msg string) error { return &Error{Line: i + 1, Text: line, Message: msg} }
		raw, ok := resp.SplitArgs([]byte(line), nil)
		if !ok {
			return fail("Unbalanced quotes in configuration line")
		}
		if len(raw) == 0 {
			continue
		}
		argv := make([]string, len(raw))
		for k, a := range raw {
			argv[k] = string(a)
		}
		name := strings.ToLower(argv[0])
		if o := Lookup(name); o != nil {
			if o.Flags&MultiArg == 0 && len(argv) != 2 {
				return fail(errWrongArgs.Error())
			}
			if _, err := o.set(c, argv[1:], st); err != nil {
				return fail(err.Error())
			}
			continue
		}
		if deprecatedDirectives[name] && len(argv) == 2 {
			continue
		}
		switch {
		case name == "include" && len(argv) == 2:
			data, err := readConfigFiles(argv[1])
			if err != nil {
				return err
			}
			if err := c.load(data, st); err != nil {
				return err
			}
		case name == "rename-command" && len(argv) == 3:
			if msg := st.renameCommand(argv[1], argv[2]); msg != "" {
				return fail(msg)
			}
			c.RenameCommands = append(c.RenameCommands, [2]string{argv[1], argv[2]})
		case name == "user" && len(argv) >= 2:
			if msg := c.checkUser(argv); msg != "" {
				return fail(msg)
			}
			c.Users = append(c.Users, argv[1:])
		case name == "loadmodule" && len(argv) >= 2:
			c.LoadModules = append(c.LoadModules, argv[1:])
		case strings.Contains(name, "."):
			if len(argv) != 2 {
				return fail("Module config specified without value")
			}
			c.ModuleConfigs = append(c.ModuleConfigs, [2]string{argv[0], argv[1]})
		case name == "sentinel":
			if len(argv) != 1 {
				return fail("sentinel directive while not in sentinel mode")
			}
		default:
			return fail("Bad directive or wrong number of arguments")
		}
	}
	return nil
}

// renameCommand checks a rename-command against the command names as the
// earlier renames left them, returning Redis's message on failure.
func (st *loadState) renameCommand(from, to string) string {
	if st.commands == nil {
		st.commands = map[string]bool{}
		for _, s := range command.Builtin() {
			st.commands[s.Name] = true
		}
	}
	from, to = strings.ToLower(from), strings.ToLower(to)
	if !st.commands[from] {
		return "No such command in rename-command"
	}
	delete(st.commands, from)
	if to != "" {
		if st.commands[to] {
			return "Target command name already exists"
		}
		st.commands[to] = true
	}
	return ""
}

// checkUser validates a "user" directive as Redis does while reading the
// config (ACLAppendUserForLoading), returning its error message or "".
// Redis names the offending rule by an index into the whole line that is
// off by two (it counts "user" and the name), and so does this.
func (c *Config) checkUser(argv []string) string {
	for _, u := range c.Users {
		if u[0] == argv[1] {
			return "Error in user declaration '" + argv[1] + "': " + acl.ErrDuplicateUser.Error()
		}
	}
	env := &acl.Env{Cmds: acl.BuiltinCommands{}}
	idx, err := env.CheckConfigUser(argv[1:])
	if err == nil {
		return ""
	}
	if err == acl.ErrUnmatched {
		err = acl.ErrUnknown // Redis prints whatever errno was left over
	}
	return "Error in user declaration '" + argv[idx] + "': " + err.Error()
}
