package server

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// INFO persistence's aof_* fields. This file sorts after info.go, whose
// init creates the sections.

func init() { aofInfoFields() }

// aofInfoFields fills the aof_* fields of INFO persistence and adds the
// block Redis shows while AOF is on.
func aofInfoFields() {
	f := func(name string, fn func(s *Server) string) { setInfoField("persistence", name, "", fn) }
	f("aof_enabled", func(s *Server) string { return boolDigit(s.aof.state != aofOff) })
	f("aof_rewrite_in_progress", func(s *Server) string { return boolDigit(s.aof.rw != nil) })
	f("aof_rewrite_scheduled", func(s *Server) string { return boolDigit(s.aof.rewriteScheduled) })
	f("aof_last_rewrite_time_sec", func(s *Server) string { return strconv.FormatInt(s.aof.lastRewriteSec-1, 10) })
	f("aof_current_rewrite_time_sec", func(s *Server) string {
		if rw := s.aof.rw; rw != nil {
			return strconv.FormatInt(time.Now().Unix()-rw.start.Unix(), 10)
		}
		return "-1"
	})
	f("aof_last_bgrewrite_status", func(s *Server) string { return okErr(!s.aof.lastRewriteErr) })
	f("aof_rewrites", func(s *Server) string { return strconv.FormatInt(s.aof.rewrites, 10) })
	f("aof_rewrites_consecutive_failures", func(s *Server) string { return strconv.FormatInt(s.aof.rwFailures, 10) })
	f("aof_last_write_status", func(s *Server) string {
		bioOK := s.aof.bio == nil || !s.aof.bio.fsyncErr.Load()
		return okErr(!s.aof.writeFailed && bioOK)
	})
	setInfoField("memory", "mem_aof_buffer", "", func(s *Server) string { return strconv.Itoa(len(s.aof.buf)) })
	sec := infoSectionNamed("persistence")
	prev := sec.dynamic
	sec.dynamic = func(s *Server, b *strings.Builder) {
		if a := &s.aof; a.state != aofOff {
			var pending int64
			if a.bio != nil {
				pending = a.bio.pending.Load()
			}
			fmt.Fprintf(b, "aof_current_size:%d\r\naof_base_size:%d\r\naof_pending_rewrite:%s\r\naof_buffer_length:%d\r\naof_pending_bio_fsync:%d\r\naof_delayed_fsync:%d\r\n",
				a.currentSize, a.rewriteBaseSize, boolDigit(a.rewriteScheduled), len(a.buf), pending, a.delayedFsync)
		}
		if prev != nil {
			prev(s, b)
		}
	}
}

func okErr(ok bool) string {
	if ok {
		return "ok"
	}
	return "err"
}
