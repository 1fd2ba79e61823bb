package server

import (
	"strconv"
	"testing"
)

// TestPropagateScripts checks that scripts propagate their effects (in
// MULTI/EXEC when several), never themselves; redis.set_repl selects the
// targets; FUNCTION LOAD/DELETE/FLUSH propagate as themselves.
func TestPropagateScripts(t *testing.T) {
	_, sink, c := propTestServer(t)
	all := strconv.Itoa(PropagateAOF | PropagateRepl)
	aof := strconv.Itoa(PropagateAOF)
	modExpect(t, c, ":2\r\n", "eval", "redis.call('set', KEYS[1], 'v'); return redis.call('incrby', 'n', 2)", "1", "k")
	expectProp(t, sink, "0 "+all+" MULTI", "0 "+all+" set k v", "0 "+all+" incrby n 2", "0 "+all+" EXEC")
	modExpect(t, c, "$1\r\nv\r\n", "eval", "return redis.call('get', KEYS[1])", "1", "k")
	expectProp(t, sink)
	modExpect(t, c, "+OK\r\n", "eval", "return redis.call('set', 'one', '1')", "0")
	expectProp(t, sink, "0 "+all+" set one 1")
	modExpect(t, c, "$-1\r\n", "eval", "redis.set_repl(redis.REPL_NONE); redis.call('set', 'a', '1'); redis.set_repl(redis.REPL_AOF); redis.call('set', 'b', '2')", "0")
	expectProp(t, sink, "0 "+aof+" set b 2")
	modExpect(t, c, ":1\r\n", "eval", "redis.call('select', 3); return redis.call('incr', 'x')", "0")
	expectProp(t, sink, "3 "+all+" incr x")
	lib := "#!lua name=plib\nredis.register_function('w', function(keys) return redis.call('set', keys[1], 'f') end)"
	modExpect(t, c, "$4\r\nplib\r\n", "function", "load", lib)
	expectProp(t, sink, "0 "+all+" function load "+lib)
	modExpect(t, c, "+OK\r\n", "fcall", "w", "1", "fk")
	expectProp(t, sink, "0 "+all+" set fk f")
	modExpect(t, c, "+OK\r\n", "function", "delete", "plib")
	expectProp(t, sink, "0 "+all+" function delete plib")
	modExpect(t, c, "-ERR Library not found\r\n", "function", "delete", "plib")
	expectProp(t, sink)
}
