package acl

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/modis/modis/internal/command"
)

// Commands is the command universe ACL rules refer to: the commands under
// their original names (rename-command does not change what "+get" means)
// plus the commands modules added. The server implements it.
type Commands interface {
	// Lookup finds a top-level command by name, ignoring case.
	Lookup(name string) *command.Spec
	// All lists every top-level command.
	All() []*command.Spec
}

// Every command and subcommand has a small integer id, its bit in a
// selector's command bitmap. Ids are process-wide: built-in specs are
// numbered once in table order, specs added later (module commands) when
// first seen. A spec's id never changes. Readers load an immutable map
// (no lock on the permission-check path); new ids copy it.
var ids struct {
	mu     sync.Mutex
	byspec atomic.Pointer[map[*command.Spec]int]
	next   int
}

func init() {
	m := map[*command.Spec]int{}
	walk(command.Builtin(), func(s *command.Spec) {
		m[s] = ids.next
		ids.next++
	})
	ids.byspec.Store(&m)
}

// ID returns the command's bit index.
func ID(s *command.Spec) int {
	if id, ok := (*ids.byspec.Load())[s]; ok {
		return id
	}
	ids.mu.Lock()
	defer ids.mu.Unlock()
	old := *ids.byspec.Load()
	if id, ok := old[s]; ok {
		return id
	}
	m := make(map[*command.Spec]int, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	id := ids.next
	ids.next++
	m[s] = id
	ids.byspec.Store(&m)
	return id
}

// BuiltinCommands is a Commands over the built-in table only (tests, and
// validating config-file rules before the server exists).
type BuiltinCommands struct{}

var builtinByName = func() map[string]*command.Spec {
	m := map[string]*command.Spec{}
	for _, s := range command.Builtin() {
		m[s.Name] = s
	}
	return m
}()

// Lookup implements Commands.
func (BuiltinCommands) Lookup(name string) *command.Spec {
	return builtinByName[strings.ToLower(name)]
}

// All implements Commands.
func (BuiltinCommands) All() []*command.Spec { return command.Builtin() }

// lookupRule resolves "cmd" or "cmd|sub" as Redis's ACLLookupCommand does:
// more than one '|' finds nothing, and "cmd|x" only finds real subcommands.
func lookupRule(cmds Commands, name string) *command.Spec {
	i := strings.IndexByte(name, '|')
	if i < 0 {
		return cmds.Lookup(name)
	}
	parent, sub := name[:i], name[i+1:]
	if strings.IndexByte(sub, '|') >= 0 {
		return nil
	}
	p := cmds.Lookup(parent)
	if p == nil || len(p.Subcommands) == 0 {
		return nil
	}
	return p.Sub([]byte(sub))
}

// isSub reports whether s is a subcommand ("parent|sub").
func isSub(s *command.Spec) bool { return strings.IndexByte(s.Name, '|') >= 0 }

// isModule reports whether a module registered the command.
func isModule(s *command.Spec) bool { return s.Flags&command.FlagModule != 0 || s.Module != "" }

// walk calls fn for every command and subcommand, parents first.
func walk(specs []*command.Spec, fn func(s *command.Spec)) {
	for _, s := range specs {
		fn(s)
		walk(s.Subcommands, fn)
	}
}

// CategoryCommands lists the full names of the commands in a category, as
// ACL CAT <category> does (module commands are left out).
func CategoryCommands(cmds Commands, cat command.Categories) []string {
	var out []string
	walk(cmds.All(), func(s *command.Spec) {
		if !isModule(s) && s.ACL&cat != 0 {
			out = append(out, s.Name)
		}
	})
	return out
}
