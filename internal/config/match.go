package config

// matchGlob reports whether s matches the glob pattern like Redis's
// stringmatchlen: * ? [abc] [^a-z] and backslash escapes.
//
// Private stand-in for internal/glob (being written in parallel); the
// two should be merged once it lands.
func matchGlob(pattern, s string, nocase bool) bool {
	return matchAt(pattern, s, nocase, 0)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func matchAt(p, s string, nocase bool, depth int) bool {
	if depth > 1000 {
		return false
	}
	for len(p) > 0 && len(s) > 0 || len(p) > 0 && p[0] == '*' {
		switch p[0] {
		case '*':
			for len(p) > 1 && p[1] == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if matchAt(p[1:], s[i:], nocase, depth+1) {
					return true
				}
			}
			return false
		case '?':
			s = s[1:]
		case '[':
			p = p[1:]
			not := len(p) > 0 && p[0] == '^'
			if not {
				p = p[1:]
			}
			match := false
			for {
				if len(p) == 0 {
					break
				}
				if p[0] == '\\' && len(p) >= 2 {
					p = p[1:]
					if p[0] == s[0] {
						match = true
					}
				} else if p[0] == ']' {
					break
				} else if len(p) >= 3 && p[1] == '-' {
					start, end := p[0], p[2]
					if start > end {
						start, end = end, start
					}
					c := s[0]
					if nocase {
						start, end, c = lower(start), lower(end), lower(c)
					}
					p = p[2:]
					if c >= start && c <= end {
						match = true
					}
				} else {
					if nocase {
						if lower(p[0]) == lower(s[0]) {
							match = true
						}
					} else if p[0] == s[0] {
						match = true
					}
				}
				p = p[1:]
			}
			if len(p) == 0 {
				// Unterminated class: Redis treats the end as its close.
				p = " " // consumed below
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s = s[1:]
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
			fallthrough
		default:
			if nocase {
				if lower(p[0]) != lower(s[0]) {
					return false
				}
			} else if p[0] != s[0] {
				return false
			}
			s = s[1:]
		}
		p = p[1:]
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}

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
			if matchGlob(p, o.Name, true) {
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
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}
