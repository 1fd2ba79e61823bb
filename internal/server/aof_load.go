package server

import (
	"bufio"
	"errors"
	"io"
	"math"
	"os"
	"time"

	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/aof"
)

// Loading the AOF at start-up (Redis's aofLoadManifestFromDisk,
// loadAppendOnlyFiles, aofOpenIfNeededOnServerStart): the manifest is
// read whether AOF is on or not (CONFIG SET appendonly yes continues its
// numbering); with appendonly yes the base and incr files are replayed
// through a fake client instead of loading dbfilename, then the last incr
// file is opened for appending (a base is written first when there is no
// AOF at all: the dataset is then empty, as in Redis 7.0).

// errAOFLoad marks a fatal loading error (already logged).
var errAOFLoad = errors.New("AOF loading failed")

// clientIDAOF is the id of the client replaying the AOF (CLIENT_ID_AOF).
const clientIDAOF = math.MaxUint64

// aofLoadDataFromDisk is the AOF part of loadDataFromDisk. handled is
// false when AOF is off and dbfilename is to be loaded instead.
func (s *Server) aofLoadDataFromDisk() (handled bool, err error) {
	if err := s.aofLoadManifestFromDisk(); err != nil {
		return true, err
	}
	if !s.cfg.AppendOnly {
		s.aofDelHistoryFiles()
		return false, nil
	}
	s.aof.state = aofOn
	start := time.Now()
	switch ret := s.loadAppendOnlyFiles(s.aof.manifest); ret {
	case aofLoadFailed, aofLoadOpenErr:
		return true, errAOFLoad
	case aofLoadNotExist:
	default:
		s.logger.Logf(LogNotice, "DB loaded from append only file: %.3f seconds", time.Since(start).Seconds())
	}
	if err := s.aofOpenOnServerStart(); err != nil {
		return true, err
	}
	s.aofDelHistoryFiles()
	return true, nil
}

// aofLoadManifestFromDisk reads the manifest if there is one; a bad one
// is fatal, with Redis's log lines.
func (s *Server) aofLoadManifestFromDisk() error {
	s.aof.manifest = &aof.Manifest{}
	if st, err := os.Stat(s.aofDir()); err != nil || !st.IsDir() {
		s.logger.Logf(LogDebug, "The AOF directory %s doesn't exist", s.cfg.AppendDirname)
		return nil
	}
	name := aof.ManifestName(s.cfg.AppendFilename)
	path := s.aofPath(name)
	if _, err := os.Stat(path); err != nil {
		s.logger.Logf(LogDebug, "The AOF manifest file %s doesn't exist", name)
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		s.logger.Logf(LogWarning, "Fatal error: can't open the AOF manifest file %s for reading: %s", path, aofErrText(err))
		return err
	}
	m, err := aof.ParseManifest(data)
	if err != nil {
		s.logger.Logf(LogWarning, "\n*** FATAL AOF MANIFEST FILE ERROR ***\n")
		var me *aof.ManifestError
		if errors.As(err, &me) && me.HasLine {
			s.logger.Logf(LogWarning, "Reading the manifest file, at line %d\n", me.LineNum)
			s.logger.Logf(LogWarning, ">>> '%s'\n", me.Line)
		}
		s.logger.Logf(LogWarning, "%s\n", err.Error())
		return err
	}
	s.aof.manifest = m
	return nil
}

// fileExists reports whether a path exists.
func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// aofUpgradePrepare moves an old single-file AOF (appendfilename in dir)
// into appenddirname as the base of a new manifest.
func (s *Server) aofUpgradePrepare(m *aof.Manifest) error {
	if err := os.Mkdir(s.aofDir(), 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		s.logger.Logf(LogWarning, "Can't open or create append-only dir %s: %s", s.cfg.AppendDirname, aofErrText(err))
		return err
	}
	fn := s.cfg.AppendFilename
	m.Base = &aof.Info{Name: fn, Seq: 1, Type: aof.TypeBase}
	m.BaseSeq = 1
	m.Dirty = true
	if err := s.writeManifest(m); err != nil {
		return err
	}
	if err := os.Rename(s.rdbPath(fn), s.aofPath(fn)); err != nil {
		s.logger.Logf(LogWarning, "Error trying to move the old AOF file %s into dir %s: %s", fn, s.cfg.AppendDirname, aofErrText(err))
		return err
	}
	s.logger.Logf(LogNotice, "Successfully migrated an old-style AOF file (%s) into the AOF directory (%s).", fn, s.cfg.AppendDirname)
	return nil
}

// loadAppendOnlyFiles replays the base and incr files of m.
func (s *Server) loadAppendOnlyFiles(m *aof.Manifest) int {
	fn := s.cfg.AppendFilename
	if fileExists(s.rdbPath(fn)) {
		dirMissing := true
		if st, err := os.Stat(s.aofDir()); err == nil && st.IsDir() {
			dirMissing = false
		}
		if dirMissing || (m.Base == nil && len(m.Incrs) == 0) ||
			(m.Base != nil && len(m.Incrs) == 0 && m.Base.Name == fn && !fileExists(s.aofPath(fn))) {
			if err := s.aofUpgradePrepare(m); err != nil {
				return aofLoadFailed
			}
		}
	}
	if m.Base == nil && len(m.Incrs) == 0 {
		return aofLoadNotExist
	}
	files := m.Files()
	var total int64
	for _, f := range files {
		n, st := s.aofFileSize(f.Name)
		if st != aofLoadOK {
			if st == aofLoadNotExist {
				return aofLoadFailed
			}
			return st
		}
		total += n
	}
	if total == 0 {
		return aofLoadEmpty
	}
	s.firePersistEvent(module.EventLoading, subLoadingAOFStart)
	// Replayed commands are not propagated (the AOF must not feed itself)
	// and keys do not expire while loading.
	noExp, sink := s.ks.NoExpire, s.prop.sink
	s.ks.NoExpire = true
	s.aof.loading = true
	s.SetPropagator(nil)
	defer func() { s.ks.NoExpire = noExp; s.aof.loading = false; s.SetPropagator(sink) }()
	var baseSize int64
	ret := aofLoadOK
	for i, f := range files {
		last := i == len(files)-1
		start := time.Now()
		if f.Type == aof.TypeBase {
			baseSize, _ = s.aofFileSize(f.Name)
		}
		ret = s.loadSingleAppendOnlyFile(f.Name)
		kind := "incr"
		if f.Type == aof.TypeBase {
			kind = "base"
		}
		if ret == aofLoadOK || (ret == aofLoadTruncated && last) {
			s.logger.Logf(LogNotice, "DB loaded from %s file %s: %.3f seconds", kind, f.Name, time.Since(start).Seconds())
		}
		if ret == aofLoadEmpty && f.Type == aof.TypeIncr {
			ret = aofLoadOK
		}
		if ret == aofLoadTruncated && !last {
			ret = aofLoadFailed
			s.logger.Logf(LogWarning, "Fatal error: the truncated file is not the last file")
		}
		if ret == aofLoadOpenErr || ret == aofLoadFailed {
			s.firePersistEvent(module.EventLoading, subLoadingFailed)
			return ret
		}
	}
	s.aof.currentSize = total
	s.aof.rewriteBaseSize = baseSize
	s.aof.fsyncOffset = total
	s.firePersistEvent(module.EventLoading, subLoadingEnded)
	return ret
}

// loadSingleAppendOnlyFile replays one file (Redis's function of the same
// name): an RDB preamble through the RDB codec, then commands through a
// fake client.
func (s *Server) loadSingleAppendOnlyFile(name string) int {
	path := s.aofPath(name)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			s.logger.Logf(LogWarning, "The append log file %s doesn't exist: %s", name, aofErrText(err))
			return aofLoadNotExist
		}
		s.logger.Logf(LogWarning, "Fatal error: can't open the append log file %s for reading: %s", name, aofErrText(err))
		return aofLoadOpenErr
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		return aofLoadEmpty
	}
	br := bufio.NewReaderSize(f, 64<<10)
	var off int64
	if sig, _ := br.Peek(5); string(sig) == "REDIS" {
		oldStyle := name == s.cfg.AppendFilename
		if oldStyle {
			s.logger.Logf(LogNotice, "Reading RDB preamble from AOF file...")
		} else {
			s.logger.Logf(LogNotice, "Reading RDB base file on AOF loading...")
		}
		cr := &countReader{r: br}
		cbr := bufio.NewReaderSize(cr, 64<<10)
		var lerr error
		if rdbCodec.load == nil {
			lerr = errors.New("RDB loading is not available in this build")
		} else {
			l := &rdbLoader{s: s, now: time.Now().UnixMilli()}
			lerr = rdbCodec.load(s, cbr, l)
			s.persist.loaded, s.persist.expired = l.loaded, l.expired
			if lerr == nil {
				s.logger.Logf(LogNotice, "Done loading RDB, keys loaded: %d, keys expired: %d.", l.loaded, l.expired)
			}
		}
		if lerr != nil {
			s.logLoadError(lerr)
			if oldStyle {
				s.logger.Logf(LogWarning, "Error reading the RDB preamble of the AOF file %s, AOF loading aborted", name)
			} else {
				s.logger.Logf(LogWarning, "Error reading the RDB base file %s, AOF loading aborted", name)
			}
			return aofLoadFailed
		}
		off = cr.n - int64(cbr.Buffered())
		br = cbr
		if oldStyle {
			s.logger.Logf(LogNotice, "Reading the remaining AOF tail...")
		}
	}
	return s.replayAOF(name, path, aof.NewReader(br, off))
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// replayAOF runs the commands of r on a fake client.
func (s *Server) replayAOF(name, path string, r *aof.Reader) int {
	c := &Client{srv: s, conn: fakeConn{}, id: clientIDAOF, authenticated: true, createdAt: time.Now(), fd: -1}
	c.db = s.ks.DBs[0]
	c.resp = 2
	saved := s.current
	defer func() { s.current = saved }()
	validUpTo := r.Offset()
	var validBeforeMulti int64
	truncated := false
	for {
		argv, err := r.Next()
		if err == io.EOF {
			break
		}
		if err == aof.ErrTruncated {
			truncated = true
			break
		}
		if err == aof.ErrFormat {
			s.logger.Logf(LogWarning, "Bad file format reading the append only file %s: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>", name)
			return aofLoadFailed
		}
		if err != nil {
			s.logger.Logf(LogWarning, "Unrecoverable error reading the append only file %s: %s", name, aofErrText(err))
			return aofLoadFailed
		}
		cp, _ := s.lookupProc(argv)
		if cp == nil {
			s.logger.Logf(LogWarning, "Unknown command '%s' reading the append only file %s", cstr(string(argv[0])), name)
			return aofLoadFailed
		}
		if spec := cp.spec; (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity {
			s.logger.Logf(LogWarning, "Bad file format reading the append only file %s: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>", name)
			return aofLoadFailed
		}
		if cp.spec.Name == "multi" {
			validBeforeMulti = validUpTo
		}
		s.beforeCommand()
		s.current = c
		c.argv, c.cmd = argv, cp
		if c.multi != nil && cp.spec.Name != "exec" {
			s.queueIfInMulti(c, cp)
		} else {
			s.call(c, cp)
		}
		c.argv = nil
		c.out = c.out[:0]
		if s.cfg.AOFLoadTruncated {
			validUpTo = r.Offset()
		}
	}
	if !truncated && c.multi != nil {
		s.logger.Logf(LogWarning, "Revert incomplete MULTI/EXEC transaction in AOF file %s", name)
		validUpTo = validBeforeMulti
		truncated = true
	}
	c.multi = nil
	if !truncated {
		return aofLoadOK
	}
	if s.cfg.AOFLoadTruncated {
		s.logger.Logf(LogWarning, "!!! Warning: short read while loading the AOF file %s!!!", name)
		s.logger.Logf(LogWarning, "!!! Truncating the AOF %s at offset %d !!!", name, validUpTo)
		if err := os.Truncate(path, validUpTo); err != nil {
			s.logger.Logf(LogWarning, "Error truncating the AOF file %s: %s", name, aofErrText(err))
		} else {
			s.logger.Logf(LogWarning, "AOF %s loaded anyway because aof-load-truncated is enabled", name)
			return aofLoadTruncated
		}
	}
	s.logger.Logf(LogWarning, "Unexpected end of file reading the append only file %s. You can: "+
		"1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "+
		"2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.", name)
	return aofLoadFailed
}

// aofOpenOnServerStart opens the last incr file for appending (Redis's
// aofOpenIfNeededOnServerStart), writing a base first when there is no
// AOF yet.
func (s *Server) aofOpenOnServerStart() error {
	a := &s.aof
	if a.state != aofOn {
		return nil
	}
	if err := os.Mkdir(s.aofDir(), 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		s.logger.Logf(LogWarning, "Can't open or create append-only dir %s: %s", s.cfg.AppendDirname, aofErrText(err))
		return err
	}
	m := a.manifest
	fn := s.cfg.AppendFilename
	hadIncr := len(m.Incrs) > 0
	if m.Base == nil && !hadIncr {
		base := m.NewBase(fn, s.cfg.AOFUseRDBPreamble)
		if err := s.rewriteAppendOnlyFileSync(s.aofPath(base)); err != nil {
			return err
		}
		s.logger.Logf(LogNotice, "Creating AOF base file %s on server start", base)
		size, _ := s.aofFileSize(base)
		a.currentSize += size
		a.rewriteBaseSize = size
	}
	name := m.LastIncr(fn)
	f, err := os.OpenFile(s.aofPath(name), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		s.logger.Logf(LogWarning, "Can't open the append-only file %s: %s", name, aofErrText(err))
		return err
	}
	if err := s.writeManifest(m); err != nil {
		f.Close()
		return err
	}
	a.f = f
	if st, err := f.Stat(); err == nil {
		a.lastIncrSize = st.Size()
	}
	a.fsyncOffset = a.currentSize
	a.lastFsync = time.Now().Unix()
	if hadIncr {
		s.logger.Logf(LogNotice, "Opening AOF incr file %s on server start", name)
	} else {
		s.logger.Logf(LogNotice, "Creating AOF incr file %s on server start", name)
	}
	s.SetPropagator(aofSink{s})
	return nil
}

func init() {
	debugSubcommands["loadaof"] = struct {
		arity int
		fn    func(c *Client)
	}{2, debugLoadAOF}
}

// debugLoadAOF is DEBUG LOADAOF: write the buffer, empty the dataset and
// load the AOF files again. A load failure ends the process in Redis;
// here the client gets an error (an in-process server must survive).
func debugLoadAOF(c *Client) {
	s := c.srv
	if s.aof.state == aofOn {
		s.flushAOF(true)
	}
	s.moduleFlushEvent(0, -1)
	for _, db := range s.ks.DBs {
		s.emptyDB(db)
	}
	s.moduleFlushEvent(1, -1)
	if err := s.aofLoadManifestFromDisk(); err != nil {
		c.addError("ERR Error loading the AOF manifest")
		return
	}
	s.aofDelHistoryFiles()
	ret := s.loadAppendOnlyFiles(s.aof.manifest)
	if ret != aofLoadOK && ret != aofLoadEmpty && ret != aofLoadTruncated {
		if s.life.ownsProcess {
			s.logger.Close()
			os.Exit(1)
		}
		c.addError("ERR Error loading the AOF")
		return
	}
	s.dirty = 0
	s.logger.Logf(LogWarning, "Append Only File loaded by DEBUG LOADAOF")
	c.addOK()
}
