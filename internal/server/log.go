package server

import (
	"fmt"
	"io"
	"os"
	"sync"
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
type Logger struct {
	mu    sync.Mutex
	w     io.Writer
	level int
	pid   int
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

func newLogger(cfg *config.Config) *Logger {
	l := &Logger{w: os.Stdout, level: levelOf(cfg.LogLevel), pid: os.Getpid()}
	if cfg.LogFile != "" {
		if f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
			l.w = f
		}
	}
	return l
}

var levelMark = [...]byte{'.', '-', '*', '#'}

// Logf logs at a level.
func (l *Logger) Logf(level int, format string, args ...any) {
	if level < l.level {
		return
	}
	now := time.Now()
	line := fmt.Sprintf("%d:M %s.%03d %c %s\n", l.pid, now.Format("02 Jan 2006 15:04:05"),
		now.Nanosecond()/1e6, levelMark[level], fmt.Sprintf(format, args...))
	l.mu.Lock()
	io.WriteString(l.w, line)
	l.mu.Unlock()
}
