package command

// Doc is the prose of one command for COMMAND DOCS, written for Modis (the
// generated table holds only machine-readable facts).
type Doc struct {
	Summary    string
	Complexity string
	ReplacedBy string
	History    [][2]string
}

// DocFor returns the documentation of a command or subcommand: a module's
// own Spec fields when set, else the built-in text below.
func DocFor(s *Spec) Doc {
	if s.Summary != "" || s.Complexity != "" {
		return Doc{Summary: s.Summary, Complexity: s.Complexity, ReplacedBy: s.ReplacedBy, History: s.History}
	}
	if d, ok := docs[s.Name]; ok {
		return Doc{Summary: d[0], Complexity: d[1], ReplacedBy: s.ReplacedBy}
	}
	return Doc{Summary: "The " + s.Name + " command.", ReplacedBy: s.ReplacedBy}
}

// docs maps a command's full name to its summary and time complexity.
var docs = map[string][2]string{}
