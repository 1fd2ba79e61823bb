package server

import (
	"strings"

	"github.com/modis/modis/internal/command"
)

// MULTI/EXEC/DISCARD as in Redis 7.0: between MULTI and EXEC commands are
// checked (lookup, arity, auth, no_multi, OOM) and queued; a rejected
// command flags the transaction so EXEC answers EXECABORT. EXEC fails with
// a null array when a WATCHed key changed or expired (watch.go), and
// otherwise runs the queue with one reply per command, errors included.

// multiState is a client's open transaction.
type multiState struct {
	queued  []queuedCmd
	aborted bool          // a command failed to queue: EXEC answers EXECABORT
	flags   command.Flags // union of the queued commands' flags
	// executing is set while EXEC runs the queue: commands can check it to
	// refuse blocking (Redis's CLIENT_DENY_BLOCKING).
	executing bool
}

type queuedCmd struct {
	cp   *cmdProc
	argv [][]byte // copied: the parser buffer is reused
}

func init() {
	register(map[string]func(*Client){
		"multi":   multiCommand,
		"exec":    execCommand,
		"discard": discardCommand,
	})
}

// flagTransactionError marks an open transaction as failed when a command
// is rejected before queueing (unknown command, arity, ...).
func (s *Server) flagTransactionError(c *Client) {
	if c.multi != nil {
		c.multi.aborted = true
	}
}

// rejectCommand is Redis's rejectCommand: the command is refused before it
// runs. The open transaction is flagged; a refused EXEC discards the
// transaction with "EXECABORT Transaction discarded because of: <reason>"
// (even without MULTI, as Redis does).
// msg is the full error ("ERR ...", "OOM ..."). The caller counts
// rejected_calls.
func (s *Server) rejectCommand(c *Client, msg string) {
	s.flagTransactionError(c)
	if c.cmd != nil && c.cmd.spec.Name == "exec" {
		s.execCommandAbort(c, msg)
		return
	}
	c.addError(msg)
}

// execCommandAbort ends the transaction with EXECABORT and the reason.
// Formatted rejections (code ERR) lose their code in the message; shared
// ones such as OOM or NOAUTH keep it, as in Redis.
func (s *Server) execCommandAbort(c *Client, msg string) {
	s.discardTransaction(c)
	c.addError("EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "ERR "))
}

// rejectNoMulti refuses commands flagged no_multi inside MULTI.
func (s *Server) rejectNoMulti(c *Client, cp *cmdProc) bool {
	if c.multi == nil || cp.spec.Flags&command.FlagNoMulti == 0 {
		return false
	}
	cp.rejectedCalls++
	s.rejectCommand(c, "ERR Command not allowed inside a transaction")
	return true
}

// queueIfInMulti queues the command when a transaction is open; it reports
// whether it did.
func (s *Server) queueIfInMulti(c *Client, cp *cmdProc) bool {
	if c.multi == nil || c.multi.executing {
		return false
	}
	if isTransactionControl(cp) {
		return false
	}
	argv := make([][]byte, len(c.argv))
	for i, a := range c.argv {
		argv[i] = append([]byte(nil), a...)
	}
	c.multi.queued = append(c.multi.queued, queuedCmd{cp: cp, argv: argv})
	c.multi.flags |= cp.spec.Flags
	c.addSimple("QUEUED")
	return true
}

// isTransactionControl reports the commands that run immediately even
// inside MULTI.
func isTransactionControl(cp *cmdProc) bool {
	switch cp.spec.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// discardTransaction drops the queue, the dirty flags and every WATCH
// (Redis's discardTransaction). RESET calls it too.
func (s *Server) discardTransaction(c *Client) {
	c.multi = nil
	c.dirtyCAS = false
	s.unwatchAllKeys(c)
}

func multiCommand(c *Client) {
	if c.multi != nil {
		c.addError(errNestedMulti)
		return
	}
	c.multi = &multiState{}
	c.addOK()
}

func discardCommand(c *Client) {
	if c.multi == nil {
		c.addError(errDiscardNoMult)
		return
	}
	c.srv.discardTransaction(c)
	c.addOK()
}

func execCommand(c *Client) {
	s := c.srv
	m := c.multi
	if m == nil {
		c.addError(errExecNoMulti)
		return
	}
	// A watched key that expired since WATCH counts as modified, even if
	// nothing has deleted it yet.
	if s.isWatchedKeyExpired(c) {
		c.dirtyCAS = true
	}
	if m.aborted || c.dirtyCAS {
		aborted := m.aborted
		s.discardTransaction(c)
		if aborted {
			c.addError(errExecAbort)
		} else {
			c.addNullArray()
		}
		return
	}
	// Unwatch before running: the transaction's own writes must not touch
	// its WATCHes, and it saves work.
	s.unwatchAllKeys(c)
	m.executing = true
	c.addArrayLen(len(m.queued))
	orig, origCmd := c.argv, c.cmd
	for _, q := range m.queued {
		c.argv = q.argv
		c.cmd = q.cp
		c.errored = false
		if s.execACLDenied(c, q.cp) {
			continue
		}
		s.call(c, q.cp)
	}
	c.argv, c.cmd = orig, origCmd
	// Errors of the queued commands are theirs, not EXEC's (failed_calls).
	c.errored = false
	s.discardTransaction(c)
}
