package server

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/modis/modis/internal/config"
)

// Main runs the server with redis-server style arguments and returns the
// process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	cfg, err := config.ParseArgs(args)
	switch {
	case errors.Is(err, config.ErrVersion):
		fmt.Fprintf(stdout, "Redis server v=%s sha=00000000:0 malloc=libc bits=64 build=0\n", Version)
		return 0
	case errors.Is(err, config.ErrHelp):
		fmt.Fprint(stderr, usage)
		return 1
	case err != nil:
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n", Version)
			if ce.Line > 0 {
				fmt.Fprintf(stderr, "Reading the configuration file, at line %d\n", ce.Line)
			}
			fmt.Fprintf(stderr, ">>> '%s'\n%s\n", ce.Text, ce.Message)
			return 1
		}
		fmt.Fprintln(stderr, err)
		return 1
	}
	tuneGC()
	s := New(cfg)
	if err := s.Listen(); err != nil {
		s.logger.Logf(LogWarning, "%s", err)
		return 1
	}
	s.logger.Logf(LogNotice, "Modis version=%s (Redis-compatible), bits=64, pid=%d, just started", Version, os.Getpid())
	s.logger.Logf(LogNotice, "Running mode=standalone, port=%d.", cfg.Port)
	s.logger.Logf(LogNotice, "Ready to accept connections")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		s.logger.Logf(LogWarning, "Received SIGTERM scheduling shutdown...")
		s.Close()
	}()
	s.Serve()
	s.logger.Logf(LogWarning, "Modis is now ready to exit, bye bye...")
	return 0
}

const usage = `Usage: ./modis-server [/path/to/redis.conf] [options] [-]
       ./modis-server - (read config from stdin)
       ./modis-server -v or --version
       ./modis-server -h or --help

Examples:
       ./modis-server (run the server with default config)
       ./modis-server /etc/redis/6379.conf
       ./modis-server --port 7777
       ./modis-server /etc/myredis.conf --loglevel verbose -
       ./modis-server /etc/myredis.conf --loglevel verbose
`
