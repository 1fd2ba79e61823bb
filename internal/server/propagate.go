package server

import (
	"strings"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/module"
)

// Command propagation (Redis's also_propagate / propagatePendingCommands):
// every change to the dataset is described as commands fed, in order, to
// one Propagator, which AOF and replication consume. The commands of one
// execution unit (a top-level command with everything it triggers: lazy
// expiry, module Replicate, RM_Call with '!', the queued commands of EXEC;
// or a module callback outside a command, such as a timer) are collected
// and handed over at the end of the unit, wrapped in MULTI ... EXEC when
// there are several, so a replica applies them atomically.

// Propagation targets, as Redis's PROPAGATE_AOF and PROPAGATE_REPL.
const (
	PropagateAOF  = module.PropagateAOF
	PropagateRepl = module.PropagateRepl
	propagateAll  = PropagateAOF | PropagateRepl
)

// Propagator receives propagated commands: one call per command, MULTI
// and EXEC included, in execution order. db is the database the command
// applies to (the consumer emits SELECT when it changes); target is a
// mask of PropagateAOF and PropagateRepl. argv is owned by the receiver.
type Propagator interface {
	Propagate(db int, argv [][]byte, target int)
}

// propOp is one pending command of the current execution unit.
type propOp struct {
	db     int
	argv   [][]byte
	target int
}

// propState is the server's propagation state.
type propState struct {
	ops   []propOp
	depth int // open execution units: command calls, module contexts, thread-safe locks
	sink  Propagator
	repl  Propagator // replication's feed (repl_master.go), beside sink
}

// SetPropagator installs the consumer of propagated commands (nil: none,
// commands are dropped). Call it under the execution lock or before
// serving.
func (s *Server) SetPropagator(p Propagator) { s.prop.sink = p }

// alsoPropagate queues a command for the current execution unit (Redis's
// alsoPropagate); argv is copied. Outside any unit it is sent at once.
func (s *Server) alsoPropagate(db int, argv [][]byte, target int) {
	if target == 0 || (s.prop.sink == nil && s.prop.repl == nil) {
		return
	}
	cp := make([][]byte, len(argv))
	for i, a := range argv {
		cp[i] = append([]byte(nil), a...)
	}
	s.prop.ops = append(s.prop.ops, propOp{db: db, argv: cp, target: target})
	if s.prop.depth == 0 {
		s.propagatePending()
	}
}

// enterUnit and exitUnit bracket an execution unit; leaving the outermost
// sends what it collected.
func (s *Server) enterUnit() { s.prop.depth++ }

func (s *Server) exitUnit() {
	s.prop.depth--
	if s.prop.depth <= 0 {
		s.prop.depth = 0
		s.propagatePending()
	}
}

var (
	argvMulti = [][]byte{[]byte("MULTI")}
	argvExec  = [][]byte{[]byte("EXEC")}
)

// propagatePending sends the commands of the finished execution unit,
// wrapped in MULTI/EXEC when there are several, except after a command
// that may touch arbitrary keys by lazy expiry (KEYS, SCAN, RANDOMKEY),
// whose deletions Redis 7.0 sends unwrapped like active expiry's.
func (s *Server) propagatePending() {
	ops := s.prop.ops
	if len(ops) == 0 {
		return
	}
	s.prop.ops = nil
	sink := propFanout{s.prop.sink, s.prop.repl}
	if sink.a == nil && sink.b == nil {
		return
	}
	wrap := len(ops) > 1
	if wrap && s.current != nil && s.current.cmd != nil && touchesArbitraryKeys(s.current.cmd.spec) {
		wrap = false
	}
	if wrap {
		sink.Propagate(ops[0].db, argvMulti, propagateAll)
	}
	for _, op := range ops {
		sink.Propagate(op.db, op.argv, op.target)
	}
	if wrap {
		sink.Propagate(ops[len(ops)-1].db, argvExec, propagateAll)
	}
}

// propFanout sends to the installed sink and to replication's feed
// (commands with the replica target only).
type propFanout struct{ a, b Propagator }

func (f propFanout) Propagate(db int, argv [][]byte, target int) {
	if f.a != nil {
		f.a.Propagate(db, argv, target)
	}
	if f.b != nil && target&PropagateRepl != 0 {
		f.b.Propagate(db, argv, target)
	}
}

// touchesArbitraryKeys is Redis 7.0's CMD_TOUCHES_ARBITRARY_KEYS.
func touchesArbitraryKeys(spec *command.Spec) bool {
	switch spec.Name {
	case "keys", "scan", "randomkey":
		return true
	}
	return false
}

// propagateCall is the propagation step of call(): a command that changed
// the dataset propagates itself, as rewritten by its procedure (propArgv)
// or as executed. EXEC (its commands propagate one by one) and module
// commands (they replicate explicitly) never do; RM_Call clients
// propagate only with the '!' flag (propDeny).
func (s *Server) propagateCall(c *Client, cp *cmdProc, dirty int64) {
	target := c.propForce
	if dirty > 0 {
		target |= propagateAll
	}
	target &^= c.propDeny
	if target == 0 || cp.spec.Flags&command.FlagModule != 0 || cp.spec.Name == "exec" || propagatesEffects[cp.spec.Name] {
		return
	}
	argv := c.argv
	if c.propArgv != nil {
		argv = c.propArgv
		if len(argv) == 0 {
			return // preventPropagation: the command propagated its effects itself
		}
	}
	s.alsoPropagate(c.db.ID, argv, target)
}

// preventPropagation keeps the current command from propagating itself
// (Redis's preventCommandPropagation): it queued what describes its
// effects with alsoPropagate instead.
func (c *Client) preventPropagation() { c.propArgv = [][]byte{} }

// propagating reports whether anything consumes propagated commands, so
// commands build rewritten forms only when they will be used.
func (c *Client) propagating() bool { return c.srv.prop.sink != nil || c.srv.prop.repl != nil }

// rewritePropagation makes the current command propagate as argv instead
// of its own arguments (Redis's rewriteClientCommandVector, which Modis
// keeps apart from argv so SLOWLOG and MONITOR still show the original).
func (c *Client) rewritePropagation(argv ...[]byte) { c.propArgv = argv }

// propagateDeletion queues the DEL (or UNLINK, when lazy) of a key that
// expired or was evicted (Redis's propagateDeletion).
func (s *Server) propagateDeletion(db int, key []byte, lazy bool) {
	verb := "DEL"
	if lazy {
		verb = "UNLINK"
	}
	s.alsoPropagate(db, [][]byte{[]byte(verb), key}, propagateAll)
}

// delOrUnlink is the verb Redis uses for a deletion a command performs
// on its own (an expire time in the past): UNLINK with lazyfree-lazy-expire.
func (s *Server) delOrUnlink() []byte {
	if s.cfg.LazyfreeLazyExpire {
		return []byte("UNLINK")
	}
	return []byte("DEL")
}

// withoutArg returns argv minus the first option (from index 3) equal to
// word, case-insensitively.
func withoutArg(argv [][]byte, word string) [][]byte {
	for i := 3; i < len(argv); i++ {
		if strings.EqualFold(string(argv[i]), word) {
			out := make([][]byte, 0, len(argv)-1)
			out = append(out, argv[:i]...)
			return append(out, argv[i+1:]...)
		}
	}
	return argv
}
