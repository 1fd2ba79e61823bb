package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Flag describes how an option may be changed and shown, as Redis's
// config flags do.
type Flag uint16

const (
	// Immutable options can only be set at start-up.
	Immutable Flag = 1 << iota
	// Sensitive values are redacted from logs, SLOWLOG and MONITOR.
	Sensitive
	// Hidden options match CONFIG GET only by exact name, never a pattern.
	Hidden
	// Protected options can be changed by CONFIG SET only when
	// enable-protected-configs allows it.
	Protected
	// DenyLoading options can't be changed while a dataset is loading.
	DenyLoading
	// MultiArg options take several arguments (CONFIG SET splits the value
	// on spaces).
	MultiArg
	// IsAlias marks the table entry of an alternative name.
	IsAlias
)

type kind uint8

const (
	kindBool kind = iota
	kindNum
	kindEnum
	kindString
	kindSpecial
)

// Numeric value syntaxes accepted besides plain integers.
const (
	numMemory  = 1 << iota // 1gb, 100mb, 5k
	numPercent             // 10% (stored negative)
	numOctal               // 0777
)

// Option is one entry of the options table. Every name (primary or alias)
// has its own entry; an alias entry shares the accessors of its primary.
type Option struct {
	Name    string // the name of this entry
	Primary string // the primary name ("" for a primary entry)
	Flags   Flag
	kind    kind

	boolp   func(*Config) *bool
	boolDef bool

	nget     func(*Config) int64
	nset     func(*Config, int64)
	lo, hi   int64 // bounds; compared as unsigned when unsigned is set
	unsigned bool
	nflags   int
	numDef   int64

	enumNames []string
	enumVals  []int
	enump     func(*Config) *string
	enumDef   string

	strp        func(*Config) *string
	strDef      string
	strDefNull  bool // the default is "no value" (Redis NULL)
	emptyIsNull bool // setting "" means no value
	strValid    func(string) error

	// Special options.
	sset     func(c *Config, args []string, st *loadState) error
	sget     func(c *Config) string
	srewrite func(c *Config, st *rewriteState, name string)

	// init sets the default of a special option (nil: set by Default).
	init func(c *Config)

	// onSet runs after a successful set (validation done); used to derive
	// values such as the clamped hz.
	onSet func(c *Config)
}

// PrimaryName is the option's canonical name (the primary's for aliases).
func (o *Option) PrimaryName() string {
	if o.Primary != "" {
		return o.Primary
	}
	return o.Name
}

// errWrongArgs is the message for a wrong argument count.
var errWrongArgs = errors.New("wrong number of arguments")

// loadState is the state of one parse of config text (file + command line)
// or of one CONFIG SET. It is nil for CONFIG SET.
type loadState struct {
	saveLoaded bool
	commands   map[string]bool // command names after rename-command lines
}

// set parses args and stores the value. It reports whether the value
// changed.
func (o *Option) set(c *Config, args []string, st *loadState) (bool, error) {
	if o.kind != kindSpecial && len(args) != 1 {
		return false, errWrongArgs
	}
	before := o.get(c)
	switch o.kind {
	case kindBool:
		v, ok := yesNo(args[0])
		if !ok {
			return false, errors.New("argument must be 'yes' or 'no'")
		}
		if o.Name == "activedefrag" && v {
			return false, errors.New("Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution")
		}
		*o.boolp(c) = v
	case kindNum:
		v, err := o.parseNum(args[0])
		if err != nil {
			return false, err
		}
		if err := o.checkBounds(v); err != nil {
			return false, err
		}
		o.nset(c, v)
	case kindEnum:
		name, ok := o.enumCanonical(args[0])
		if !ok {
			return false, errors.New("argument(s) must be one of the following: " + strings.Join(o.enumNames, ", "))
		}
		*o.enump(c) = name
	case kindString:
		if o.strValid != nil {
			if err := o.strValid(args[0]); err != nil {
				return false, err
			}
		}
		*o.strp(c) = args[0]
	case kindSpecial:
		if err := o.sset(c, args, st); err != nil {
			return false, err
		}
	}
	if o.onSet != nil {
		o.onSet(c)
	}
	return o.get(c) != before, nil
}

// get formats the current value as CONFIG GET shows it.
func (o *Option) get(c *Config) string {
	switch o.kind {
	case kindBool:
		if *o.boolp(c) {
			return "yes"
		}
		return "no"
	case kindNum:
		return o.formatNum(o.nget(c))
	case kindEnum:
		return *o.enump(c)
	case kindString:
		return *o.strp(c)
	default:
		return o.sget(c)
	}
}

// setDefault stores the default value.
func (o *Option) setDefault(c *Config) {
	switch o.kind {
	case kindBool:
		*o.boolp(c) = o.boolDef
	case kindNum:
		o.nset(c, o.numDef)
	case kindEnum:
		*o.enump(c) = o.enumDef
	case kindString:
		*o.strp(c) = o.strDef
	case kindSpecial:
		if o.init != nil {
			o.init(c)
		}
	}
}

func yesNo(s string) (v, ok bool) {
	switch {
	case strings.EqualFold(s, "yes"):
		return true, true
	case strings.EqualFold(s, "no"):
		return false, true
	}
	return false, false
}

func (o *Option) enumCanonical(s string) (string, bool) {
	for i, n := range o.enumNames {
		if strings.EqualFold(n, s) {
			// Names sharing a value show as the first of them.
			for j := range o.enumNames {
				if o.enumVals[j] == o.enumVals[i] {
					return o.enumNames[j], true
				}
			}
		}
	}
	return "", false
}

// parseNum parses a numeric option value with the syntaxes it accepts,
// returning Redis's message for the option's kind on failure.
func (o *Option) parseNum(s string) (int64, error) {
	if o.nflags&numMemory != 0 {
		if v, ok := parseMemory(s); ok {
			return int64(v), nil
		}
	}
	if o.nflags&numPercent != 0 && len(s) > 1 && s[len(s)-1] == '%' {
		if v, ok := parseStrictInt(s[:len(s)-1]); ok && v >= 0 {
			return -v, nil
		}
	}
	if o.nflags&numOctal != 0 {
		if v, ok := parseCInt(s, 8); ok {
			return v, nil
		}
	}
	if o.nflags == 0 {
		if v, ok := parseStrictInt(s); ok {
			return v, nil
		}
	}
	switch {
	case o.nflags&numMemory != 0 && o.nflags&numPercent != 0:
		return 0, errors.New("argument must be a memory or percent value")
	case o.nflags&numMemory != 0:
		return 0, errors.New("argument must be a memory value")
	case o.nflags&numOctal != 0:
		return 0, errors.New("argument couldn't be parsed as an octal number")
	}
	return 0, errors.New("argument couldn't be parsed into an integer")
}

func (o *Option) checkBounds(v int64) error {
	if o.unsigned {
		u, lo, hi := uint64(v), uint64(o.lo), uint64(o.hi)
		if u < lo || u > hi {
			if o.nflags&numOctal != 0 {
				return fmt.Errorf("argument must be between %o and %o inclusive", lo, hi)
			}
			return fmt.Errorf("argument must be between %d and %d inclusive", lo, hi)
		}
		return nil
	}
	if o.nflags&numPercent != 0 && v < 0 {
		if v < o.lo {
			return fmt.Errorf("percentage argument must be less or equal to %d", -o.lo)
		}
		return nil
	}
	if v < o.lo || v > o.hi {
		return fmt.Errorf("argument must be between %d and %d inclusive", o.lo, o.hi)
	}
	return nil
}

func (o *Option) formatNum(v int64) string {
	switch {
	case o.nflags&numPercent != 0 && v < 0:
		return strconv.FormatInt(-v, 10) + "%"
	case o.nflags&numMemory != 0:
		return strconv.FormatUint(uint64(v), 10)
	case o.nflags&numOctal != 0:
		return strconv.FormatInt(v, 8)
	}
	return strconv.FormatInt(v, 10)
}

// parseStrictInt parses like Redis's string2ll: an optional '-', digits,
// no leading zeros, no '+', no spaces.
func parseStrictInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	d := s
	if d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || d[0] < '1' || d[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// parseCInt parses like C's strtoll with a full-string check: leading
// spaces and a sign allowed, overflow rejected.
func parseCInt(s string, base int) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	if t == "" {
		// strtoll consumed nothing: the end pointer is the start, and an
		// empty string passes the end check.
		return 0, s == ""
	}
	t = strings.TrimPrefix(t, "+")
	v, err := strconv.ParseInt(t, base, 64)
	return v, err == nil
}

// parseMemory parses a memory value like Redis's memtoull: digits with an
// optional unit b, k, kb, m, mb, g, gb (any case). Values too large
// saturate at the maximum, as strtoull does.
func parseMemory(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	var mul uint64
	switch strings.ToLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 {
		return 0, false
	}
	var v uint64
	if i > 0 {
		var err error
		v, err = strconv.ParseUint(s[:i], 10, 64)
		if err != nil {
			v = math.MaxUint64
		}
	}
	if v > math.MaxUint64/mul {
		return 0, false
	}
	return v * mul, true
}

// formatMemory writes bytes with the largest exact unit (gb, mb, kb), as
// CONFIG REWRITE does.
func formatMemory(v int64) string {
	const kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
	switch {
	case v != 0 && v%gb == 0:
		return strconv.FormatInt(v/gb, 10) + "gb"
	case v != 0 && v%mb == 0:
		return strconv.FormatInt(v/mb, 10) + "mb"
	case v != 0 && v%kb == 0:
		return strconv.FormatInt(v/kb, 10) + "kb"
	}
	return strconv.FormatInt(v, 10)
}
