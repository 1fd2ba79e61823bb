package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
)

// Writing RDB files: the temp file, header, module aux data, footer,
// fsync and the atomic rename, with Redis's log lines.

// Persistence server-event sub-events (REDISMODULE_SUBEVENT_PERSISTENCE_*)
// and Loading ones (REDISMODULE_SUBEVENT_LOADING_*).
const (
	subPersistRDBStart     = 0
	subPersistSyncRDBStart = 2
	subPersistEnded        = 3
	subPersistFailed       = 4
	subLoadingRDBStart     = 0
	subLoadingEnded        = 3
	subLoadingFailed       = 4
)

// firePersistEvent fires a Persistence or Loading server event.
func (s *Server) firePersistEvent(event, sub uint64) {
	if s.modules != nil {
		s.modules.FireServerEvent(event, sub, nil, nil, 0)
	}
}

// rdbPath is where dbfilename lives (dir, or the working directory).
func (s *Server) rdbPath(name string) string {
	if s.cfg.Dir != "" && !filepath.IsAbs(name) {
		return filepath.Join(s.cfg.Dir, name)
	}
	return name
}

// rdbAux is the AUX fields of a file's header, as Redis 7.0 writes them.
func (s *Server) rdbAux() [][2]string {
	return [][2]string{
		{"redis-ver", Version},
		{"redis-bits", "64"},
		{"ctime", strconv.FormatInt(time.Now().Unix(), 10)},
		{"used-mem", strconv.FormatInt(s.usedMemory(), 10)},
		{"aof-base", "0"},
	}
}

// rdbFileSpec is what writing a file needs from the configuration, taken
// under the lock so a background writer never reads the configuration.
type rdbFileSpec struct {
	dir       string // "" for the working directory
	tmpName   string // temp-<pid>.rdb
	final     string // dbfilename
	incrFsync bool   // rdb-save-incremental-fsync
	newEnc    func(w io.Writer) rdbEncoder
}

// rdbFileSpec captures the file settings now. Call with the lock held.
func (s *Server) rdbFileSpec(tmpName string) rdbFileSpec {
	spec := rdbFileSpec{dir: s.cfg.Dir, tmpName: tmpName, final: s.cfg.DBFilename, incrFsync: s.cfg.RDBSaveIncrementalFsync}
	if rdbCodec.newEncoder != nil {
		opts := s.rdbSaveOptions()
		spec.newEnc = func(w io.Writer) rdbEncoder { return rdbCodec.newEncoder(w, opts) }
	}
	return spec
}

func (sp *rdbFileSpec) path(name string) string {
	if sp.dir != "" && !filepath.IsAbs(name) {
		return filepath.Join(sp.dir, name)
	}
	return name
}

// cwd is the directory named in log lines.
func (sp *rdbFileSpec) cwd() string {
	if sp.dir != "" {
		return sp.dir
	}
	if d, err := os.Getwd(); err == nil {
		return d
	}
	return "unknown"
}

// rdbFile is an RDB file being written to its temp name.
type rdbFile struct {
	s    *Server
	spec rdbFileSpec
	tmp  string // temp-<pid>.rdb in dir
	f    *os.File
	bw   *bufio.Writer
	enc  rdbEncoder
}

// incrSyncBytes is REDIS_AUTOSYNC_BYTES: with rdb-save-incremental-fsync
// the file is fsynced every 4 MB written, so the final fsync has little
// left to do.
const incrSyncBytes = 4 << 20

// syncingWriter fsyncs its file every incrSyncBytes.
type syncingWriter struct {
	f       *os.File
	pending int
}

func (w *syncingWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.pending += n
	if err == nil && w.pending >= incrSyncBytes {
		w.pending = 0
		err = w.f.Sync()
	}
	return n, err
}

// createRDBFile opens the temp file; a failure is logged as Redis does.
// It does not read the configuration (spec has it).
func (s *Server) createRDBFile(spec rdbFileSpec) (*rdbFile, error) {
	if spec.newEnc == nil {
		s.logger.Logf(LogWarning, "RDB persistence is not available in this build")
		return nil, errSaveFailed
	}
	tmp := spec.path(spec.tmpName)
	f, err := os.Create(tmp)
	if err != nil {
		s.logger.Logf(LogWarning, "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", spec.tmpName, spec.cwd(), errnoString(err))
		return nil, err
	}
	w := &rdbFile{s: s, spec: spec, tmp: tmp, f: f}
	var out io.Writer = f
	if spec.incrFsync {
		out = &syncingWriter{f: f}
	}
	w.bw = bufio.NewWriterSize(out, 64<<10)
	w.enc = spec.newEnc(w.bw)
	return w, nil
}

// writeAux writes module aux records.
func (w *rdbFile) writeAux(recs []module.AuxRecord) error {
	for _, r := range recs {
		if err := rdbCodec.moduleAux(w.enc, r); err != nil {
			return err
		}
	}
	return nil
}

// commit finishes the file: footer, flush, fsync, rename over the final
// name, fsync of the directory. On failure the temp file is removed and
// the error logged as Redis does.
func (w *rdbFile) commit() error {
	s := w.s
	op := "rdbSaveRio"
	err := w.enc.Footer()
	if err == nil {
		op = "fflush"
		err = w.bw.Flush()
	}
	if err == nil {
		op = "fsync"
		err = w.f.Sync()
	}
	if err == nil {
		op = "fclose"
		err = w.f.Close()
		w.f = nil
	}
	if err != nil {
		return w.fail(op, err)
	}
	final := w.spec.final
	dst := w.spec.path(final)
	if err := os.Rename(w.tmp, dst); err != nil {
		s.logger.Logf(LogWarning, "Error moving temp DB file %s on the final destination %s (in server root dir %s): %s",
			filepath.Base(w.tmp), final, w.spec.cwd(), errnoString(err))
		os.Remove(w.tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// fail logs a write error and removes the temp file.
func (w *rdbFile) fail(op string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	var en syscall.Errno
	if errors.As(err, &en) {
		msg = errnoString(en)
	}
	w.s.logger.Logf(LogWarning, "Write error saving DB on disk(%s): %s", op, msg)
	w.discard()
	return err
}

// discard closes and removes the temp file.
func (w *rdbFile) discard() {
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
	os.Remove(w.tmp)
}

// rdbSave is Redis's rdbSave: the whole dataset written to dbfilename
// under the execution lock. Success resets the dirty counter and sets
// LASTSAVE; failures are logged and leave both alone.
func (s *Server) rdbSave() error {
	s.firePersistEvent(module.EventPersistence, subPersistSyncRDBStart)
	err := s.rdbSaveFile()
	if err != nil {
		s.firePersistEvent(module.EventPersistence, subPersistFailed)
		return err
	}
	s.logger.Logf(LogNotice, "DB saved on disk")
	s.dirty = 0
	s.intro.lastSave = time.Now()
	s.persist.failed = false
	s.firePersistEvent(module.EventPersistence, subPersistEnded)
	return nil
}

func (s *Server) rdbSaveFile() error {
	tmpName := fmt.Sprintf("temp-%d.rdb", os.Getpid())
	if s.persist.bg != nil {
		// The background save owns temp-<pid>.rdb (Redis's child has a
		// pid of its own).
		tmpName = fmt.Sprintf("temp-sync-%d.rdb", os.Getpid())
	}
	w, err := s.createRDBFile(s.rdbFileSpec(tmpName))
	if err != nil {
		return err
	}
	if err := w.enc.Header(append(s.rdbAux(), s.replAux()...)); err != nil {
		return w.fail("rdbSaveRio", err)
	}
	if err := w.writeAux(s.modules.SaveAux(module.AuxBeforeRDB)); err != nil {
		return w.fail("rdbSaveRio", err)
	}
	if err := writeFunctionRecords(w.enc, s.functionRecords()); err != nil {
		return w.fail("rdbSaveRio", err)
	}
	ser := rdbCodec.serializer(s)
	var buf []byte
	for _, db := range s.ks.DBs {
		if db.Len() == 0 {
			continue
		}
		if err := w.enc.SelectDB(db.ID, uint64(db.Len()), uint64(db.ExpiresLen())); err != nil {
			return w.fail("rdbSaveRio", err)
		}
		exp := db.Expires()
		db.Main().Each(func(nd *dict.Node[keyspace.Object]) bool {
			key := unsafe.Slice(unsafe.StringData(nd.Key), len(nd.Key)) // read only
			when := int64(-1)
			if exp.Len() > 0 {
				if e := exp.Peek(key); e != nil {
					when = e.Val
				}
			}
			buf, err = ser(buf, db.ID, key, &nd.Val, when)
			if err == nil && len(buf) >= 64<<10 {
				err = w.enc.Raw(buf)
				buf = buf[:0]
			}
			return err == nil
		})
		if err == nil && len(buf) > 0 {
			err = w.enc.Raw(buf)
			buf = buf[:0]
		}
		if err != nil {
			return w.fail("rdbSaveRio", err)
		}
	}
	if err := w.writeAux(s.modules.SaveAux(module.AuxAfterRDB)); err != nil {
		return w.fail("rdbSaveRio", err)
	}
	return w.commit()
}
