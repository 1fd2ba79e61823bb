package module

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// Module config flags (REDISMODULE_CONFIG_*).
const (
	ConfigDefault     = 0
	ConfigImmutable   = 1 << 0
	ConfigSensitive   = 1 << 1
	ConfigHidden      = 1 << 4
	ConfigProtected   = 1 << 5
	ConfigDenyLoading = 1 << 6
	ConfigMemory      = 1 << 7
	ConfigBitflags    = 1 << 8
)

// ModuleConfig is one config registered by a module; its full name is
// "<module>.<name>". Values travel as strings between CONFIG and the
// typed getters and setters.
type ModuleConfig struct {
	Name   string // full name
	Flags  int
	module *Module
	def    string
	get    func() string
	set    func(val string) error
	apply  func(ctx *Ctx) error
	// applyKey identifies the apply callback, so that CONFIG SET runs a
	// callback shared by several configs once (Redis compares the C
	// function and private data); nil: the config itself.
	applyKey any
}

// ShortName is the config's name within its module (after "<module>.").
func (mc *ModuleConfig) ShortName() string { return mc.Name[len(mc.module.Name)+1:] }

// SetApplyKey sets the identity of the config's apply callback (the C
// bridge: its function pointer and private data).
func (mc *ModuleConfig) SetApplyKey(key any) { mc.applyKey = key }

// ConfigApplyFunc is a module config's apply callback.
type ConfigApplyFunc func(ctx *Ctx) error

func validConfigName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (ctx *Ctx) registerConfig(name string, flags int, def string, get func() string, set func(string) error, apply ConfigApplyFunc) int {
	m := ctx.module
	if m == nil || !validConfigName(name) || flags&^(ConfigImmutable|ConfigSensitive|ConfigHidden|ConfigProtected|ConfigDenyLoading|ConfigMemory|ConfigBitflags) != 0 {
		return ERR
	}
	full := strings.ToLower(m.Name + "." + name)
	if ctx.eng.configs[full] != nil {
		return ERR
	}
	mc := &ModuleConfig{Name: m.Name + "." + name, Flags: flags, module: m, def: def, get: get, set: set, apply: apply}
	if ctx.eng.configs == nil {
		ctx.eng.configs = make(map[string]*ModuleConfig)
	}
	ctx.eng.configs[full] = mc
	m.configs = append(m.configs, mc)
	return OK
}

// RegisterStringConfig is RedisModule_RegisterStringConfig: get returns
// the current value, set validates and stores (its error is shown by
// CONFIG SET), apply runs after a successful CONFIG SET or LoadConfigs.
func (ctx *Ctx) RegisterStringConfig(name, def string, flags int, get func(name string) string, set func(name, val string) error, apply ConfigApplyFunc) int {
	return ctx.registerConfig(name, flags, def,
		func() string { return get(name) },
		func(v string) error { return set(name, v) }, apply)
}

// RegisterBoolConfig is RedisModule_RegisterBoolConfig ("yes"/"no").
func (ctx *Ctx) RegisterBoolConfig(name string, def bool, flags int, get func(name string) bool, set func(name string, val bool) error, apply ConfigApplyFunc) int {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return ctx.registerConfig(name, flags, yn(def),
		func() string { return yn(get(name)) },
		func(v string) error {
			switch strings.ToLower(v) {
			case "yes":
				return set(name, true)
			case "no":
				return set(name, false)
			}
			return errors.New("argument must be 'yes' or 'no'")
		}, apply)
}

// RegisterNumericConfig is RedisModule_RegisterNumericConfig: a 64-bit
// integer in [min, max] (memory units accepted with ConfigMemory).
func (ctx *Ctx) RegisterNumericConfig(name string, def int64, flags int, min, max int64, get func(name string) int64, set func(name string, val int64) error, apply ConfigApplyFunc) int {
	return ctx.registerConfig(name, flags, strconv.FormatInt(def, 10),
		func() string { return strconv.FormatInt(get(name), 10) },
		func(v string) error {
			n, ok := parseConfigNumber(v, flags&ConfigMemory != 0)
			if !ok {
				return errors.New("argument couldn't be parsed into an integer")
			}
			if n < min || n > max {
				return errors.New("argument must be between " + strconv.FormatInt(min, 10) + " and " + strconv.FormatInt(max, 10) + " inclusive")
			}
			return set(name, n)
		}, apply)
}

func parseConfigNumber(v string, memory bool) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	if !memory {
		return 0, false
	}
	l := strings.ToLower(v)
	for _, u := range []struct {
		s string
		m int64
	}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"k", 1000}, {"m", 1000000}, {"g", 1000000000}, {"b", 1}} {
		if strings.HasSuffix(l, u.s) {
			n, err := strconv.ParseInt(l[:len(l)-len(u.s)], 10, 64)
			return n * u.m, err == nil
		}
	}
	return 0, false
}

// RegisterEnumConfig is RedisModule_RegisterEnumConfig: one of names
// (mapped to vals).
func (ctx *Ctx) RegisterEnumConfig(name string, def int, flags int, names []string, vals []int, get func(name string) int, set func(name string, val int) error, apply ConfigApplyFunc) int {
	if len(names) == 0 || len(names) != len(vals) {
		return ERR
	}
	nameOf := func(v int) string {
		for i, x := range vals {
			if x == v {
				return names[i]
			}
		}
		return ""
	}
	return ctx.registerConfig(name, flags, nameOf(def),
		func() string { return nameOf(get(name)) },
		func(v string) error {
			for i, n := range names {
				if strings.EqualFold(n, v) {
					return set(name, vals[i])
				}
			}
			return errors.New("argument(s) must be one of the following: " + strings.Join(names, ", "))
		}, apply)
}

// LoadConfigs is RedisModule_LoadConfigs: give every registered config its
// value from the config file or MODULE LOADEX (else its default). ERR if a
// value is refused. As in redis-server 7.0.15, the apply callbacks do not
// run here (only after CONFIG SET).
func (ctx *Ctx) LoadConfigs() int {
	m := ctx.module
	if m == nil {
		return ERR
	}
	e := ctx.eng
	for _, mc := range m.configs {
		v, given := e.configQueue[strings.ToLower(mc.Name)]
		if given {
			delete(e.configQueue, strings.ToLower(mc.Name))
		} else {
			v = mc.def
		}
		if err := mc.set(v); err != nil {
			e.host.Logf(LogWarning, "Issue during loading of configuration %s : %s", mc.Name, err)
			return ERR
		}
	}
	m.configsLoaded = true
	return OK
}

// QueueConfigs adds config-file module configs ("mod.name value") to be
// consumed by LoadConfigs at start-up.
func (e *Engine) QueueConfigs(pairs [][2]string) {
	if e.configQueue == nil {
		e.configQueue = make(map[string]string)
	}
	for _, p := range pairs {
		e.configQueue[strings.ToLower(p[0])] = p[1]
	}
}

// LookupConfig finds a module config by full name.
func (e *Engine) LookupConfig(name string) *ModuleConfig { return e.configs[strings.ToLower(name)] }

// Configs lists the module configs (CONFIG GET matching).
func (e *Engine) Configs() []*ModuleConfig {
	out := make([]*ModuleConfig, 0, len(e.configs))
	for _, mc := range e.configs {
		out = append(out, mc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the config's current value.
func (mc *ModuleConfig) Get() string { return mc.get() }

// SetConfigValue validates and stores a value without applying it (CONFIG
// SET sets every value first, then applies).
func (e *Engine) SetConfigValue(mc *ModuleConfig, val string) error { return mc.set(val) }

// ApplyConfigs runs the apply callbacks of configs CONFIG SET changed, each
// callback once (in first-use order), as Redis's moduleConfigApplyConfig;
// on failure it returns the config whose callback failed.
func (e *Engine) ApplyConfigs(mcs []*ModuleConfig) (*ModuleConfig, error) {
	seen := make(map[any]bool, len(mcs))
	for _, mc := range mcs {
		if mc.apply == nil {
			continue
		}
		var key any = mc
		if mc.applyKey != nil {
			key = mc.applyKey
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		ctx := e.newCtx(mc.module, nil, 0)
		err := mc.apply(ctx)
		ctx.free()
		if err != nil {
			return mc, err
		}
	}
	return nil, nil
}

// SetConfig validates, stores and applies a value.
func (e *Engine) SetConfig(mc *ModuleConfig, val string) error {
	if err := mc.set(val); err != nil {
		return err
	}
	if mc.apply != nil {
		ctx := e.newCtx(mc.module, nil, 0)
		defer ctx.free()
		return mc.apply(ctx)
	}
	return nil
}
