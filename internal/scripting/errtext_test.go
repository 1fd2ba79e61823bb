package scripting

import "testing"

func TestLuaErrorText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"user_script:1: cannot perform add operation between table and number", "user_script:1: attempt to perform arithmetic on a table value"},
		{"user_script:1: cannot perform mul operation between number and string", "user_script:1: attempt to perform arithmetic on a string value"},
		{"user_script:1: cannot perform pow operation between string and boolean", "user_script:1: attempt to perform arithmetic on a string value"},
		{"user_script:2: attempt to compare table with table", "user_script:2: attempt to compare two table values"},
		{"user_script:2: attempt to compare number with string", "user_script:2: attempt to compare number with string"},
		{"user_script:1: bad argument #2 to rep (number expected, got nil)", "user_script:1: bad argument #2 to 'rep' (number expected, got nil)"},
		{"user_script:1: bad argument #1 to 'tonumber' (value expected)", "user_script:1: bad argument #1 to 'tonumber' (value expected)"},
		{"bad argument #1 to (anonymous) (string expected, got table)", "bad argument #1 to '?' (string expected, got table)"},
		{"user_script:1: invalid value (table) at index 1 in table for concat", "user_script:1: invalid value (table) at index 1 in table for 'concat'"},
		{"user_script:1: attempt to index a non-table object(nil) with key 'y'", "user_script:1: attempt to index a nil value"},
		{"user_script:1: attempt to index a non-table object(number) with key 'a b'", "user_script:1: attempt to index a number value"},
		{"user_script:1: attempt to call a non-function object", "user_script:1: attempt to call a non-function object"},
	} {
		if got := luaErrorText(c.in); got != c.want {
			t.Errorf("luaErrorText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
