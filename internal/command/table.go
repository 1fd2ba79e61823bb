package command

import (
	"sort"
	"strings"
)

// Table is the live command table: the built-in commands plus whatever
// modules add. Lookups are case-insensitive.
type Table struct {
	byName map[string]*Spec
}

// NewTable returns a table holding the built-in commands.
func NewTable() *Table {
	t := &Table{byName: make(map[string]*Spec, len(builtin))}
	for _, s := range builtin {
		t.byName[s.Name] = s
	}
	return t
}

// Builtin returns the built-in specs (shared; do not modify).
func Builtin() []*Spec { return builtin }

// Lookup finds a top-level command by name, ignoring case, without
// allocating for names up to 32 bytes.
func (t *Table) Lookup(name []byte) *Spec {
	var buf [32]byte
	if len(name) > len(buf) {
		return t.byName[strings.ToLower(string(name))]
	}
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return t.byName[string(buf[:len(name)])]
}

// Sub finds a subcommand of s by name, ignoring case.
func (s *Spec) Sub(name []byte) *Spec {
	for _, sub := range s.Subcommands {
		if strings.EqualFold(sub.SubName(), string(name)) {
			return sub
		}
	}
	return nil
}

// Add registers a new top-level command; it reports false if the name is
// taken.
func (t *Table) Add(s *Spec) bool {
	name := strings.ToLower(s.Name) // module commands keep their declared case
	if _, ok := t.byName[name]; ok {
		return false
	}
	t.byName[name] = s
	return true
}

// Remove unregisters a top-level command.
func (t *Table) Remove(name string) { delete(t.byName, strings.ToLower(name)) }

// Len is the number of top-level commands (COMMAND COUNT).
func (t *Table) Len() int { return len(t.byName) }

// All returns every top-level command sorted by name.
func (t *Table) All() []*Spec {
	out := make([]*Spec, 0, len(t.byName))
	for _, s := range t.byName {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AddAs registers s under another name (rename-command keeps the command's
// own Spec, so errors and COMMAND INFO still show its original name). It
// reports false if the name is taken.
func (t *Table) AddAs(name string, s *Spec) bool {
	name = strings.ToLower(name)
	if _, ok := t.byName[name]; ok {
		return false
	}
	t.byName[name] = s
	return true
}
