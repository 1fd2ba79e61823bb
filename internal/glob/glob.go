// Package glob implements Redis's glob-style pattern matching (the matcher
// behind KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET and ACL key patterns).
//
// The semantics follow Redis's stringmatchlen exactly, including its quirks:
//
//	'*'      any sequence of bytes, also empty
//	'?'      exactly one byte
//	[abc]    one byte of the set; [^abc] negates; [a-z] is a range (reversed
//	         ranges such as [z-a] work too); \x inside brackets is a literal
//	\x       the literal byte x
//
// An unterminated bracket runs to the end of the pattern, a trailing
// backslash matches itself, and recursion on '*' is limited to a depth of
// 1000 (deeper patterns never match), protecting the server from abusive
// patterns as Redis does.
package glob

// maxNesting is the recursion depth past which a pattern fails to match.
const maxNesting = 1000

// text is what patterns and subjects may be: the matcher works on either
// without converting (and so without allocating).
type text interface{ ~string | ~[]byte }

// Match reports whether s matches pattern (case-sensitive).
func Match(pattern, s []byte) bool {
	skip := false
	return match(pattern, 0, s, 0, false, &skip, 0)
}

// MatchString is Match for strings.
func MatchString(pattern, s string) bool {
	skip := false
	return match(pattern, 0, s, 0, false, &skip, 0)
}

// MatchKey matches a string (such as a key of the keyspace) against a
// pattern held as bytes (a command argument).
func MatchKey(pattern []byte, s string) bool {
	skip := false
	return match(pattern, 0, s, 0, false, &skip, 0)
}

// MatchText matches any mix of string and []byte pattern and subject
// without converting either (pub/sub patterns held as strings against
// channel bytes, and so on).
func MatchText[P, S text](pattern P, s S) bool {
	skip := false
	return match(pattern, 0, s, 0, false, &skip, 0)
}

// MatchTextFold is MatchText ignoring ASCII case.
func MatchTextFold[P, S text](pattern P, s S) bool {
	skip := false
	return match(pattern, 0, s, 0, true, &skip, 0)
}

// MatchFold is Match ignoring ASCII case (the nocase flag of stringmatchlen).
func MatchFold(pattern, s []byte) bool {
	skip := false
	return match(pattern, 0, s, 0, true, &skip, 0)
}

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// at returns p[i], or 0 past the end: the C matcher reads the terminating
// NUL in a few places, and behaving the same keeps edge cases identical.
func at[P text](p P, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}

// match matches pattern[pi:] against s[si:]. skipLonger is shared by the
// whole match: once the rest of a pattern after a '*' matched nowhere in the
// remaining string, earlier stars cannot help either, so the search stops
// (this keeps patterns like "a*a*a*a*b" from taking exponential time).
func match[P, S text](pat P, pi int, s S, si int, fold bool, skipLonger *bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	plen, slen := len(pat)-pi, len(s)-si
	for plen > 0 && slen > 0 {
		switch pat[pi] {
		case '*':
			for plen > 0 && at(pat, pi+1) == '*' {
				pi++
				plen--
			}
			if plen == 1 {
				return true
			}
			for slen > 0 {
				if match(pat, pi+1, s, si, fold, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				si++
				slen--
			}
			*skipLonger = true
			return false
		case '?':
			si++
			slen--
		case '[':
			pi++
			plen--
			not := at(pat, pi) == '^'
			if not {
				pi++
				plen--
			}
			matched := false
			c := s[si]
			for {
				if at(pat, pi) == '\\' && plen >= 2 {
					pi++
					plen--
					if pat[pi] == c {
						matched = true
					}
				} else if at(pat, pi) == ']' {
					break
				} else if plen == 0 {
					pi--
					plen++
					break
				} else if plen >= 3 && pat[pi+1] == '-' {
					start, end, cc := pat[pi], pat[pi+2], c
					if start > end {
						start, end = end, start
					}
					if fold {
						start, end, cc = lower(start), lower(end), lower(cc)
					}
					pi += 2
					plen -= 2
					if cc >= start && cc <= end {
						matched = true
					}
				} else if !fold {
					if pat[pi] == c {
						matched = true
					}
				} else if lower(pat[pi]) == lower(c) {
					matched = true
				}
				pi++
				plen--
			}
			if not {
				matched = !matched
			}
			if !matched {
				return false
			}
			si++
			slen--
		case '\\':
			if plen >= 2 {
				pi++
				plen--
			}
			fallthrough
		default:
			if !fold {
				if pat[pi] != s[si] {
					return false
				}
			} else if lower(pat[pi]) != lower(s[si]) {
				return false
			}
			si++
			slen--
		}
		pi++
		plen--
		if slen == 0 {
			for at(pat, pi) == '*' {
				pi++
				plen--
			}
			break
		}
	}
	return plen == 0 && slen == 0
}
