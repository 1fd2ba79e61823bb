package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/acl"
	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/glob"
)

// ACL: users, permissions and the ACL command (Redis 7.0's acl.c). The
// rules, checks and log live in internal/acl; this file keeps the server's
// user set, wires authentication and enforcement, and implements ACL.

func init() {
	register(map[string]func(*Client){
		"acl|cat":     aclCatCommand,
		"acl|deluser": aclDeluserCommand,
		"acl|dryrun":  aclDryrunCommand,
		"acl|genpass": aclGenpassCommand,
		"acl|getuser": aclGetuserCommand,
		"acl|help":    aclHelpCommand,
		"acl|list":    aclListCommand,
		"acl|load":    aclLoadCommand,
		"acl|log":     aclLogCommand,
		"acl|save":    aclSaveCommand,
		"acl|setuser": aclSetuserCommand,
		"acl|users":   aclUsersCommand,
		"acl|whoami":  aclWhoamiCommand,
	})
	onConfigChange("requirepass", func(s *Server) error {
		s.updateDefaultPassword()
		return nil
	})
}

// aclState is the server's ACL data.
type aclState struct {
	users *acl.Users
	def   *acl.User // the "default" user; the pointer never changes
	log   acl.Log
}

// aclCommands is the command universe ACL rules name: built-in commands
// by their original names (rename-command does not change rules) and the
// commands modules registered.
type aclCommands struct{ s *Server }

func (a aclCommands) Lookup(name string) *command.Spec {
	if spec := (acl.BuiltinCommands{}).Lookup(name); spec != nil {
		return spec
	}
	if spec := a.s.cmds.Lookup([]byte(name)); spec != nil && spec.Module != "" {
		return spec
	}
	return nil
}

func (a aclCommands) All() []*command.Spec {
	all := command.Builtin()
	for _, spec := range a.s.cmds.All() {
		if spec.Module != "" {
			all = append(all[:len(all):len(all)], spec)
		}
	}
	return all
}

// aclEnv is the environment rules are applied in (acl-pubsub-default is
// read at each use, as Redis does).
func (s *Server) aclEnv() *acl.Env {
	return &acl.Env{Cmds: aclCommands{s}, AllChannels: s.cfg.ACLPubsubDefault == "allchannels"}
}

// initACL creates the default user (Redis's ACLInit) and gives it the
// requirepass password.
func (s *Server) initACL() {
	s.acl.users = acl.NewUsers()
	s.acl.def = s.aclEnv().NewDefaultUser()
	s.acl.users.Add(s.acl.def)
	s.updateDefaultPassword()
	s.cfg.UserLines = s.aclUserLines
}

// aclUserLines returns the users as config-file lines (CONFIG REWRITE).
func (s *Server) aclUserLines() []string {
	cmds := aclCommands{s}
	var out []string
	for _, u := range s.acl.users.Sorted() {
		out = append(out, "user "+u.Name+" "+u.Describe(cmds))
	}
	return out
}

// updateDefaultPassword makes requirepass the default user's only
// password, or makes it nopass when requirepass is empty.
func (s *Server) updateDefaultPassword() {
	env := s.aclEnv()
	env.Apply(s.acl.def, "resetpass")
	if s.cfg.RequirePass != "" {
		env.Apply(s.acl.def, ">"+s.cfg.RequirePass)
	} else {
		env.Apply(s.acl.def, "nopass")
	}
}

// LoadACLAtStartup creates the users of the config file's "user"
// directives, or loads the aclfile (Redis's ACLLoadUsersAtStartup). It
// runs after modules are loaded, so rules may name module commands.
func (s *Server) LoadACLAtStartup() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.ACLFile != "" && len(s.cfg.Users) > 0 {
		s.logger.Logf(LogWarning, "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.")
		return errors.New("users in redis.conf and an aclfile")
	}
	env := s.aclEnv()
	for _, args := range s.cfg.Users {
		name := args[0]
		if !acl.ValidName(name) {
			s.logger.Logf(LogWarning, "Spaces not allowed in ACL usernames")
			return s.aclCritical()
		}
		u := s.acl.users.Get(name)
		if u == nil {
			u = acl.NewUser(name, env.AllChannels)
			s.acl.users.Add(u)
		} else {
			env.Apply(u, "reset")
		}
		rules, _, _ := acl.MergeSelectorArgs(args[1:])
		for _, r := range rules {
			if err := env.Apply(u, r); err != nil {
				s.logger.Logf(LogWarning, "Error loading ACL rule '%s' for the user named '%s': %s", r, name, err)
				return s.aclCritical()
			}
		}
		if !u.Enabled() {
			s.logger.Logf(LogNotice, "The user '%s' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.", name)
		}
	}
	if s.cfg.ACLFile != "" {
		if msg := s.loadACLFile(); msg != "" {
			s.logger.Logf(LogWarning, "Aborting Redis startup because of ACL errors: %s", msg)
			return errors.New(msg)
		}
	}
	return nil
}

func (s *Server) aclCritical() error {
	s.logger.Logf(LogWarning, "Critical error while loading ACLs. Exiting.")
	return errors.New("critical error while loading ACLs")
}

// loadACLFile replaces the users with the aclfile's (Redis's
// ACLLoadFromFile). Nothing changes when the file has errors. Clients of
// the old users other than "default" are disconnected.
func (s *Server) loadACLFile() string {
	name := s.cfg.ACLFile
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Sprintf("Error loading ACLs, opening file '%s': %s", name, errnoString(err))
	}
	env := s.aclEnv()
	users, msg := env.ParseFile(string(data), name)
	if users == nil {
		return msg
	}
	if nd := users.Get("default"); nd != nil {
		s.acl.def.CopyFrom(nd)
	} else {
		s.acl.def.CopyFrom(env.NewDefaultUser())
	}
	users.Add(s.acl.def)
	old := s.acl.users
	s.acl.users = users
	for _, u := range old.Sorted() {
		if u != s.acl.def {
			s.killUserClients(u)
		}
	}
	return ""
}

// saveACLFile writes the users to the aclfile through a temporary file
// renamed over it (Redis's ACLSaveToFile).
func (s *Server) saveACLFile() error {
	name := s.cfg.ACLFile
	text := s.acl.users.Format(aclCommands{s})
	tmp := fmt.Sprintf("%s.tmp-%d-%d", name, os.Getpid(), time.Now().UnixMilli())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		s.logger.Logf(LogWarning, "Opening temp ACL file for ACL SAVE: %s", errnoString(err))
		return err
	}
	if _, err = f.WriteString(text); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.logger.Logf(LogWarning, "Writing ACL file for ACL SAVE: %s", errnoString(err))
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		s.logger.Logf(LogWarning, "Renaming ACL file for ACL SAVE: %s", errnoString(err))
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(name)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// killUserClients disconnects every client authenticated as u (Redis's
// ACLFreeUserAndKillClients): they fall back to the default user,
// unauthenticated. The current client is closed after its reply.
func (s *Server) killUserClients(u *acl.User) {
	for _, t := range s.sortedClients() {
		if t.user != u {
			continue
		}
		t.notifyUserChanged()
		t.user = s.acl.def
		t.authenticated = false
		if t == s.current {
			t.closeAfterReply = true
		} else {
			s.killClient(t)
		}
	}
}

// killPubsubClientsIfNeeded disconnects subscribers of a user whose
// channel permissions shrank so that some subscription is no longer
// allowed (Redis's ACLKillPubsubClientsIfNeeded).
func (s *Server) killPubsubClientsIfNeeded(nu, orig *acl.User) {
	var upcoming []string
	for _, sel := range nu.Selectors {
		if sel.AllChannels() {
			return
		}
		upcoming = append(upcoming, sel.Channels...)
	}
	superset := true
	for _, sel := range orig.Selectors {
		if sel.AllChannels() {
			superset = false
			break
		}
		for _, ch := range sel.Channels {
			if !containsString(upcoming, ch) {
				superset = false
			}
		}
	}
	if superset {
		return
	}
	allowedBy := func(name string, pattern bool) bool {
		for _, p := range upcoming {
			if pattern && p == name || !pattern && glob.MatchString(p, name) {
				return true
			}
		}
		return false
	}
	for _, t := range s.sortedClients() {
		if t.user != orig || !t.inPubsub() {
			continue
		}
		kill := false
		for kind := subChannel; kind <= subShard && !kill; kind++ {
			for _, name := range t.ps.sets[kind].list {
				if !allowedBy(name, kind == subPattern) {
					kill = true
					break
				}
			}
		}
		if !kill {
			continue
		}
		if t == s.current {
			t.closeAfterReply = true
		} else {
			s.killClient(t)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// userName is the client's user as CLIENT LIST shows it; internal
// clients (module calls) have none and run as "(superuser)".
func (c *Client) userName() string {
	if c.user == nil {
		return "(superuser)"
	}
	return c.user.Name
}

// authRequired reports whether an unauthenticated client must
// authenticate first: the default user has a password or is disabled.
func (s *Server) authRequired() bool {
	d := s.acl.def
	return !d.NoPass() || !d.Enabled()
}

// rejectACL refuses the command when the client's user may not run it.
// The default user with every permission costs one flag test.
func (s *Server) rejectACL(c *Client, cp *cmdProc) bool {
	if u := c.user; u == nil || u.Superuser() {
		return false
	}
	return s.aclDenied(c, cp)
}

func (s *Server) aclDenied(c *Client, cp *cmdProc) bool {
	res, idx := c.aclCheck(cp, c.argv)
	if res == acl.OK {
		return false
	}
	ctx := acl.CtxTopLevel
	if c.multi != nil {
		ctx = acl.CtxMulti
	}
	s.aclLogDenial(c, res, ctx, idx, "", "")
	cp.rejectedCalls++
	s.rejectCommand(c, "NOPERM "+aclDenialMessage(res, c.user, cp.spec, ""))
	return true
}

// aclCheck runs the permission check for a command line as the client's
// user.
func (c *Client) aclCheck(cp *cmdProc, argv [][]byte) (acl.Result, int) {
	if c.user == nil {
		return acl.OK, 0
	}
	req := acl.Request{Spec: cp.spec, Argv: argv}
	if cp.spec.Module != "" {
		req.Keys = c
	}
	return c.user.Check(&req)
}

// FindKeys extracts a module command's keys for the ACL check as COMMAND
// GETKEYSANDFLAGS does, including keys its getkeys callback declares.
func (c *Client) FindKeys(spec *command.Spec, argv [][]byte) []command.KeyRef {
	if moduleGetKeysHook != nil {
		if pos, ok := moduleGetKeysHook(c, spec, argv); ok {
			keys := make([]command.KeyRef, 0, len(pos))
			for _, p := range pos {
				if p < len(argv) {
					keys = append(keys, command.KeyRef{Pos: p, Flags: moduleKeyRefFlags})
				}
			}
			return keys
		}
	}
	return spec.GetKeys(argv)
}

// moduleKeyRefFlags are the flags of keys a module's getkeys callback
// reports without flags (as COMMAND GETKEYSANDFLAGS shows them).
var moduleKeyRefFlags = []string{"RW", "access", "update"}

// aclDenialMessage is the NOPERM text (without the code) for a denial;
// with a non-empty object it is ACL DRYRUN's verbose form.
func aclDenialMessage(res acl.Result, u *acl.User, spec *command.Spec, object string) string {
	verbose := object != ""
	switch res {
	case acl.DeniedCommand:
		if verbose {
			return "This user has no permissions to run the '" + spec.Name + "' command"
		}
		return "this user has no permissions to run the '" + spec.Name + "' command"
	case acl.DeniedKey:
		if verbose {
			return "This user has no permissions to access the '" + object + "' key"
		}
		return "this user has no permissions to access one of the keys used as arguments"
	case acl.DeniedChannel:
		if verbose {
			return "This user has no permissions to access the '" + object + "' channel"
		}
		return "this user has no permissions to access one of the channels used as arguments"
	}
	return "no permission"
}

// aclLogDenial adds an ACL LOG entry (Redis's addACLLogEntry). username
// and object default to the client's user and to what the reason names:
// the command, the argument at idx, or the command name as typed for
// failed authentication.
func (s *Server) aclLogDenial(c *Client, res acl.Result, ctx, idx int, username, object string) {
	if object == "" {
		switch res {
		case acl.DeniedCommand:
			if c.cmd != nil {
				object = c.cmd.spec.Name
			}
		case acl.DeniedKey, acl.DeniedChannel:
			if idx < len(c.argv) {
				object = string(c.argv[idx])
			}
		case acl.DeniedAuth:
			object = string(c.argv[0])
		}
	}
	s.aclLogAdd(c, res, ctx, username, object)
}

// aclLogAdd adds an ACL LOG entry with the given object; username ""
// is the client's user.
func (s *Server) aclLogAdd(c *Client, res acl.Result, ctx int, username, object string) {
	if username == "" {
		username = c.userName()
	}
	s.acl.log.Add(acl.LogEntry{
		Reason:     res,
		Context:    ctx,
		Object:     object,
		Username:   username,
		CTime:      time.Now().UnixMilli(),
		ClientInfo: string(s.appendClientInfo(nil, c)),
	}, s.cfg.ACLLogMaxLen)
}

// authenticate checks credentials (Redis's ACLAuthenticateUser): on
// success the client is authenticated as the user; on failure the attempt
// is logged.
func (c *Client) authenticate(username, password []byte) bool {
	s := c.srv
	if u := s.acl.users.Get(string(username)); u != nil && u.Authenticate(password) {
		c.notifyUserChanged()
		c.authenticated = true
		c.user = u
		return true
	}
	ctx := acl.CtxTopLevel
	if c.multi != nil {
		ctx = acl.CtxMulti
	}
	s.aclLogDenial(c, acl.DeniedAuth, ctx, 0, string(username), "")
	return false
}

func aclCatCommand(c *Client) {
	if len(c.argv) > 3 {
		aclSyntaxError(c)
		return
	}
	if len(c.argv) == 2 {
		c.addBulkStrings(command.CategoryNames())
		return
	}
	cat, ok := command.ParseCategory(string(c.argv[2]))
	if !ok {
		c.addError("ERR Unknown category '" + truncate(string(c.argv[2]), 128) + "'")
		return
	}
	c.addBulkStrings(acl.CategoryCommands(aclCommands{c.srv}, cat))
}

// aclSyntaxError is Redis's addReplySubcommandSyntaxError for ACL.
func aclSyntaxError(c *Client) {
	c.addError("ERR unknown subcommand or wrong number of arguments for '" + truncate(string(c.argv[1]), 128) + "'. Try ACL HELP.")
}

func aclDeluserCommand(c *Client) {
	s := c.srv
	for _, a := range c.argv[2:] {
		if cstr(string(a)) == "default" {
			c.addError("ERR The 'default' user cannot be removed")
			return
		}
	}
	deleted := 0
	for _, a := range c.argv[2:] {
		u := s.acl.users.Get(string(a))
		if u == nil {
			continue
		}
		s.acl.users.Delete(u.Name)
		s.killUserClients(u)
		deleted++
	}
	c.addInt(int64(deleted))
}

func aclDryrunCommand(c *Client) {
	s := c.srv
	u := s.acl.users.Get(string(c.argv[2]))
	if u == nil {
		c.addError("ERR User '" + cstr(string(c.argv[2])) + "' not found")
		return
	}
	argv := c.argv[3:]
	// A container with an unknown subcommand is "not found" too, as
	// Redis's lookupCommand.
	cp, _ := s.lookupProc(argv)
	if cp == nil {
		c.addError("ERR Command '" + cstr(string(argv[0])) + "' not found")
		return
	}
	spec := cp.spec
	if (spec.Arity > 0 && spec.Arity != len(argv)) || len(argv) < -spec.Arity {
		c.addError("ERR wrong number of arguments for '" + spec.Name + "' command")
		return
	}
	req := acl.Request{Spec: spec, Argv: argv}
	if spec.Module != "" {
		req.Keys = c
	}
	res, idx := u.Check(&req)
	if res != acl.OK {
		c.addBulkString(aclDenialMessage(res, u, spec, string(argv[idx])))
		return
	}
	c.addOK()
}

func aclGenpassCommand(c *Client) {
	if len(c.argv) > 3 {
		aclSyntaxError(c)
		return
	}
	bits := int64(256)
	if len(c.argv) == 3 {
		v, ok := parseLongArg(c, c.argv[2])
		if !ok {
			return
		}
		bits = v
	}
	if bits <= 0 || bits > 4096 {
		c.addError("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096")
		return
	}
	chars := int((bits + 3) / 4)
	buf := make([]byte, (chars+1)/2)
	rand.Read(buf)
	c.addBulkString(hex.EncodeToString(buf)[:chars])
}

// parseLongArg parses a long argument, replying Redis's error when it is
// not one.
func parseLongArg(c *Client, b []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || !canonicalLong(b) {
		c.addError("ERR value is not an integer or out of range")
		return 0, false
	}
	return v, true
}

// canonicalLong reports whether b is written as Redis's string2ll accepts
// (no '+', no leading zeros or spaces).
func canonicalLong(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	if len(b) == 1 && b[0] == '0' {
		return true
	}
	i := 0
	if b[0] == '-' {
		i = 1
	}
	if i >= len(b) || b[i] < '1' || b[i] > '9' {
		return false
	}
	for ; i < len(b); i++ {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

func aclGetuserCommand(c *Client) {
	u := c.srv.acl.users.Get(string(c.argv[2]))
	if u == nil {
		c.addNull()
		return
	}
	cmds := aclCommands{c.srv}
	c.addMapLen(6)
	c.addBulkString("flags")
	flags := u.FlagNames()
	c.addSetLen(len(flags))
	for _, f := range flags {
		c.addBulkString(f)
	}
	c.addBulkString("passwords")
	c.addBulkStrings(u.Passwords)
	root := u.Root()
	c.addBulkString("commands")
	c.addBulkString(root.CommandRules(cmds))
	c.addBulkString("keys")
	c.addBulkString(root.KeysString())
	c.addBulkString("channels")
	c.addBulkString(root.ChannelsString())
	c.addBulkString("selectors")
	c.addArrayLen(len(u.Selectors) - 1)
	for _, sel := range u.Selectors[1:] {
		c.addMapLen(3)
		c.addBulkString("commands")
		c.addBulkString(sel.CommandRules(cmds))
		c.addBulkString("keys")
		c.addBulkString(sel.KeysString())
		c.addBulkString("channels")
		c.addBulkString(sel.ChannelsString())
	}
}

var aclHelp = []string{
	"CAT [<category>]",
	"    List all commands that belong to <category>, or all command categories",
	"    when no category is specified.",
	"DELUSER <username> [<username> ...]",
	"    Delete a list of users.",
	"DRYRUN <username> <command> [<arg> ...]",
	"    Returns whether the user can execute the given command without executing the command.",
	"GETUSER <username>",
	"    Get the user's details.",
	"GENPASS [<bits>]",
	"    Generate a secure 256-bit user password. The optional `bits` argument can",
	"    be used to specify a different size.",
	"LIST",
	"    Show users details in config file format.",
	"LOAD",
	"    Reload users from the ACL file.",
	"LOG [<count> | RESET]",
	"    Show the ACL log entries.",
	"SAVE",
	"    Save the current config to the ACL file.",
	"SETUSER <username> <attribute> [<attribute> ...]",
	"    Create or modify a user with the specified attributes.",
	"USERS",
	"    List all the registered usernames.",
	"WHOAMI",
	"    Return the current connection username.",
}

func aclHelpCommand(c *Client) { c.addSubcommandHelp(aclHelp) }

func aclListCommand(c *Client) {
	cmds := aclCommands{c.srv}
	users := c.srv.acl.users.Sorted()
	c.addArrayLen(len(users))
	for _, u := range users {
		c.addBulkString("user " + u.Name + " " + u.Describe(cmds))
	}
}

const errNoACLFile = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."

func aclLoadCommand(c *Client) {
	s := c.srv
	if s.cfg.ACLFile == "" {
		c.addError(errNoACLFile)
		return
	}
	if msg := s.loadACLFile(); msg != "" {
		c.addError("ERR " + msg)
		return
	}
	c.addOK()
}

func aclSaveCommand(c *Client) {
	s := c.srv
	if s.cfg.ACLFile == "" {
		c.addError(errNoACLFile)
		return
	}
	if err := s.saveACLFile(); err != nil {
		c.addError("ERR There was an error trying to save the ACLs. Please check the server logs for more information")
		return
	}
	c.addOK()
}

func aclLogCommand(c *Client) {
	s := c.srv
	if len(c.argv) > 3 {
		aclSyntaxError(c)
		return
	}
	count := int64(10)
	if len(c.argv) == 3 {
		if strings.EqualFold(string(c.argv[2]), "reset") {
			s.acl.log.Reset()
			c.addOK()
			return
		}
		v, ok := parseLongArg(c, c.argv[2])
		if !ok {
			return
		}
		count = max(v, 0)
	}
	entries := s.acl.log.Entries
	if count < int64(len(entries)) {
		entries = entries[:count]
	}
	now := time.Now().UnixMilli()
	c.addArrayLen(len(entries))
	for _, e := range entries {
		c.addMapLen(7)
		c.addBulkString("count")
		c.addInt(e.Count)
		c.addBulkString("reason")
		c.addBulkString(e.Reason.Reason())
		c.addBulkString("context")
		c.addBulkString(acl.ContextName(e.Context))
		c.addBulkString("object")
		c.addBulkString(e.Object)
		c.addBulkString("username")
		c.addBulkString(e.Username)
		c.addBulkString("age-seconds")
		c.addDouble(float64(now-e.CTime) / 1000)
		c.addBulkString("client-info")
		c.addBulkString(e.ClientInfo)
	}
}

func aclSetuserCommand(c *Client) {
	s := c.srv
	name := string(c.argv[2])
	if !acl.ValidName(name) {
		c.addError("ERR Usernames can't contain spaces or null characters")
		return
	}
	rules := make([]string, len(c.argv)-3)
	for i, a := range c.argv[3:] {
		rules[i] = string(a)
	}
	old := s.acl.users.Get(name)
	nu, bad, err := s.aclEnv().SetUser(old, name, rules)
	if err == acl.ErrUnmatched {
		c.addError("ERR Unmatched parenthesis in acl selector starting at '" + cstr(bad) + "'.")
		return
	}
	if err != nil {
		c.addError(errorLine("ERR Error in ACL SETUSER modifier '" + cstr(bad) + "': " + err.Error()))
		return
	}
	if old == nil {
		s.acl.users.Add(nu)
		c.addOK()
		return
	}
	s.killPubsubClientsIfNeeded(nu, old)
	old.CopyFrom(nu)
	c.addOK()
}

// errorLine makes a formatted error safe for the protocol: CR and LF
// become spaces, as Redis's addReplyErrorFormat does.
func errorLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

func aclUsersCommand(c *Client) { c.addBulkStrings(c.srv.acl.users.Names()) }

func aclWhoamiCommand(c *Client) {
	if c.user == nil {
		c.addNull() // an internal client
		return
	}
	c.addBulkString(c.user.Name)
}

// execACLDenied checks a queued command again when EXEC runs it, since the
// rules may have changed after it was queued; a denied command gets an
// error in the EXEC reply and does not run.
func (s *Server) execACLDenied(c *Client, cp *cmdProc) bool {
	if u := c.user; u == nil || u.Superuser() {
		return false
	}
	res, idx := c.aclCheck(cp, c.argv)
	if res == acl.OK {
		return false
	}
	var reason string
	switch res {
	case acl.DeniedCommand:
		reason = "no permission to execute the command or subcommand"
	case acl.DeniedKey:
		reason = "no permission to touch the specified keys"
	case acl.DeniedChannel:
		reason = "no permission to access one of the channels used as arguments"
	default:
		reason = "no permission"
	}
	s.aclLogDenial(c, res, acl.CtxMulti, idx, "", "")
	c.addError("NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: " + reason)
	return true
}
