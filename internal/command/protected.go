package command

// Flags Redis keeps internal and COMMAND INFO does not show, so the
// generator cannot take them from a running server.
func init() {
	for _, s := range builtin {
		switch s.Name {
		case "debug", "module":
			// Refused unless enable-debug-command / enable-module-command
			// allow it (CMD_PROTECTED).
			s.Flags |= FlagProtected
		}
	}
}
