package server

import "time"

// cronLoop is the event loop's time event (Redis's serverCron): it runs hz
// times per second under the execution lock.
func (s *Server) cronLoop() {
	defer s.wg.Done()
	s.mu.Lock()
	hz := s.cfg.HZ // CONFIG SET may change it under the lock
	s.mu.Unlock()
	if hz <= 0 {
		hz = 10
	}
	t := time.NewTicker(time.Second / time.Duration(hz))
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
		}
		s.mu.Lock()
		if s.load.active { // nothing may see a half-loaded dataset
			s.mu.Unlock()
			continue
		}
		s.beforeCommand()
		s.current = nil
		for _, fn := range cronJobs {
			if s.intro.cronPaused { // DEBUG PAUSE-CRON
				break
			}
			fn(s)
		}
		s.handleClientsBlockedOnKeys()
		newHZ := s.cfg.HZ // CONFIG SET hz takes effect on the next tick
		s.mu.Unlock()
		if newHZ > 0 && newHZ != hz {
			hz = newHZ
			t.Reset(time.Second / time.Duration(hz))
		}
	}
}

// cronJobs run on every cron tick; families register them from init.
var cronJobs []func(s *Server)

func init() {
	cronJobs = append(cronJobs, (*Server).databasesCron)
}

// databasesCron does incremental rehashing and shrinking of the tables.
func (s *Server) databasesCron() {
	for _, db := range s.ks.DBs {
		db.Main().ShrinkIfNeeded()
		db.Expires().ShrinkIfNeeded()
		deadline := time.Now().Add(time.Millisecond)
		for db.Main().RehashBuckets(100) && time.Now().Before(deadline) {
		}
		for db.Expires().RehashBuckets(100) && time.Now().Before(deadline) {
		}
	}
}
