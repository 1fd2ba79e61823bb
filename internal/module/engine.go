// Package module is the module engine, Modis's counterpart of Redis's
// module.c: the modules registry, the load queue, the API registry, and the
// module API itself (contexts, replies, strings, keys, Call, commands, data
// types, timers, blocking). Go modules compiled into the binary use it
// through the public package github.com/modis/modis/module; the C bridge
// (next issue) exposes the same API to .so modules through RedisModule_GetApi
// and the API registry in api.go.
//
// Every API runs with the server's execution lock held unless its comment
// says otherwise.
//
// # Shape of the API, for the C bridge
//
// Each RedisModule_X in the registry (api.go) is one engine function or
// method whose arguments are handles, byte slices, integers and Go
// callbacks, so the C form is a thin wrapper:
//
//   - Handles (*Ctx, *String, *Key, *CallReply, *BlockedClient, *IO,
//     *Digest, *Dict, *DictIter, *DataType, *Command, *InfoCtx,
//     *ScanCursor) are Go pointers. The bridge gives C a stable
//     C-allocated struct per handle (with GetApi at offset 0 for contexts)
//     holding an integer id that maps back to the Go object; TimerID is
//     already an integer.
//   - Module-owned values (data type values, private data, timer data) are
//     `any`: the bridge stores the C void* (as unsafe.Pointer) in them.
//   - Callbacks are Go funcs; the bridge passes closures that call the C
//     function pointer through a C trampoline.
//   - Variadic APIs (Call, Replicate, CreateStringPrintf, EmitAOF, Log)
//     take already formatted arguments: the C shim walks the va_list
//     (FormatArgs documents the specifiers) and calls the engine with argv.
//   - Return codes are OK/ERR ints, errno values are returned as Errno.
package module

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Return codes of the module API (REDISMODULE_OK / REDISMODULE_ERR).
const (
	OK  = 0
	ERR = 1
)

// APIVer1 is REDISMODULE_APIVER_1, the only API version.
const APIVer1 = 1

// Loader is a module implementation: OnLoad is RedisModule_OnLoad. It must
// call Init (or SetModuleAttribs) and return OK or ERR.
type Loader interface {
	OnLoad(ctx *Ctx, argv []*String) int
}

// Unloader is implemented by modules with a RedisModule_OnUnload; returning
// ERR cancels MODULE UNLOAD.
type Unloader interface {
	OnUnload(ctx *Ctx) int
}

// Info registers a Go module compiled into the binary. New returns a fresh
// instance each time the module is loaded.
type Info struct {
	Name string
	New  func() Loader
}

var (
	goModulesMu sync.Mutex
	goModules   = map[string]Info{}
)

// Register makes a Go module loadable by name (MODULE LOAD name,
// loadmodule name). Call it from an init function. It panics on an empty
// or duplicate name or a nil constructor.
func Register(info Info) {
	if info.Name == "" {
		panic("module: Register with an empty name")
	}
	if info.New == nil {
		panic("module: Register " + info.Name + " without New")
	}
	goModulesMu.Lock()
	defer goModulesMu.Unlock()
	if _, dup := goModules[info.Name]; dup {
		panic("module: Register called twice for " + info.Name)
	}
	goModules[info.Name] = info
}

// Registered lists the names of the Go modules compiled in, sorted.
func Registered() []string {
	goModulesMu.Lock()
	defer goModulesMu.Unlock()
	out := make([]string, 0, len(goModules))
	for n := range goModules {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SharedLoader opens a module given by path (the C bridge). Until the
// bridge exists it is nil and paths fail to load.
var SharedLoader func(path string) (Loader, error)

// Module is one loaded module (Redis's struct RedisModule).
type Module struct {
	Name   string
	Ver    int
	APIVer int
	Path   string   // what MODULE LOAD was given (name or path)
	Args   [][]byte // load arguments, for MODULE LIST and CONFIG REWRITE

	impl          Loader
	commands      []*Command  // top-level commands, in creation order
	types         []*DataType // data types it exports
	timers        int         // pending timers
	blocked       int         // blocked clients not yet freed
	options       int         // SetModuleOptions
	subs          []*keyspaceSub
	usedBy        int              // modules using its shared APIs
	using         map[*Module]bool // modules whose shared APIs it uses
	infoFunc      InfoFunc
	configs       []*ModuleConfig
	configsLoaded bool
	events        map[uint64]ServerEventFunc // server event subscriptions
	defragFunc    DefragFunc                 // RegisterDefragFunc (never invoked: no active defrag)
}

// Engine is the module system of one server.
type Engine struct {
	host    Host
	modules map[string]*Module
	queue   []LoadRequest

	// ReplicationFlags, set by the server, gives the replication bits of
	// GetContextFlags (MASTER or SLAVE, READONLY, REPLICATED, the replica
	// link states) for a context's client, which may be nil.
	ReplicationFlags func(c Client) int

	yielding     bool       // inside Yield (no nesting)
	clusterFlags uint64     // SetClusterFlags
	child        *forkChild // the running module fork child (fork.go)
	childMu      sync.Mutex // guards child for the info-pipe reader
	fdWatches    fdWatches  // EventLoopAdd registrations

	timers       timerTable
	keyspaceSubs []*keyspaceSub
	types        map[string]*DataType     // by 9-char name
	configs      map[string]*ModuleConfig // module configs by lower-case full name
	configQueue  map[string]string        // values waiting for LoadConfigs

	tsMu       sync.Mutex // guards the unblock queue (blocked.go)
	unblocked  []*BlockedClient
	blockedBy  map[Client]*BlockedClient     // parked clients
	keyWaiters map[readyKey][]*BlockedClient // BlockClientOnKeys waiters
	readyKeys  []readyKey                    // keys signalled ready, not yet served
	replyBuf   []byte                        // spare reply buffer (ctx.go)
	spareArgv  []*String                     // argv handles of the last command, reusable (command.go)
	ctxPool    []*Ctx                        // freed command contexts, reusable (ctx.go)
	replyPool  []*CallReply                  // freed call replies, reusable (call.go)
	callBufs   [][]byte                      // reply buffers of freed call replies (call.go)
	filters    []*CommandFilter              // command filters, in registration order
	shared     map[string]*sharedAPI         // ExportSharedAPI by name
}

// LoadRequest is one queued load (a loadmodule line or --loadmodule).
type LoadRequest struct {
	Path string
	Args [][]byte
}

// New creates the engine (Redis's moduleInitModulesSystem). The API
// registry is static (api.go).
func New(host Host) *Engine {
	return &Engine{
		host:    host,
		modules: make(map[string]*Module),
		types:   make(map[string]*DataType),

		blockedBy: make(map[Client]*BlockedClient),
	}
}

// Host returns the server side of the engine.
func (e *Engine) Host() Host { return e.host }

// Enqueue adds a module to the start-up load queue.
func (e *Engine) Enqueue(path string, args []string) {
	r := LoadRequest{Path: path}
	for _, a := range args {
		r.Args = append(r.Args, []byte(a))
	}
	e.queue = append(e.queue, r)
}

// LoadQueue loads the queued modules in order (Redis's
// moduleLoadFromQueue). The first failure is returned; the server aborts
// start-up on it.
func (e *Engine) LoadQueue() error {
	q := e.queue
	e.queue = nil
	for _, r := range q {
		if err := e.Load(r.Path, r.Args, nil); err != nil {
			e.host.Logf(LogWarning, "Can't load module from %s: server aborting", r.Path)
			return err
		}
	}
	if len(e.configQueue) > 0 {
		e.host.Logf(LogWarning, "Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting")
		return ErrLoad
	}
	return nil
}

// ErrLoad is returned when a module fails to load; the reason is logged.
var ErrLoad = errors.New("Error loading the extension. Please check the server logs.")

// IsPath reports whether a MODULE LOAD argument names a shared object
// (for the C bridge) rather than a Go module compiled in.
func IsPath(s string) bool {
	return strings.ContainsRune(s, '/') || strings.HasSuffix(s, ".so")
}

// Load loads one module (Redis's moduleLoad). configs are MODULE LOADEX
// CONFIG name/value pairs. Failures are logged and reported as ErrLoad.
func (e *Engine) Load(path string, args [][]byte, configs [][2]string) error {
	var impl Loader
	if IsPath(path) {
		if SharedLoader == nil {
			e.host.Logf(LogWarning, "Module %s failed to load: C module support (the C bridge) is not available yet", path)
			return ErrLoad
		}
		l, err := SharedLoader(path)
		if err != nil {
			e.host.Logf(LogWarning, "Module %s failed to load: %s", path, err)
			return ErrLoad
		}
		impl = l
	} else {
		goModulesMu.Lock()
		info, ok := goModules[path]
		goModulesMu.Unlock()
		if !ok {
			e.host.Logf(LogWarning, "Module %s failed to load: no Go module with that name is compiled in", path)
			return ErrLoad
		}
		impl = info.New()
	}
	if len(configs) > 0 {
		e.QueueConfigs(configs)
	}
	ctx := e.newCtx(nil, nil, 0)
	ctx.impl = impl
	argv := make([]*String, len(args))
	for i, a := range args {
		argv[i] = NewString(a)
	}
	ret := callOnLoad(ctx, impl, argv)
	m := ctx.module
	if ret != OK || m == nil {
		if m != nil {
			e.unregisterAll(m)
		}
		if len(configs) > 0 {
			e.configQueue = nil
		}
		ctx.free()
		if m == nil && ret == OK {
			e.host.Logf(LogWarning, "Module %s did not call RedisModule_Init (no module name): Module not loaded", path)
		} else {
			e.host.Logf(LogWarning, "Module %s initialization failed. Module not loaded", path)
		}
		return ErrLoad
	}
	ctx.free()
	m.impl = impl
	m.Path = path
	m.Args = args
	e.modules[m.Name] = m
	if len(m.configs) > 0 && !m.configsLoaded {
		e.host.Logf(LogWarning, "Module Configurations were not set, likely a missing LoadConfigs call. Unloading the module.")
		e.unloadForce(m)
		return ErrLoad
	}
	if len(configs) > 0 && len(e.configQueue) > 0 {
		// LOADEX CONFIG values nobody registered.
		e.host.Logf(LogWarning, "Loadex configurations were not applied, likely due to invalid arguments. Unloading the module.")
		e.configQueue = nil
		e.unloadForce(m)
		return ErrLoad
	}
	e.host.Logf(LogNotice, "Module '%s' loaded from %s", m.Name, path)
	e.FireServerEvent(EventModuleChange, SubeventModuleLoaded, &ModuleChangeInfo{ModuleName: m.Name, ModuleVersion: m.Ver}, nil, 0)
	return nil
}

// callOnLoad runs OnLoad; a panicking Go module counts as a failed load.
func callOnLoad(ctx *Ctx, impl Loader, argv []*String) (ret int) {
	defer func() {
		if r := recover(); r != nil {
			ctx.eng.host.Logf(LogWarning, "panic in module OnLoad: %v", r)
			ret = ERR
		}
	}()
	return impl.OnLoad(ctx, argv)
}

// UnloadError is why MODULE UNLOAD refused; Error is Redis's message.
type UnloadError struct {
	Errno Errno
}

func (e *UnloadError) Error() string {
	switch e.Errno {
	case ENOENT:
		return "no such module with that name"
	case EBUSY:
		return "the module exports one or more module-side data types, can't unload"
	case EPERM:
		return "the module exports APIs used by other modules. Please unload them first and try again"
	case EAGAIN:
		return "the module has blocked clients. Please wait them unblocked and try again"
	case EINPROGRESS:
		return "the module holds timer that is not fired. Please stop the timer or wait until it fires."
	}
	return "operation not possible."
}

// Unload unloads a module by name (Redis's moduleUnload), with Redis's
// refusals.
func (e *Engine) Unload(name string) error {
	m := e.modules[name]
	switch {
	case m == nil:
		return &UnloadError{ENOENT}
	case len(m.types) > 0:
		return &UnloadError{EBUSY}
	case m.usedBy > 0:
		return &UnloadError{EPERM}
	case m.blocked > 0:
		return &UnloadError{EAGAIN}
	case m.timers > 0:
		return &UnloadError{EINPROGRESS}
	}
	if u, ok := m.impl.(Unloader); ok {
		ctx := e.newCtx(m, nil, 0)
		ret := u.OnUnload(ctx)
		ctx.free()
		if ret == ERR {
			e.host.Logf(LogWarning, "Module %s OnUnload failed.  Unload canceled.", name)
			return &UnloadError{ECANCELED}
		}
	}
	e.RevokeAuthenticatedClients(m)
	e.unloadForce(m)
	e.host.Logf(LogNotice, "Module %s unloaded", name)
	e.FireServerEvent(EventModuleChange, SubeventModuleUnloaded, &ModuleChangeInfo{ModuleName: m.Name, ModuleVersion: m.Ver}, nil, 0)
	return nil
}

func (e *Engine) unloadForce(m *Module) {
	e.unregisterAll(m)
	delete(e.modules, m.Name)
}

// unregisterAll removes everything m added to the server (Redis's
// moduleUnregisterCommands and friends).
func (e *Engine) unregisterAll(m *Module) {
	for _, c := range m.commands {
		e.host.RemoveCommand(c.spec)
	}
	m.commands = nil
	for _, t := range m.types {
		delete(e.types, t.Name)
	}
	m.types = nil
	for _, mc := range m.configs {
		delete(e.configs, strings.ToLower(mc.Name))
	}
	m.configs = nil
	e.releaseShared(m)
	keptF := e.filters[:0:0]
	for _, f := range e.filters {
		if f.module != m {
			keptF = append(keptF, f)
		}
	}
	e.filters = keptF
	kept := e.keyspaceSubs[:0]
	for _, s := range e.keyspaceSubs {
		if s.module != m {
			kept = append(kept, s)
		}
	}
	e.keyspaceSubs = kept
	m.subs = nil
}

// Modules returns the loaded modules sorted by name.
func (e *Engine) Modules() []*Module {
	out := make([]*Module, 0, len(e.modules))
	for _, m := range e.modules {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Module returns a loaded module by name.
func (e *Engine) Module(name string) *Module { return e.modules[name] }

// IsModuleNameBusy is RedisModule_IsModuleNameBusy.
func (e *Engine) IsModuleNameBusy(name string) bool { return e.modules[name] != nil }

// SetModuleAttribs is RedisModule_SetModuleAttribs: it creates the module
// record of the loading context unless there is one already.
func (ctx *Ctx) SetModuleAttribs(name string, ver, apiver int) {
	if ctx.module != nil {
		return
	}
	ctx.module = &Module{Name: name, Ver: ver, APIVer: apiver}
}

// Init is what the RedisModule_Init inline function of the C header does:
// refuse a busy name, then SetModuleAttribs.
func (ctx *Ctx) Init(name string, ver, apiver int) int {
	if ctx.eng.IsModuleNameBusy(name) {
		return ERR
	}
	ctx.SetModuleAttribs(name, ver, apiver)
	return OK
}

// IsModuleNameBusy is RedisModule_IsModuleNameBusy on a context.
func (ctx *Ctx) IsModuleNameBusy(name string) bool { return ctx.eng.IsModuleNameBusy(name) }

// SetModuleOptions is RedisModule_SetModuleOptions.
func (ctx *Ctx) SetModuleOptions(options int) {
	if ctx.module != nil {
		ctx.module.options = options
	}
}

// Module options (REDISMODULE_OPTIONS_*).
const (
	OptionsHandleIOErrors          = 1 << 0
	OptionNoImplicitSignalModified = 1 << 1
	OptionsHandleReplAsyncLoad     = 1 << 2
)

func (m *Module) String() string { return fmt.Sprintf("module %s v%d", m.Name, m.Ver) }

// OptionNames lists the module's options as INFO modules prints them.
func (m *Module) OptionNames() []string {
	var out []string
	if m.options&OptionsHandleIOErrors != 0 {
		out = append(out, "handle-io-errors")
	}
	if m.options&OptionsHandleReplAsyncLoad != 0 {
		out = append(out, "handle-repl-async-load")
	}
	if m.options&OptionNoImplicitSignalModified != 0 {
		out = append(out, "no-implicit-signal-modified")
	}
	return out
}
