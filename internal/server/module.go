package server

import (
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
)

// The server side of the module system: the module.Host implementation,
// the module.Client methods of Client, the MODULE command, and start-up
// loading of the loadmodule queue.

func init() {
	register(map[string]func(*Client){
		"module|help":   moduleHelpCommand,
		"module|list":   moduleListCommand,
		"module|load":   moduleLoadCommand,
		"module|loadex": moduleLoadexCommand,
		"module|unload": moduleUnloadCommand,
	})
	infoModuleLines = append(infoModuleLines, (*Server).infoModules)
	memoryUsageHooks[keyspace.KindModule] = func(o *keyspace.Object, samples int) int {
		n, _ := module.MemUsageValue(o, memoryUsageKey, memoryUsageDB, memoryUsageModuleSamples)
		return int(n)
	}
	digestValueHooks[keyspace.KindModule] = func(d *digest, o *keyspace.Object) {
		if x, ok := module.DigestValueKey(o, digestKey, digestDB); ok {
			d.xor(x[:])
		}
	}
	infoExtraHook = moduleInfoSections
	// As Redis's dbAdd (signalKeyAsReady), creating a key of a type that
	// can block clients makes it ready; other writes do not (modules call
	// SignalKeyAsReady), so a reply callback that writes the key and
	// declines to serve cannot re-trigger itself forever.
	keyAddedHooks = append(keyAddedHooks, func(s *Server, db *keyspace.DB, key []byte) {
		n := db.Main().Find(key)
		if n == nil {
			return
		}
		switch n.Val.Kind() {
		case keyspace.KindList, keyspace.KindZSet, keyspace.KindStream, keyspace.KindModule:
			s.modules.KeyReady(db.ID, key)
		}
	})
	cronJobs = append(cronJobs, func(s *Server) {
		s.modules.FireServerEvent(module.EventCronLoop, 0, &module.CronLoopInfo{HZ: s.cfg.HZ}, nil, 0)
	})
	shutdownHooks = append(shutdownHooks, func(s *Server, save bool) error {
		s.modules.FireServerEvent(module.EventShutdown, 0, nil, nil, 0)
		return nil
	})
	dbSwappedHooks = append(dbSwappedHooks, func(s *Server, a, b *keyspace.DB) {
		s.modules.FireServerEvent(module.EventSwapDB, 0, &module.SwapDBInfo{First: a.ID, Second: b.ID}, nil, 0)
	})
	moduleTypeName = func(o *keyspace.Object) string {
		if t, _ := module.ValueOf(o); t != nil {
			return t.Name
		}
		return "module"
	}
	moduleGetKeysHook = func(c *Client, spec *command.Spec, argv [][]byte) ([]int, bool) {
		if spec.Module == "" {
			return nil, false
		}
		return c.srv.modules.GetKeys(spec, c, argv)
	}
}

// initModules creates the engine (Redis's moduleInitModulesSystem) and
// queues the configured loadmodule directives.
func (s *Server) initModules() {
	s.modules = module.New(&moduleHost{s: s})
	s.modules.QueueConfigs(s.cfg.ModuleConfigs)
	for _, lm := range s.cfg.LoadModules {
		if len(lm) > 0 {
			s.modules.Enqueue(lm[0], lm[1:])
		}
	}
}

// Modules returns the module engine.
func (s *Server) Modules() *module.Engine { return s.modules }

// LoadModules loads the start-up queue under the execution lock (before
// any data is loaded, so module types can decode their values).
func (s *Server) LoadModules() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeCommand()
	return s.modules.LoadQueue()
}

// moduleHost implements module.Host.
type moduleHost struct{ s *Server }

func (h *moduleHost) AddCommand(spec *command.Spec, proc module.CommandProc) bool {
	s := h.s
	if s.cmds.Lookup([]byte(spec.Name)) != nil {
		return false
	}
	if !s.cmds.Add(spec) {
		return false
	}
	cp := &cmdProc{spec: spec, proc: func(c *Client) { proc(c, c.argv) }}
	s.procs[spec] = cp
	return true
}

func (h *moduleHost) AddSubcommand(parent, sub *command.Spec, proc module.CommandProc) bool {
	s := h.s
	pcp := s.procs[parent]
	if pcp == nil {
		return false
	}
	name := strings.ToLower(sub.SubName())
	if pcp.subs == nil {
		pcp.subs = map[string]*cmdProc{}
	}
	if pcp.subs[name] != nil {
		return false
	}
	parent.Subcommands = append(parent.Subcommands, sub)
	cp := &cmdProc{spec: sub, proc: func(c *Client) { proc(c, c.argv) }}
	pcp.subs[name] = cp
	s.procs[sub] = cp
	return true
}

func (h *moduleHost) RemoveCommand(spec *command.Spec) {
	s := h.s
	for _, sub := range spec.Subcommands {
		delete(s.procs, sub)
	}
	delete(s.procs, spec)
	s.cmds.Remove(strings.ToLower(spec.Name))
}

func (h *moduleHost) LookupCommand(name string) *command.Spec {
	parent, sub, hasSub := strings.Cut(name, "|")
	spec := h.s.cmds.Lookup([]byte(parent))
	if spec == nil || !hasSub {
		return spec
	}
	return spec.Sub([]byte(sub))
}

// Call runs a command for RedisModule_Call on a temporary client, through
// the normal call path (statistics, slow log, MONITOR).
func (h *moduleHost) Call(db int, argv [][]byte, proto int, flags module.CallFlags) ([]byte, module.Errno, string) {
	s := h.s
	cp, container := s.lookupProc(argv)
	if cp == nil {
		// The texts a client gets from processCommand (RM_Call's "E").
		if container != nil {
			return nil, module.ENOENT, "ERR unknown subcommand '" + truncate(string(argv[1]), 128) +
				"'. Try " + strings.ToUpper(container.spec.Name) + " HELP."
		}
		return nil, module.ENOENT, "ERR unknown command '" + truncate(string(argv[0]), 128) +
			"', with args beginning with: " + argsPreview(argv[1:])
	}
	spec := cp.spec
	if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity {
		return nil, module.EINVAL, "ERR wrong number of arguments for '" + spec.Name + "' command"
	}
	if errno, msg := s.moduleCallRefusal(spec, argv, flags); errno != 0 {
		return nil, errno, msg
	}
	fc := s.moduleTempClient(db, proto)
	fc.propDeny = propagateAll &^ flags.Propagate
	fc.argv = argv
	fc.cmd = cp
	fc.out = s.modules.TakeCallBuf() // the reply owns it until freed
	saved := s.current
	s.current = fc
	s.call(fc, cp)
	s.current = saved
	out := fc.out
	fc.out, fc.argv, fc.cmd = nil, nil, nil
	s.modTemp = append(s.modTemp, fc)
	return out, 0, ""
}

// moduleTempClient returns a connection-less client for RM_Call (Redis's
// moduleAllocTempClient), pooled.
func (s *Server) moduleTempClient(db, proto int) *Client {
	var c *Client
	if n := len(s.modTemp); n > 0 {
		c = s.modTemp[n-1]
		s.modTemp = s.modTemp[:n-1]
	} else {
		c = &Client{srv: s, conn: fakeConn{}, id: s.nextID.Add(1), authenticated: true, createdAt: time.Now(), fd: -1}
	}
	c.db = s.ks.DBs[db]
	c.resp = proto
	c.lastInteract = s.clock.now
	return c
}

func (h *moduleHost) Keyspace() *keyspace.Keyspace { return h.s.ks }

func (h *moduleHost) LookupRead(db int, key []byte, noTouch bool) *keyspace.Object {
	s := h.s
	o := s.ks.DBs[db].Lookup(key)
	if o == nil {
		s.stats.keyspaceMisses++
		s.notify(notifyKeyMiss, "keymiss", key, db)
		return nil
	}
	s.stats.keyspaceHits++
	if !noTouch {
		s.touchObject(o)
	}
	return o
}

func (h *moduleHost) LookupWrite(db int, key []byte) *keyspace.Object {
	o := h.s.ks.DBs[db].Lookup(key)
	if o != nil {
		h.s.touchObject(o)
	}
	return o
}

func (h *moduleHost) KeyModified(db int, key []byte) { h.s.keyModified(h.s.ks.DBs[db], key) }

func (h *moduleHost) Notify(class int, event string, key []byte, db int) {
	h.s.notify(class, event, key, db)
}

func (h *moduleHost) NotifyFlags() int { return h.s.notifyFlags() }

func (h *moduleHost) Dirty(n int) { h.s.dirty += int64(n) }

// RDBCompression is rdbcompression, which module strings in RDB payloads
// follow (module.RDBCompressionHost).
func (h *moduleHost) RDBCompression() bool { return h.s.cfg.RDBCompression }

func (h *moduleHost) Now() int64 { return h.s.ks.Now }

// Propagate queues what a module replicates in the current execution
// unit (propagate.go).
func (h *moduleHost) Propagate(db int, cmds []module.Propagated) {
	for _, p := range cmds {
		h.s.alsoPropagate(db, p.Argv, p.Target)
	}
}

// EnterUnit and ExitUnit bracket a module callback outside a command
// (timer, event, blocked-client callback): one execution unit.
func (h *moduleHost) EnterUnit() { h.s.enterUnit() }
func (h *moduleHost) ExitUnit()  { h.s.exitUnit() }

func (h *moduleHost) Logf(level module.LogLevel, format string, args ...any) {
	h.s.logger.Logf(int(level), format, args...)
}

// AfterFunc runs fn under the execution lock after ms milliseconds, like
// any other event of the server (never concurrently with a command).
func (h *moduleHost) AfterFunc(ms int64, fn func()) func() bool {
	s := h.s
	t := time.AfterFunc(time.Duration(ms)*time.Millisecond, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		select {
		case <-s.done:
			return
		default:
		}
		s.waitYield()
		s.beforeCommand()
		fn()
		s.handleClientsBlockedOnKeys()
	})
	return t.Stop
}

func (h *moduleHost) Info(sections []string) string { return h.s.genInfo(sections) }

func (h *moduleHost) Publish(channel, message []byte) int { return h.s.publish(channel, message) }

func (h *moduleHost) ClientName(id uint64) (string, bool) {
	c := h.s.clients[id]
	if c == nil {
		return "", false
	}
	return c.name, true
}

func (h *moduleHost) SetClientName(id uint64, name []byte) module.Errno {
	c := h.s.clients[id]
	if c == nil {
		return module.ENOENT
	}
	if !validClientName(name) {
		return module.EINVAL
	}
	c.name = string(name)
	return 0
}

// Lock takes the execution lock for a thread-safe context and refreshes
// the cached clocks, as the event loop does when it wakes up.
// Holding the lock is an execution unit: what a thread-safe context
// replicates is sent when it unlocks.
func (h *moduleHost) Lock() {
	h.s.mu.Lock()
	h.s.beforeCommand()
	h.s.enterUnit()
}

func (h *moduleHost) Unlock() {
	h.s.exitUnit()
	h.s.handleClientsBlockedOnKeys() // a thread-safe context's writes
	h.s.mu.Unlock()
}

func (h *moduleHost) TryLock() bool {
	if !h.s.mu.TryLock() {
		return false
	}
	h.s.beforeCommand()
	h.s.enterUnit()
	return true
}

func (h *moduleHost) ClientInfo(id uint64) (module.ClientInfo, bool) {
	c := h.s.clients[id]
	if c == nil {
		return module.ClientInfo{}, false
	}
	return clientInfoOf(c), true
}

// clientInfoOf is RedisModuleClientInfo for c.
func clientInfoOf(c *Client) module.ClientInfo {
	ci := module.ClientInfo{ID: c.id, DB: c.db.ID}
	if c.unixSock {
		ci.Flags |= module.ClientInfoFlagUnixSock
	} else if a, ok := c.conn.RemoteAddr().(*net.TCPAddr); ok {
		ci.Addr, ci.Port = a.IP.String(), a.Port
	}
	if c.ps != nil {
		ci.Flags |= module.ClientInfoFlagPubSub
	}
	if c.multi != nil {
		ci.Flags |= module.ClientInfoFlagMulti
	}
	if c.srv.modParked[c] != nil {
		ci.Flags |= module.ClientInfoFlagBlocked
	}
	return ci
}

// module.Client, implemented by Client.

func (c *Client) ModClientID() uint64 { return c.id }
func (c *Client) ModDB() int          { return c.db.ID }
func (c *Client) ModProto() int       { return c.resp }
func (c *Client) ModArgv() [][]byte   { return c.argv }
func (c *Client) ModInMulti() bool    { return c.multi != nil }
func (c *Client) ModWrite(b []byte)   { c.addRaw(b) }

func (c *Client) ModSelectDB(id int) bool {
	db := c.srv.dbByIndex(id)
	if db == nil {
		return false
	}
	c.db = db
	return true
}

func (c *Client) ModNoteError(msg string) {
	c.srv.countError(msg)
	c.errored = true
}

// fakeConn stands in for the connection of temporary clients: their peer
// shows as "?:0", as Redis prints clients without a socket.
type fakeConn struct{}

type fakeAddr struct{}

func (fakeAddr) Network() string { return "tcp" }
func (fakeAddr) String() string  { return "?:0" }

func (fakeConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (fakeConn) Write(b []byte) (int, error)      { return len(b), nil }
func (fakeConn) Close() error                     { return nil }
func (fakeConn) LocalAddr() net.Addr              { return fakeAddr{} }
func (fakeConn) RemoteAddr() net.Addr             { return fakeAddr{} }
func (fakeConn) SetDeadline(time.Time) error      { return nil }
func (fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (fakeConn) SetWriteDeadline(time.Time) error { return nil }

// The MODULE command.

const errModuleNotAllowed = "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."

// moduleCommandAllowed applies enable-module-command to LOAD, LOADEX and
// UNLOAD ("no" by default, as in Redis 7.0).
func (c *Client) moduleCommandAllowed() bool {
	switch c.srv.cfg.EnableModuleCommand {
	case "yes":
		return true
	case "local":
		if c.unixSock {
			return true
		}
		if a, ok := c.conn.RemoteAddr().(*net.TCPAddr); ok && isLoopbackIP(a.IP) {
			return true
		}
	}
	c.addError(errModuleNotAllowed)
	return false
}

func moduleHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"LIST",
		"    Return a list of loaded modules.",
		"LOAD <path> [<arg> ...]",
		"    Load a module library from <path>, passing to it any optional arguments.",
		"LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
		"    Load a module library from <path>, while passing it module configurations and optional arguments.",
		"UNLOAD <name>",
		"    Unload a module.",
	})
}

// moduleListCommand replies with one map per module: name, ver, path,
// args.
func moduleListCommand(c *Client) {
	mods := c.srv.modules.Modules()
	c.addArrayLen(len(mods))
	for _, m := range mods {
		c.addMapLen(4)
		c.addBulkString("name")
		c.addBulkString(m.Name)
		c.addBulkString("ver")
		c.addInt(int64(m.Ver))
		c.addBulkString("path")
		c.addBulkString(m.Path)
		c.addBulkString("args")
		c.addArrayLen(len(m.Args))
		for _, a := range m.Args {
			c.addBulk(a)
		}
	}
}

const errModuleLoad = "ERR Error loading the extension. Please check the server logs."

func moduleLoadCommand(c *Client) {
	if !c.moduleCommandAllowed() {
		return
	}
	if err := c.srv.modules.Load(string(c.argv[2]), copyArgs(c.argv[3:]), nil); err != nil {
		c.addError(errModuleLoad)
		return
	}
	c.addOK()
}

// moduleLoadexCommand is MODULE LOADEX path [CONFIG name value ...]
// [ARGS arg ...].
func moduleLoadexCommand(c *Client) {
	if !c.moduleCommandAllowed() {
		return
	}
	rest := c.argv[3:]
	var configs [][2]string
	var args [][]byte
	for i := 0; i < len(rest); {
		switch {
		case strings.EqualFold(string(rest[i]), "config"):
			if i+2 >= len(rest) {
				c.srv.logger.Logf(LogNotice, "CONFIG specified without name value pair")
				c.addError(errModuleLoad)
				return
			}
			configs = append(configs, [2]string{string(rest[i+1]), string(rest[i+2])})
			i += 3
		case strings.EqualFold(string(rest[i]), "args"):
			args = copyArgs(rest[i+1:])
			i = len(rest)
		default:
			c.srv.logger.Logf(LogNotice, "Syntax Error from arguments to loadex around %s.", rest[i])
			c.addError(errModuleLoad)
			return
		}
	}
	if err := c.srv.modules.Load(string(c.argv[2]), args, configs); err != nil {
		c.addError(errModuleLoad)
		return
	}
	c.addOK()
}

func moduleUnloadCommand(c *Client) {
	if !c.moduleCommandAllowed() {
		return
	}
	if err := c.srv.modules.Unload(string(c.argv[2])); err != nil {
		c.addError("ERR Error unloading module: " + err.Error())
		return
	}
	c.addOK()
}

func copyArgs(argv [][]byte) [][]byte {
	out := make([][]byte, len(argv))
	for i, a := range argv {
		out[i] = append([]byte(nil), a...)
	}
	return out
}

// infoModules prints INFO's Modules section, one line per module.
func (s *Server) infoModules(b *strings.Builder) {
	for _, m := range s.modules.Modules() {
		b.WriteString("module:name=")
		b.WriteString(m.Name)
		b.WriteString(",ver=")
		b.WriteString(strconv.Itoa(m.Ver))
		b.WriteString(",api=")
		b.WriteString(strconv.Itoa(m.APIVer))
		b.WriteString(",filters=")
		b.WriteString(strconv.Itoa(s.modules.FilterCount(m)))
		b.WriteString(",usedby=[")
		b.WriteString(strings.Join(s.modules.UsedByNames(m), "|"))
		b.WriteString("],using=[")
		b.WriteString(strings.Join(m.UsingNames(), "|"))
		b.WriteString("],options=[")
		b.WriteString(strings.Join(m.OptionNames(), "|"))
		b.WriteString("]\r\n")
	}
}

// moduleGetKeysHook lets COMMAND GETKEYS ask a getkeys-api module command
// for its keys.
var moduleGetKeysHook func(c *Client, spec *command.Spec, argv [][]byte) ([]int, bool)

func replyModuleKeys(c *Client, spec *command.Spec, argv [][]byte, pos []int, withFlags bool) {
	if (spec.Arity > 0 && spec.Arity != len(argv)) || len(argv) < -spec.Arity {
		c.addError("ERR Invalid number of arguments specified for command")
		return
	}
	var keys [][]byte
	for _, p := range pos {
		if p < len(argv) {
			keys = append(keys, argv[p])
		}
	}
	if len(keys) == 0 {
		if spec.Flags&command.FlagNoMandatoryKeys != 0 {
			c.addArrayLen(0)
		} else {
			c.addError("ERR Invalid arguments specified for command")
		}
		return
	}
	c.addArrayLen(len(keys))
	for _, k := range keys {
		if withFlags {
			c.addArrayLen(2)
			c.addBulk(k)
			c.addStatusSet([]string{"RW", "access", "update"})
		} else {
			c.addBulk(k)
		}
	}
}

// Blocking module commands (BlockClient): the client is parked, which
// makes its connection goroutine wait, without the execution lock, before
// running its next command, like CLIENT PAUSE does.

func (c *Client) ModCanBlock() bool {
	_, fake := c.conn.(fakeConn)
	return c.multi == nil && !fake
}

func (h *moduleHost) ParkClient(mc module.Client) { h.s.parkClient(mc.(*Client)) }

func (h *moduleHost) UnparkClient(mc module.Client) { h.s.unparkClient(mc.(*Client)) }

func (h *moduleHost) RunSoon(fn func()) {
	s := h.s
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		select {
		case <-s.done:
			return
		default:
		}
		s.waitYield()
		s.beforeCommand()
		fn()
		s.handleClientsBlockedOnKeys()
	}()
}

// waitIfModBlocked holds the connection while a module keeps it blocked.
// Called with the execution lock held, which it releases while waiting
// (after flushing earlier replies). It reports false if the client was
// closed meanwhile.
func (c *Client) waitIfModBlocked() bool {
	s := c.srv
	delete(s.modHandoff, c) // the hand-off (if any) is complete
	for {
		if c.closed {
			return false
		}
		ch := s.modParked[c]
		if ch == nil {
			return true
		}
		out := c.takeOutLocked()
		s.mu.Unlock()
		if out != nil {
			c.write(out)
		}
		select {
		case <-ch:
		case <-s.done:
		}
		s.mu.Lock()
		s.beforeCommand()
		select {
		case <-s.done:
			return false
		default:
		}
	}
}

// moduleFlushEvent fires the FlushDB server event (dbnum -1: all).
func (s *Server) moduleFlushEvent(sub uint64, dbnum int) {
	db := dbnum
	if db < 0 {
		db = 0
	}
	s.modules.FireServerEvent(module.EventFlushDB, sub, &module.FlushInfo{DBNum: dbnum}, nil, db)
}

// moduleClientEvent fires the ClientChange server event.
func (s *Server) moduleClientEvent(c *Client, sub uint64) {
	ci := clientInfoOf(c)
	s.modules.FireServerEvent(module.EventClientChange, sub, &ci, c, c.db.ID)
}

func init() {
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) {
		if s.modules != nil {
			if _, fake := c.conn.(fakeConn); !fake {
				s.moduleClientEvent(c, module.SubeventClientChangeDisconnect)
			}
			s.modules.ClientGone(c)
			delete(s.modHandoff, c)
			if ch := s.modParked[c]; ch != nil {
				delete(s.modParked, c)
				close(ch)
			}
		}
	})
}

// moduleInfoSections adds the sections of module INFO callbacks, as Redis
// does: for INFO everything and INFO modules all of them, otherwise those
// named by a requested section that is not a built-in one.
func moduleInfoSections(s *Server, b *strings.Builder, names []string, want map[string]bool, everything, printed bool) {
	var filter func(string) bool
	explicit := false // "modules" named, not implied by "default"
	for _, n := range names {
		if n == "modules" {
			explicit = true
		}
	}
	if !everything && !explicit {
		unknown := false
		for n := range want {
			if infoSectionNamed(n) == nil {
				unknown = true
			}
		}
		if !unknown {
			return
		}
		filter = func(n string) bool { return want[n] }
	}
	n := 0
	if printed {
		n = 1
	}
	s.modules.CollectInfo(b, filter, &n)
}

func init() {
	// Clients blocked by a module show flag 'b' in CLIENT LIST and are
	// never closed for idleness, like other blocked clients. The hooks are
	// chained so other blocking families can add theirs.
	prevBlocked := clientBlockedHook
	clientBlockedHook = func(c *Client) bool {
		return c.srv.modParked[c] != nil || (prevBlocked != nil && prevBlocked(c))
	}
	prevFlags := clientFlagsHook
	clientFlagsHook = func(c *Client) string {
		f := ""
		if prevFlags != nil {
			f = prevFlags(c)
		}
		if c.srv.modParked[c] != nil {
			f += "b"
		}
		return f
	}
}

// moduleConfigGet returns name, value pairs of the module configs matching
// CONFIG GET's patterns (hidden ones only by exact name).
func moduleConfigGet(s *Server, patterns []string) []string {
	var out []string
	for _, mc := range s.modules.Configs() {
		for _, p := range patterns {
			exact := strings.EqualFold(p, mc.Name)
			if exact || (mc.Flags&module.ConfigHidden == 0 && glob.MatchFold([]byte(p), []byte(mc.Name))) {
				out = append(out, mc.Name, mc.Get())
				break
			}
		}
	}
	return out
}

// noteHandoff records, under the lock, that the event loop hands a
// module-blocked client to a goroutine: until that goroutine runs,
// UnparkClient must not start a writer on the connection being swapped.
func (s *Server) noteHandoff(c *Client) {
	if s.modParked[c] == nil {
		return
	}
	if s.modHandoff == nil {
		s.modHandoff = make(map[*Client]bool)
	}
	s.modHandoff[c] = true
}
