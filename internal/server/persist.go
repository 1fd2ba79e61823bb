package server

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/rdb"
	"github.com/modis/modis/internal/persist/snapshot"
)

// RDB persistence, the server side (Redis's rdb.c command and cron parts):
// SAVE, BGSAVE [SCHEDULE], LASTSAVE, save points, stop-writes-on-bgsave-
// error, the final save of SHUTDOWN and FLUSHALL, INFO persistence.
// Background saves take a snapshot without fork (persist_bgsave.go);
// files are written by persist_file.go, loaded by persist_load.go.

// bgsaveRetryDelay is CONFIG_BGSAVE_RETRY_DELAY: after a failed background
// save, save points wait this long before trying again.
const bgsaveRetryDelay = 5 * time.Second

// persistState is the Server's RDB state.
type persistState struct {
	bg         *bgSave   // the background save running, or nil
	scheduled  bool      // rdb_bgsave_scheduled
	failed     bool      // lastbgsave_status is C_ERR
	lastTry    time.Time // lastbgsave_try
	lastBgTime int64     // rdb_save_time_last + 1 (0: never)
	saves      int64     // stat_rdb_saves
	dirtyAtBg  int64     // dirty_before_bgsave
	loaded     int64     // rdb_last_load_keys_loaded
	expired    int64     // rdb_last_load_keys_expired
}

// errMisconf is the reply to writes refused after a failed background
// save (stop-writes-on-bgsave-error).
const errMisconf = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
	"Commands that may modify the data set are disabled, because this instance is configured to report errors " +
	"during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). " +
	"Please check the Redis logs for details about the RDB error."

// rdbEncoder is the RDB codec's file writer (rdb.Encoder), as the save
// code drives it.
type rdbEncoder interface {
	Header(aux [][2]string) error
	SelectDB(db int, keys, expires uint64) error
	Raw(rec []byte) error
	Footer() error
}

// rdbCodecBinding connects the save and load code to the RDB codec
// (persist_rdb.go fills it; tests may replace it).
type rdbCodecBinding struct {
	// newEncoder starts a file on w with options taken earlier
	// (rdbSaveOptions, under the lock).
	newEncoder func(w io.Writer, opts *rdb.Options) rdbEncoder
	// serializer returns the record writer for keys.
	serializer func(s *Server) snapshot.SerializeFunc
	// moduleAux writes one module aux record.
	moduleAux func(enc rdbEncoder, r module.AuxRecord) error
	// load reads a whole file into l.
	load func(s *Server, r io.Reader, l *rdbLoader) error
}

var rdbCodec rdbCodecBinding

func init() {
	register(map[string]func(*Client){
		"save":   saveCommand,
		"bgsave": bgsaveCommand,
	})
	cronJobs = append(cronJobs, (*Server).persistCron)
	// Save before the other shutdown work (the module Shutdown event comes
	// after the final save in Redis).
	shutdownHooks = append([]func(s *Server, save bool) error{(*Server).persistShutdown}, shutdownHooks...)
	writeDeniedHook = func(s *Server) string { return s.diskErrorMessage() }
	// A BGSAVE's progress, else what was there (a module fork child's).
	forkPerc := infoFieldValue("persistence", "current_fork_perc")
	setInfoField("persistence", "current_fork_perc", "", func(s *Server) string {
		if bg := s.persist.bg; bg != nil && bg.snap.KeysTotal > 0 {
			return fmt.Sprintf("%.2f", float64(bg.snap.KeysProcessed)/float64(bg.snap.KeysTotal)*100)
		}
		if forkPerc != nil {
			return forkPerc(s)
		}
		return "0.00"
	})
	setInfoField("persistence", "current_save_keys_processed", "", func(s *Server) string {
		if bg := s.persist.bg; bg != nil {
			return strconv.FormatUint(bg.snap.KeysProcessed, 10)
		}
		return "0"
	})
	setInfoField("persistence", "current_save_keys_total", "", func(s *Server) string {
		if bg := s.persist.bg; bg != nil {
			return strconv.FormatUint(bg.snap.KeysTotal, 10)
		}
		return "0"
	})
	setInfoField("persistence", "rdb_bgsave_in_progress", "", func(s *Server) string {
		return boolDigit(s.persist.bg != nil)
	})
	setInfoField("persistence", "rdb_last_bgsave_status", "", func(s *Server) string {
		if s.persist.failed {
			return "err"
		}
		return "ok"
	})
	setInfoField("persistence", "rdb_last_bgsave_time_sec", "", func(s *Server) string {
		return strconv.FormatInt(s.persist.lastBgTime-1, 10)
	})
	setInfoField("persistence", "rdb_current_bgsave_time_sec", "", func(s *Server) string {
		if bg := s.persist.bg; bg != nil {
			return strconv.FormatInt(time.Now().Unix()-bg.start.Unix(), 10)
		}
		return "-1"
	})
	setInfoField("persistence", "rdb_saves", "", func(s *Server) string {
		return strconv.FormatInt(s.persist.saves, 10)
	})
	setInfoField("persistence", "rdb_last_load_keys_expired", "", func(s *Server) string {
		return strconv.FormatInt(s.persist.expired, 10)
	})
	setInfoField("persistence", "rdb_last_load_keys_loaded", "", func(s *Server) string {
		return strconv.FormatInt(s.persist.loaded, 10)
	})
}

// infoFieldValue returns the value function of an INFO field, or nil.
func infoFieldValue(section, name string) func(s *Server) string {
	if sec := infoSectionNamed(section); sec != nil {
		for _, f := range sec.fields {
			if f.name == name {
				return f.value
			}
		}
	}
	return nil
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// moduleChildActive reports whether a module's fork child runs (Redis
// allows one child at a time).
func (s *Server) moduleChildActive() bool {
	return s.modules != nil && s.modules.ForkChildPid() > 0
}

// writesDeniedByDiskError is Redis's writeCommandsDeniedByDiskError for
// RDB: the last background save failed, save points are configured and
// stop-writes-on-bgsave-error is on.
func (s *Server) writesDeniedByDiskError() bool {
	return s.cfg.StopWritesOnBgsaveError && len(s.cfg.Save) > 0 && s.persist.failed
}

// rejectDiskError refuses write commands (and PING) while writes are
// denied by a failed save, as processCommand does.
func (s *Server) rejectDiskError(c *Client, cp *cmdProc) bool {
	msg := s.diskErrorMessage()
	if msg == "" {
		return false
	}
	write := cp.spec.IsWrite() || (cp.spec.Name == "exec" && c.multi != nil && c.multi.flags&command.FlagWrite != 0)
	if !write && cp.spec.Name != "ping" {
		return false
	}
	cp.rejectedCalls++
	s.rejectCommand(c, msg)
	return true
}

// saveCommand is SAVE: a synchronous save under the lock.
func saveCommand(c *Client) {
	s := c.srv
	if s.persist.bg != nil {
		c.addError("ERR Background save already in progress")
		return
	}
	s.persist.saves++
	if err := s.rdbSave(); err != nil {
		c.addError("ERR")
		return
	}
	c.addOK()
}

// bgsaveCommand is BGSAVE [SCHEDULE].
func bgsaveCommand(c *Client) {
	schedule := false
	if len(c.argv) > 1 {
		if len(c.argv) == 2 && isOpt(c.argv[1], "schedule") {
			schedule = true
		} else {
			c.addError(errSyntax)
			return
		}
	}
	s := c.srv
	inExec := c.multi != nil && c.multi.executing
	switch {
	case s.persist.bg != nil:
		c.addError("ERR Background save already in progress")
	case s.moduleChildActive() || s.aof.rw != nil || inExec:
		// Another child (a module's fork, an AOF rewrite) is running, or
		// we are inside EXEC, where Redis never forks: the cron starts it
		// later.
		if schedule || inExec {
			s.persist.scheduled = true
			c.addSimple("Background saving scheduled")
		} else {
			c.addError("ERR Another child process is active (AOF?): can't BGSAVE right now. " +
				"Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
		}
	case s.rdbSaveBackground() == nil:
		c.addSimple("Background saving started")
	default:
		c.addError("ERR")
	}
}

// persistCron is the save part of serverCron: finish a background save
// that ended, else start one when a save point is reached or one was
// scheduled.
func (s *Server) persistCron() {
	p := &s.persist
	if p.bg != nil {
		s.checkBgsaveDone()
		return
	}
	if s.moduleChildActive() || s.aof.rw != nil {
		return // one background job at a time
	}
	now := time.Now()
	retryOK := !p.failed || now.Unix()-p.lastTry.Unix() > int64(bgsaveRetryDelay/time.Second)
	for _, sp := range s.cfg.Save {
		if s.dirty >= sp.Changes && now.Unix()-s.intro.lastSave.Unix() > sp.Seconds && retryOK {
			s.logger.Logf(LogNotice, "%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds)
			s.rdbSaveBackground()
			break
		}
	}
	if p.bg == nil && p.scheduled && retryOK {
		if s.rdbSaveBackground() == nil {
			p.scheduled = false
		}
	}
}

// persistShutdown is the save step of SHUTDOWN and the signal handlers: a
// running background save is killed, then the final save is made if
// asked for.
func (s *Server) persistShutdown(save bool) error {
	if s.persist.bg != nil {
		s.logger.Logf(LogWarning, "There is a child saving an .rdb. Killing it!")
		s.killBgsave()
	}
	if !save {
		return nil
	}
	if err := s.rdbSave(); err != nil {
		return err
	}
	return nil
}

// persistAfterFlushall is FLUSHALL's persistence step (Redis's
// flushAllDataAndResetRDB; the command killed a running background save
// first): with save points configured, the now empty dataset is saved at
// once. The command propagates even if nothing was removed.
func (s *Server) persistAfterFlushall(c *Client) {
	if len(s.cfg.Save) > 0 {
		s.rdbSave()
	}
	c.propForce |= propagateAll
}

// errSaveFailed marks a save that failed (already logged).
var errSaveFailed = errors.New("save failed")
