package server

import (
	"fmt"
	"os"
	"strings"
)

// Process lifecycle: SHUTDOWN, signals, the pid file. Redis exits from
// inside prepareForShutdown; Modis stops the Server (listeners, clients,
// cron) and lets Main return the exit code, so an in-process server (tests)
// shuts down the same way without ending the test binary.

// lifecycle is the Server's process-level state.
type lifecycle struct {
	ownsProcess bool   // started by Main: may chdir, write the pid file
	pidFile     string // the pid file written, removed at exit
	exitCode    int
	shutdownReq bool   // a shutdown has been decided
	startKey    string // port and bind the listeners were opened with
	listenKey   string // port and bind of the current TCP listeners
}

// Shutdown flags, as SHUTDOWN's arguments and shutdown-on-sig* words.
const (
	shutdownSave = 1 << iota
	shutdownNoSave
	shutdownNow
	shutdownForce
)

// shutdownHooks run when the server stops: persistence saves (save is
// true when an RDB must be written: SHUTDOWN SAVE, or save points
// configured and not NOSAVE) and flushes the AOF. An error aborts the
// shutdown unless FORCE was given. Called with the execution lock held.
var shutdownHooks []func(s *Server, save bool) error

func init() {
	register(map[string]func(*Client){"shutdown": shutdownCommand})
}

func shutdownCommand(c *Client) {
	flags, abort := 0, false
	for _, a := range c.argv[1:] {
		switch optLower(a) {
		case "nosave":
			flags |= shutdownNoSave
		case "save":
			flags |= shutdownSave
		case "now":
			flags |= shutdownNow
		case "force":
			flags |= shutdownForce
		case "abort":
			abort = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	if (abort && flags != 0) || (flags&shutdownNoSave != 0 && flags&shutdownSave != 0) {
		c.addError(errSyntax)
		return
	}
	if abort {
		// Modis never waits for replicas, so there is nothing to abort.
		c.addError("ERR No shutdown in progress.")
		return
	}
	s := c.srv
	if err := s.prepareForShutdown(flags); err != nil {
		c.addError("ERR Errors trying to SHUTDOWN. Check logs.")
		return
	}
	// The client gets no reply: the connection closes with the server.
	c.replyOff = true
	c.closeAfterReply = true
	go s.Close()
}

// parseShutdownFlags converts a shutdown-on-sig* value.
func parseShutdownFlags(v string) int {
	flags := 0
	for _, w := range strings.Fields(v) {
		switch w {
		case "save":
			flags |= shutdownSave
		case "nosave":
			flags |= shutdownNoSave
		case "now":
			flags |= shutdownNow
		case "force":
			flags |= shutdownForce
		}
	}
	return flags
}

// prepareForShutdown is Redis's prepareForShutdown: save if needed, remove
// the pid file, log. It returns an error when the save failed and FORCE
// was not given; the server then keeps running. Call with the lock held.
func (s *Server) prepareForShutdown(flags int) error {
	s.logger.Logf(LogWarning, "User requested shutdown...")
	save := flags&shutdownSave != 0 || (flags&shutdownNoSave == 0 && len(s.cfg.Save) > 0)
	if s.load.active { // a half-loaded dataset is never saved
		save = false
	}
	if save && len(shutdownHooks) > 0 {
		s.logger.Logf(LogNotice, "Saving the final RDB snapshot before exiting.")
	}
	for _, fn := range shutdownHooks {
		if err := fn(s, save); err != nil {
			if flags&shutdownForce == 0 {
				s.logger.Logf(LogWarning, "Error trying to save the DB, can't exit.")
				return err
			}
			s.logger.Logf(LogWarning, "Error trying to save the DB. Exit anyway.")
		}
	}
	if s.life.pidFile != "" {
		s.logger.Logf(LogNotice, "Removing the pid file.")
		os.Remove(s.life.pidFile)
	}
	if s.cfg.Unixsocket != "" && s.life.ownsProcess {
		os.Remove(s.cfg.Unixsocket)
	}
	s.logger.Logf(LogWarning, "Redis is now ready to exit, bye bye...")
	s.life.shutdownReq = true
	s.life.exitCode = 0
	return nil
}

// handleSignal runs a shutdown for SIGTERM or SIGINT with the flags of
// shutdown-on-sigterm / shutdown-on-sigint. It reports whether the server
// is stopping.
func (s *Server) handleSignal(name string) bool {
	s.logger.Logf(LogWarning, "Received %s scheduling shutdown...", name)
	s.mu.Lock()
	v := s.cfg.ShutdownOnSigterm
	if name == "SIGINT" {
		v = s.cfg.ShutdownOnSigint
	}
	err := s.prepareForShutdown(parseShutdownFlags(v))
	s.mu.Unlock()
	if err != nil {
		return false
	}
	s.Close()
	return true
}

// writePidFile writes "pid\n" as Redis does; a failure is only logged.
func (s *Server) writePidFile(path string) {
	if err := os.WriteFile(path, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
		s.logger.Logf(LogWarning, "Failed to write PID file: %s", errnoString(err))
		return
	}
	s.life.pidFile = path
}
