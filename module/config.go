package module

import engine "github.com/modis/modis/internal/module"

// Module config flags (REDISMODULE_CONFIG_*).
const (
	ConfigDefault     = engine.ConfigDefault
	ConfigImmutable   = engine.ConfigImmutable
	ConfigSensitive   = engine.ConfigSensitive
	ConfigHidden      = engine.ConfigHidden
	ConfigProtected   = engine.ConfigProtected
	ConfigDenyLoading = engine.ConfigDenyLoading
	ConfigMemory      = engine.ConfigMemory
)

func wrapApply(apply func(ctx *Ctx) error) engine.ConfigApplyFunc {
	if apply == nil {
		return nil
	}
	return func(ec *engine.Ctx) error { return apply(&Ctx{c: ec}) }
}

// RegisterStringConfig is RedisModule_RegisterStringConfig: a config
// "<module>.<name>" visible to CONFIG GET/SET and settable from the config
// file or MODULE LOADEX CONFIG. set's error is CONFIG SET's message;
// apply (optional) runs after a successful set. Call LoadConfigs after
// registering.
func (ctx *Ctx) RegisterStringConfig(name, def string, flags int, get func() string, set func(string) error, apply func(ctx *Ctx) error) error {
	return status(ctx.c.RegisterStringConfig(name, def, flags,
		func(string) string { return get() },
		func(_, v string) error { return set(v) }, wrapApply(apply)))
}

// RegisterBoolConfig is RedisModule_RegisterBoolConfig.
func (ctx *Ctx) RegisterBoolConfig(name string, def bool, flags int, get func() bool, set func(bool) error, apply func(ctx *Ctx) error) error {
	return status(ctx.c.RegisterBoolConfig(name, def, flags,
		func(string) bool { return get() },
		func(_ string, v bool) error { return set(v) }, wrapApply(apply)))
}

// RegisterNumericConfig is RedisModule_RegisterNumericConfig.
func (ctx *Ctx) RegisterNumericConfig(name string, def int64, flags int, min, max int64, get func() int64, set func(int64) error, apply func(ctx *Ctx) error) error {
	return status(ctx.c.RegisterNumericConfig(name, def, flags, min, max,
		func(string) int64 { return get() },
		func(_ string, v int64) error { return set(v) }, wrapApply(apply)))
}

// RegisterEnumConfig is RedisModule_RegisterEnumConfig.
func (ctx *Ctx) RegisterEnumConfig(name string, def int, flags int, names []string, vals []int, get func() int, set func(int) error, apply func(ctx *Ctx) error) error {
	return status(ctx.c.RegisterEnumConfig(name, def, flags, names, vals,
		func(string) int { return get() },
		func(_ string, v int) error { return set(v) }, wrapApply(apply)))
}

// LoadConfigs is RedisModule_LoadConfigs: give the registered configs
// their configured (or default) values. A module that registers configs
// must call it in OnLoad.
func (ctx *Ctx) LoadConfigs() error { return status(ctx.c.LoadConfigs()) }
