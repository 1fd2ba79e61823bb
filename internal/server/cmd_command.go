package server

import (
	"strings"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/glob"
)

// COMMAND and its subcommands describe the live command table. Redis lists
// commands in its hash table's (randomly seeded) order; we list them sorted,
// which clients cannot tell apart.

func init() {
	register(map[string]func(*Client){
		"command":                 commandCommand,
		"command|count":           commandCountCommand,
		"command|info":            commandInfoCommand,
		"command|docs":            commandDocsCommand,
		"command|list":            commandListCommand,
		"command|getkeys":         commandGetKeysCommand,
		"command|getkeysandflags": commandGetKeysAndFlagsCommand,
		"command|help":            commandHelpCommand,
	})
}

func commandCommand(c *Client) {
	all := c.srv.cmds.All()
	c.addArrayLen(len(all))
	for _, s := range all {
		c.addCommandInfo(s)
	}
}

func commandCountCommand(c *Client) { c.addInt(int64(c.srv.cmds.Len())) }

func commandInfoCommand(c *Client) {
	if len(c.argv) == 2 {
		commandCommand(c)
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, name := range c.argv[2:] {
		c.addCommandInfo(c.srv.lookupCommandByName(string(name)))
	}
}

// lookupCommandByName resolves "get" or "config|get" (Redis's
// lookupCommandBySds); nil if unknown.
func (s *Server) lookupCommandByName(name string) *command.Spec {
	parent, sub, isSub := strings.Cut(name, "|")
	spec := s.cmds.Lookup([]byte(parent))
	if spec == nil || !isSub {
		return spec
	}
	if strings.Contains(sub, "|") {
		return nil
	}
	return spec.Sub([]byte(sub))
}

// addStatusSet replies with a set of status strings (flag lists).
func (c *Client) addStatusSet(names []string) {
	c.addSetLen(len(names))
	for _, n := range names {
		c.addSimple(n)
	}
}

func (c *Client) addCommandInfo(s *command.Spec) {
	if s == nil {
		c.addNull()
		return
	}
	c.addArrayLen(10)
	c.addBulkString(s.Name)
	c.addInt(int64(s.Arity))
	c.addStatusSet(s.Flags.Names())
	c.addInt(int64(s.FirstKey))
	c.addInt(int64(s.LastKey))
	c.addInt(int64(s.Step))
	c.addStatusSet(s.ACL.Names())
	c.addSetLen(len(s.Tips))
	for _, t := range s.Tips {
		c.addBulkString(t)
	}
	c.addKeySpecs(s.KeySpecs)
	if len(s.Subcommands) == 0 {
		c.addSetLen(0)
		return
	}
	c.addArrayLen(len(s.Subcommands))
	for _, sub := range s.Subcommands {
		c.addCommandInfo(sub)
	}
}

func (c *Client) addKeySpecs(specs []command.KeySpec) {
	c.addSetLen(len(specs))
	for i := range specs {
		ks := &specs[i]
		n := 3
		if ks.Notes != "" {
			n++
		}
		c.addMapLen(n)
		if ks.Notes != "" {
			c.addBulkString("notes")
			c.addBulkString(ks.Notes)
		}
		c.addBulkString("flags")
		c.addStatusSet(ks.Flags)
		c.addBulkString("begin_search")
		c.addMapLen(2)
		c.addBulkString("type")
		c.addBulkString(ks.BeginSearch)
		c.addBulkString("spec")
		switch ks.BeginSearch {
		case "index":
			c.addMapLen(1)
			c.addBulkString("index")
			c.addInt(int64(ks.Index))
		case "keyword":
			c.addMapLen(2)
			c.addBulkString("keyword")
			c.addBulkString(ks.Keyword)
			c.addBulkString("startfrom")
			c.addInt(int64(ks.StartFrom))
		default:
			c.addMapLen(0)
		}
		c.addBulkString("find_keys")
		c.addMapLen(2)
		c.addBulkString("type")
		c.addBulkString(ks.FindKeys)
		c.addBulkString("spec")
		switch ks.FindKeys {
		case "range":
			c.addMapLen(3)
			c.addBulkString("lastkey")
			c.addInt(int64(ks.LastKey))
			c.addBulkString("keystep")
			c.addInt(int64(ks.KeyStep))
			c.addBulkString("limit")
			c.addInt(int64(ks.Limit))
		case "keynum":
			c.addMapLen(3)
			c.addBulkString("keynumidx")
			c.addInt(int64(ks.KeyNumIdx))
			c.addBulkString("firstkey")
			c.addInt(int64(ks.FirstKey))
			c.addBulkString("keystep")
			c.addInt(int64(ks.KeyStep))
		default:
			c.addMapLen(0)
		}
	}
}

func commandDocsCommand(c *Client) {
	if len(c.argv) == 2 {
		all := c.srv.cmds.All()
		c.addMapLen(len(all))
		for _, s := range all {
			c.addBulkString(s.Name)
			c.addCommandDocs(s)
		}
		return
	}
	var found []*command.Spec
	for _, name := range c.argv[2:] {
		if s := c.srv.lookupCommandByName(string(name)); s != nil {
			found = append(found, s)
		}
	}
	c.addMapLen(len(found))
	for _, s := range found {
		c.addBulkString(s.Name)
		c.addCommandDocs(s)
	}
}

func (c *Client) addCommandDocs(s *command.Spec) {
	doc := command.DocFor(s)
	// Module commands have only the docs their module set, plus the
	// module's name (Redis's addReplyCommandDocs).
	mod := s.Module != ""
	hasSummary := !mod || s.Summary != ""
	hasSince := !mod || s.Since != ""
	n := 1
	if hasSummary {
		n++
	}
	if hasSince {
		n++
	}
	if mod {
		n++
	}
	if doc.Complexity != "" {
		n++
	}
	if len(s.DocFlags) > 0 {
		n++
	}
	if s.DeprecatedSince != "" {
		n++
	}
	if doc.ReplacedBy != "" {
		n++
	}
	if len(doc.History) > 0 {
		n++
	}
	if len(s.Args) > 0 {
		n++
	}
	if len(s.Subcommands) > 0 {
		n++
	}
	c.addMapLen(n)
	if hasSummary {
		c.addBulkString("summary")
		c.addBulkString(doc.Summary)
	}
	if hasSince {
		c.addBulkString("since")
		c.addBulkString(s.Since)
	}
	c.addBulkString("group")
	c.addBulkString(s.Group)
	if doc.Complexity != "" {
		c.addBulkString("complexity")
		c.addBulkString(doc.Complexity)
	}
	if mod {
		c.addBulkString("module")
		c.addBulkString(s.Module)
	}
	if len(s.DocFlags) > 0 {
		c.addBulkString("doc_flags")
		c.addStatusSet(s.DocFlags)
	}
	if s.DeprecatedSince != "" {
		c.addBulkString("deprecated_since")
		c.addBulkString(s.DeprecatedSince)
	}
	if doc.ReplacedBy != "" {
		c.addBulkString("replaced_by")
		c.addBulkString(doc.ReplacedBy)
	}
	if len(doc.History) > 0 {
		c.addBulkString("history")
		c.addSetLen(len(doc.History))
		for _, h := range doc.History {
			c.addArrayLen(2)
			c.addBulkString(h[0])
			c.addBulkString(h[1])
		}
	}
	if len(s.Args) > 0 {
		c.addBulkString("arguments")
		c.addCommandArgs(s.Args)
	}
	if len(s.Subcommands) > 0 {
		c.addBulkString("subcommands")
		c.addMapLen(len(s.Subcommands))
		for _, sub := range s.Subcommands {
			c.addBulkString(sub.Name)
			c.addCommandDocs(sub)
		}
	}
}

func (c *Client) addCommandArgs(args []command.Arg) {
	c.addSetLen(len(args))
	for i := range args {
		a := &args[i]
		nested := a.Type == "oneof" || a.Type == "block"
		// A pure token always has its token, even an empty one (MIGRATE's
		// ""); any argument tied to a key spec reports its index.
		hasToken := a.Token != "" || a.Type == "pure-token"
		hasKeySpec := a.KeySpecIndex >= 0
		n := 2
		if hasKeySpec {
			n++
		}
		if hasToken {
			n++
		}
		if a.Summary != "" {
			n++
		}
		if a.Since != "" {
			n++
		}
		if len(a.Flags) > 0 {
			n++
		}
		if a.DisplayText != "" {
			n++
		}
		if a.DeprecatedSince != "" {
			n++
		}
		if nested {
			n++
		}
		c.addMapLen(n)
		c.addBulkString("name")
		c.addBulkString(a.Name)
		c.addBulkString("type")
		c.addBulkString(a.Type)
		if a.DisplayText != "" {
			c.addBulkString("display_text")
			c.addBulkString(a.DisplayText)
		}
		if hasKeySpec {
			c.addBulkString("key_spec_index")
			c.addInt(int64(a.KeySpecIndex))
		}
		if hasToken {
			c.addBulkString("token")
			c.addBulkString(a.Token)
		}
		if a.Summary != "" {
			c.addBulkString("summary")
			c.addBulkString(a.Summary)
		}
		if a.Since != "" {
			c.addBulkString("since")
			c.addBulkString(a.Since)
		}
		if a.DeprecatedSince != "" {
			c.addBulkString("deprecated_since")
			c.addBulkString(a.DeprecatedSince)
		}
		if len(a.Flags) > 0 {
			c.addBulkString("flags")
			c.addStatusSet(a.Flags)
		}
		if nested {
			c.addBulkString("arguments")
			c.addCommandArgs(a.Args)
		}
	}
}

func commandListCommand(c *Client) {
	var filter func(s *command.Spec) bool
	for i := 2; i < len(c.argv); i++ {
		more := len(c.argv) - 1 - i
		if !isOpt(c.argv[i], "filterby") || more != 2 {
			c.addError(errSyntax)
			return
		}
		arg := string(c.argv[i+2])
		switch optLower(c.argv[i+1]) {
		case "module":
			filter = func(s *command.Spec) bool { return s.Module != "" && s.Module == arg }
		case "aclcat":
			cat, ok := command.ParseCategory(arg)
			filter = func(s *command.Spec) bool { return ok && s.ACL&cat != 0 }
		case "pattern":
			filter = func(s *command.Spec) bool {
				return glob.MatchFold([]byte(arg), []byte(s.Name))
			}
		default:
			c.addError(errSyntax)
			return
		}
		i += 2
	}
	var names []string
	var walk func(specs []*command.Spec)
	walk = func(specs []*command.Spec) {
		for _, s := range specs {
			if filter == nil || filter(s) {
				names = append(names, s.Name)
			}
			walk(s.Subcommands)
		}
	}
	walk(c.srv.cmds.All())
	c.addBulkStrings(names)
}

func commandGetKeysCommand(c *Client)         { getKeysSubcommand(c, false) }
func commandGetKeysAndFlagsCommand(c *Client) { getKeysSubcommand(c, true) }

// getKeysSubcommand is COMMAND GETKEYS / GETKEYSANDFLAGS: the keys of a
// command line found without running it.
func getKeysSubcommand(c *Client, withFlags bool) {
	argv := c.argv[2:]
	spec := c.srv.cmds.Lookup(argv[0])
	if spec != nil && len(spec.Subcommands) > 0 && len(argv) >= 2 {
		spec = spec.Sub(argv[1])
	}
	if spec == nil {
		c.addError("ERR Invalid command specified")
		return
	}
	if moduleGetKeysHook != nil {
		if pos, ok := moduleGetKeysHook(c, spec, argv); ok {
			replyModuleKeys(c, spec, argv, pos, withFlags)
			return
		}
	}
	if !spec.HasKeys() {
		c.addError("ERR The command has no key arguments")
		return
	}
	if (spec.Arity > 0 && spec.Arity != len(argv)) || len(argv) < -spec.Arity {
		c.addError("ERR Invalid number of arguments specified for command")
		return
	}
	keys := spec.GetKeys(argv)
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
			c.addBulk(argv[k.Pos])
			c.addStatusSet(k.Flags)
		} else {
			c.addBulk(argv[k.Pos])
		}
	}
}

// addHelp replies with Redis's help layout: a header line naming the
// command, then the given lines, then the HELP entry (addReplyHelp).
func (c *Client) addSubcommandHelp(lines []string) {
	name := strings.ToUpper(string(c.argv[0]))
	c.addArrayLen(len(lines) + 3)
	c.addSimple(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.addSimple(l)
	}
	c.addSimple("HELP")
	c.addSimple("    Prints this help.")
}

func commandHelpCommand(c *Client) {
	c.addSubcommandHelp([]string{
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"GETKEYSANDFLAGS <full-command>",
		"    Return the keys and the access flags from a full Redis command.",
	})
}
