package server

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/module"
)

func init() {
	register(map[string]func(*Client){
		"config|get":       configGetCommand,
		"config|set":       configSetCommand,
		"config|resetstat": configResetstatCommand,
		"config|rewrite":   configRewriteCommand,
		"config|help":      configHelpCommand,
	})
	onConfigChange("loglevel", func(s *Server) error {
		s.logger.SetLevel(levelOf(s.cfg.LogLevel))
		return nil
	})
	onConfigChange("dir", applyDir)
	onConfigChange("maxmemory", func(s *Server) error {
		used := s.usedMemory()
		if s.cfg.MaxMemory > 0 && used > 0 && s.cfg.MaxMemory < used {
			s.logger.Logf(LogWarning, "WARNING: the new maxmemory value set via CONFIG SET (%d) is smaller than the current memory usage (%d). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.", s.cfg.MaxMemory, used)
		}
		return nil
	})
}

// configApply maps a primary option name to what makes a CONFIG SET of it
// take effect. Most settings need nothing: the server reads s.cfg fields
// where it uses them.
var configApply = map[string]func(s *Server) error{}

// onConfigChange registers fn to run after CONFIG SET changes the option
// (by primary name). If fn fails, the whole CONFIG SET is rolled back and
// every applied hook runs again with the old values. Families call it from
// init.
func onConfigChange(name string, fn func(s *Server) error) {
	if prev := configApply[name]; prev != nil {
		configApply[name] = func(s *Server) error {
			if err := prev(s); err != nil {
				return err
			}
			return fn(s)
		}
		return
	}
	configApply[name] = fn
}

// applyDir moves the process to the new working directory when this server
// owns the process (an in-process test server must not move the tests).
func applyDir(s *Server) error {
	if !s.life.ownsProcess || s.cfg.Dir == "" {
		return nil
	}
	if err := os.Chdir(s.cfg.Dir); err != nil {
		return err
	}
	return nil
}

func configGetCommand(c *Client) {
	patterns := make([]string, len(c.argv)-2)
	for i, a := range c.argv[2:] {
		patterns[i] = string(a)
	}
	matches := config.MatchGet(patterns)
	extra := moduleConfigGet(c.srv, patterns) // name, value pairs
	c.addMapLen(len(matches) + len(extra)/2)
	for _, m := range matches {
		c.addBulkString(m.Name)
		c.addBulkString(c.srv.cfg.Get(m.Option))
	}
	for _, v := range extra {
		c.addBulkString(v)
	}
}

// isLocalClient reports whether c connects over loopback or a unix socket
// (enable-protected-configs local).
func (c *Client) isLocalClient() bool {
	switch a := c.conn.RemoteAddr().(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

func allowProtected(setting string, c *Client) bool {
	return setting == "yes" || (setting == "local" && c.isLocalClient())
}

func configSetCommand(c *Client) {
	s := c.srv
	if len(c.argv)%2 != 0 {
		c.addError(errSyntax)
		return
	}
	// One pass over server and module configs alike, as Redis's
	// configSetCommand: find and check every name, back up, set every
	// value, then apply (server apply functions, then the modules'), and
	// on any failure restore them all.
	n := (len(c.argv) - 2) / 2
	opts := make([]*config.Option, n)       // server configs (nil for module ones)
	mods := make([]*module.ModuleConfig, n) // module configs
	values := make([]string, n)
	var invalidArg, errArg, errStr string
	invalid := false
	for i := 0; i < n; i++ {
		name := string(c.argv[2+2*i])
		o := config.Lookup(name)
		var mc *module.ModuleConfig
		if o == nil && s.modules != nil {
			mc = s.modules.LookupConfig(name)
		}
		if o == nil && mc == nil {
			if !invalid {
				invalidArg = name
				invalid = true
			}
			continue
		}
		if invalid {
			continue
		}
		immutable := (o != nil && o.Flags&config.Immutable != 0) || (mc != nil && mc.Flags&module.ConfigImmutable != 0)
		protected := (o != nil && o.Flags&config.Protected != 0) || (mc != nil && mc.Flags&module.ConfigProtected != 0)
		if immutable {
			errStr, errArg, invalid = "can't set immutable config", name, true
			continue
		}
		if protected && !allowProtected(s.cfg.EnableProtectedConfigs, c) {
			errStr, errArg, invalid = "can't set protected config", name, true
			continue
		}
		for j := 0; j < i; j++ {
			if (o != nil && opts[j] == o) || (mc != nil && mods[j] == mc) {
				errStr, errArg, invalid = "duplicate parameter", name, true
				break
			}
		}
		opts[i], mods[i] = o, mc
		values[i] = string(c.argv[3+2*i])
	}
	if invalid {
		configSetError(c, invalidArg, errArg, errStr)
		return
	}

	old := make([]string, n)
	for i := range values {
		if opts[i] != nil {
			old[i] = s.cfg.Get(opts[i])
		} else {
			old[i] = mods[i].Get()
		}
	}
	var applies []string
	var modApplies []*module.ModuleConfig
	queued := map[string]bool{}
	for i := range values {
		if mc := mods[i]; mc != nil {
			if err := s.modules.SetConfigValue(mc, values[i]); err != nil {
				s.restoreConfig(opts[:i+1], mods[:i+1], old[:i+1], nil, nil)
				configSetError(c, "", mc.Name, err.Error())
				return
			}
			modApplies = append(modApplies, mc)
			continue
		}
		o := opts[i]
		changed, err := s.cfg.Set(o, values[i])
		if err != nil {
			s.restoreConfig(opts[:i+1], mods[:i+1], old[:i+1], nil, nil)
			configSetError(c, "", o.Name, err.Error())
			return
		}
		p := o.PrimaryName()
		if changed && configApply[p] != nil && !queued[p] {
			queued[p] = true
			applies = append(applies, p)
		}
	}
	for _, p := range applies {
		if err := configApply[p](s); err != nil {
			s.logger.Logf(LogWarning, "Failed applying new configuration. Possibly related to new %s setting. Restoring previous settings.", p)
			s.restoreConfig(opts, mods, old, applies, nil)
			configSetError(c, "", p, applyErrorText(err))
			return
		}
	}
	if failed, err := s.modules.ApplyConfigs(modApplies); err != nil {
		s.logger.Logf(LogWarning, "Failed applying new module configuration. Restoring previous settings.")
		s.restoreConfig(opts, mods, old, applies, modApplies)
		// Redis names the config by its name within the module.
		configSetError(c, "", failed.ShortName(), err.Error())
		return
	}
	c.addOK()
	names := make([]string, n)
	for i := range names {
		if opts[i] != nil {
			names[i] = opts[i].Name
		} else {
			names[i] = mods[i].Name
		}
	}
	s.moduleConfigEvent(c, names)
}

// applyErrorText renders an apply failure the way Redis words them.
func applyErrorText(err error) string {
	var en syscall.Errno
	if e, ok := err.(*os.PathError); ok {
		if errno, ok := e.Err.(syscall.Errno); ok {
			en = errno
		}
	}
	if en != 0 {
		m := en.Error()
		return strings.ToUpper(m[:1]) + m[1:]
	}
	return err.Error()
}

// restoreConfig puts back the values saved before a failed CONFIG SET and
// re-runs the apply hooks that already ran.
func (s *Server) restoreConfig(opts []*config.Option, mods []*module.ModuleConfig, old []string, applies []string, modApplies []*module.ModuleConfig) {
	for i, o := range opts {
		if o == nil {
			// A module config goes back through its setter.
			if err := s.modules.SetConfigValue(mods[i], old[i]); err != nil {
				s.logger.Logf(LogWarning, "Failed restoring failed CONFIG SET command. Error setting %s to '%s': %s", mods[i].Name, old[i], err)
			}
			continue
		}
		if _, err := s.cfg.Set(o, old[i]); err != nil {
			s.logger.Logf(LogWarning, "Failed restoring failed CONFIG SET command. Error setting %s to '%s': %s", o.Name, old[i], err)
		}
	}
	for _, p := range applies {
		if err := configApply[p](s); err != nil {
			s.logger.Logf(LogWarning, "Failed applying restored failed CONFIG SET command: %s", err)
		}
	}
	if _, err := s.modules.ApplyConfigs(modApplies); err != nil {
		s.logger.Logf(LogWarning, "Failed applying restored failed CONFIG SET command: %s", err)
	}
}

func configSetError(c *Client, invalidArg, errArg, errStr string) {
	switch {
	case invalidArg != "":
		c.addError("ERR Unknown option or number of arguments for CONFIG SET - '" + cstr(invalidArg) + "'")
	case errStr != "":
		c.addError("ERR CONFIG SET failed (possibly related to argument '" + cstr(errArg) + "') - " + errStr)
	default:
		c.addError("ERR CONFIG SET failed (possibly related to argument '" + cstr(errArg) + "')")
	}
}

// resetStatHooks run on CONFIG RESETSTAT; families with their own counters
// (slowlog is not one: Redis keeps it) register from init.
var resetStatHooks []func(s *Server)

func configResetstatCommand(c *Client) {
	c.srv.resetStats()
	c.addOK()
}

// resetStats is Redis's resetServerStats plus the command and error tables.
func (s *Server) resetStats() {
	st := &s.stats
	st.commandsProcessed = 0
	st.connectionsReceived = 0
	st.rejectedConns = 0
	st.expiredKeys = 0
	st.evictedKeys = 0
	st.keyspaceHits = 0
	st.keyspaceMisses = 0
	st.netInputBytes.Store(0)
	st.netOutputBytes.Store(0)
	st.errorReplies = 0
	st.errorCodes = nil
	for _, cp := range s.procs {
		cp.calls, cp.usec, cp.rejectedCalls, cp.failedCalls = 0, 0, 0, 0
		cp.latencyHist = nil
	}
	for _, fn := range resetStatHooks {
		fn(s)
	}
}

func configRewriteCommand(c *Client) {
	s := c.srv
	if s.cfg.ConfigFile == "" {
		c.addError("ERR The server is running without a config file")
		return
	}
	if err := s.cfg.Rewrite(); err != nil {
		msg := applyErrorText(err)
		s.logger.Logf(LogWarning, "CONFIG REWRITE failed: %s", msg)
		c.addError("ERR Rewriting config file: " + msg)
		return
	}
	s.logger.Logf(LogWarning, "CONFIG REWRITE executed with success.")
	c.addOK()
}

func configHelpCommand(c *Client) {
	addSubcommandHelp(c, "CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
}

// addSubcommandHelp replies like Redis's addReplyHelp: a header line, the
// given lines and the HELP entry, as status replies.
func addSubcommandHelp(c *Client, cmd string, lines []string) {
	c.addArrayLen(len(lines) + 3)
	c.addSimple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.addSimple(l)
	}
	c.addSimple("HELP")
	c.addSimple("    Prints this help.")
}

func init() {
	onConfigChange("port", func(s *Server) error {
		if err := s.relistenTCP(); err != nil {
			return errors.New("Unable to listen on this port. Check server logs.")
		}
		return nil
	})
	onConfigChange("bind", func(s *Server) error {
		if err := s.relistenTCP(); err != nil {
			return errors.New("Failed to bind to specified addresses.")
		}
		return nil
	})
}

// tcpListenKey identifies the TCP listeners a configuration asks for.
func tcpListenKey(cfg *config.Config) string {
	return strconv.Itoa(cfg.Port) + " " + strings.Join(cfg.Bind, " ")
}

// relistenTCP replaces the TCP listeners after CONFIG SET port or bind:
// the new sockets are opened first, so on failure the old ones stay and
// the change is rolled back. Port 0 means no TCP listener, as in Redis.
func (s *Server) relistenTCP() error {
	key := tcpListenKey(s.cfg)
	if s.life.listenKey == "" {
		s.life.listenKey = s.life.startKey
	}
	if key == s.life.listenKey {
		return nil
	}
	var fresh []net.Listener
	if s.cfg.Port != 0 {
		for _, b := range s.cfg.Bind {
			optional := strings.HasPrefix(b, "-")
			host := strings.TrimPrefix(b, "-")
			network := "tcp"
			switch host {
			case "*":
				host, network = "0.0.0.0", "tcp4"
			case "::*":
				host, network = "::", "tcp6"
			}
			ln, err := net.Listen(network, net.JoinHostPort(host, strconv.Itoa(s.cfg.Port)))
			if err != nil {
				if optional {
					continue
				}
				s.logger.Logf(LogWarning, "Warning: Could not create server TCP listening socket %s:%d: %s", b, s.cfg.Port, errnoString(err))
				for _, l := range fresh {
					l.Close()
				}
				return err
			}
			fresh = append(fresh, ln)
		}
	}
	kept := fresh
	for _, ln := range s.listeners {
		if _, ok := ln.Addr().(*net.TCPAddr); ok {
			ln.Close()
			continue
		}
		kept = append(kept, ln)
	}
	s.listeners = kept
	for _, ln := range fresh {
		go s.acceptLoop(ln)
	}
	s.life.listenKey = key
	return nil
}

// configSetRedactions marks the values of sensitive options in CONFIG SET
// (requirepass, masterauth, ...) for MONITOR, as Redis redacts them.
func configSetRedactions(argv [][]byte) map[int]bool {
	if len(argv) < 4 || !strings.EqualFold(string(argv[1]), "set") {
		return nil
	}
	var r map[int]bool
	for i := 2; i+1 < len(argv); i += 2 {
		if o := config.Lookup(string(argv[i])); o != nil && o.Flags&config.Sensitive != 0 {
			if r == nil {
				r = map[int]bool{}
			}
			r[i+1] = true
		}
	}
	return r
}

func init() {
	onConfigChange("maxclients", func(s *Server) error {
		want := s.cfg.MaxClients
		s.adjustOpenFilesLimit()
		if s.cfg.MaxClients != want {
			return fmt.Errorf("The operating system is not able to handle the specified number of clients, try with %d", s.cfg.MaxClients)
		}
		return nil
	})
}

// minReservedFDs are the descriptors Redis keeps for its own use beyond
// one per client.
const minReservedFDs = 32

// adjustOpenFilesLimit is Redis's: raise RLIMIT_NOFILE to fit maxclients,
// stepping down 16 at a time until the OS accepts, and lower maxclients to
// what the limit allows. The sum wraps as Redis's unsigned int does.
func (s *Server) adjustOpenFilesLimit() {
	maxfiles := uint64(uint32(s.cfg.MaxClients) + minReservedFDs)
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		s.logger.Logf(LogWarning, "Unable to obtain the current NOFILE limit (%s), assuming 1024 and setting the max clients configuration accordingly.", errnoString(err))
		s.cfg.MaxClients = 1024 - minReservedFDs
		return
	}
	old := lim.Cur
	if old >= maxfiles {
		return
	}
	best := maxfiles
	var setErr error
	for best > old {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: best, Max: best}); err == nil {
			break
		} else {
			setErr = err
		}
		if best < 16 {
			best = old
			break
		}
		best -= 16
	}
	if best < old {
		best = old
	}
	if best < maxfiles {
		oldMax := s.cfg.MaxClients
		s.cfg.MaxClients = int(best) - minReservedFDs
		if best <= minReservedFDs {
			s.logger.Logf(LogWarning, "Your current 'ulimit -n' of %d is not enough for the server to start. Please increase your open file limit to at least %d. Exiting.", old, maxfiles)
			return
		}
		s.logger.Logf(LogWarning, "You requested maxclients of %d requiring at least %d max file descriptors.", oldMax, maxfiles)
		if setErr != nil {
			s.logger.Logf(LogWarning, "Server can't set maximum open files to %d because of OS error: %s.", maxfiles, errnoString(setErr))
		}
		s.logger.Logf(LogWarning, "Current maximum open files is %d. maxclients has been reduced to %d to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.", best, s.cfg.MaxClients)
		return
	}
	s.logger.Logf(LogNotice, "Increased maximum number of open files to %d (it was originally set to %d).", maxfiles, old)
}

// applyRenameCommands applies the config's rename-command directives
// (validated while loading): the command moves to its new name, or
// disappears when the new name is empty.
func (s *Server) applyRenameCommands() {
	for _, r := range s.cfg.RenameCommands {
		spec := s.cmds.Lookup([]byte(r[0]))
		if spec == nil {
			continue
		}
		s.cmds.Remove(strings.ToLower(r[0]))
		if r[1] != "" {
			s.cmds.AddAs(r[1], spec)
		}
	}
}
