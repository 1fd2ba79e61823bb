package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
)

// Loading RDB files: at start-up (after the modules, before clients are
// accepted, as Redis's loadDataFromDisk) and for DEBUG RELOAD.

func init() {
	debugSubcommands["reload"] = struct {
		arity int
		fn    func(c *Client)
	}{-2, debugReload}
}

// rdbLoader receives what the codec reads and fills the keyspace.
type rdbLoader struct {
	s       *Server
	merge   bool  // DEBUG RELOAD MERGE: a key already there is replaced
	now     int64 // ms; keys that expired before are dropped (as a master)
	db      int
	loaded  int64
	expired int64
}

// loadAux handles an AUX field, logging what Redis logs.
func (l *rdbLoader) loadAux(key, val []byte) error {
	s := l.s
	switch string(key) {
	case "redis-ver":
		s.logger.Logf(LogNotice, "Loading RDB produced by version %s", val)
	case "ctime":
		if t, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			age := time.Now().Unix() - t
			if age < 0 {
				age = 0
			}
			s.logger.Logf(LogNotice, "RDB age %d seconds", age)
		}
	case "used-mem":
		if n, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			s.load.rdbUsedMem = n
			s.logger.Logf(LogNotice, "RDB memory usage when created %.2f Mb", float64(n)/(1024*1024))
		}
	case "aof-base":
		if string(val) == "1" {
			s.logger.Logf(LogNotice, "RDB is base AOF")
		}
	case "repl-id", "repl-offset", "repl-stream-db":
		s.replLoadAux(string(key), string(val))
	case "redis-bits", "lua":
	default:
		s.logger.Logf(LogVerbose, "Unrecognized RDB AUX field: '%s'", key)
	}
	return nil
}

// selectDB starts the keys of database id.
func (l *rdbLoader) selectDB(id int) error {
	if id < 0 || id >= len(l.s.ks.DBs) {
		return fmt.Errorf("FATAL: Data file was created with a Redis server configured to handle more than %d databases. Exiting\n", len(l.s.ks.DBs))
	}
	l.db = id
	return nil
}

// addKey stores one loaded key. idle (seconds) and freq are -1 when the
// file has none.
func (l *rdbLoader) addKey(id int, key []byte, o keyspace.Object, expireMs, idle int64, freq int) error {
	s := l.s
	if id < 0 || id >= len(s.ks.DBs) {
		return l.selectDB(id)
	}
	db := s.ks.DBs[id]
	if expireMs != -1 && expireMs < l.now {
		if o.Kind() == keyspace.KindModule {
			s.modules.FreeValue(&o)
		}
		l.expired++
		return nil
	}
	if db.Main().Find(key) != nil {
		if !l.merge {
			if o.Kind() == keyspace.KindModule {
				s.modules.FreeValue(&o)
			}
			return fmt.Errorf("RDB has duplicated key '%s' in DB %d", key, id)
		}
		db.DeleteUnexpired(key)
	}
	p := db.Add(key, o)
	s.setLRUOrLFU(p, int64(freq), idle)
	if expireMs != -1 {
		db.SetExpire(key, expireMs)
	}
	s.notify(notifyLoaded, "loaded", key, id)
	l.loaded++
	return nil
}

// loadModuleAux hands aux data to its module type.
func (l *rdbLoader) loadModuleAux(id uint64, when int, payload []byte) error {
	return l.s.modules.LoadAux(id, when, payload)
}

// progressReader fires the LoadingProgress server event while a file
// loads, as Redis's rdbLoadProgressCallback: each time another
// loading-process-events-interval-bytes were read, at most hz times a
// second, with the progress in 1/1024ths.
type progressReader struct {
	s     *Server
	r     io.Reader
	n     int64
	total int64
	next  time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	iv := p.s.cfg.LoadingProcessEventsIntervalBytes
	if iv > 0 && (p.n+int64(n))/iv > p.n/iv {
		if now := time.Now(); !now.Before(p.next) {
			progress := -1
			if p.total > 0 {
				progress = int((p.n + int64(n)) << 10 / p.total)
			}
			hz := max(p.s.cfg.HZ, 1)
			p.s.modules.FireServerEvent(module.EventLoadingProgress, 0, &module.LoadingProgressInfo{HZ: hz, Progress: progress}, nil, 0)
			p.next = now.Add(time.Second / time.Duration(hz))
		}
	}
	p.n += int64(n)
	return n, err
}

// rdbLoad reads dbfilename into the keyspace (Redis's rdbLoad), firing the
// Loading events. os.ErrNotExist is returned as is when there is no file.
func (s *Server) rdbLoad(merge bool) error {
	f, err := os.Open(s.rdbPath(s.cfg.DBFilename))
	if err != nil {
		return err
	}
	defer f.Close()
	if rdbCodec.load == nil {
		return errors.New("RDB loading is not available in this build")
	}
	s.firePersistEvent(module.EventLoading, subLoadingRDBStart)
	l := &rdbLoader{s: s, merge: merge, now: time.Now().UnixMilli()}
	// Values are stored as read: no lazy expiry while loading, and no
	// "new" events or ready keys (Redis's dbAddRDBLoad signals nothing).
	noExp, added := s.ks.NoExpire, s.ks.Hooks.Added
	s.ks.NoExpire, s.ks.Hooks.Added = true, nil
	pr := &progressReader{s: s, r: f}
	if fi, err := f.Stat(); err == nil {
		pr.total = fi.Size()
	}
	err = rdbCodec.load(s, bufio.NewReaderSize(pr, 64<<10), l)
	s.ks.NoExpire, s.ks.Hooks.Added = noExp, added
	s.persist.loaded, s.persist.expired = l.loaded, l.expired
	if err != nil {
		s.firePersistEvent(module.EventLoading, subLoadingFailed)
		return err
	}
	s.logger.Logf(LogNotice, "Done loading RDB, keys loaded: %d, keys expired: %d.", l.loaded, l.expired)
	s.firePersistEvent(module.EventLoading, subLoadingEnded)
	return nil
}

// logLoadError logs a failed load the way Redis reports it before exiting.
func (s *Server) logLoadError(err error) {
	var le *module.LoadError
	if errors.As(err, &le) && strings.Contains(le.Msg, "AUX") {
		// Module aux data: Redis logs the reason and exits.
		s.logger.Logf(LogWarning, "%s", le.Msg)
		if !strings.Contains(le.Msg, "can't load") && !strings.Contains(le.Msg, "doesn't seem to support") {
			s.logger.Logf(LogWarning, "Terminating server after rdb file reading failure.")
		}
		return
	}
	if lines := rdbLoadErrorLines(err); lines != nil {
		for _, l := range lines {
			s.logger.Logf(LogWarning, "%s", l)
		}
		return
	}
	if strings.HasPrefix(err.Error(), "FATAL:") {
		s.logger.Logf(LogWarning, "%s", strings.TrimSuffix(err.Error(), "\n"))
		return
	}
	s.logger.Logf(LogWarning, "Internal error in RDB reading offset 0, function at rdb.c:0 -> %s", err)
	s.logger.Logf(LogWarning, "Terminating server after rdb file reading failure.")
}

// LoadDataFromDisk loads dbfilename at start-up (Redis's
// loadDataFromDisk). A missing file is fine; any other failure is fatal:
// Main exits with status 1.
func (s *Server) LoadDataFromDisk() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeCommand()
	start := time.Now()
	if handled, err := s.aofLoadDataFromDisk(); handled {
		return err // appendonly yes: the AOF replaces dbfilename
	}
	err := s.rdbLoad(false)
	switch {
	case err == nil:
		s.logger.Logf(LogNotice, "DB loaded from disk: %.3f seconds", time.Since(start).Seconds())
		return nil
	case errors.Is(err, os.ErrNotExist):
		return nil
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		s.logger.Logf(LogWarning, "Fatal error loading the DB: %s. Exiting.", errnoString(pe.Err))
		return err
	}
	s.logLoadError(err)
	return err
}

// debugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the
// dataset, load the file back.
func debugReload(c *Client) {
	s := c.srv
	flush, save, merge := true, true, false
	for _, a := range c.argv[2:] {
		switch optLower(a) {
		case "merge":
			merge = true
		case "noflush":
			flush = false
		case "nosave":
			save = false
		default:
			c.addError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
			return
		}
	}
	if save {
		if err := s.rdbSave(); err != nil {
			c.addError("ERR")
			return
		}
	}
	if flush {
		s.moduleFlushEvent(0, -1)
		for _, db := range s.ks.DBs {
			s.emptyDB(db)
		}
		s.moduleFlushEvent(1, -1)
	}
	if err := s.rdbLoad(merge); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.logLoadError(err)
		}
		c.addError("ERR Error trying to load the RDB dump")
		return
	}
	s.logger.Logf(LogWarning, "DB reloaded by DEBUG RELOAD")
	c.addOK()
}
