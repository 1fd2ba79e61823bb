package server

import (
	"strings"

	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/glob"
	"github.com/modis/modis/internal/keyspace"
)

// The generic keyspace commands: existence, deletion, type, renaming,
// copying, OBJECT introspection, KEYS and RANDOMKEY.

func init() {
	register(map[string]func(*Client){
		"del":             delCommand,
		"unlink":          unlinkCommand,
		"exists":          existsCommand,
		"type":            typeCommand,
		"rename":          renameCommand,
		"renamenx":        renamenxCommand,
		"copy":            copyCommand,
		"touch":           touchCommand,
		"keys":            keysCommand,
		"randomkey":       randomkeyCommand,
		"object|encoding": objectEncodingCommand,
		"object|freq":     objectFreqCommand,
		"object|idletime": objectIdletimeCommand,
		"object|refcount": objectRefcountCommand,
		"object|help":     objectHelpCommand,
	})
}

// lookupReadFlags is Redis's lookupKeyReadWithFlags for the two flags the
// generic commands use: noTouch leaves the access time alone (TYPE, EXISTS,
// TTL, OBJECT), noNotify suppresses the keymiss event (OBJECT). Hits and
// misses are counted either way.
func (c *Client) lookupReadFlags(key []byte, noTouch, noNotify bool) *keyspace.Object {
	s := c.srv
	o := c.db.Lookup(key)
	if o == nil {
		s.stats.keyspaceMisses++
		if !noNotify {
			s.notify(notifyKeyMiss, "keymiss", key, c.db.ID)
		}
		return nil
	}
	s.stats.keyspaceHits++
	if !noTouch {
		s.touchObject(o)
	}
	return o
}

// valueDup holds, per value kind, the function COPY uses to duplicate a
// value. Strings are built in; collection and module families register
// theirs with registerDup from init.
var valueDup = map[keyspace.Kind]func(o *keyspace.Object) keyspace.Object{
	keyspace.KindString: func(o *keyspace.Object) keyspace.Object { return o.DupString() },
}

// registerDup makes COPY able to duplicate values of kind.
func registerDup(kind keyspace.Kind, fn func(o *keyspace.Object) keyspace.Object) {
	valueDup[kind] = fn
}

// moduleDupOrReply duplicates a module value for COPY through its type's
// copy callback (Redis's moduleTypeDupOrReply); on failure it replies with
// the error itself and returns false. Set by the module engine.
var moduleDupOrReply func(c *Client, o *keyspace.Object, key, newkey []byte, dstID int) (keyspace.Object, bool)

// moduleTypeName returns the type name of a module value for TYPE and SCAN
// TYPE; set by the module engine.
var moduleTypeName func(o *keyspace.Object) string

// objectTypeName is Redis's getObjectTypeName ("none" for a missing key).
func objectTypeName(o *keyspace.Object) string {
	if o == nil {
		return "none"
	}
	if o.Kind() == keyspace.KindModule && moduleTypeName != nil {
		return moduleTypeName(o)
	}
	return o.Kind().String()
}

// delGeneric implements DEL and UNLINK. Values are freed by the garbage
// collector outside the execution lock, so both behave like UNLINK; lazy
// only makes module types see the free-effort query Redis's lazy free
// asks (UNLINK, or DEL with lazyfree-lazy-user-del).
func delGeneric(c *Client, lazy bool) {
	var n int64
	for _, k := range c.argv[1:] {
		if (lazy && c.db.DeleteLazy(k)) || (!lazy && c.db.Delete(k)) {
			c.srv.keyModified(c.db, k)
			c.srv.notify(notifyGeneric, "del", k, c.db.ID)
			c.srv.dirty++
			n++
		}
	}
	c.addInt(n)
}

func delCommand(c *Client)    { delGeneric(c, c.srv.cfg.LazyfreeLazyUserDel) }
func unlinkCommand(c *Client) { delGeneric(c, true) }

// existsCommand counts a key once per mention.
func existsCommand(c *Client) {
	var n int64
	for _, k := range c.argv[1:] {
		if c.lookupReadFlags(k, true, false) != nil {
			n++
		}
	}
	c.addInt(n)
}

func typeCommand(c *Client) {
	c.addSimple(objectTypeName(c.lookupReadFlags(c.argv[1], true, false)))
}

func touchCommand(c *Client) {
	var n int64
	for _, k := range c.argv[1:] {
		if c.lookupRead(k) != nil {
			n++
		}
	}
	c.addInt(n)
}

func renameCommand(c *Client)   { renameGeneric(c, false) }
func renamenxCommand(c *Client) { renameGeneric(c, true) }

// renameGeneric moves a value with its TTL to a new name, replacing the
// destination unless nx.
func renameGeneric(c *Client, nx bool) {
	src, dst := c.argv[1], c.argv[2]
	if c.lookupWrite(src) == nil {
		c.addError(errNoSuchKey)
		return
	}
	if string(src) == string(dst) {
		if nx {
			c.addInt(0)
		} else {
			c.addOK()
		}
		return
	}
	if c.lookupWrite(dst) != nil {
		if nx {
			c.addInt(0)
			return
		}
		c.db.DeleteServer(dst)
	}
	c.db.Rename(src, dst)
	s := c.srv
	s.keyModified(c.db, src)
	s.keyModified(c.db, dst)
	s.notify(notifyGeneric, "rename_from", src, c.db.ID)
	s.notify(notifyGeneric, "rename_to", dst, c.db.ID)
	s.dirty++
	if nx {
		c.addInt(1)
	} else {
		c.addOK()
	}
}

// parseDBIndex parses a database number as Redis's getIntFromObjectOrReply
// does; it replies with the error and returns false on failure. errMsg, if
// not empty, replaces both the not-an-integer and the out-of-range errors.
func (c *Client) parseDBIndex(arg []byte, errMsg string) (int, bool) {
	v, ok := keyspace.ParseCanonicalInt(arg)
	if !ok {
		if errMsg == "" {
			errMsg = errNotInteger
		}
		c.addError(errMsg)
		return 0, false
	}
	if v < -1<<31 || v > 1<<31-1 {
		if errMsg == "" {
			errMsg = "ERR value is out of range, value must between -2147483648 and 2147483647"
		}
		c.addError(errMsg)
		return 0, false
	}
	return int(v), true
}

// dbByIndex returns database id or nil when it is out of range.
func (s *Server) dbByIndex(id int) *keyspace.DB {
	if id < 0 || id >= len(s.ks.DBs) {
		return nil
	}
	return s.ks.DBs[id]
}

// copyCommand: COPY source destination [DB destination-db] [REPLACE].
func copyCommand(c *Client) {
	src, dst := c.db, c.db
	replace := false
	for j := 3; j < len(c.argv); j++ {
		additional := len(c.argv) - j - 1
		switch {
		case isOpt(c.argv[j], "replace"):
			replace = true
		case isOpt(c.argv[j], "db") && additional >= 1:
			id, ok := c.parseDBIndex(c.argv[j+1], "")
			if !ok {
				return
			}
			if dst = c.srv.dbByIndex(id); dst == nil {
				c.addError(errDBIndex)
				return
			}
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	key, newkey := c.argv[1], c.argv[2]
	if src == dst && string(key) == string(newkey) {
		c.addError(errSameObject)
		return
	}
	o := c.lookupRead(key)
	if o == nil {
		c.addInt(0)
		return
	}
	expire := src.Expire(key)
	exists := dst.Lookup(newkey) != nil
	if exists && !replace {
		c.addInt(0)
		return
	}
	var v keyspace.Object
	if dup := valueDup[o.Kind()]; dup != nil {
		v = dup(o)
	} else if o.Kind() == keyspace.KindModule && moduleDupOrReply != nil {
		var ok bool
		if v, ok = moduleDupOrReply(c, o, key, newkey, dst.ID); !ok {
			return
		}
	} else {
		c.addError("ERR unknown type object")
		return
	}
	if exists {
		dst.DeleteServer(newkey)
	}
	dst.Add(newkey, v)
	if expire >= 0 {
		dst.SetExpire(newkey, expire)
	}
	c.srv.keyModified(dst, newkey)
	c.srv.notify(notifyGeneric, "copy_to", newkey, dst.ID)
	c.srv.dirty++
	c.addInt(1)
}

// keysCommand returns every key matching a glob pattern; logically expired
// keys are skipped but not deleted, as in Redis.
func keysCommand(c *Client) {
	pat := c.argv[1]
	all := len(pat) == 1 && pat[0] == '*'
	d := c.addDeferredLen()
	n := 0
	c.db.Main().Each(func(node *dict.Node[keyspace.Object]) bool {
		if all || glob.MatchKey(pat, node.Key) {
			if !c.db.IsExpired(node.Key) {
				c.addBulkString(node.Key)
				n++
			}
		}
		return true
	})
	c.setDeferredLen(d, '*', n)
}

func randomkeyCommand(c *Client) {
	k, ok := c.db.RandomKey()
	if !ok {
		c.addNull()
		return
	}
	c.addBulkString(k)
}

// objectLookup is objectCommandLookupOrReply: no touch, no keymiss event;
// it replies null when the key is missing.
func (c *Client) objectLookup() *keyspace.Object {
	o := c.lookupReadFlags(c.argv[2], true, true)
	if o == nil {
		c.addNull()
	}
	return o
}

func objectEncodingCommand(c *Client) {
	if o := c.objectLookup(); o != nil {
		c.addBulkString(o.Encoding().String())
	}
}

// sharedIntegersAllowed mirrors Redis's rule for using shared integer
// objects: not when a maxmemory limit is set with an LRU or LFU policy,
// since every value then needs its own access time. (Redis decides when a
// value is created; Modis answers with the current settings.)
func (s *Server) sharedIntegersAllowed() bool {
	p := s.cfg.MaxMemoryPolicy
	return s.cfg.MaxMemory == 0 || !(strings.HasSuffix(p, "-lru") || strings.HasSuffix(p, "-lfu"))
}

func objectRefcountCommand(c *Client) {
	o := c.objectLookup()
	if o == nil {
		return
	}
	if o.IsSharedInt() && c.srv.sharedIntegersAllowed() {
		// Shared objects report refcount INT_MAX (OBJ_SHARED_REFCOUNT).
		c.addInt(1<<31 - 1)
		return
	}
	c.addInt(1)
}

const (
	errLFUSelected    = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	errLFUNotSelected = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
)

func objectIdletimeCommand(c *Client) {
	o := c.objectLookup()
	if o == nil {
		return
	}
	if isLFUPolicy(c.srv.cfg.MaxMemoryPolicy) {
		c.addError(errLFUSelected)
		return
	}
	c.addInt(c.srv.ks.IdleTimeMs(o) / 1000)
}

func objectFreqCommand(c *Client) {
	o := c.objectLookup()
	if o == nil {
		return
	}
	if !isLFUPolicy(c.srv.cfg.MaxMemoryPolicy) {
		c.addError(errLFUNotSelected)
		return
	}
	c.addInt(int64(c.srv.ks.LFUDecr(o)))
}

var objectHelp = []string{
	"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
	"HELP",
	"    Prints this help.",
}

func objectHelpCommand(c *Client) {
	c.addArrayLen(len(objectHelp))
	for _, l := range objectHelp {
		c.addSimple(l)
	}
}

// isOpt reports whether b equals the lower-case ASCII word s, ignoring
// case (strcasecmp for option names: on the C string, so a NUL ends b).
func isOpt(b []byte, s string) bool {
	if len(b) < len(s) || (len(b) > len(s) && b[len(s)] != 0) {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := b[i]
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if ch != s[i] {
			return false
		}
	}
	return true
}
