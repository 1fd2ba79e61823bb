package scripting

import (
	"regexp"
	"strings"
)

// Runtime errors raised by gopher-lua's VM and libraries use wordings of
// their own; Redis runs PUC Lua 5.1, whose texts scripts (and clients
// matching error replies) see. luaErrorText rewrites the messages whose
// 5.1 form can be derived from gopher-lua's text alone: the operand
// types are in the message, and the rules of 5.1's luaG_aritherror and
// luaG_ordererror pick the same culprit from them. Messages naming a
// variable ("local 'x'") need debug data gopher-lua does not expose and
// are left as they are.

var (
	// "cannot perform add operation between string and number"
	arithRe = regexp.MustCompile(`cannot perform (?:add|sub|mul|div|mod|pow) operation between (\w+) and (\w+)`)
	// "attempt to compare table with table"
	compareRe = regexp.MustCompile(`attempt to compare (\w+) with (\w+)`)
	// "attempt to index a non-table object(nil) with key 'y'"
	indexRe = regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '.*'$`)
	// "bad argument #1 to sub (...)": 5.1 quotes the function name.
	badArgRe = regexp.MustCompile(`bad argument #(\d+) to ([A-Za-z_][A-Za-z0-9_]*) \(`)
)

// luaErrorText maps a gopher-lua error message to Lua 5.1's text.
func luaErrorText(s string) string {
	if !strings.Contains(s, "cannot perform") && !strings.Contains(s, "attempt to compare") &&
		!strings.Contains(s, "bad argument") && !strings.Contains(s, "in table for concat") &&
		!strings.Contains(s, "attempt to index a non-table") {
		return s
	}
	// 5.1's unnamed form; a named operand ("local 'x'") is not known here.
	s = indexRe.ReplaceAllString(s, "attempt to index a $1 value")
	s = arithRe.ReplaceAllStringFunc(s, func(m string) string {
		p := arithRe.FindStringSubmatch(m)
		// A string that converts to a number is already shown as a
		// number; 5.1 blames the first operand unless it is numeric.
		culprit := p[1]
		if culprit == "number" {
			culprit = p[2]
		}
		return "attempt to perform arithmetic on a " + culprit + " value"
	})
	s = compareRe.ReplaceAllStringFunc(s, func(m string) string {
		p := compareRe.FindStringSubmatch(m)
		if p[1] == p[2] {
			return "attempt to compare two " + p[1] + " values"
		}
		return m
	})
	s = badArgRe.ReplaceAllString(s, "bad argument #$1 to '$2' (")
	// gopher-lua's name for a function it cannot name; 5.1 says '?'.
	s = strings.Replace(s, " to (anonymous) (", " to '?' (", 1)
	return strings.Replace(s, "in table for concat", "in table for 'concat'", 1)
}
