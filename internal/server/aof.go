package server

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/modis/modis/internal/persist/aof"
)

// The append-only file, the server side (Redis 7.0's aof.c): the
// propagated commands are appended to a buffer (with SELECT when the
// database changes and, with aof-timestamp-enabled, #TS annotations); the
// buffer is written before any reply leaves (flushAOF, called from the
// places output is handed to a connection) and fsynced per appendfsync.
// Files live in appenddirname as a manifest, a base and incr files
// (internal/persist/aof). Rewriting is in aof_rewrite.go, loading in
// aof_load.go.

// AOF states (Redis's AOF_OFF, AOF_ON, AOF_WAIT_REWRITE).
const (
	aofOff = iota
	aofOn
	aofWaitRewrite
)

// Loading outcomes of an AOF file or set of files (Redis's AOF_OK ...).
const (
	aofLoadOK = iota
	aofLoadNotExist
	aofLoadEmpty
	aofLoadOpenErr
	aofLoadFailed
	aofLoadTruncated
)

// Sub-events of the Persistence and Loading module events for the AOF.
const (
	subPersistAOFStart     = 1
	subPersistSyncAOFStart = 5
	subLoadingAOFStart     = 1
)

// aofWriteErrorLogRate is how often (seconds) write errors are logged.
const aofWriteErrorLogRate = 30

// aofState is the Server's AOF state, under the execution lock except
// where noted.
type aofState struct {
	state    int
	manifest *aof.Manifest
	f        *os.File // the incr file being appended to, nil when none
	buf      []byte   // commands not yet written
	selected int      // 1 + database of the last command written, 0: none (SELECT first)

	curTimestamp int64 // last #TS annotation written

	currentSize      int64 // aof_current_size: base + incr files
	lastIncrSize     int64 // size of the current incr file
	rewriteBaseSize  int64 // aof_base_size: size after the last rewrite
	fsyncOffset      int64 // currentSize when the last fsync was asked for
	lastFsync        int64 // unix seconds of the last fsync
	postponedStart   int64 // unix seconds a write was first postponed, 0: none
	delayedFsync     int64 // aof_delayed_fsync
	lastWriteErr     error // cause of the last write error
	writeFailed      bool  // aof_last_write_status is err
	lastWriteErrLog  int64
	rewriteScheduled bool
	rewrites         int64 // aof_rewrites
	rwFailures       int64 // aof_rewrites_consecutive_failures
	lastRewriteSec   int64 // aof_last_rewrite_time_sec + 1 (0: never)
	lastRewriteErr   bool  // aof_last_bgrewrite_status is err
	limitNextTime    int64 // rewrite limiting after repeated failures
	limitDelayMin    int64
	rw               *aofRewrite // the rewrite running, or nil
	loading          bool        // replaying the AOF: call() keeps no statistics
	deferFlush       bool        // takeOutDeferred: the caller writes the AOF before sending

	bio *aofBio // background fsync and close jobs
}

// aofBio is the background fsync worker (Redis's BIO_AOF_FSYNC): jobs run
// in order on one goroutine.
type aofBio struct {
	jobs     chan aofJob
	pending  atomic.Int64 // aof_pending_bio_fsync
	fsyncErr atomic.Bool  // the last background fsync failed
	errMu    sync.Mutex
	err      error
}

type aofJob struct {
	f     *os.File
	close bool
}

func init() {
	register(map[string]func(*Client){"bgrewriteaof": bgrewriteaofCommand})
	cronJobs = append(cronJobs, (*Server).aofCron)
	shutdownHooks = append(shutdownHooks, (*Server).aofShutdown)
	onConfigChange("appendonly", (*Server).aofConfigAppendonly)
	onConfigChange("appendfsync", func(s *Server) error {
		// Switching to always: everything written so far is synced now.
		if s.aof.state != aofOff && s.aof.f != nil && s.cfg.AppendFsync == "always" {
			s.flushAOF(true)
			if s.aof.f.Sync() == nil {
				s.aof.fsyncOffset = s.aof.currentSize
				s.aof.lastFsync = time.Now().Unix()
			}
		}
		return nil
	})
}

// aofSink feeds propagated commands to the AOF buffer.
type aofSink struct{ s *Server }

func (k aofSink) Propagate(db int, argv [][]byte, target int) {
	if target&PropagateAOF != 0 {
		k.s.feedAOF(db, argv)
	}
}

// aofDir is the path of appenddirname.
func (s *Server) aofDir() string { return s.rdbPath(s.cfg.AppendDirname) }

// aofPath is the path of a file in appenddirname.
func (s *Server) aofPath(name string) string { return filepath.Join(s.aofDir(), name) }

// feedAOF appends one command (Redis's feedAppendOnlyFile).
func (s *Server) feedAOF(db int, argv [][]byte) {
	a := &s.aof
	if !(a.state == aofOn || (a.state == aofWaitRewrite && a.rw != nil)) {
		return
	}
	if s.cfg.AOFTimestampEnabled {
		if now := time.Now().Unix(); a.curTimestamp < now {
			a.curTimestamp = now
			a.buf = append(a.buf, "#TS:"...)
			a.buf = strconv.AppendInt(a.buf, now, 10)
			a.buf = append(a.buf, '\r', '\n')
		}
	}
	if db != -1 && db+1 != a.selected {
		a.buf = aof.AppendSelect(a.buf, db)
		a.selected = db + 1
	}
	a.buf = aof.AppendCommand(a.buf, argv...)
}

// aofBeforeReply writes the AOF buffer before output is handed to a
// connection: a client must never see the reply to a write that is not
// in the file (and, with appendfsync always, on disk).
func (s *Server) aofBeforeReply() {
	if len(s.aof.buf) > 0 && !s.aof.deferFlush {
		s.flushAOF(false)
	}
}

// takeOutDeferred is takeOutLocked for output that is sent only after
// the caller has written the AOF (the event loop: beforeSleepLocked runs
// before the replies of the iteration go out), so an iteration serving
// many clients costs one write and, with appendfsync always, one fsync.
func (c *Client) takeOutDeferred() []byte {
	s := c.srv
	s.aof.deferFlush = true
	out := c.takeOutLocked()
	s.aof.deferFlush = false
	return out
}

// fsyncInProgress is aofFsyncInProgress.
func (s *Server) fsyncInProgress() bool {
	return s.aof.bio != nil && s.aof.bio.pending.Load() > 0
}

// flushAOF writes the buffer and fsyncs per appendfsync (Redis's
// flushAppendOnlyFile). With everysec, a write is postponed (up to two
// seconds) while a background fsync runs, unless force.
func (s *Server) flushAOF(force bool) {
	a := &s.aof
	if a.f == nil {
		return
	}
	now := time.Now().Unix()
	everysec := s.cfg.AppendFsync == "everysec"
	inProgress := false
	if len(a.buf) == 0 {
		// Data written earlier but not yet synced gets its fsync within a
		// second even when no more writes come.
		if everysec && a.fsyncOffset != a.currentSize && now > a.lastFsync && !s.fsyncInProgress() {
			s.aofTryFsync(now, false)
		}
		return
	}
	if everysec {
		inProgress = s.fsyncInProgress()
	}
	if everysec && !force && inProgress {
		if a.postponedStart == 0 {
			a.postponedStart = now
			return
		} else if now-a.postponedStart < 2 {
			return
		}
		a.delayedFsync++
		s.logger.Logf(LogNotice, "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.")
	}
	start := time.Now()
	n, err := a.f.Write(a.buf)
	ms := time.Since(start).Milliseconds()
	switch {
	case inProgress:
		s.latencyAddSampleIfNeeded("aof-write-pending-fsync", ms)
	case s.childActive():
		s.latencyAddSampleIfNeeded("aof-write-active-child", ms)
	default:
		s.latencyAddSampleIfNeeded("aof-write-alone", ms)
	}
	s.latencyAddSampleIfNeeded("aof-write", ms)
	a.postponedStart = 0
	if err != nil {
		canLog := now-a.lastWriteErrLog > aofWriteErrorLogRate
		if canLog {
			a.lastWriteErrLog = now
		}
		if n > 0 {
			if canLog {
				s.logger.Logf(LogWarning, "Short write while writing to the AOF file: (nwritten=%d, expected=%d)", n, len(a.buf))
			}
			if terr := a.f.Truncate(a.lastIncrSize); terr != nil {
				if canLog {
					s.logger.Logf(LogWarning, "Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: %s", errnoString(terr))
				}
			} else {
				n = 0
			}
		} else if canLog {
			s.logger.Logf(LogWarning, "Error writing to the AOF file: %s", aofErrText(err))
		}
		a.lastWriteErr = err
		if s.cfg.AppendFsync == "always" {
			s.logger.Logf(LogWarning, "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
			s.aofFatal()
			return
		}
		a.writeFailed = true
		if n > 0 {
			a.currentSize += int64(n)
			a.lastIncrSize += int64(n)
			a.buf = append(a.buf[:0], a.buf[n:]...)
		}
		return
	}
	if a.writeFailed {
		s.logger.Logf(LogWarning, "AOF write error looks solved, Redis can write again.")
		a.writeFailed = false
	}
	a.currentSize += int64(n)
	a.lastIncrSize += int64(n)
	if cap(a.buf) < 4000 {
		a.buf = a.buf[:0]
	} else {
		a.buf = nil
	}
	s.aofTryFsync(now, inProgress)
}

// aofTryFsync is the fsync step of flushAOF.
func (s *Server) aofTryFsync(now int64, inProgress bool) {
	a := &s.aof
	if s.cfg.NoAppendfsyncOnRewrite && s.childActive() {
		return
	}
	switch s.cfg.AppendFsync {
	case "always":
		start := time.Now()
		if err := a.f.Sync(); err != nil {
			s.logger.Logf(LogWarning, "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...", aofErrText(err))
			s.aofFatal()
			return
		}
		s.latencyAddSampleIfNeeded("aof-fsync-always", time.Since(start).Milliseconds())
		a.fsyncOffset = a.currentSize
		a.lastFsync = now
	case "everysec":
		if now > a.lastFsync {
			if !inProgress {
				s.aofBackground(a.f, false)
				a.fsyncOffset = a.currentSize
			}
			a.lastFsync = now
		}
	}
}

// aofFatal ends the process as Redis does on an unrecoverable AOF error
// (an in-process server stops instead, so tests survive it).
func (s *Server) aofFatal() {
	if s.life.ownsProcess {
		s.logger.Close()
		os.Exit(1)
	}
	s.aof.writeFailed = true
	go s.Close()
}

// aofErrText is strerror of an I/O error.
func aofErrText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return errnoString(en)
	}
	return err.Error()
}

// childActive is hasActiveChildProcess: a background save, an AOF
// rewrite or a module fork child.
func (s *Server) childActive() bool {
	return s.aof.rw != nil || s.persist.bg != nil || s.modules.ForkChildPid() > 0
}

// aofBackground queues an fsync (and optionally a close) of f on the
// background worker.
func (s *Server) aofBackground(f *os.File, closeIt bool) {
	a := &s.aof
	if a.bio == nil {
		b := &aofBio{jobs: make(chan aofJob, 1024)}
		a.bio = b
		done := s.done
		go func() {
			for {
				select {
				case j := <-b.jobs:
					b.run(j)
				case <-done:
					for {
						select {
						case j := <-b.jobs:
							b.run(j)
						default:
							return
						}
					}
				}
			}
		}()
	}
	if !closeIt {
		a.bio.pending.Add(1)
	}
	a.bio.jobs <- aofJob{f: f, close: closeIt}
}

func (b *aofBio) run(j aofJob) {
	err := j.f.Sync()
	if j.close {
		j.f.Close()
		return
	}
	if err != nil {
		b.errMu.Lock()
		b.err = err
		b.errMu.Unlock()
		b.fsyncErr.Store(true)
	} else {
		b.fsyncErr.Store(false)
	}
	b.pending.Add(-1)
}

// aofWriteDenied is the AOF part of writeCommandsDeniedByDiskError: the
// MISCONF error refusing writes after a failed AOF write or fsync.
func (s *Server) aofWriteDenied() string {
	a := &s.aof
	if a.state == aofOff {
		return ""
	}
	if a.writeFailed {
		return "MISCONF Errors writing to the AOF file: " + aofErrText(a.lastWriteErr)
	}
	if b := a.bio; b != nil && b.fsyncErr.Load() {
		b.errMu.Lock()
		err := b.err
		b.errMu.Unlock()
		return "MISCONF Errors writing to the AOF file: " + aofErrText(err)
	}
	return ""
}

// diskErrorMessage is Redis's writeCommandsDeniedByDiskError as a reply:
// the RDB reason first, then the AOF one; "" when writes are allowed.
func (s *Server) diskErrorMessage() string {
	if s.writesDeniedByDiskError() {
		return errMisconf
	}
	return s.aofWriteDenied()
}

// aofCron is the AOF part of serverCron.
func (s *Server) aofCron() {
	a := &s.aof
	if a.rw != nil {
		s.checkRewriteDone()
	}
	now := time.Now().Unix()
	if a.rw == nil && !s.childActive() && a.rewriteScheduled && !s.aofRewriteLimited(now) {
		s.rewriteAppendOnlyFileBackground()
	}
	if a.state == aofOn && !s.childActive() && s.cfg.AutoAOFRewritePercentage > 0 &&
		a.currentSize > s.cfg.AutoAOFRewriteMinSize {
		base := a.rewriteBaseSize
		if base == 0 {
			base = 1
		}
		growth := a.currentSize*100/base - 100
		if growth >= int64(s.cfg.AutoAOFRewritePercentage) && !s.aofRewriteLimited(now) {
			s.logger.Logf(LogNotice, "Starting automatic rewriting of AOF on %d%% growth", growth)
			s.rewriteAppendOnlyFileBackground()
		}
	}
	// A postponed write, a write to retry after an error, or (everysec)
	// written data still to sync although no new writes come.
	if a.state == aofOn || a.state == aofWaitRewrite {
		s.flushAOF(false)
	}
}

// aofRewriteLimited delays automatic rewrites after repeated failures:
// 1, 2, 4 ... up to 60 minutes (Redis's aofRewriteLimited).
func (s *Server) aofRewriteLimited(now int64) bool {
	a := &s.aof
	if a.rwFailures < 3 {
		a.limitDelayMin, a.limitNextTime = 0, 0
		return false
	}
	if a.limitNextTime != 0 {
		if now < a.limitNextTime {
			return true
		}
		a.limitNextTime = 0
		return false
	}
	if a.limitDelayMin == 0 {
		a.limitDelayMin = 1
	} else {
		a.limitDelayMin = min(a.limitDelayMin*2, 60)
	}
	a.limitNextTime = now + a.limitDelayMin*60
	s.logger.Logf(LogWarning, "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in %d minutes", a.limitDelayMin)
	return true
}

// aofShutdown is the AOF step of shutdown: kill a rewrite, write and
// fsync what is buffered.
func (s *Server) aofShutdown(bool) error {
	a := &s.aof
	if a.rw != nil {
		if a.state == aofWaitRewrite {
			// The dataset would be lost: the first base is not written yet.
			s.logger.Logf(LogWarning, "Writing initial AOF, can't exit.")
			return errors.New("writing initial AOF")
		}
		s.logger.Logf(LogWarning, "There is a child rewriting the AOF. Killing it!")
		s.killAppendOnlyChild()
	}
	if a.state != aofOff && a.f != nil {
		s.logger.Logf(LogNotice, "Calling fsync() on the AOF file.")
		s.flushAOF(true)
		if err := a.f.Sync(); err != nil {
			s.logger.Logf(LogWarning, "Fail to fsync the AOF file: %s.", aofErrText(err))
		}
	}
	return nil
}

// startAppendOnly is CONFIG SET appendonly yes (Redis's startAppendOnly):
// a rewrite makes the first base; writes meanwhile go to a temp incr file.
func (s *Server) startAppendOnly() error {
	a := &s.aof
	a.state = aofWaitRewrite
	if a.manifest == nil {
		a.manifest = &aof.Manifest{}
	}
	switch {
	case s.childActive() && a.rw == nil:
		a.rewriteScheduled = true
		s.logger.Logf(LogWarning, "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.")
	case s.current != nil && s.current.multi != nil && s.current.multi.executing:
		a.rewriteScheduled = true
		s.logger.Logf(LogWarning, "AOF was enabled during a transaction. An AOF background was scheduled to start when possible.")
	default:
		if a.rw != nil {
			s.logger.Logf(LogWarning, "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.")
			s.killAppendOnlyChild()
		}
		if err := s.rewriteAppendOnlyFileBackground(); err != nil {
			a.state = aofOff
			s.logger.Logf(LogWarning, "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.")
			return err
		}
	}
	s.SetPropagator(aofSink{s})
	a.lastFsync = time.Now().Unix()
	if b := a.bio; b != nil && b.fsyncErr.Load() {
		s.logger.Logf(LogWarning, "AOF reopen, just ignore the AOF fsync error in bio job")
		b.fsyncErr.Store(false)
	}
	if a.writeFailed {
		s.logger.Logf(LogWarning, "AOF reopen, just ignore the last error.")
		a.writeFailed = false
	}
	return nil
}

// stopAppendOnly is CONFIG SET appendonly no.
func (s *Server) stopAppendOnly() {
	a := &s.aof
	if a.f != nil {
		s.flushAOF(true)
		if err := a.f.Sync(); err != nil {
			s.logger.Logf(LogWarning, "Fail to fsync the AOF file: %s", aofErrText(err))
		} else {
			a.fsyncOffset = a.currentSize
			a.lastFsync = time.Now().Unix()
		}
		// Closed by the worker, after any fsync still queued for it.
		s.aofBackground(a.f, true)
		a.f = nil
	}
	a.selected = 0
	a.state = aofOff
	a.rewriteScheduled = false
	a.lastIncrSize = 0
	s.killAppendOnlyChild()
	a.buf = nil
	s.SetPropagator(nil)
}

// aofConfigAppendonly applies CONFIG SET appendonly.
func (s *Server) aofConfigAppendonly() error {
	switch {
	case !s.cfg.AppendOnly && s.aof.state != aofOff:
		s.stopAppendOnly()
	case s.cfg.AppendOnly && s.aof.state == aofOff:
		if err := s.startAppendOnly(); err != nil {
			return errors.New("Unable to turn on AOF. Check server logs.")
		}
	}
	return nil
}

// bgrewriteaofCommand is BGREWRITEAOF.
func bgrewriteaofCommand(c *Client) {
	s := c.srv
	a := &s.aof
	switch {
	case a.rw != nil:
		c.addError("ERR Background append only file rewriting already in progress")
	case s.childActive() || (c.multi != nil && c.multi.executing):
		a.rewriteScheduled = true
		a.rwFailures = 0
		c.addSimple("Background append only file rewriting scheduled")
	case s.rewriteAppendOnlyFileBackground() == nil:
		c.addSimple("Background append only file rewriting started")
	default:
		c.addError("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.")
	}
}

// writeManifest writes m to appenddirname atomically: temp file, fsync,
// rename, fsync of the directory (Redis's persistAofManifest).
func (s *Server) writeManifest(m *aof.Manifest) error {
	if !m.Dirty {
		return nil
	}
	name := aof.ManifestName(s.cfg.AppendFilename)
	tmpName := aof.TempManifestName(s.cfg.AppendFilename)
	tmp := s.aofPath(tmpName)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC|os.O_CREATE, 0o644)
	if err != nil {
		s.logger.Logf(LogWarning, "Can't open the AOF manifest file %s: %s", tmpName, aofErrText(err))
		return err
	}
	defer f.Close()
	if _, err := f.WriteString(m.String()); err != nil {
		s.logger.Logf(LogWarning, "Error trying to write the temporary AOF manifest file %s: %s", tmpName, aofErrText(err))
		return err
	}
	if err := f.Sync(); err != nil {
		s.logger.Logf(LogWarning, "Fail to fsync the temp AOF file %s: %s.", tmpName, aofErrText(err))
		return err
	}
	final := s.aofPath(name)
	if err := os.Rename(tmp, final); err != nil {
		s.logger.Logf(LogWarning, "Error trying to rename the temporary AOF manifest file %s into %s: %s", tmpName, name, aofErrText(err))
		return err
	}
	if err := syncDir(s.aofDir()); err != nil {
		s.logger.Logf(LogWarning, "Fail to fsync AOF directory %s: %s.", final, aofErrText(err))
		return err
	}
	m.Dirty = false
	return nil
}

// syncDir fsyncs a directory so renames and new files in it are durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// aofDelHistoryFiles removes the history files (unless
// aof-disable-auto-gc) and rewrites the manifest without them.
func (s *Server) aofDelHistoryFiles() error {
	m := s.aof.manifest
	if m == nil || s.cfg.AOFDisableAutoGC || len(m.History) == 0 {
		return nil
	}
	for _, h := range m.History {
		s.logger.Logf(LogNotice, "Removing the history file %s in the background", h.Name)
		p := s.aofPath(h.Name)
		go os.Remove(p)
	}
	m.History = nil
	m.Dirty = true
	return s.writeManifest(m)
}

// aofFileSize is the size of a file of the AOF directory; a missing file
// is logged as Redis does.
func (s *Server) aofFileSize(name string) (int64, int) {
	st, err := os.Stat(s.aofPath(name))
	if err != nil {
		s.logger.Logf(LogWarning, "Unable to obtain the AOF file %s length. stat: %s", name, aofErrText(err))
		if errors.Is(err, os.ErrNotExist) {
			return 0, aofLoadNotExist
		}
		return 0, aofLoadOpenErr
	}
	return st.Size(), aofLoadOK
}

// openNewIncrForAppend starts a new incr file at the start of a rewrite
// (Redis's openNewIncrAofForAppend): with AOF on, the next numbered incr
// file, recorded in the manifest at once; while AOF is being switched on,
// the temp incr file. The old file is fsynced and closed in the
// background.
func (s *Server) openNewIncrForAppend() error {
	a := &s.aof
	if a.state == aofOff {
		return nil
	}
	var name string
	var m *aof.Manifest
	if a.state == aofWaitRewrite {
		name = aof.TempIncrName(s.cfg.AppendFilename)
	} else {
		m = a.manifest.Clone()
		name = m.NewIncr(s.cfg.AppendFilename)
	}
	f, err := os.OpenFile(s.aofPath(name), os.O_WRONLY|os.O_TRUNC|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		s.logger.Logf(LogWarning, "Can't open the append-only file %s: %s", name, aofErrText(err))
		return err
	}
	if m != nil {
		if err := s.writeManifest(m); err != nil {
			f.Close()
			return err
		}
	}
	s.logger.Logf(LogNotice, "Creating AOF incr file %s on background rewrite", name)
	if a.f != nil {
		s.aofBackground(a.f, true)
		a.fsyncOffset = a.currentSize
		a.lastFsync = time.Now().Unix()
	}
	a.f = f
	a.lastIncrSize = 0
	if m != nil {
		a.manifest = m
	}
	return nil
}

// fmtPid is the pid part of temp file names.
func fmtPid() string { return strconv.Itoa(os.Getpid()) }
