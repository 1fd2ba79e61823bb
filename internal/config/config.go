// Package config holds the server configuration: the typed Config struct,
// the table of options that maps redis.conf names to its fields, parsing of
// the config file and command line (redis-server syntax), and the CONFIG
// GET/SET/REWRITE machinery.
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Config is every setting, typed. The server reads fields directly on hot
// paths; changes go through Set so validation and apply hooks run.
type Config struct {
	Port            int
	Bind            []string
	ProtectedMode   bool
	RequirePass     string
	Databases       int
	Timeout         int // seconds, 0 = never
	MaxClients      int
	ProtoMaxBulkLen int64
	Unixsocket      string
	Unixsocketperm  int
	TCPBacklog      int
	TCPKeepalive    int
	LogLevel        string
	LogFile         string
	Dir             string
	HZ              int
	MaxMemoryPolicy string // maxmemory-policy, e.g. "noeviction", "allkeys-lfu"

	// ClientQueryBufferLimit is client-query-buffer-limit (bytes).
	ClientQueryBufferLimit int64
	// ClientOutputBufferLimits is client-output-buffer-limit per client
	// class: normal, replica, pubsub (Redis's CLIENT_TYPE_* order).
	ClientOutputBufferLimits [3]ClientBufferLimit

	// Introspection (slowlog, latency monitor, latency tracking).
	SlowlogLogSlowerThan           int64     // microseconds; <0 disables, 0 logs every command
	SlowlogMaxLen                  int       // entries kept
	LatencyMonitorThreshold        int64     // milliseconds; 0 disables the latency monitor
	LatencyTracking                bool      // per-command latency histograms (INFO latencystats)
	LatencyTrackingInfoPercentiles []float64 // percentiles INFO latencystats reports
	EnableDebugCommand             string    // "no", "yes" or "local" (DEBUG)

	// NotifyKeyspaceEvents is notify-keyspace-events as given (class
	// letters); the server parses and caches it.
	NotifyKeyspaceEvents string

	// Memory limit and eviction (maxmemory-*, lfu-*).
	MaxMemory                 int64 // bytes, 0 = no limit
	MaxMemorySamples          int
	MaxMemoryEvictionTenacity int
	LFULogFactor              int
	LFUDecayTime              int // minutes

	ConfigFile string // absolute path of the file loaded, "" if none
}

// ClientBufferLimit is one client-output-buffer-limit class: a client is
// disconnected when its pending output exceeds Hard, or stays above Soft
// for SoftSeconds. Zero disables a limit.
type ClientBufferLimit struct {
	Hard, Soft  int64
	SoftSeconds int
}

// Default returns Redis 7.0's defaults.
func Default() *Config {
	return &Config{
		Port:            6379,
		Bind:            []string{"127.0.0.1", "-::1"},
		ProtectedMode:   true,
		Databases:       16,
		MaxClients:      10000,
		ProtoMaxBulkLen: 512 * 1024 * 1024,
		TCPBacklog:      511,
		TCPKeepalive:    300,
		LogLevel:        "notice",
		HZ:              10,
		MaxMemoryPolicy: "noeviction",

		ClientQueryBufferLimit: 1024 * 1024 * 1024,
		ClientOutputBufferLimits: [3]ClientBufferLimit{
			{},
			{Hard: 256 << 20, Soft: 64 << 20, SoftSeconds: 60},
			{Hard: 32 << 20, Soft: 8 << 20, SoftSeconds: 60},
		},

		SlowlogLogSlowerThan:           10000,
		SlowlogMaxLen:                  128,
		LatencyTracking:                true,
		LatencyTrackingInfoPercentiles: []float64{50, 99, 99.9},
		EnableDebugCommand:             "no",

		MaxMemorySamples:          5,
		MaxMemoryEvictionTenacity: 10,
		LFULogFactor:              10,
		LFUDecayTime:              1,
	}
}

// Error is a configuration error, printed by the server at start-up as
// Redis does ("*** FATAL CONFIG FILE ERROR ***").
type Error struct {
	Line    int    // 1-based line in the file, 0 for command-line options
	Text    string // the offending line
	Message string
}

func (e *Error) Error() string { return e.Message }

// ErrHelp and ErrVersion are returned by ParseArgs for --help and --version.
var (
	ErrHelp    = errors.New("help")
	ErrVersion = errors.New("version")
)

// ParseArgs builds a Config from redis-server style arguments:
// [config-file] [--name value ...].
func ParseArgs(args []string) (*Config, error) {
	c := Default()
	var text strings.Builder
	i := 0
	if len(args) > 0 {
		switch args[0] {
		case "-v", "--version":
			return nil, ErrVersion
		case "-h", "--help":
			return nil, ErrHelp
		}
		if !strings.HasPrefix(args[0], "--") {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return nil, fmt.Errorf("Fatal error, can't open config file '%s': %s", args[0], err)
			}
			text.Write(data)
			text.WriteByte('\n')
			c.ConfigFile = args[0]
			i = 1
		}
	}
	// Command-line options become config lines appended after the file.
	for ; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "--") {
			text.WriteByte('\n')
			text.WriteString(a[2:])
		} else {
			text.WriteByte(' ')
			text.WriteString(strconv.Quote(a))
		}
	}
	if err := c.LoadString(text.String()); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadString applies config-file text.
func (c *Config) LoadString(s string) error {
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		if err := c.setOne(strings.ToLower(fields[0]), unquote(fields[1:])); err != nil {
			return &Error{Line: n + 1, Text: line, Message: err.Error()}
		}
	}
	return nil
}

func unquote(fs []string) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		if u, err := strconv.Unquote(f); err == nil {
			out[i] = u
		} else {
			out[i] = f
		}
	}
	return out
}

func (c *Config) setOne(name string, args []string) error {
	intArg := func(p *int) error {
		if len(args) != 1 {
			return errors.New("wrong number of arguments")
		}
		v, err := strconv.Atoi(args[0])
		if err != nil {
			return errors.New("argument couldn't be parsed into an integer")
		}
		*p = v
		return nil
	}
	switch name {
	case "port":
		return intArg(&c.Port)
	case "bind":
		c.Bind = args
	case "protected-mode":
		c.ProtectedMode = len(args) == 1 && args[0] == "yes"
	case "requirepass":
		if len(args) == 1 {
			c.RequirePass = args[0]
		}
	case "databases":
		return intArg(&c.Databases)
	case "timeout":
		return intArg(&c.Timeout)
	case "maxclients":
		return intArg(&c.MaxClients)
	case "unixsocket":
		c.Unixsocket = args[0]
	case "loglevel":
		c.LogLevel = args[0]
	case "logfile":
		c.LogFile = args[0]
	case "dir":
		c.Dir = args[0]
	case "hz":
		return intArg(&c.HZ)
	case "notify-keyspace-events":
		if len(args) == 1 {
			c.NotifyKeyspaceEvents = args[0]
		}
	case "maxmemory":
		if len(args) != 1 {
			return errors.New("wrong number of arguments")
		}
		v, ok := parseMemoryAmount(args[0])
		if !ok {
			return errors.New("argument must be a memory value")
		}
		c.MaxMemory = v
	case "maxmemory-policy":
		if len(args) == 1 {
			c.MaxMemoryPolicy = strings.ToLower(args[0])
		}
	case "slowlog-log-slower-than":
		var v int
		err := intArg(&v)
		c.SlowlogLogSlowerThan = int64(v)
		return err
	case "slowlog-max-len":
		return intArg(&c.SlowlogMaxLen)
	case "latency-monitor-threshold":
		var v int
		err := intArg(&v)
		c.LatencyMonitorThreshold = int64(v)
		return err
	case "enable-debug-command":
		if len(args) == 1 {
			c.EnableDebugCommand = args[0]
		}
	case "latency-tracking":
		c.LatencyTracking = len(args) == 1 && args[0] == "yes"
	case "maxmemory-samples":
		return intArg(&c.MaxMemorySamples)
	case "maxmemory-eviction-tenacity":
		return intArg(&c.MaxMemoryEvictionTenacity)
	case "lfu-log-factor":
		return intArg(&c.LFULogFactor)
	case "lfu-decay-time":
		return intArg(&c.LFUDecayTime)
	}
	return nil
}

// parseMemoryAmount parses a memory size as redis.conf does: a number with
// an optional unit, k/m/g meaning powers of 1000 and kb/mb/gb powers of
// 1024, case-insensitive.
func parseMemoryAmount(s string) (int64, bool) {
	l := strings.ToLower(s)
	mul := int64(1)
	for _, u := range []struct {
		suffix string
		mul    int64
	}{{"kb", 1024}, {"mb", 1024 * 1024}, {"gb", 1024 * 1024 * 1024},
		{"k", 1000}, {"m", 1000 * 1000}, {"g", 1000 * 1000 * 1000}, {"b", 1}} {
		if strings.HasSuffix(l, u.suffix) {
			l, mul = l[:len(l)-len(u.suffix)], u.mul
			break
		}
	}
	v, err := strconv.ParseInt(l, 10, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return v * mul, true
}
