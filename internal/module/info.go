package module

import (
	"strconv"
	"strings"
)

// InfoFunc is a module's INFO callback (RedisModuleInfoFunc).
type InfoFunc func(ic *InfoCtx, forCrashReport bool)

// InfoCtx is RedisModuleInfoCtx: where an INFO callback adds its sections
// and fields.
type InfoCtx struct {
	module    *Module
	b         *strings.Builder
	want      func(section string) bool // nil: every section
	sections  *int                      // sections in the output so far
	inSection bool
	inDict    bool
}

// RegisterInfoFunc is RedisModule_RegisterInfoFunc.
func (ctx *Ctx) RegisterInfoFunc(cb InfoFunc) int {
	if ctx.module == nil {
		return ERR
	}
	ctx.module.infoFunc = cb
	return OK
}

// CollectInfo appends the modules' INFO sections (Redis's
// modulesCollectInfo) to b. want tells whether a section name ("mod" or
// "mod_section") was requested; nil means every section (INFO everything
// or INFO modules). sections counts the sections already in b.
func (e *Engine) CollectInfo(b *strings.Builder, want func(string) bool, sections *int) {
	for _, m := range e.Modules() {
		if m.infoFunc == nil {
			continue
		}
		ic := &InfoCtx{module: m, b: b, want: want, sections: sections}
		m.infoFunc(ic, false)
		if ic.inDict {
			ic.InfoEndDictField()
		}
	}
}

// InfoAddSection is RedisModule_InfoAddSection: "# <module>_<name>" (or
// just the module name), printed only when requested.
func (ic *InfoCtx) InfoAddSection(name string) int {
	full := ic.module.Name
	if name != "" {
		full += "_" + name
	}
	if ic.inDict {
		ic.InfoEndDictField()
	}
	ic.inSection = false
	if ic.want == nil || ic.want(strings.ToLower(ic.module.Name)) || ic.want(strings.ToLower(full)) {
		if *ic.sections > 0 {
			ic.b.WriteString("\r\n")
		}
		*ic.sections++
		ic.b.WriteString("# ")
		ic.b.WriteString(full)
		ic.b.WriteString("\r\n")
		ic.inSection = true
		return OK
	}
	return ERR
}

// InfoBeginDictField is RedisModule_InfoBeginDictField: a field whose
// value is k=v pairs.
func (ic *InfoCtx) InfoBeginDictField(name string) int {
	if !ic.inSection {
		return ERR
	}
	if ic.inDict {
		ic.InfoEndDictField()
	}
	ic.b.WriteString(ic.module.Name + "_" + name + ":")
	ic.inDict = true
	return OK
}

// InfoEndDictField is RedisModule_InfoEndDictField.
func (ic *InfoCtx) InfoEndDictField() int {
	if !ic.inDict {
		return ERR
	}
	s := ic.b.String()
	if strings.HasSuffix(s, ",") {
		// Drop the trailing comma: rebuild (Builders cannot shrink).
		ic.b.Reset()
		ic.b.WriteString(s[:len(s)-1])
	}
	ic.b.WriteString("\r\n")
	ic.inDict = false
	return OK
}

func (ic *InfoCtx) addField(field, value string) int {
	if !ic.inSection {
		return ERR
	}
	if ic.inDict {
		ic.b.WriteString(field + "=" + value + ",")
		return OK
	}
	ic.b.WriteString(ic.module.Name + "_" + field + ":" + value + "\r\n")
	return OK
}

// InfoAddFieldString is RedisModule_InfoAddFieldString.
func (ic *InfoCtx) InfoAddFieldString(field string, value *String) int {
	return ic.addField(field, string(value.Bytes()))
}

// InfoAddFieldCString is RedisModule_InfoAddFieldCString.
func (ic *InfoCtx) InfoAddFieldCString(field, value string) int { return ic.addField(field, value) }

// InfoAddFieldDouble is RedisModule_InfoAddFieldDouble (%.17g).
func (ic *InfoCtx) InfoAddFieldDouble(field string, v float64) int {
	return ic.addField(field, string(appendG(nil, v, 17)))
}

// InfoAddFieldLongLong is RedisModule_InfoAddFieldLongLong.
func (ic *InfoCtx) InfoAddFieldLongLong(field string, v int64) int {
	return ic.addField(field, strconv.FormatInt(v, 10))
}

// InfoAddFieldULongLong is RedisModule_InfoAddFieldULongLong.
func (ic *InfoCtx) InfoAddFieldULongLong(field string, v uint64) int {
	return ic.addField(field, strconv.FormatUint(v, 10))
}
