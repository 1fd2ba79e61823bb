package server

import "github.com/modis/modis/internal/command"

// multiState is a client's open transaction.
type multiState struct {
	queued  []queuedCmd
	aborted bool // a command failed to queue: EXEC answers EXECABORT
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

// queueIfInMulti queues the command when a transaction is open; it reports
// whether it did.
func (s *Server) queueIfInMulti(c *Client, cp *cmdProc) bool {
	if c.multi == nil {
		return false
	}
	switch cp.spec.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return false
	}
	if cp.spec.Flags&command.FlagNoMulti != 0 {
		c.addError("ERR Command not allowed inside a transaction")
		c.multi.aborted = true
		return true
	}
	argv := make([][]byte, len(c.argv))
	for i, a := range c.argv {
		argv[i] = append([]byte(nil), a...)
	}
	c.multi.queued = append(c.multi.queued, queuedCmd{cp: cp, argv: argv})
	c.addSimple("QUEUED")
	return true
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
	c.multi = nil
	c.addOK()
}

func execCommand(c *Client) {
	if c.multi == nil {
		c.addError(errExecNoMulti)
		return
	}
	m := c.multi
	c.multi = nil
	if m.aborted {
		c.addError(errExecAbort)
		return
	}
	s := c.srv
	c.addArrayLen(len(m.queued))
	orig := c.argv
	origCmd := c.cmd
	for _, q := range m.queued {
		c.argv = q.argv
		c.cmd = q.cp
		c.errored = false
		s.call(c, q.cp)
	}
	c.argv = orig
	c.cmd = origCmd
}
