//go:build linux

package server

import "syscall"

// processWhileBlocked serves the loop's clients that have input while the
// command of except (a loop client) yields: read, run, write. Clients of
// the loop iteration in progress are left alone (their batch or output is
// pending). Called on the loop goroutine with the lock held.
func (l *eventLoop) processWhileBlocked(except *Client) {
	events := make([]syscall.EpollEvent, 64)
	n := pollReady(l.ep, events)
	var cs []*Client
	l.mu.Lock()
	for i := 0; i < n; i++ {
		c := l.fds[int(events[i].Fd)]
		if c == nil || c == except || l.inIteration(c) {
			continue
		}
		cs = append(cs, c)
	}
	l.mu.Unlock()
	saved := l.ready
	for _, c := range cs {
		l.ready = append(saved[:len(saved):len(saved)], c) // not re-entered
		l.readAndParse(c)
		l.execLocked(c)
		l.s.aofBeforeReply() // its output goes out below, under the lock
		ls := c.loop
		if !ls.closing {
			l.finish(c)
			continue
		}
		// finish would free the client, which takes the lock: close it
		// from a goroutine once the lock is free.
		out := ls.out
		ls.out = nil
		fc := c.conn.(*fdConn)
		fc.detach()
		go func() {
			if out != nil {
				c.write(out)
			}
			c.drainWriter()
			fc.release()
			c.free()
		}()
	}
	l.ready = saved
}

func (l *eventLoop) inIteration(c *Client) bool {
	for _, r := range l.ready {
		if r == c {
			return true
		}
	}
	return false
}
