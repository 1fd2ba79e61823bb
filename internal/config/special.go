package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/modis/modis/internal/repr"
)

// SavePoint is one "save <seconds> <changes>" rule.
type SavePoint struct {
	Seconds int64
	Changes int64
}

// DefaultSave is Redis 7.0's save default (no save line in the config).
var DefaultSave = []SavePoint{{3600, 1}, {300, 100}, {60, 10000}}

// Client classes of client-output-buffer-limit.
const (
	ClassNormal = iota
	ClassReplica
	ClassPubsub
)

// ClientBufferLimit is one client-output-buffer-limit class: a client is
// disconnected when its pending output exceeds Hard, or stays above Soft
// for SoftSeconds. Zero disables a limit.
type ClientBufferLimit struct {
	Hard, Soft  int64
	SoftSeconds int
}

var defaultBufferLimits = [3]ClientBufferLimit{
	{0, 0, 0},
	{256 << 20, 64 << 20, 60},
	{32 << 20, 8 << 20, 60},
}

var defaultOOMScoreAdjValues = [3]int{0, 200, 800}

// DefaultBind is what Modis listens on without a bind directive: the
// shipped redis.conf's "bind 127.0.0.1 -::1".
var DefaultBind = []string{"127.0.0.1", "-::1"}

// errnoText renders an errno as C's strerror does (Go lower-cases the
// first letter).
func errnoText(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		s := en.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}

// dir: Redis changes the working directory right away. Modis records the
// absolute path; the process changes to it at start-up (and on CONFIG SET
// through the server's apply hook), so an in-process test server never
// moves the test's working directory.
func setDir(c *Config, args []string, _ *loadState) error {
	if len(args) != 1 {
		return errWrongArgs
	}
	d := args[0]
	if !filepath.IsAbs(d) {
		base := c.Dir
		if base == "" {
			base, _ = os.Getwd()
		}
		d = filepath.Join(base, d)
	}
	fi, err := os.Stat(d)
	if err != nil {
		return errors.New(errnoText(err))
	}
	if !fi.IsDir() {
		return errors.New(errnoText(syscall.ENOTDIR))
	}
	if err := syscall.Access(d, 1); err != nil { // X_OK: chdir needs search permission
		return errors.New(errnoText(err))
	}
	c.Dir = filepath.Clean(d)
	return nil
}

func getDir(c *Config) string {
	if c.Dir != "" {
		return c.Dir
	}
	wd, _ := os.Getwd()
	return wd
}

func rewriteDir(c *Config, st *rewriteState, name string) {
	st.rewriteLine(name, name+" "+repr.String(getDir(c)), true)
}

func setSave(c *Config, args []string, st *loadState) error {
	if len(args) == 1 && args[0] == "" {
		c.Save = []SavePoint{}
		args = nil
	}
	if len(args)%2 != 0 {
		return errors.New("Invalid save parameters")
	}
	var pts []SavePoint
	for j := 0; j < len(args); j += 2 {
		secs, ok1 := parseCInt(args[j], 10)
		chg, ok2 := parseCInt(args[j+1], 10)
		if !ok1 || !ok2 || secs < 1 || chg < 0 {
			return errors.New("Invalid save parameters")
		}
		pts = append(pts, SavePoint{secs, chg})
	}
	// Reading a file, the first save line replaces the defaults and the
	// next ones add to it; CONFIG SET replaces.
	if st == nil || !st.saveLoaded {
		if st != nil {
			st.saveLoaded = true
		}
		c.Save = []SavePoint{}
	}
	c.Save = append(c.Save, pts...)
	return nil
}

func getSave(c *Config) string {
	var b strings.Builder
	for i, p := range c.Save {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d %d", p.Seconds, p.Changes)
	}
	return b.String()
}

func rewriteSave(c *Config, st *rewriteState, name string) {
	if len(c.Save) == 0 {
		st.rewriteLine(name, `save ""`, true)
	}
	for _, p := range c.Save {
		st.rewriteLine(name, fmt.Sprintf("save %d %d", p.Seconds, p.Changes), true)
	}
	st.markProcessed(name)
}

var bufferClassNames = [3]string{"normal", "slave", "pubsub"}

func bufferClass(name string) int {
	switch strings.ToLower(name) {
	case "normal":
		return ClassNormal
	case "slave", "replica":
		return ClassReplica
	case "pubsub":
		return ClassPubsub
	}
	return -1
}

func setClientOutputBufferLimit(c *Config, args []string, _ *loadState) error {
	if len(args)%4 != 0 {
		return errors.New("Wrong number of arguments in buffer limit configuration.")
	}
	vals := c.ClientOutputBufferLimits
	for j := 0; j < len(args); j += 4 {
		class := bufferClass(args[j])
		if class < 0 {
			return errors.New("Invalid client class specified in buffer limit configuration.")
		}
		hard, ok1 := parseMemory(args[j+1])
		soft, ok2 := parseMemory(args[j+2])
		secs, ok3 := parseCInt(args[j+3], 10)
		if !ok1 || !ok2 || !ok3 || secs < 0 {
			return errors.New("Error in hard, soft or soft_seconds setting in buffer limit configuration.")
		}
		vals[class] = ClientBufferLimit{satInt64(hard), satInt64(soft), int(secs)}
	}
	c.ClientOutputBufferLimits = vals
	return nil
}

func satInt64(u uint64) int64 {
	if u > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(u)
}

func getClientOutputBufferLimit(c *Config) string {
	var b strings.Builder
	for j, l := range c.ClientOutputBufferLimits {
		if j > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s %d %d %d", bufferClassNames[j], l.Hard, l.Soft, l.SoftSeconds)
	}
	return b.String()
}

func rewriteClientOutputBufferLimit(c *Config, st *rewriteState, name string) {
	for j, l := range c.ClientOutputBufferLimits {
		force := l != defaultBufferLimits[j]
		class := bufferClassNames[j]
		if class == "slave" {
			class = "replica"
		}
		st.rewriteLine(name, fmt.Sprintf("%s %s %s %s %d", name, class, formatMemory(l.Hard), formatMemory(l.Soft), l.SoftSeconds), force)
	}
}

func setOOMScoreAdjValues(c *Config, args []string, _ *loadState) error {
	if len(args) != 3 {
		return errWrongArgs
	}
	var vals [3]int
	for i, a := range args {
		v, ok := parseCInt(a, 10)
		if !ok || v < -2000 || v > 2000 {
			return errors.New("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")
		}
		vals[i] = int(v)
	}
	c.OOMScoreAdjValues = vals
	return nil
}

func getOOMScoreAdjValues(c *Config) string {
	v := c.OOMScoreAdjValues
	return fmt.Sprintf("%d %d %d", v[0], v[1], v[2])
}

func rewriteOOMScoreAdjValues(c *Config, st *rewriteState, name string) {
	st.rewriteLine(name, name+" "+getOOMScoreAdjValues(c), c.OOMScoreAdjValues != defaultOOMScoreAdjValues)
}

// Keyspace event class bits, in the order Redis formats them.
const (
	evGeneric = 1 << iota
	evString
	evList
	evSet
	evHash
	evZset
	evExpired
	evEvicted
	evStream
	evModule
	evNew
	evKeyspace
	evKeyevent
	evKeyMiss
	evAll = evGeneric | evString | evList | evSet | evHash | evZset | evExpired | evEvicted | evStream | evModule
)

var eventChars = []struct {
	ch   byte
	flag int
}{
	{'g', evGeneric}, {'$', evString}, {'l', evList}, {'s', evSet}, {'h', evHash},
	{'z', evZset}, {'x', evExpired}, {'e', evEvicted}, {'t', evStream}, {'d', evModule},
	{'n', evNew}, {'K', evKeyspace}, {'E', evKeyevent}, {'m', evKeyMiss},
}

// parseKeyspaceEvents converts notify-keyspace-events letters to flags.
func parseKeyspaceEvents(s string) (int, bool) {
	flags := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 'A' {
			flags |= evAll
			continue
		}
		found := false
		for _, e := range eventChars {
			if e.ch == s[i] {
				flags |= e.flag
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return flags, true
}

// formatKeyspaceEvents is the canonical spelling CONFIG GET shows.
func formatKeyspaceEvents(flags int) string {
	var b []byte
	if flags&evAll == evAll {
		b = append(b, 'A')
	} else {
		for _, e := range eventChars[:11] {
			if flags&e.flag != 0 {
				b = append(b, e.ch)
			}
		}
	}
	for _, e := range eventChars[11:] {
		if flags&e.flag != 0 {
			b = append(b, e.ch)
		}
	}
	return string(b)
}

// CanonicalKeyspaceEvents validates a notify-keyspace-events value and
// returns its canonical spelling ("KEA" -> "AKE").
func CanonicalKeyspaceEvents(s string) (string, bool) {
	f, ok := parseKeyspaceEvents(s)
	if !ok {
		return "", false
	}
	return formatKeyspaceEvents(f), true
}

func setNotifyKeyspaceEvents(c *Config, args []string, _ *loadState) error {
	if len(args) != 1 {
		return errWrongArgs
	}
	v := args[0]
	if i := strings.IndexByte(v, 0); i >= 0 {
		v = v[:i] // Redis reads the letters as a C string
	}
	if _, ok := CanonicalKeyspaceEvents(v); !ok {
		return errors.New("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
	}
	// Keep the letters as given: the canonical spelling hides 'n' next to
	// 'A' although the class stays enabled, as in Redis.
	c.NotifyKeyspaceEvents = v
	return nil
}

func getNotifyKeyspaceEvents(c *Config) string {
	s, _ := CanonicalKeyspaceEvents(c.NotifyKeyspaceEvents)
	return s
}

func rewriteNotifyKeyspaceEvents(c *Config, st *rewriteState, name string) {
	s := getNotifyKeyspaceEvents(c)
	st.rewriteLine(name, name+" "+repr.String(s), s != "")
}

const maxBindAddrs = 16

func setBind(c *Config, args []string, _ *loadState) error {
	if len(args) > maxBindAddrs {
		return errors.New("Too many bind addresses specified.")
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	c.Bind = append([]string{}, args...)
	return nil
}

func getBind(c *Config) string { return strings.Join(c.Bind, " ") }

func rewriteBind(c *Config, st *rewriteState, name string) {
	if equalStrings(c.Bind, DefaultBind) {
		st.markProcessed(name)
		return
	}
	addrs := `""`
	if len(c.Bind) > 0 {
		addrs = strings.Join(c.Bind, " ")
	}
	st.rewriteLine(name, name+" "+addrs, true)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func setReplicaOf(c *Config, args []string, _ *loadState) error {
	if len(args) != 2 {
		return errWrongArgs
	}
	c.ReplicaOfHost, c.ReplicaOfPort = "", 0
	if strings.EqualFold(args[0], "no") && strings.EqualFold(args[1], "one") {
		return nil
	}
	port, ok := parseCInt(args[1], 10)
	if !ok || port < 0 || port > 65535 {
		return errors.New("Invalid master port")
	}
	c.ReplicaOfHost, c.ReplicaOfPort = args[0], int(port)
	return nil
}

func getReplicaOf(c *Config) string {
	if c.ReplicaOfHost == "" {
		return ""
	}
	return c.ReplicaOfHost + " " + strconv.Itoa(c.ReplicaOfPort)
}

func rewriteReplicaOf(c *Config, st *rewriteState, name string) {
	if c.ReplicaOfHost == "" || c.ClusterEnabled {
		st.markProcessed(name)
		return
	}
	st.rewriteLine(name, name+" "+getReplicaOf(c), true)
}

func setPercentiles(c *Config, args []string, _ *loadState) error {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	vals := []float64{}
	for _, a := range args {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || a == "" || strings.TrimLeft(a, " \t\n\r\v\f") != a || math.IsNaN(f) {
			c.LatencyTrackingInfoPercentiles = []float64{}
			return errors.New("Invalid latency-tracking-info-percentiles parameters")
		}
		if f > 100 || f < 0 {
			c.LatencyTrackingInfoPercentiles = []float64{}
			return errors.New("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
		}
		vals = append(vals, f)
	}
	c.LatencyTrackingInfoPercentiles = vals
	return nil
}

// formatPercentile is "%f" with trailing zeros (and a trailing dot) removed.
func formatPercentile(f float64) string {
	s := strconv.FormatFloat(f, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func getPercentiles(c *Config) string {
	parts := make([]string, len(c.LatencyTrackingInfoPercentiles))
	for i, f := range c.LatencyTrackingInfoPercentiles {
		parts[i] = formatPercentile(f)
	}
	return strings.Join(parts, " ")
}

func rewritePercentiles(c *Config, st *rewriteState, name string) {
	line := name
	if len(c.LatencyTrackingInfoPercentiles) == 0 {
		line += ` ""`
	} else {
		line += " " + getPercentiles(c)
	}
	st.rewriteLine(name, line, true)
}

// Validators of string options.

func isBaseName(s string) bool { return !strings.Contains(s, "/") }

func validDBFilename(s string) error {
	if !isBaseName(s) {
		return errors.New("dbfilename can't be a path, just a filename")
	}
	return nil
}

func validAOFFilename(s string) error {
	if s == "" {
		return errors.New("appendfilename can't be empty")
	}
	if !isBaseName(s) {
		return errors.New("appendfilename can't be a path, just a filename")
	}
	return nil
}

func validAOFDirname(s string) error {
	if s == "" {
		return errors.New("appenddirname can't be empty")
	}
	if !isBaseName(s) {
		return errors.New("appenddirname can't be a path, just a dirname")
	}
	return nil
}

func validHostname(s string) error {
	if len(s) >= 256 {
		return errors.New("Hostnames must be less than 256 characters")
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '.') {
			return errors.New("Hostnames may only contain alphanumeric characters, hyphens or dots")
		}
	}
	return nil
}

// procTitleVars are the variables proc-title-template may use.
var procTitleVars = map[string]bool{
	"title": true, "listen-addr": true, "server-mode": true, "port": true,
	"tls-port": true, "unixsocket": true, "config-file": true,
}

// validProcTitleTemplate accepts {variable} references to known variables,
// "{{" and "}}" escapes, and rejects templates that expand to nothing.
func validProcTitleTemplate(s string) error {
	bad := errors.New("template format is invalid or contains unknown variables")
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if i+1 < len(s) && s[i+1] == '{' {
				out.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return bad
			}
			name := s[i+1 : i+1+end]
			if !procTitleVars[name] {
				return bad
			}
			out.WriteString("x")
			i += end + 1
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				out.WriteByte('}')
				i++
				continue
			}
			return bad
		default:
			out.WriteByte(s[i])
		}
	}
	if strings.TrimSpace(out.String()) == "" {
		return bad
	}
	return nil
}
