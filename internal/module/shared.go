package module

import "sort"

// sharedAPI is one API exported by a module.
type sharedAPI struct {
	module *Module
	fn     any
}

// ExportSharedAPI is RedisModule_ExportSharedAPI: publish fn (for a C
// module, a function pointer) under name for other modules. ERR if the
// name is taken.
func (ctx *Ctx) ExportSharedAPI(name string, fn any) int {
	if ctx.module == nil {
		return ERR
	}
	if ctx.eng.shared == nil {
		ctx.eng.shared = make(map[string]*sharedAPI)
	}
	if ctx.eng.shared[name] != nil {
		return ERR
	}
	ctx.eng.shared[name] = &sharedAPI{module: ctx.module, fn: fn}
	return OK
}

// GetSharedAPI is RedisModule_GetSharedAPI: the API exported under name,
// or nil. The exporting module then counts as used by this one and
// cannot be unloaded before it.
func (ctx *Ctx) GetSharedAPI(name string) any {
	api := ctx.eng.shared[name]
	if api == nil {
		return nil
	}
	if m := ctx.module; m != nil && api.module != m {
		if m.using == nil {
			m.using = map[*Module]bool{}
		}
		if !m.using[api.module] {
			m.using[api.module] = true
			api.module.usedBy++
		}
	}
	return api.fn
}

// releaseShared drops m's exported APIs and its uses of others' (unload).
func (e *Engine) releaseShared(m *Module) {
	for name, api := range e.shared {
		if api.module == m {
			delete(e.shared, name)
		}
	}
	for other := range m.using {
		other.usedBy--
	}
	m.using = nil
}

// UsingNames lists the modules whose shared APIs m uses (INFO modules).
func (m *Module) UsingNames() []string {
	var out []string
	for o := range m.using {
		out = append(out, o.Name)
	}
	sort.Strings(out)
	return out
}

// UsedByNames lists the loaded modules using m's shared APIs.
func (e *Engine) UsedByNames(m *Module) []string {
	var out []string
	for _, o := range e.modules {
		if o.using[m] {
			out = append(out, o.Name)
		}
	}
	sort.Strings(out)
	return out
}
