package server

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/modis/modis/internal/config"
)

// daemonEnv marks the re-executed child of "daemonize yes".
const daemonEnv = "MODIS_DAEMONIZED"

// Main runs the server with redis-server style arguments and returns the
// process exit code: 0 after a clean shutdown, 1 on a configuration or
// start-up error.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if n := len(args); n > 0 && (args[0] == "-" || args[n-1] == "-") {
		early := &Logger{w: stdout, pid: os.Getpid(), role: 'C'}
		early.Logf(LogWarning, "Reading config from stdin")
	}
	cfg, err := config.ParseArgs(args, stdin)
	switch {
	case errors.Is(err, config.ErrVersion):
		fmt.Fprintf(stdout, "Redis server v=%s sha=00000000:0 malloc=libc bits=64 build=%s\n", Version, buildID)
		return 0
	case errors.Is(err, config.ErrHelp):
		fmt.Fprint(stderr, usage)
		return 1
	case err != nil:
		var ce *config.Error
		var fe *config.FatalError
		switch {
		case errors.As(err, &ce):
			fmt.Fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n", Version)
			if ce.Line > 0 {
				fmt.Fprintf(stderr, "Reading the configuration file, at line %d\n", ce.Line)
				fmt.Fprintf(stderr, ">>> '%s'\n", ce.Text)
			}
			fmt.Fprintf(stderr, "%s\n", ce.Message)
		case errors.As(err, &fe):
			early := &Logger{w: stdout, pid: os.Getpid(), role: 'C'}
			early.Logf(LogWarning, "%s", fe.Message)
		default:
			fmt.Fprintln(stderr, err)
		}
		return 1
	}

	background := cfg.Daemonize && cfg.Supervised == "no"
	if background && os.Getenv(daemonEnv) == "" {
		return daemonize(args, stderr)
	}
	if cfg.Dir != "" {
		if err := os.Chdir(cfg.Dir); err != nil {
			fmt.Fprintf(stderr, "Can't chdir to '%s': %s\n", cfg.Dir, errnoString(err))
			return 1
		}
	}

	early := newLogger(cfg)
	early.role = 'C'
	early.Logf(LogWarning, "oO0OoO0OoO0Oo Modis is starting oO0OoO0OoO0Oo")
	early.Logf(LogWarning, "Modis version=%s (Redis %s compatible), bits=64, commit=00000000, modified=0, pid=%d, just started", Version, Version, os.Getpid())
	if len(args) == 0 {
		early.Logf(LogWarning, "Warning: no config file specified, using the default config. In order to specify a config file use %s /path/to/redis.conf", os.Args[0])
	} else {
		early.Logf(LogWarning, "Configuration loaded")
	}
	early.Close()

	tuneGC()
	s := New(cfg)
	s.life.ownsProcess = true
	s.adjustOpenFilesLimit()
	if background || cfg.PidFile != "" {
		if cfg.PidFile == "" {
			cfg.PidFile = "/var/run/redis.pid"
		}
		s.writePidFile(cfg.PidFile)
	}
	if cfg.Port == 0 && cfg.TLSPort == 0 && cfg.Unixsocket == "" || len(cfg.Bind) == 0 && cfg.Unixsocket == "" {
		s.logger.Logf(LogWarning, "Configured to not listen anywhere, exiting.")
		s.removePidFile()
		return 1
	}
	if err := s.Listen(); err == errTLSStartup {
		s.logger.Logf(LogWarning, "%s", err)
		s.removePidFile()
		return 1
	} else if err != nil {
		s.logger.Logf(LogWarning, "Warning: %s", err)
		if _, ok := err.(tlsListenError); ok {
			s.logger.Logf(LogWarning, "Failed listening on port %d (TLS), aborting.", cfg.TLSPort)
		} else if strings.Contains(err.Error(), "TCP") {
			s.logger.Logf(LogWarning, "Failed listening on port %d (tcp), aborting.", cfg.Port)
		}
		s.removePidFile()
		return 1
	}
	s.logger.Logf(LogNotice, "Running mode=standalone, port=%d.", cfg.Port)
	s.logger.Logf(LogWarning, "Server initialized")
	// The loadmodule queue loads before any data (Redis's
	// moduleLoadFromQueue); a module that fails aborts start-up.
	if err := s.LoadModules(); err != nil {
		s.closeListeners()
		s.removePidFile()
		return 1
	}
	if err := s.LoadACLAtStartup(); err != nil {
		s.closeListeners()
		s.removePidFile()
		return 1
	}
	if err := s.LoadDataFromDisk(); err != nil {
		s.closeListeners()
		s.removePidFile()
		return 1
	}
	s.logger.Logf(LogNotice, "Ready to accept connections")

	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sig)
	go func() {
		for {
			select {
			case v := <-sig:
				name := "SIGTERM"
				if v == syscall.SIGINT {
					name = "SIGINT"
				}
				if s.handleSignal(name) {
					return
				}
			case <-s.done:
				return
			}
		}
	}()
	s.Serve()
	s.wg.Wait()
	s.logger.Close()
	return s.life.exitCode
}

// removePidFile removes the pid file written at start-up, if any.
func (s *Server) removePidFile() {
	if s.life.pidFile != "" {
		os.Remove(s.life.pidFile)
	}
}

// daemonize implements "daemonize yes". Go can't fork a running runtime,
// so the server re-executes itself detached (new session, standard streams
// on /dev/null) with daemonEnv set, and the parent exits at once as the
// forking parent of Redis does.
func daemonize(args []string, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "Can't daemonize: %s\n", err)
		return 1
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintf(stderr, "Can't daemonize: %s\n", err)
		return 1
	}
	defer devnull.Close()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), daemonEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "Can't daemonize: %s\n", err)
		return 1
	}
	cmd.Process.Release()
	return 0
}

// errnoString renders an error's errno as C's strerror does.
func errnoString(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		m := en.Error()
		return strings.ToUpper(m[:1]) + m[1:]
	}
	return err.Error()
}

// buildID is shown by --version where Redis shows its build hash.
const buildID = "0"

const usage = `Usage: ./modis-server [/path/to/redis.conf] [options] [-]
       ./modis-server - (read config from stdin)
       ./modis-server -v or --version
       ./modis-server -h or --help

Examples:
       ./modis-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./modis-server -
       ./modis-server /etc/redis/6379.conf
       ./modis-server --port 7777
       ./modis-server --port 7777 --replicaof 127.0.0.1 8888
       ./modis-server /etc/myredis.conf --loglevel verbose -
       ./modis-server /etc/myredis.conf --loglevel verbose

`

// listenErrorText renders a listen failure as Redis logs it
// ("bind: Address already in use").
func listenErrorText(err error) string {
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Syscall + ": " + errnoString(se.Err)
	}
	return err.Error()
}
