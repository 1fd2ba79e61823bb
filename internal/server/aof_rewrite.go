package server

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/aof"
	"github.com/modis/modis/internal/persist/rdb"
	"github.com/modis/modis/internal/persist/snapshot"
)

// AOF rewrite without fork. At the start, under the execution lock, the
// buffer is flushed, a new incr file is opened (every later write goes
// there) and a point-in-time snapshot of the keyspace is taken
// (internal/persist/snapshot, copy-on-write per key): the new base holds
// exactly the dataset at that instant, the new incr file exactly what
// came after, so nothing is lost or doubled. A saver goroutine walks the
// snapshot in short slices under the lock; a writer goroutine writes the
// temp base file outside it (RDB preamble or commands). The cron notices
// the end and switches the manifest (Redis's backgroundRewriteDoneHandler).

// aofIncrementalFsyncBytes is REDIS_AUTOSYNC_BYTES: with
// aof-rewrite-incremental-fsync the temp file is fsynced every 4 MB.
const aofIncrementalFsyncBytes = 4 << 20

// aofRewrite is a running rewrite.
type aofRewrite struct {
	snap  *snapshot.Snapshot
	start time.Time
	tmp   string // temp-rewriteaof-bg-<pid>.aof in dir
	rdb   bool   // base with an RDB preamble (aof-use-rdb-preamble at the start)
	ts    bool   // aof-timestamp-enabled at the start
	aux   [][2]string
	opts  *rdb.Options // RDB writing options taken at the start, under the lock
	auxB  []module.AuxRecord
	funcs [][]byte // function libraries' code (cmd_function.go)
	auxA  []module.AuxRecord

	ch      chan []snapshot.Msg
	abort   chan struct{}
	aborted bool // under the lock: the saver stops
	stop    atomic.Bool
	snapErr error
	done    chan struct{}
	result  error
}

var errRewriteKilled = errors.New("AOF rewrite killed")

// aofSerializer is the snapshot record writer for the base file.
func (s *Server) aofSerializer(rdbFmt bool) snapshot.SerializeFunc {
	if rdbFmt {
		if rdbCodec.serializer == nil {
			return nil
		}
		return rdbCodec.serializer(s)
	}
	return func(dst []byte, db int, key []byte, o *keyspace.Object, expireMs int64) ([]byte, error) {
		return aof.AppendKey(dst, db, key, o, expireMs, s.aofModuleRewrite)
	}
}

// aofModuleRewrite runs a module type's aof_rewrite and returns the
// commands it emitted.
func (s *Server) aofModuleRewrite(key []byte, db int, o *keyspace.Object) ([][][]byte, error) {
	t, v := module.ValueOf(o)
	if t == nil || t.Methods.AofRewrite == nil {
		return nil, errors.New("module type without aof_rewrite")
	}
	io := s.modules.NewSaveIO(t, key, db)
	t.Methods.AofRewrite(io, module.NewString(key), v)
	return io.Emitted(), nil
}

// newAOFRewrite prepares the snapshot of a rewrite (also used by the
// synchronous rewrite at start-up).
func (s *Server) newAOFRewrite(tmp string) (*aofRewrite, error) {
	rw := &aofRewrite{
		start: time.Now(),
		tmp:   tmp,
		rdb:   s.cfg.AOFUseRDBPreamble,
		ts:    s.cfg.AOFTimestampEnabled,
		ch:    make(chan []snapshot.Msg, 16),
		abort: make(chan struct{}),
		done:  make(chan struct{}),
	}
	ser := s.aofSerializer(rw.rdb)
	if ser == nil || (rw.rdb && rdbCodec.newEncoder == nil) {
		s.logger.Logf(LogWarning, "Can't rewrite append only file: RDB persistence is not available in this build")
		return nil, errSaveFailed
	}
	if s.ks.Snapshot != nil {
		return nil, errors.New("another snapshot is running")
	}
	if rw.rdb {
		rw.aux = s.rdbAux()
		for i := range rw.aux {
			if rw.aux[i][0] == "aof-base" {
				rw.aux[i][1] = "1"
			}
		}
		rw.opts = s.rdbSaveOptions()
		rw.auxB = s.modules.SaveAux(module.AuxBeforeRDB)
		rw.auxA = s.modules.SaveAux(module.AuxAfterRDB)
	}
	rw.funcs = s.FunctionLibraries()
	rw.snap = snapshot.Start(s.ks, ser)
	return rw, nil
}

// rewriteAppendOnlyFileBackground is Redis's function of the same name.
func (s *Server) rewriteAppendOnlyFileBackground() error {
	a := &s.aof
	if s.childActive() || s.ks.Snapshot != nil {
		return errors.New("busy")
	}
	if err := os.Mkdir(s.aofDir(), 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		s.logger.Logf(LogWarning, "Can't open or create append-only dir %s: %s", s.cfg.AppendDirname, aofErrText(err))
		a.lastRewriteErr = true
		return err
	}
	if a.manifest == nil {
		a.manifest = &aof.Manifest{}
	}
	a.selected = 0
	s.flushAOF(true)
	if err := s.openNewIncrForAppend(); err != nil {
		a.lastRewriteErr = true
		return err
	}
	a.rewrites++
	s.firePersistEvent(module.EventPersistence, subPersistAOFStart)
	rw, err := s.newAOFRewrite(s.rdbPath("temp-rewriteaof-bg-" + fmtPid() + ".aof"))
	if err != nil {
		a.lastRewriteErr = true
		s.firePersistEvent(module.EventPersistence, subPersistFailed)
		return err
	}
	a.rw = rw
	a.rewriteScheduled = false
	s.logger.Logf(LogNotice, "Background append only file rewriting started by pid %d", os.Getpid())
	s.wg.Add(2)
	go s.aofRewriteSaver(rw)
	go func() {
		defer s.wg.Done()
		defer close(rw.done)
		rw.result = s.aofWriteBase(rw, rw.ch)
		if rw.result == nil {
			s.logger.Logf(LogNotice, "Successfully created the temporary AOF base file %s", filepath.Base(rw.tmp))
		} else {
			rw.stop.Store(true)
			for range rw.ch { // until the saver noticed
			}
		}
	}()
	return nil
}

// aofRewriteSaver walks the snapshot in slices under the lock.
func (s *Server) aofRewriteSaver(rw *aofRewrite) {
	defer s.wg.Done()
	defer close(rw.ch)
	for {
		s.mu.Lock()
		if rw.aborted {
			s.mu.Unlock()
			return
		}
		if rw.stop.Load() || s.closing() {
			rw.snap.Abort()
			rw.snapErr = errRewriteKilled
			s.mu.Unlock()
			return
		}
		delay := s.cfg.RDBKeySaveDelay
		maxKeys := 0
		if delay != 0 {
			maxKeys = 1
		}
		out, done, err := rw.snap.Step(maxKeys, time.Now().Add(bgSliceTime))
		s.mu.Unlock()
		if len(out) > 0 {
			select {
			case rw.ch <- out:
			case <-rw.abort:
				return
			}
		}
		if err != nil {
			rw.snapErr = err
			return
		}
		if done {
			return
		}
		keySaveDelay(delay, rw.abort, s.done)
	}
}

// aofWriteBase writes the base file from the snapshot's messages to the
// temp name, fsyncs and closes it (Redis's rewriteAppendOnlyFile). It
// never takes the execution lock.
func (s *Server) aofWriteBase(rw *aofRewrite, ch <-chan []snapshot.Msg) (result error) {
	f, err := os.Create(rw.tmp)
	if err != nil {
		s.logger.Logf(LogWarning, "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %s", aofErrText(err))
		return err
	}
	defer func() {
		if result != nil {
			if f != nil {
				f.Close()
			}
			os.Remove(rw.tmp)
			if result != errRewriteKilled {
				s.logger.Logf(LogWarning, "Write error writing append only file on disk: %s", aofErrText(result))
			}
		}
	}()
	var synced int64
	cw := &countWriter{w: f}
	bw := bufio.NewWriterSize(cw, 64<<10)
	incremental := s.cfg.AOFRewriteIncrementalFsync
	var enc rdbEncoder
	if rw.rdb {
		enc = rdbCodec.newEncoder(bw, rw.opts)
		if err := enc.Header(rw.aux); err != nil {
			return err
		}
		if err := writeModuleAux(enc, rw.auxB); err != nil {
			return err
		}
		if err := writeFunctionRecords(enc, functionRecordsOf(rw.funcs, rw.opts.Compression)); err != nil {
			return err
		}
	} else if rw.ts {
		bw.WriteString("#TS:" + strconv.FormatInt(time.Now().Unix(), 10) + "\r\n")
	}
	if !rw.rdb {
		bw.Write(functionLoadCommands(rw.funcs))
	}
	for {
		var msgs []snapshot.Msg
		var ok bool
		select {
		case <-rw.abort:
			return errRewriteKilled
		case msgs, ok = <-ch:
		}
		if !ok {
			break
		}
		for _, m := range msgs {
			var err error
			switch {
			case m.SelectDB && rw.rdb:
				err = enc.SelectDB(m.DB, m.Keys, m.Expires)
			case m.SelectDB:
				_, err = bw.Write(aof.AppendSelect(nil, m.DB))
			case rw.rdb:
				err = enc.Raw(m.Records)
			default:
				_, err = bw.Write(m.Records)
			}
			if err != nil {
				return err
			}
		}
		if incremental && cw.n-synced >= aofIncrementalFsyncBytes {
			if err := bw.Flush(); err != nil {
				return err
			}
			if err := f.Sync(); err != nil {
				return err
			}
			synced = cw.n
		}
	}
	if rw.snapErr != nil {
		return rw.snapErr
	}
	if rw.rdb {
		if err := writeModuleAux(enc, rw.auxA); err != nil {
			return err
		}
		if err := enc.Footer(); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	err = f.Close()
	f = nil
	if err != nil {
		return err
	}
	select {
	case <-rw.abort:
		return errRewriteKilled
	default:
	}
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeModuleAux(enc rdbEncoder, recs []module.AuxRecord) error {
	for _, r := range recs {
		if err := rdbCodec.moduleAux(enc, r); err != nil {
			return err
		}
	}
	return nil
}

// rewriteAppendOnlyFileSync writes a base file at path under the lock
// (Redis's rewriteAppendOnlyFile called at start-up).
func (s *Server) rewriteAppendOnlyFileSync(path string) (err error) {
	s.firePersistEvent(module.EventPersistence, subPersistSyncAOFStart)
	defer func() {
		if err != nil {
			s.firePersistEvent(module.EventPersistence, subPersistFailed)
		} else {
			s.firePersistEvent(module.EventPersistence, subPersistEnded)
		}
	}()
	rw, err := s.newAOFRewrite(s.rdbPath("temp-rewriteaof-" + fmtPid() + ".aof"))
	if err != nil {
		return err
	}
	ch := make(chan []snapshot.Msg, 1)
	errc := make(chan error, 1)
	go func() { errc <- s.aofWriteBase(rw, ch) }()
	for {
		out, done, err := rw.snap.Step(0, time.Time{})
		if len(out) > 0 {
			ch <- out
		}
		if err != nil {
			rw.snapErr = err
		}
		if done || err != nil {
			break
		}
	}
	close(ch)
	if err := <-errc; err != nil {
		return err
	}
	if err := os.Rename(rw.tmp, path); err != nil {
		s.logger.Logf(LogWarning, "Error moving temp append only file on the final destination: %s", aofErrText(err))
		os.Remove(rw.tmp)
		return err
	}
	return nil
}

// checkRewriteDone finishes a rewrite whose writer is done.
func (s *Server) checkRewriteDone() {
	rw := s.aof.rw
	select {
	case <-rw.done:
	default:
		return
	}
	s.rewriteDone(rw)
}

// rewriteDone is Redis's backgroundRewriteDoneHandler.
func (s *Server) rewriteDone(rw *aofRewrite) {
	a := &s.aof
	a.rw = nil
	fn := s.cfg.AppendFilename
	switch {
	case rw.result == nil:
		s.logger.Logf(LogNotice, "Background AOF rewrite terminated with success")
		if s.finishRewrite(rw) {
			a.lastRewriteErr = false
			a.rwFailures = 0
			s.logger.Logf(LogNotice, "Background AOF rewrite finished successfully")
			if a.state == aofWaitRewrite {
				a.state = aofOn
			}
			s.firePersistEvent(module.EventPersistence, subPersistEnded)
		} else {
			a.lastRewriteErr = true
			a.rwFailures++
			s.firePersistEvent(module.EventPersistence, subPersistFailed)
		}
	case rw.result == errRewriteKilled:
		s.logger.Logf(LogWarning, "Background AOF rewrite terminated by signal 10")
		s.firePersistEvent(module.EventPersistence, subPersistFailed)
	default:
		a.lastRewriteErr = true
		a.rwFailures++
		s.logger.Logf(LogWarning, "Background AOF rewrite terminated with error")
		s.firePersistEvent(module.EventPersistence, subPersistFailed)
	}
	os.Remove(rw.tmp)
	if a.state == aofWaitRewrite {
		a.buf = nil
		tmpIncr := aof.TempIncrName(fn)
		s.logger.Logf(LogNotice, "Removing the temp incr aof file %s in the background", tmpIncr)
		os.Remove(s.aofPath(tmpIncr))
		a.rewriteScheduled = true
	}
	a.lastRewriteSec = time.Now().Unix() - rw.start.Unix() + 1
}

// finishRewrite installs the new base (and, when AOF was being switched
// on, the temp incr file) and switches the manifest.
func (s *Server) finishRewrite(rw *aofRewrite) bool {
	a := &s.aof
	fn := s.cfg.AppendFilename
	m := a.manifest.Clone()
	base := m.NewBase(fn, rw.rdb)
	basePath := s.aofPath(base)
	if err := os.Rename(rw.tmp, basePath); err != nil {
		s.logger.Logf(LogWarning, "Error trying to rename the temporary AOF base file %s into %s: %s", filepath.Base(rw.tmp), basePath, aofErrText(err))
		return false
	}
	tmpName := filepath.Base(rw.tmp)
	s.logger.Logf(LogNotice, "Successfully renamed the temporary AOF base file %s into %s", tmpName, base)
	newIncr := ""
	if a.state == aofWaitRewrite {
		tmpIncr := aof.TempIncrName(fn)
		newIncr = m.NewIncr(fn)
		if err := os.Rename(s.aofPath(tmpIncr), s.aofPath(newIncr)); err != nil {
			s.logger.Logf(LogWarning, "Error trying to rename the temporary AOF incr file %s into %s: %s", s.aofPath(tmpIncr), s.aofPath(newIncr), aofErrText(err))
			os.Remove(basePath)
			return false
		}
		s.logger.Logf(LogNotice, "Successfully renamed the temporary AOF incr file %s into %s", tmpIncr, newIncr)
	}
	m.MarkIncrsHistory(a.f != nil)
	if err := s.writeManifest(m); err != nil {
		os.Remove(basePath)
		if newIncr != "" {
			os.Remove(s.aofPath(newIncr))
		}
		return false
	}
	a.manifest = m
	if a.f != nil {
		a.selected = 0
		size, _ := s.aofFileSize(base)
		a.currentSize = size + a.lastIncrSize
		a.rewriteBaseSize = a.currentSize
		a.fsyncOffset = a.currentSize
		a.lastFsync = time.Now().Unix()
	}
	s.aofDelHistoryFiles()
	return true
}

// killAppendOnlyChild stops a running rewrite (Redis's
// killAppendOnlyChild); its temp file is removed.
func (s *Server) killAppendOnlyChild() {
	rw := s.aof.rw
	if rw == nil {
		return
	}
	s.logger.Logf(LogNotice, "Killing running AOF rewrite child: %d", os.Getpid())
	rw.aborted = true
	rw.snap.Abort()
	close(rw.abort)
	<-rw.done
	os.Remove(rw.tmp)
	s.aof.rw = nil
	s.firePersistEvent(module.EventPersistence, subPersistFailed)
}
