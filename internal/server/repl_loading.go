package server

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/modis/modis/internal/command"
)

// A replica loading its master's RDB serves other clients meanwhile, as
// Redis 7.0 does from processEventsWhileBlocked: the loader gives up the
// execution lock every loadSlice, commands without the "loading" flag get
// -LOADING, INFO persistence shows loading:1 with the loading_* fields, and
// the cron jobs (eviction, save points, active expiry, ...) do not run, so
// nothing sees or changes a half-loaded dataset.

// loadSlice is how long the loader keeps the lock before letting clients in.
const loadSlice = 2 * time.Millisecond

// errLoadAborted ends a load cut short by the server closing.
var errLoadAborted = errors.New("loading aborted: the server is shutting down")

// loadState is the progress of a load that yields (Redis's server.loading
// and loading_* counters).
type loadState struct {
	active     bool
	start      time.Time
	total      int64 // size of the RDB
	loaded     int64 // bytes read so far
	rdbUsedMem int64 // the RDB's used-mem aux field
}

// loadYieldReader counts the bytes the loader reads and yields the lock
// between reads once a slice has passed. It is read with the lock held.
type loadYieldReader struct {
	s    *Server
	r    io.Reader
	last time.Time
}

// Read implements io.Reader.
func (y *loadYieldReader) Read(p []byte) (int, error) {
	if time.Since(y.last) >= loadSlice {
		if !y.s.loadYield() {
			return 0, errLoadAborted
		}
		y.last = time.Now()
	}
	n, err := y.r.Read(p)
	y.s.load.loaded += int64(n)
	return n, err
}

// loadYield lets other clients run for a moment. It reports false when
// the server is closing (the load must stop: Close waits for it).
func (s *Server) loadYield() bool {
	cur := s.current
	s.mu.Unlock()
	time.Sleep(100 * time.Microsecond)
	s.mu.Lock()
	s.current = cur
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// rejectLoading refuses commands without the "loading" flag while loading
// (Redis's processCommand check), with Redis's exact reply.
func (s *Server) rejectLoading(c *Client, cp *cmdProc) bool {
	if !s.load.active || cp.spec.Flags&command.FlagLoading != 0 {
		return false
	}
	if s.repl.master != nil && c == s.repl.master {
		return false
	}
	cp.rejectedCalls++
	s.rejectCommand(c, "LOADING Redis is loading the dataset in memory")
	return true
}

// infoLoading writes the loading_* fields Redis adds to the persistence
// section while loading.
func (s *Server) infoLoading(b *strings.Builder) {
	if !s.load.active {
		return
	}
	l := &s.load
	elapsed := int64(time.Since(l.start) / time.Second)
	eta := int64(1)
	if elapsed != 0 {
		eta = elapsed * (l.total - l.loaded) / (l.loaded + 1)
	}
	perc := float64(l.loaded) / float64(l.total+1) * 100
	fmt.Fprintf(b, "loading_start_time:%d\r\nloading_total_bytes:%d\r\nloading_rdb_used_mem:%d\r\nloading_loaded_bytes:%d\r\nloading_loaded_perc:%.2f\r\nloading_eta_seconds:%d\r\n",
		l.start.Unix(), l.total, l.rdbUsedMem, l.loaded, perc, eta)
}

func init() {
	for _, sec := range infoSections {
		if sec.name != "persistence" {
			continue
		}
		prev := sec.dynamic
		sec.dynamic = func(s *Server, b *strings.Builder) {
			if prev != nil {
				prev(s, b)
			}
			s.infoLoading(b)
		}
		for i := range sec.fields {
			if sec.fields[i].name == "loading" {
				sec.fields[i].value = func(s *Server) string {
					if s.load.active {
						return "1"
					}
					return "0"
				}
			}
		}
	}
}
