package command

import "testing"

// TestEveryCommandHasDocs makes sure docs.go covers the whole built-in table,
// subcommands included, and has no entries for unknown names.
func TestEveryCommandHasDocs(t *testing.T) {
	seen := map[string]bool{}
	var walk func(specs []*Spec)
	walk = func(specs []*Spec) {
		for _, s := range specs {
			seen[s.Name] = true
			d, ok := docs[s.Name]
			if !ok || d[0] == "" {
				t.Errorf("no summary for %q", s.Name)
			}
			if ok && d[1] == "" {
				t.Errorf("no complexity for %q", s.Name)
			}
			if s.DeprecatedSince != "" && DocFor(s).ReplacedBy == "" {
				t.Errorf("deprecated %q names no replacement", s.Name)
			}
			walk(s.Subcommands)
		}
	}
	walk(Builtin())
	for name := range docs {
		if !seen[name] {
			t.Errorf("docs entry %q names no command", name)
		}
	}
}
