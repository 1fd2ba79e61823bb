// Package repr quotes bytes the way Redis's sdscatrepr does, for the
// places Redis shows arbitrary data as text: MONITOR lines, log lines
// about client buffers, AOF manifest file names, CONFIG REWRITE values.
package repr

// Append appends b to dst in double quotes, with backslash escapes for
// \\ \" \n \r \t \a \b and \xhh for every other byte outside 0x20-0x7e.
func Append(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, ch := range b {
		switch ch {
		case '\\', '"':
			dst = append(dst, '\\', ch)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if ch >= 0x20 && ch <= 0x7e {
				dst = append(dst, ch)
			} else {
				dst = append(dst, '\\', 'x', hex[ch>>4], hex[ch&15])
			}
		}
	}
	return append(dst, '"')
}

// String is Append for a string.
func String(s string) string { return string(Append(nil, []byte(s))) }
