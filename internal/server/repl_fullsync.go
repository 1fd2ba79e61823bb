package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/snapshot"
)

// Full synchronization, streamed (Redis's startBgsaveForReplication):
//
//   - socket target (repl-diskless-sync yes and every waiting replica
//     announced capa eof): the snapshot is serialized straight into the
//     replicas' connections as `$EOF:<mark>` ... mark;
//   - disk target: a BGSAVE (persist_bgsave.go) writes dbfilename as Redis
//     does, then the file is sent as `$<len>`, read in chunks.
//
// Either way the RDB is never held whole in memory: the sender waits
// while a replica's output holds more than replBulkHighWater bytes.

// replBulkHighWater bounds the RDB bytes queued in a replica's output.
const replBulkHighWater = 1 << 20

// replSync is a full synchronization in progress.
type replSync struct {
	snap     *snapshot.Snapshot // socket target
	disk     bool               // disk target: waits for the BGSAVE
	replicas []*replica
	aborted  atomic.Bool
}

var errReplNoReplicas = errors.New("no replica left")

// replStartFullSync sends +FULLRESYNC and starts the snapshot.
func (s *Server) replStartFullSync(rs []*replica) {
	if rdbCodec.serializer == nil || rdbCodec.newEncoder == nil {
		return
	}
	socket := s.cfg.ReplDisklessSync
	for _, r := range rs {
		if !r.capaEOF {
			socket = false
		}
	}
	fs := &replSync{replicas: rs, disk: !socket}
	if fs.disk {
		s.logger.Logf(LogNotice, "Starting BGSAVE for SYNC with target: disk")
		if err := s.rdbSaveBackground(); err != nil {
			s.logger.Logf(LogWarning, "BGSAVE for replication failed")
			for _, r := range rs {
				s.killClient(r.c)
			}
			return
		}
	}
	for _, r := range rs {
		r.state = replicaWaitBgsave
		r.pending = nil
		if !r.oldSync {
			r.c.out = append(r.c.out, fmt.Sprintf("+FULLRESYNC %s %d\r\n", s.intro.replID, s.repl.offset)...)
			r.c.wakeWriterLocked()
		}
	}
	// The stream after the snapshot starts with a SELECT.
	s.repl.seldb = -1
	s.repl.fullSync = fs
	if fs.disk {
		return // replBgsaveDone sends the file
	}
	aux := append(s.rdbAux(), s.replAux()...)
	opts := s.rdbSaveOptions()
	auxB := s.modules.SaveAux(module.AuxBeforeRDB)
	funcs := s.functionRecords()
	auxA := s.modules.SaveAux(module.AuxAfterRDB)
	mark := randomHex40()
	for _, r := range rs {
		r.c.out = append(r.c.out, "$EOF:"+mark+"\r\n"...)
		r.c.wakeWriterLocked()
	}
	fs.snap = snapshot.Start(s.ks, rdbCodec.serializer(s))
	s.logger.Logf(LogNotice, "Starting BGSAVE for SYNC with target: replicas sockets")
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fw := &replFeedWriter{s: s, fs: fs}
		bw := bufio.NewWriterSize(fw, 64<<10)
		enc := rdbCodec.newEncoder(bw, opts)
		err := enc.Header(aux)
		for _, a := range auxB {
			if err == nil {
				err = rdbCodec.moduleAux(enc, a)
			}
		}
		if err == nil {
			err = writeFunctionRecords(enc, funcs)
		}
		for err == nil {
			s.mu.Lock()
			if fs.aborted.Load() || s.closing() {
				fs.snap.Abort()
				s.mu.Unlock()
				return
			}
			out, done, serr := fs.snap.Step(0, time.Now().Add(bgSliceTime))
			s.mu.Unlock()
			for _, m := range out {
				if err != nil {
					break
				}
				if m.SelectDB {
					err = enc.SelectDB(m.DB, m.Keys, m.Expires)
				} else {
					err = enc.Raw(m.Records)
				}
			}
			if serr != nil {
				err = serr
			}
			if done {
				break
			}
		}
		if err != nil {
			s.mu.Lock()
			fs.snap.Abort()
			s.mu.Unlock()
		}
		for _, a := range auxA {
			if err == nil {
				err = rdbCodec.moduleAux(enc, a)
			}
		}
		if err == nil {
			err = enc.Footer()
		}
		if err == nil {
			err = bw.Flush()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if err == nil {
			for _, r := range fs.replicas {
				if r.state == replicaWaitBgsave && !r.c.closed {
					r.c.out = append(r.c.out, mark...)
				}
			}
		}
		s.replFinishFullSync(fs, err)
	}()
}

// replFeedWriter writes RDB bytes to the replicas of a socket-target
// sync, waiting while their output is over replBulkHighWater.
type replFeedWriter struct {
	s  *Server
	fs *replSync
}

func (w *replFeedWriter) Write(p []byte) (int, error) {
	s := w.s
	s.mu.Lock()
	n, err := w.feedLocked(p)
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return n, replThrottle(s, w.fs)
}

func (w *replFeedWriter) feedLocked(p []byte) (int, error) {
	live := 0
	for _, r := range w.fs.replicas {
		if r.state == replicaWaitBgsave && !r.c.closed {
			r.c.out = append(r.c.out, p...)
			r.c.wakeWriterLocked()
			live++
		}
	}
	if live == 0 || w.fs.aborted.Load() || w.s.closing() {
		return 0, errReplNoReplicas
	}
	return len(p), nil
}

// replThrottle waits until every replica of fs has written its output
// down to replBulkHighWater.
func replThrottle(s *Server, fs *replSync) error {
	for {
		s.mu.Lock()
		busy := false
		for _, r := range fs.replicas {
			if (r.state == replicaWaitBgsave || r.state == replicaSendBulk) && !r.c.closed && r.c.outputBytes() > replBulkHighWater {
				busy = true
			}
		}
		stop := fs.aborted.Load() || s.closing()
		s.mu.Unlock()
		if stop {
			return errReplNoReplicas
		}
		if !busy {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}

// replBgsaveDone is called when a BGSAVE ends (finishBgsave): a disk-target
// full sync sends the file it wrote. Call with the lock held.
func (s *Server) replBgsaveDone(ok bool, path string) {
	fs := s.repl.fullSync
	if fs == nil || !fs.disk {
		return
	}
	if !ok {
		s.replFinishFullSync(fs, errors.New("BGSAVE failed"))
		return
	}
	f, err := os.Open(path)
	var size int64
	if err == nil {
		var st os.FileInfo
		if st, err = f.Stat(); err == nil {
			size = st.Size()
		}
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		s.replFinishFullSync(fs, err)
		return
	}
	s.repl.fullSync = nil
	for _, r := range fs.replicas {
		if r.state == replicaWaitBgsave && !r.c.closed {
			r.state = replicaSendBulk
			r.c.out = append(r.c.out, "$"+strconv.FormatInt(size, 10)+"\r\n"...)
			r.c.wakeWriterLocked()
		}
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer f.Close()
		buf := make([]byte, 64<<10)
		var err error
		for err == nil {
			var n int
			n, err = f.Read(buf)
			if n > 0 {
				s.mu.Lock()
				live := 0
				for _, r := range fs.replicas {
					if r.state == replicaSendBulk && !r.c.closed {
						r.c.out = append(r.c.out, buf[:n]...)
						r.c.wakeWriterLocked()
						live++
					}
				}
				s.mu.Unlock()
				if live == 0 {
					return
				}
				if terr := replThrottle(s, fs); terr != nil {
					return
				}
			}
		}
		if err != io.EOF {
			s.logger.Logf(LogWarning, "Read error sending DB to replica: %v", err)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, r := range fs.replicas {
			if r.state == replicaSendBulk {
				if err != io.EOF {
					s.killClient(r.c)
				} else {
					r.state = replicaWaitBgsave // finished below
				}
			}
		}
		s.replFinishFullSync(fs, nil)
	}()
}

// replFinishFullSync completes the replicas whose RDB was sent: the
// stream buffered meanwhile follows, and they are online.
func (s *Server) replFinishFullSync(fs *replSync, err error) {
	if s.repl.fullSync == fs {
		s.repl.fullSync = nil
	}
	if err != nil {
		s.logger.Logf(LogWarning, "SYNC failed. BGSAVE for replication failed: %v", err)
		for _, r := range fs.replicas {
			if r.state == replicaWaitBgsave || r.state == replicaSendBulk {
				s.killClient(r.c)
			}
		}
		s.replMaybeStartSync(false)
		return
	}
	s.logger.Logf(LogNotice, "Background RDB transfer terminated with success")
	for _, r := range fs.replicas {
		if r.state != replicaWaitBgsave || r.c.closed {
			continue
		}
		c := r.c
		if r.rdbOnly {
			// No stream: close once the RDB is written (redis-cli --rdb).
			r.pending = nil
			r.state = replicaNone
			c.wakeWriterLocked()
			go s.closeWhenWritten(c)
			continue
		}
		c.out = append(c.out, r.pending...)
		r.pending = nil
		r.state = replicaOnline
		r.ackTime = time.Now()
		c.wakeWriterLocked()
		s.logger.Logf(LogNotice, "Synchronization with replica %s:%d succeeded", r.ip(), r.port)
		s.fireReplEvent(module.EventReplicaChange, subReplicaOn)
	}
	s.replMaybeStartSync(false)
}
