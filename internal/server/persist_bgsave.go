package server

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/snapshot"
)

// BGSAVE without fork. The command takes a point-in-time snapshot
// (internal/persist/snapshot) and starts two goroutines: the saver walks
// the keyspace in slices of about a millisecond under the execution lock
// and passes the serialized records on; the writer writes them to
// temp-<pid>.rdb, fsyncs and renames it, outside the lock. The cron notices
// the end as Redis's serverCron notices its child exiting.

// bgSliceTime is how long one slice of the walk holds the lock.
const bgSliceTime = time.Millisecond

// bgSave is a running background save.
type bgSave struct {
	snap  *snapshot.Snapshot
	start time.Time
	file  *rdbFile
	aux   [][2]string
	auxB  []module.AuxRecord // aux data taken at the start
	funcs [][]byte           // function library records taken at the start
	auxA  []module.AuxRecord
	spec  rdbFileSpec // the file settings at the start

	ch      chan []snapshot.Msg // saver -> writer; closed at the end of the walk
	abort   chan struct{}       // closed to kill the save
	aborted bool                // under the lock: the saver stops
	stop    atomic.Bool         // the writer failed: the saver stops
	snapErr error               // set by the saver before closing ch
	done    chan struct{}       // closed when the writer is finished
	result  error               // the writer's outcome, valid after done
}

// rdbSaveBackground is Redis's rdbSaveBackground.
func (s *Server) rdbSaveBackground() error {
	p := &s.persist
	if p.bg != nil || s.ks.Snapshot != nil || s.moduleChildActive() {
		return errors.New("busy")
	}
	// A module may not fork while we save (one child at a time).
	s.forks.childActive = func() bool { return s.persist.bg != nil }
	p.saves++
	p.dirtyAtBg = s.dirty
	p.lastTry = time.Now()
	if rdbCodec.serializer == nil {
		p.failed = true
		s.logger.Logf(LogWarning, "Can't save in background: RDB persistence is not available in this build")
		return errSaveFailed
	}
	bg := &bgSave{
		start: time.Now(),
		aux:   append(s.rdbAux(), s.replAux()...),
		spec:  s.rdbFileSpec(fmt.Sprintf("temp-%d.rdb", os.Getpid())),
		ch:    make(chan []snapshot.Msg, 16),
		abort: make(chan struct{}),
		done:  make(chan struct{}),
	}
	// What the child of a fork would see: the modules' aux data and the
	// keyspace as they are now.
	s.firePersistEvent(module.EventPersistence, subPersistRDBStart)
	bg.auxB = s.modules.SaveAux(module.AuxBeforeRDB)
	bg.funcs = s.functionRecords()
	bg.auxA = s.modules.SaveAux(module.AuxAfterRDB)
	bg.snap = snapshot.Start(s.ks, rdbCodec.serializer(s))
	p.bg = bg
	s.logger.Logf(LogNotice, "Background saving started by pid %d", os.Getpid())
	s.wg.Add(2)
	go s.bgSaver(bg)
	go s.bgWriter(bg)
	return nil
}

// bgSaver walks the snapshot in slices under the lock.
func (s *Server) bgSaver(bg *bgSave) {
	defer s.wg.Done()
	defer close(bg.ch)
	for {
		s.mu.Lock()
		if bg.aborted {
			s.mu.Unlock()
			return
		}
		if bg.stop.Load() || s.closing() {
			bg.snap.Abort()
			bg.snapErr = errBgsaveKilled
			s.mu.Unlock()
			return
		}
		delay := s.cfg.RDBKeySaveDelay
		maxKeys := 0
		if delay != 0 {
			maxKeys = 1 // rdb-key-save-delay: one key, then the pause
		}
		out, done, err := bg.snap.Step(maxKeys, time.Now().Add(bgSliceTime))
		s.mu.Unlock()
		if len(out) > 0 {
			select {
			case bg.ch <- out:
			case <-bg.abort:
				return
			}
		}
		if err != nil {
			bg.snapErr = err
			return
		}
		if done {
			return
		}
		if !keySaveDelay(delay, bg.abort, s.done) {
			// Killed, or the server is closing: the next turn stops.
			continue
		}
	}
}

// keySaveDelay sleeps as Redis's debugDelay: usec microseconds, or for a
// negative value one microsecond with probability 1/-usec. It reports
// false when the save was killed meanwhile.
func keySaveDelay(usec int, abort, closing chan struct{}) bool {
	if usec < 0 {
		if rand.IntN(-usec) == 0 {
			usec = 1
		} else {
			usec = 0
		}
	}
	if usec == 0 {
		runtime.Gosched()
		return true
	}
	t := time.NewTimer(time.Duration(usec) * time.Microsecond)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-abort:
		return false
	case <-closing:
		return false
	}
}

// closing reports whether the server is stopping.
func (s *Server) closing() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// bgWriter writes the file. It never takes the execution lock.
func (s *Server) bgWriter(bg *bgSave) {
	defer s.wg.Done()
	defer close(bg.done)
	// drain waits for the saver to notice a failure (it may need the lock,
	// which killBgsave holds while it waits for us: abort ends the wait).
	drain := func() {
		bg.stop.Store(true)
		for {
			select {
			case _, ok := <-bg.ch:
				if !ok {
					return
				}
			case <-bg.abort:
				return
			}
		}
	}
	w, err := s.createRDBFile(bg.spec)
	if err != nil {
		bg.result = err
		drain()
		return
	}
	fail := func(err error) {
		if err == errBgsaveKilled {
			w.discard()
			bg.result = err
		} else {
			bg.result = w.fail("rdbSaveRio", err)
		}
		drain()
	}
	if err := w.enc.Header(bg.aux); err != nil {
		fail(err)
		return
	}
	if err := w.writeAux(bg.auxB); err != nil {
		fail(err)
		return
	}
	if err := writeFunctionRecords(w.enc, bg.funcs); err != nil {
		fail(err)
		return
	}
	for {
		select {
		case <-bg.abort:
			w.discard()
			bg.result = errBgsaveKilled
			return
		case msgs, ok := <-bg.ch:
			if !ok {
				if bg.snapErr != nil {
					fail(bg.snapErr)
					return
				}
				if err := w.writeAux(bg.auxA); err != nil {
					fail(err)
					return
				}
				select {
				case <-bg.abort:
					w.discard()
					bg.result = errBgsaveKilled
					return
				default:
				}
				bg.result = w.commit()
				if bg.result == nil {
					s.logger.Logf(LogNotice, "DB saved on disk")
				}
				return
			}
			for _, m := range msgs {
				var err error
				if m.SelectDB {
					err = w.enc.SelectDB(m.DB, m.Keys, m.Expires)
				} else {
					err = w.enc.Raw(m.Records)
				}
				if err != nil {
					fail(err)
					return
				}
			}
		}
	}
}

var errBgsaveKilled = errors.New("background save killed")

// checkBgsaveDone is the cron's check for a finished background save
// (Redis's checkChildrenDone + backgroundSaveDoneHandlerDisk).
func (s *Server) checkBgsaveDone() {
	bg := s.persist.bg
	select {
	case <-bg.done:
	default:
		return
	}
	s.finishBgsave(bg)
}

func (s *Server) finishBgsave(bg *bgSave) {
	p := &s.persist
	p.bg = nil
	p.lastBgTime = time.Now().Unix() - bg.start.Unix() + 1
	switch {
	case bg.result == nil:
		s.logger.Logf(LogNotice, "Background saving terminated with success")
		s.dirty -= p.dirtyAtBg
		s.intro.lastSave = time.Now()
		p.failed = false
		s.firePersistEvent(module.EventPersistence, subPersistEnded)
	case bg.result == errBgsaveKilled:
		// Killed on purpose (Redis's SIGUSR1): not an error.
		s.logger.Logf(LogWarning, "Background saving terminated by signal 10")
		s.firePersistEvent(module.EventPersistence, subPersistFailed)
	default:
		s.logger.Logf(LogWarning, "Background saving error")
		p.failed = true
		s.firePersistEvent(module.EventPersistence, subPersistFailed)
	}
	s.replBgsaveDone(bg.result == nil, bg.spec.path(bg.spec.final)) // a disk-target full sync sends the file
}

// killBgsave stops the running background save and waits for its temp
// file to be removed (Redis's killRDBChild). Call with the lock held.
func (s *Server) killBgsave() {
	bg := s.persist.bg
	if bg == nil {
		return
	}
	bg.aborted = true
	bg.snap.Abort()
	close(bg.abort)
	<-bg.done
	if bg.result == nil {
		// It had finished and renamed the file already: as a child that
		// exited before the signal, that is a success.
		s.finishBgsave(bg)
		return
	}
	bg.result = errBgsaveKilled
	s.finishBgsave(bg)
}
