package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/repr"
)

// MONITOR: every command that runs is echoed to monitoring clients as a
// status line "+<unix time with µs> [<db> <addr>] "arg" ...". Admin and
// skip_monitor commands are not shown, and passwords are redacted as Redis
// 7.0 does.

func init() {
	register(map[string]func(*Client){"monitor": monitorCommand})
	afterCall = append(afterCall, feedMonitors)
	clientCleanup = append(clientCleanup, func(s *Server, c *Client) { c.stopMonitor() })
}

func monitorCommand(c *Client) {
	if c.multi != nil || c.srv.inExec(c) {
		c.addError("ERR MONITOR isn't allowed for DENY BLOCKING client")
		return
	}
	if c.monitor {
		return
	}
	c.monitor = true
	c.srv.monitors = append(c.srv.monitors, c)
	c.addOK()
}

// inExec reports whether c is running the body of EXEC (commands there
// cannot block the connection, so MONITOR is refused as in Redis).
func (s *Server) inExec(c *Client) bool {
	return c.cmd != nil && c.lastCmd == "exec" && c.cmd.spec.Name != "exec"
}

// stopMonitor takes c out of MONITOR mode (RESET, disconnect).
func (c *Client) stopMonitor() {
	if !c.monitor {
		return
	}
	c.monitor = false
	s := c.srv
	for i, m := range s.monitors {
		if m == c {
			s.monitors = append(s.monitors[:i:i], s.monitors[i+1:]...)
			break
		}
	}
}

func feedMonitors(s *Server, c *Client, cp *cmdProc, usec int64) {
	if len(s.monitors) == 0 || c.rerunning || cp.spec.Flags&(command.FlagSkipMonitor|command.FlagAdmin) != 0 {
		return
	}
	now := time.Now()
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, '.')
	us := strconv.Itoa(now.Nanosecond() / 1000)
	line = append(line, "000000"[len(us):]...)
	line = append(line, us...)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.db.ID), 10)
	line = append(line, ' ')
	if c.unixSock {
		line = append(line, "unix:"...)
		line = append(line, s.cfg.Unixsocket...)
	} else if s.isScriptClient(c) {
		line = append(line, "lua"...)
	} else {
		line = append(line, c.peerID()...)
	}
	line = append(line, "] "...)
	redact := monitorRedactions(c.argv)
	for i, a := range c.argv {
		if i > 0 {
			line = append(line, ' ')
		}
		if redact[i] {
			a = []byte("(redacted)")
		}
		line = repr.Append(line, a)
	}
	line = append(line, '\r', '\n')
	for _, m := range append([]*Client(nil), s.monitors...) {
		s.pushTo(m, false, func(_ int, dst []byte) []byte { return append(dst, line...) })
	}
}

// monitorRedactions marks the arguments Redis 7.0 hides: AUTH's username
// and password, HELLO's AUTH pair once the version parsed.
func monitorRedactions(argv [][]byte) map[int]bool {
	name := strings.ToLower(string(argv[0]))
	switch name {
	case "auth":
		if len(argv) > 3 {
			return nil
		}
		r := map[int]bool{}
		for i := 1; i < len(argv); i++ {
			r[i] = true
		}
		return r
	case "config":
		return configSetRedactions(argv)
	case "hello":
		next := 1
		if len(argv) >= 2 {
			v, ok := clientParseInt(argv[1])
			if !ok || v < 2 || v > 3 {
				return nil
			}
			next = 2
		}
		r := map[int]bool{}
		for j := next; j < len(argv); j++ {
			more := len(argv) - 1 - j
			switch {
			case strings.EqualFold(string(argv[j]), "AUTH") && more >= 2:
				r[j+1], r[j+2] = true, true
				j += 2
			case strings.EqualFold(string(argv[j]), "SETNAME") && more >= 1:
				j++
			default:
				return r
			}
		}
		return r
	}
	return nil
}
