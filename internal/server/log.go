package server

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/config"
)

// Log levels, as redis.conf's loglevel.
const (
	LogDebug = iota
	LogVerbose
	LogNotice
	LogWarning
)

// Logger writes Redis-style log lines: "pid:M 27 Nov 2026 03:20:01.123 * msg".
// The level can change at run time (CONFIG SET loglevel).
type Logger struct {
	mu    sync.Mutex
	w     io.Writer
	level atomic.Int32
	pid   int
	role  byte // 'M' for the server, 'C' before it is initialised (as Redis)
}

func levelOf(name string) int {
	switch name {
	case "debug":
		return LogDebug
	case "verbose":
		return LogVerbose
	case "warning":
		return LogWarning
	}
	return LogNotice
}

// newLogger opens the configured log file ("" = standard output).
func newLogger(cfg *config.Config) *Logger {
	l := &Logger{w: os.Stdout, pid: os.Getpid(), role: 'M'}
	l.level.Store(int32(levelOf(cfg.LogLevel)))
	if cfg.LogFile != "" {
		if f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
			l.w = f
		}
	}
	return l
}

// SetLevel changes the minimum level logged.
func (l *Logger) SetLevel(level int) { l.level.Store(int32(level)) }

// Close closes the log file, if any.
func (l *Logger) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.w.(*os.File); ok && f != os.Stdout && f != os.Stderr {
		f.Close()
		l.w = io.Discard
	}
}

var levelMark = [...]byte{'.', '-', '*', '#'}

// Logf logs at a level.
func (l *Logger) Logf(level int, format string, args ...any) {
	if int32(level) < l.level.Load() {
		return
	}
	now := time.Now()
	line := fmt.Sprintf("%d:%c %s.%03d %c %s\n", l.pid, l.role, now.Format("02 Jan 2006 15:04:05"),
		now.Nanosecond()/1e6, levelMark[level], fmt.Sprintf(format, args...))
	l.mu.Lock()
	io.WriteString(l.w, line)
	l.mu.Unlock()
}
