package server

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/dict"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/lzf"
	"github.com/modis/modis/internal/resp"
)

// DEBUG: the subcommands tests and tools rely on. Like Redis it is refused
// unless enable-debug-command allows it ("yes", or "local" for loopback and
// unix-socket clients).

func init() {
	register(map[string]func(*Client){"debug": debugCommand})
}

// protectedAllowed applies enable-debug-command / enable-module-command to
// a protected command (Redis's allowProtectedAction): "yes", or "local"
// for loopback and unix-socket clients.
func (c *Client) protectedAllowed(spec *command.Spec) bool {
	setting := c.srv.cfg.EnableDebugCommand
	if spec.Name == "module" {
		setting = c.srv.cfg.EnableModuleCommand
	}
	switch setting {
	case "yes":
		return true
	case "local":
		if c.conn == nil {
			return true
		}
		a := c.conn.RemoteAddr()
		if a == nil || a.Network() == "unix" {
			return true
		}
		if ta, ok := a.(*net.TCPAddr); ok {
			return ta.IP.IsLoopback()
		}
	}
	return false
}

// protectedError is the refusal of a protected command.
func protectedError(spec *command.Spec) string {
	name, option := "DEBUG", "enable-debug-command"
	if spec.Name == "module" {
		name, option = "MODULE", "enable-module-command"
	}
	return "ERR " + name + " command not allowed. If the " + option + " option is set to \"local\", " +
		"you can run it from a local connection, otherwise you need to set this option in the configuration file, " +
		"and then restart the server."
}

// debugSubcommands maps a lower-case DEBUG subcommand to its handler and
// its argument count rule: n > 0 exactly n arguments (DEBUG and the
// subcommand included), n < 0 at least -n.
var debugSubcommands = map[string]struct {
	arity int
	fn    func(c *Client)
}{
	"help":              {2, debugHelp},
	"sleep":             {3, debugSleep},
	"object":            {3, debugObject},
	"set-active-expire": {3, debugSetActiveExpire},
	"change-repl-id":    {2, debugChangeReplID},
	"digest":            {2, debugDigest},
	"digest-value":      {-2, debugDigestValue},
	"protocol":          {3, debugProtocol},
	"log":               {3, debugLog},
	"htstats":           {3, debugHTStats},
	"htstats-key":       {3, debugHTStatsKey},
	"error":             {3, debugError},
	"populate":          {-3, debugPopulate},
	"pause-cron":        {3, debugPauseCron},
	"reload":            {-2, debugNoPersistence},
	"loadaof":           {2, debugNoPersistence},
}

func debugCommand(c *Client) {
	name := optLower(c.argv[1])
	sub, ok := debugSubcommands[name]
	if !ok || (sub.arity > 0 && len(c.argv) != sub.arity) || (sub.arity < 0 && len(c.argv) < -sub.arity) ||
		(name == "populate" && len(c.argv) > 5) {
		c.addSubcommandSyntaxError()
		return
	}
	sub.fn(c)
}

func debugHelp(c *Client) {
	c.addSubcommandHelp([]string{
		"CHANGE-REPL-ID",
		"    Give the server a new replication ID.",
		"DIGEST",
		"    Print a hex digest of the whole dataset (equal datasets, equal digests).",
		"DIGEST-VALUE <key> [<key> ...]",
		"    Print a hex digest of each key's value.",
		"ERROR <string>",
		"    Reply with <string> as an error.",
		"HTSTATS <dbid>",
		"    Print the hash table statistics of a database.",
		"HTSTATS-KEY <key>",
		"    Print the hash table statistics of a key's value.",
		"MODULE-API [<name>]",
		"    Count the module APIs implemented for Go modules (engine) and served to",
		"    C modules (c); with <name>, whether each implements it.",
		"LOG <message>",
		"    Write <message> to the server log.",
		"OBJECT <key>",
		"    Print low level details of a key's value.",
		"PAUSE-CRON <0|1>",
		"    Stop (1) or resume (0) the periodic jobs (expiry, stats sampling, ...).",
		"POPULATE <count> [<prefix>] [<size>]",
		"    Create <count> string keys <prefix>:<n> (default prefix \"key\") with",
		"    values \"value:<n>\", zero-padded or cut to <size> bytes when given.",
		"PROTOCOL <type>",
		"    Reply with a sample of a RESP type: string, integer, double, bignum,",
		"    null, array, set, map, attrib, push, verbatim, true, false.",
		"RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
		"    Save the dataset, empty it and load the file back. NOSAVE loads the file",
		"    as it is, NOFLUSH keeps the current keys, MERGE lets the file's keys",
		"    replace existing ones.",
		"LOADAOF",
		"    Not available: this build has no AOF.",
		"SET-ACTIVE-EXPIRE <0|1>",
		"    Turn the background expiry of keys off (0) or on (1).",
		"SLEEP <seconds>",
		"    Block the server for <seconds>; decimals allowed.",
	})
}

// strtod parses the longest leading float like C's strtod (garbage is 0).
func strtod(b []byte) float64 {
	s := strings.TrimLeft(string(b), " \t\n\r\v\f")
	for end := len(s); end > 0; end-- {
		if v, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return v
		}
	}
	return 0
}

func debugSleep(c *Client) {
	us := int64(strtod(c.argv[2]) * 1e6)
	if us > 0 {
		// Like Redis, the whole server stops: the execution lock is held.
		time.Sleep(time.Duration(us) * time.Microsecond)
	}
	c.addOK()
}

// rdbLenSize is the size of an RDB length prefix.
func rdbLenSize(n int) int {
	switch {
	case n < 1<<6:
		return 1
	case n < 1<<14:
		return 2
	case uint64(n) <= 0xffffffff:
		return 5
	}
	return 9
}

// rdbIntSize is the size of an integer that RDB can encode compactly, or 0.
func rdbIntSize(v int64) int {
	switch {
	case v >= -(1<<7) && v < 1<<7:
		return 2
	case v >= -(1<<15) && v < 1<<15:
		return 3
	case v >= -(1<<31) && v < 1<<31:
		return 5
	}
	return 0
}

// serializedStringLen is rdbSavedObjectLen for a string: compact integer
// encodings, LZF for strings over 20 bytes when it saves at least 4 bytes,
// else length prefix plus bytes.
func serializedStringLen(o *keyspace.Object) int {
	if o.IsInt() {
		if n := rdbIntSize(o.Int()); n > 0 {
			return n
		}
		l := o.StringLen()
		return rdbLenSize(l) + l
	}
	b := o.Bytes()
	if len(b) <= 11 {
		if v, ok := keyspace.ParseCanonicalInt(b); ok {
			if n := rdbIntSize(v); n > 0 {
				return n
			}
		}
	}
	if len(b) > 20 {
		if c := lzf.Compress(b, len(b)-4); c != nil {
			return 1 + rdbLenSize(len(c)) + rdbLenSize(len(b)) + len(c)
		}
	}
	return rdbLenSize(len(b)) + len(b)
}

func debugObject(c *Client) {
	o := c.db.Lookup(c.argv[2])
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	refcount := 1
	if o.IsSharedInt() {
		refcount = 2147483647 // OBJ_SHARED_REFCOUNT, as OBJECT REFCOUNT
	}
	serlen := 0
	if o.Kind() == keyspace.KindString {
		serlen = serializedStringLen(o)
	} else if fn := serializedLenHooks[o.Kind()]; fn != nil {
		serlen = fn(o)
	}
	lru := int64(o.LRU)
	idle := c.srv.ks.IdleTimeMs(o) / 1000
	addr := uintptr(o.Ptr())
	if addr == 0 {
		addr = uintptr(0x7f0000000000) + uintptr(o.Int()&0xffff)<<4
	}
	c.addSimple(fmt.Sprintf("Value at:%#x refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		addr, refcount, o.Encoding(), serlen, lru, idle))
}

// serializedLenHooks let value types report DEBUG OBJECT serializedlength.
var serializedLenHooks = map[keyspace.Kind]func(o *keyspace.Object) int{}

func debugSetActiveExpire(c *Client) {
	c.srv.activeExpireEnabled = atoiC(c.argv[2]) != 0
	c.addOK()
}

// atoiC is C's atoi: leading integer, garbage is 0.
func atoiC(b []byte) int64 {
	s := strings.TrimLeft(string(b), " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	v, _ := strconv.ParseInt(s[:end], 10, 64)
	return v
}

func debugChangeReplID(c *Client) {
	c.srv.intro.replID = randomHex40()
	c.srv.logger.Logf(LogWarning, "Changed replication IDs after receiving DEBUG change-repl-id command.")
	c.addOK()
}

// digest is Redis's 20-byte dataset digest: SHA1 based, order independent
// where Redis's is (keys, set members), so equal datasets give equal
// digests on Modis and Redis.
type digest [20]byte

// xor folds SHA1(b) into d.
func (d *digest) xor(b []byte) {
	h := sha1.Sum(b)
	for i := range d {
		d[i] ^= h[i]
	}
}

// mix folds b into d order-dependently: d = SHA1(d xor SHA1(b)).
func (d *digest) mix(b []byte) {
	d.xor(b)
	*d = sha1.Sum(d[:])
}

func (d *digest) mixUint32(v uint32) {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	d.mix(b[:])
}

// Redis's object type numbers, mixed into each value's digest.
var digestTypeID = map[keyspace.Kind]uint32{
	keyspace.KindString: 0, keyspace.KindList: 1, keyspace.KindSet: 2,
	keyspace.KindZSet: 3, keyspace.KindHash: 4, keyspace.KindModule: 5, keyspace.KindStream: 6,
}

// digestValueHooks mix a collection value's content into d the way Redis's
// xorObjectDigest does for that type; value type families register them.
var digestValueHooks = map[keyspace.Kind]func(d *digest, o *keyspace.Object){}

// digestKey and digestDB name the key being digested, for module digest
// callbacks (GetKeyNameFromDigest, GetDbIdFromDigest).
var (
	digestKey []byte
	digestDB  = -1
)

// objectDigest mixes one value (type, content, expire flag) into d.
func objectDigest(d *digest, o *keyspace.Object, hasExpire bool) {
	d.mixUint32(digestTypeID[o.Kind()])
	if o.Kind() == keyspace.KindString {
		d.mix(o.AppendString(nil))
	} else if fn := digestValueHooks[o.Kind()]; fn != nil {
		fn(d, o)
	}
	if hasExpire {
		d.xor([]byte("!!expire!!"))
	}
}

func (s *Server) datasetDigest() digest {
	var final digest
	for _, db := range s.ks.DBs {
		if db.Len() == 0 {
			continue
		}
		final.mixUint32(uint32(db.ID))
		db.Main().Each(func(n *dict.Node[keyspace.Object]) bool {
			var d digest
			d.mix([]byte(n.Key))
			digestKey, digestDB = []byte(n.Key), db.ID
			objectDigest(&d, &n.Val, db.Expire([]byte(n.Key)) != -1)
			final.xor(d[:])
			digestKey, digestDB = nil, -1
			// xor folds SHA1(d) in Redis too: xorDigest(final, digest, 20).
			return true
		})
	}
	return final
}

func debugDigest(c *Client) {
	d := c.srv.datasetDigest()
	c.addSimple(hex.EncodeToString(d[:]))
}

func debugDigestValue(c *Client) {
	c.addArrayLen(len(c.argv) - 2)
	for _, key := range c.argv[2:] {
		var d digest
		// The table itself, as Redis: a debugging command sees logically
		// expired keys and must not delete them.
		if n := c.db.Main().Find(key); n != nil {
			digestKey, digestDB = key, c.db.ID
			objectDigest(&d, &n.Val, c.db.Expire(key) != -1)
			digestKey, digestDB = nil, -1
		}
		c.addSimple(hex.EncodeToString(d[:]))
	}
}

func debugProtocol(c *Client) {
	switch optLower(c.argv[2]) {
	case "string":
		c.addBulkString("Hello World")
	case "integer":
		c.addInt(12345)
	case "double":
		c.addDouble(3.141)
	case "bignum":
		c.addRaw(resp.AppendBigNumber(nil, []byte("1234567999999999999999999999999999999"), c.resp))
	case "null":
		c.addNull()
	case "array":
		c.addArrayLen(3)
		for i := 0; i < 3; i++ {
			c.addInt(int64(i))
		}
	case "set":
		c.addSetLen(3)
		for i := 0; i < 3; i++ {
			c.addInt(int64(i))
		}
	case "map":
		c.addMapLen(3)
		for i := 0; i < 3; i++ {
			c.addInt(int64(i))
			c.addBool(i == 1)
		}
	case "attrib":
		if c.resp >= 3 {
			c.addRaw(resp.AppendAttributeLen(nil, 1))
			c.addBulkString("key-popularity")
			c.addArrayLen(2)
			c.addBulkString("key:123")
			c.addInt(90)
		}
		c.addBulkString("Some real reply following the attribute")
	case "push":
		if c.resp < 3 {
			c.addError("ERR RESP2 is not supported by this command")
			return
		}
		c.addRaw(resp.AppendPushLen(nil, 2, c.resp))
		c.addBulkString("server-cpu-usage")
		c.addInt(42)
		c.addBulkString("Some real reply following the push reply")
	case "true":
		c.addBool(true)
	case "false":
		c.addBool(false)
	case "verbatim":
		c.addVerbatim([]byte("This is a verbatim\nstring"), "txt")
	default:
		c.addError("ERR Wrong protocol type name. Please use one of the following: " +
			"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}

func debugLog(c *Client) {
	c.srv.logger.Logf(LogWarning, "DEBUG LOG: %s", c.argv[2])
	c.addOK()
}

// debugError replies with the argument as an error, verbatim (no "ERR"
// added) and, as in Redis, without counting it in the error statistics.
func debugError(c *Client) {
	msg := strings.NewReplacer("\r", " ", "\n", " ").Replace(string(c.argv[2]))
	c.addRaw([]byte("-" + msg + "\r\n"))
}

// htStatsText formats one dictionary's statistics like Redis's
// dictGetStats.
func htStatsText[V any](b *strings.Builder, d *dict.Dict[V]) {
	stats := d.Stats()
	if d.Len() == 0 {
		b.WriteString("Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n")
		return
	}
	const vectLen = 50
	for i, st := range stats {
		label := "main hash table"
		if i == 1 {
			label = "rehashing target"
		}
		if st.Used == 0 {
			fmt.Fprintf(b, "Hash table %d stats (%s):\nNo stats available for empty dictionaries\n", i, label)
			continue
		}
		var vect [vectLen]int
		slots, maxChain, totalChain := 0, 0, 0
		for _, n := range st.Chains {
			if n == 0 {
				vect[0]++
				continue
			}
			slots++
			if n < vectLen {
				vect[n]++
			} else {
				vect[vectLen-1]++
			}
			if n > maxChain {
				maxChain = n
			}
			totalChain += n
		}
		fmt.Fprintf(b, "Hash table %d stats (%s):\n table size: %d\n number of elements: %d\n different slots: %d\n"+
			" max chain length: %d\n avg chain length (counted): %.2f\n avg chain length (computed): %.2f\n"+
			" Chain length distribution:\n", i, label, st.Size, st.Used, slots, maxChain,
			float64(totalChain)/float64(max(slots, 1)), float64(st.Used)/float64(max(slots, 1)))
		for j, n := range vect {
			if n == 0 {
				continue
			}
			fmt.Fprintf(b, "   %d: %d (%.02f%%)\n", j, n, float64(n)*100/float64(st.Size))
		}
	}
}

func debugHTStats(c *Client) {
	id, err := strconv.ParseInt(string(c.argv[2]), 10, 64)
	if err != nil || !isStrictInt(c.argv[2]) {
		c.addError(errNotInteger)
		return
	}
	if id < 0 || id >= int64(len(c.srv.ks.DBs)) {
		c.addError("ERR Out of range database")
		return
	}
	db := c.srv.ks.DBs[id]
	var b strings.Builder
	b.WriteString("[Dictionary HT]\n")
	htStatsText(&b, db.Main())
	b.WriteString("[Expires HT]\n")
	htStatsText(&b, db.Expires())
	c.addVerbatim([]byte(b.String()), "txt")
}

// htStatsKeyHooks print the hash table stats of collection values encoded
// as hash tables; families register them.
var htStatsKeyHooks = map[keyspace.Kind]func(b *strings.Builder, o *keyspace.Object) bool{}

func debugHTStatsKey(c *Client) {
	o := c.db.Lookup(c.argv[2])
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	var b strings.Builder
	if fn := htStatsKeyHooks[o.Kind()]; fn == nil || !fn(&b, o) {
		c.addError("ERR The value stored at the specified key is not represented using an hash table")
		return
	}
	c.addVerbatim([]byte(b.String()), "txt")
}

// debugNoPersistence answers RELOAD and LOADAOF: there is no RDB or AOF to
// reload yet, and pretending would hide bugs in tests that rely on them.
func debugNoPersistence(c *Client) {
	c.addError("ERR DEBUG " + strings.ToUpper(string(c.argv[1])) + " is not supported: persistence is not available in this build")
}

// positiveArg parses a non-negative integer argument as Redis's
// getPositiveLongFromObjectOrReply, replying with its error on failure.
func (c *Client) positiveArg(b []byte) (int64, bool) {
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || v < 0 || !isStrictInt(b) {
		c.addError("ERR value is out of range, must be positive")
		return 0, false
	}
	return v, true
}

// debugPopulate creates test keys without replicating or notifying, as
// Redis's DEBUG POPULATE: existing keys are left alone.
func debugPopulate(c *Client) {
	count, ok := c.positiveArg(c.argv[2])
	if !ok {
		return
	}
	var size int64
	if len(c.argv) == 5 {
		if size, ok = c.positiveArg(c.argv[4]); !ok {
			return
		}
	}
	prefix := "key"
	if len(c.argv) >= 4 {
		prefix = string(c.argv[3])
	}
	for j := int64(0); j < count; j++ {
		name := prefix + ":" + strconv.FormatInt(j, 10)
		if len(name) > 127 { // Redis formats into a 128-byte buffer
			name = name[:127]
		}
		key := []byte(name)
		if c.db.Lookup(key) != nil {
			continue
		}
		val := []byte("value:" + strconv.FormatInt(j, 10))
		if size > 0 {
			padded := make([]byte, size)
			copy(padded, val)
			val = padded
		}
		c.db.Add(key, keyspace.NewEmbstrOrRaw(val))
		c.srv.keyModified(c.db, key)
	}
	c.addOK()
}

func debugPauseCron(c *Client) {
	c.srv.intro.cronPaused = atoiC(c.argv[2]) != 0
	c.addOK()
}
