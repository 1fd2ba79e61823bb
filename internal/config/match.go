package config

import "github.com/modis/modis/internal/glob"

// Match is one CONFIG GET result: the name to show and the option.
type Match struct {
	Name   string
	Option *Option
}

// MatchGet resolves CONFIG GET arguments: a name without glob characters
// is looked up exactly (hidden options included) and shown as typed; a
// pattern matches every non-hidden name, case-insensitively. Each name is
// reported once.
func MatchGet(patterns []string) []Match {
	var out []Match
	seen := map[string]bool{}
	for _, p := range patterns {
		if !containsAny(p, "[*?") {
			key := toLower(p)
			if seen[key] {
				continue
			}
			if o := Lookup(p); o != nil {
				seen[key] = true
				out = append(out, Match{p, o})
			}
			continue
		}
		for _, o := range allOptions {
			if o.Flags&Hidden != 0 || seen[o.Name] {
				continue
			}
			if glob.MatchFold([]byte(p), []byte(o.Name)) {
				seen[o.Name] = true
				out = append(out, Match{o.Name, o})
			}
		}
	}
	return out
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
