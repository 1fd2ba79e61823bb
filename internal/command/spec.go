// Package command is the command table as data: for every command its name,
// arity, flags, ACL categories, key positions, key specs, documentation and
// subcommands, as COMMAND INFO and COMMAND DOCS report them. It holds no
// handlers: the server binds a procedure to each Spec by name, and modules
// add Specs of their own at run time.
package command

import "strings"

// Flags are command flags (CMD_* in Redis).
type Flags uint64

const (
	FlagWrite Flags = 1 << iota
	FlagReadonly
	FlagDenyOOM
	FlagModule
	FlagAdmin
	FlagPubsub
	FlagNoscript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagAsking
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagNoMandatoryKeys
	FlagNoAsyncLoading
	FlagNoMulti
	FlagMovableKeys
	FlagAllowBusy
	FlagSentinel
	FlagOnlySentinel
	FlagProtected
)

// flagNames lists flags in the order COMMAND INFO prints them.
var flagNames = []struct {
	f    Flags
	name string
}{
	{FlagWrite, "write"}, {FlagReadonly, "readonly"}, {FlagDenyOOM, "denyoom"},
	{FlagModule, "module"}, {FlagAdmin, "admin"}, {FlagPubsub, "pubsub"},
	{FlagNoscript, "noscript"}, {FlagBlocking, "blocking"}, {FlagLoading, "loading"},
	{FlagStale, "stale"}, {FlagSkipMonitor, "skip_monitor"}, {FlagSkipSlowlog, "skip_slowlog"},
	{FlagAsking, "asking"}, {FlagFast, "fast"}, {FlagNoAuth, "no_auth"},
	{FlagMayReplicate, "may_replicate"}, {FlagNoMandatoryKeys, "no_mandatory_keys"},
	{FlagNoAsyncLoading, "no_async_loading"}, {FlagNoMulti, "no_multi"},
	{FlagMovableKeys, "movablekeys"}, {FlagAllowBusy, "allow_busy"},
}

// Names returns the flag names in COMMAND INFO order.
func (f Flags) Names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.f != 0 {
			out = append(out, fn.name)
		}
	}
	return out
}

// ParseFlag returns the flag with the given COMMAND INFO name.
func ParseFlag(name string) (Flags, bool) {
	for _, fn := range flagNames {
		if fn.name == name {
			return fn.f, true
		}
	}
	return 0, false
}

// ACL categories (ACL_CATEGORY_* in Redis), in Redis's order.
type Categories uint64

var categoryNames = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// CategoryNames lists every ACL category name.
func CategoryNames() []string { return categoryNames }

// ParseCategory returns the category bit for a name without '@'.
func ParseCategory(name string) (Categories, bool) {
	for i, n := range categoryNames {
		if strings.EqualFold(n, name) {
			return 1 << i, true
		}
	}
	return 0, false
}

// Names returns "@name" strings in Redis's order.
func (c Categories) Names() []string {
	var out []string
	for i, n := range categoryNames {
		if c&(1<<i) != 0 {
			out = append(out, "@"+n)
		}
	}
	return out
}

// KeySpec describes where a command's keys are (Redis 7 key specs).
type KeySpec struct {
	Notes string
	Flags []string // RO, RW, OW, RM, access, update, insert, delete, ...

	BeginSearch string // "index", "keyword" or "unknown"
	Index       int    // index: position of the first key
	Keyword     string // keyword: the token preceding the keys
	StartFrom   int    // keyword: where to start looking (negative: from the end)
	FindKeys    string // "range", "keynum" or "unknown"
	LastKey     int    // range: last key relative to the first (-1: last arg)
	KeyStep     int    // range and keynum: step between keys
	Limit       int    // range: 0 all, else 1/limit of the remaining args
	KeyNumIdx   int    // keynum: index of the key count relative to begin
	FirstKey    int    // keynum: first key relative to begin
}

// Arg documents one argument (COMMAND DOCS "arguments").
type Arg struct {
	Name            string
	Type            string // string, integer, double, key, pattern, unix-time, pure-token, oneof, block
	DisplayText     string
	KeySpecIndex    int // -1 when not a key
	Token           string
	Summary         string
	Since           string
	Flags           []string // optional, multiple, multiple_token
	DeprecatedSince string
	Args            []Arg
}

// Spec is one command or subcommand.
type Spec struct {
	Name        string // lower case; subcommands "parent|sub"
	Arity       int
	Flags       Flags
	ACL         Categories
	FirstKey    int
	LastKey     int
	Step        int
	Tips        []string
	KeySpecs    []KeySpec
	Subcommands []*Spec

	// Documentation (COMMAND DOCS).
	Summary         string
	Since           string
	Group           string
	Complexity      string
	DocFlags        []string // deprecated, syscmd
	DeprecatedSince string
	ReplacedBy      string
	History         [][2]string
	Args            []Arg
	Module          string // name of the module that registered it
}

// FullName returns the name as errors print it ("config|get").
func (s *Spec) FullName() string { return s.Name }

// SubName returns the part after '|' for subcommands, else the name.
func (s *Spec) SubName() string {
	if i := strings.IndexByte(s.Name, '|'); i >= 0 {
		return s.Name[i+1:]
	}
	return s.Name
}

// IsWrite and friends are shorthands for the dispatcher.
func (s *Spec) IsWrite() bool { return s.Flags&FlagWrite != 0 }

// Category bits, in categoryNames order.
const (
	CatKeyspace Categories = 1 << iota
	CatRead
	CatWrite
	CatSet
	CatSortedset
	CatList
	CatHash
	CatString
	CatBitmap
	CatHyperloglog
	CatGeo
	CatStream
	CatPubsub
	CatAdmin
	CatFast
	CatSlow
	CatBlocking
	CatDangerous
	CatConnection
	CatTransaction
	CatScripting
)
