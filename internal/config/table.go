package config

import (
	"math"
	"sort"
	"strings"
)

// Bounds used by the table, named after the C types Redis uses.
const (
	intMax   = math.MaxInt32
	intMin   = math.MinInt32
	uintMax  = math.MaxUint32
	longMax  = math.MaxInt64
	llongMax = math.MaxInt64
	ullMax   = -1 // all bits set: compared as unsigned
)

func boolOpt(name, alias string, fl Flag, def bool, p func(*Config) *bool) *Option {
	return &Option{Name: name, Primary: alias, Flags: fl, kind: kindBool, boolp: p, boolDef: def}
}

// num builds a numeric option stored in an int or int64 field. Values that
// don't fit the field (unsigned 64-bit ones) saturate.
func num[T int | int64](name, alias string, fl Flag, nflags int, lo, hi, def int64, p func(*Config) *T) *Option {
	o := &Option{Name: name, Primary: alias, Flags: fl, kind: kindNum, lo: lo, hi: hi, nflags: nflags, numDef: def}
	o.nget = func(c *Config) int64 {
		v := int64(*p(c))
		if v == math.MaxInt64 && c.hugeValues[name] != 0 {
			return int64(c.hugeValues[name]) // bits of the unsigned value
		}
		return v
	}
	o.nset = func(c *Config, v int64) {
		if o.unsigned && v < 0 {
			// Above the int64 field's range (maxmemory 18446744073709551615):
			// the field saturates, the exact value is kept for CONFIG GET.
			if c.hugeValues == nil {
				c.hugeValues = map[string]uint64{}
			}
			c.hugeValues[name] = uint64(v)
			v = math.MaxInt64
		} else if c.hugeValues != nil {
			delete(c.hugeValues, name)
		}
		*p(c) = T(v)
	}
	return o
}

// unsignedNum marks a numeric option whose bounds compare as unsigned
// (Redis's unsigned, size_t and unsigned long long configs).
func unsignedNum(o *Option) *Option {
	o.unsigned = true
	return o
}

func enumOpt(name string, fl Flag, names []string, vals []int, def string, p func(*Config) *string) *Option {
	if vals == nil {
		vals = make([]int, len(names))
		for i := range vals {
			vals[i] = i
		}
	}
	return &Option{Name: name, Flags: fl, kind: kindEnum, enumNames: names, enumVals: vals, enumDef: def, enump: p}
}

// strOpt builds a string option; null means an empty value is "no value"
// (Redis's EMPTY_STRING_IS_NULL with a NULL default).
func strOpt(name, alias string, fl Flag, null bool, def string, valid func(string) error, p func(*Config) *string) *Option {
	return &Option{Name: name, Primary: alias, Flags: fl, kind: kindString, strp: p, strDef: def,
		strDefNull: null && def == "", emptyIsNull: null, strValid: valid}
}

func special(name, alias string, fl Flag, set func(*Config, []string, *loadState) error,
	get func(*Config) string, rewrite func(*Config, *rewriteState, string)) *Option {
	return &Option{Name: name, Primary: alias, Flags: fl, kind: kindSpecial, sset: set, sget: get, srewrite: rewrite}
}

var (
	allOptions []*Option          // every entry, primary then alias, in table order
	byName     map[string]*Option // lower-case name -> entry
	primaries  []*Option          // primary entries only
)

func init() {
	for _, o := range optionTable() {
		alias := o.Primary // the constructors take the alias in Primary
		o.Primary = ""
		primaries = append(primaries, o)
		allOptions = append(allOptions, o)
		if alias != "" {
			a := *o
			a.Name, a.Primary = alias, o.Name
			a.Flags |= IsAlias
			allOptions = append(allOptions, &a)
		}
	}
	byName = make(map[string]*Option, len(allOptions))
	for _, o := range allOptions {
		byName[o.Name] = o
	}
}

// Lookup finds an option by name or alias, case-insensitively.
func Lookup(name string) *Option {
	if o := byName[name]; o != nil {
		return o
	}
	return byName[strings.ToLower(name)]
}

// Options returns every table entry, aliases included, in table order.
func Options() []*Option { return allOptions }

// Names returns every option name, aliases included, sorted.
func Names() []string {
	out := make([]string, 0, len(allOptions))
	for _, o := range allOptions {
		out = append(out, o.Name)
	}
	sort.Strings(out)
	return out
}
