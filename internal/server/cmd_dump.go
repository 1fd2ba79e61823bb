package server

import (
	"errors"
	"strconv"
	"strings"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/rdb"
)

// DUMP and RESTORE (Redis's cluster.c commands, which work outside cluster
// mode too), and the server's glue to the RDB package: the options that
// hand module values to the module engine and follow the configuration.

func init() {
	register(map[string]func(*Client){
		"dump":           dumpCommand,
		"restore":        restoreCommand,
		"restore-asking": restoreCommand,
	})
	resetStatHooks = append(resetStatHooks, func(s *Server) { s.stats.payloadSanitized = 0 })
}

// rdbSaveOptions are the RDB writing options for the current
// configuration: rdbcompression, rdbchecksum, module values through their
// type's rdb_save, and the IDLE or FREQ record the maxmemory-policy asks
// for (LRU policies save idle times, LFU policies counters).
func (s *Server) rdbSaveOptions() *rdb.Options {
	o := &rdb.Options{
		Compression: s.cfg.RDBCompression,
		Checksum:    s.cfg.RDBChecksum,
		SaveModule: func(key []byte, db int, o *keyspace.Object) (uint64, []byte, error) {
			t, v := module.ValueOf(o)
			if t == nil || s.modules == nil {
				return 0, nil, errors.New("module value without a type")
			}
			id, payload := s.modules.SaveValue(key, db, t, v)
			return id, payload, nil
		},
	}
	switch p := s.cfg.MaxMemoryPolicy; {
	case strings.HasSuffix(p, "-lru"):
		o.Idle = func(o *keyspace.Object) (uint64, bool) {
			return uint64(s.ks.IdleTimeMs(o) / 1000), true
		}
	case isLFUPolicy(p):
		o.Freq = func(o *keyspace.Object) (uint8, bool) {
			return uint8(s.ks.LFUDecr(o)), true
		}
	}
	return o
}

// rdbLoadOptions are the RDB loading options for the current
// configuration: the encoding thresholds, deep sanitization when asked,
// module values through their type's rdb_load.
func (s *Server) rdbLoadOptions(sanitize bool) *rdb.LoadOptions {
	cfg := s.cfg
	return &rdb.LoadOptions{
		Limits: rdb.Limits{
			HashMaxListpackEntries: cfg.HashMaxListpackEntries,
			HashMaxListpackValue:   cfg.HashMaxListpackValue,
			SetMaxIntsetEntries:    cfg.SetMaxIntsetEntries,
			ZsetMaxListpackEntries: cfg.ZsetMaxListpackEntries,
			ZsetMaxListpackValue:   cfg.ZsetMaxListpackValue,
			ListMaxListpackSize:    cfg.ListMaxListpackSize,
			ListCompressDepth:      cfg.ListCompressDepth,
		},
		Sanitize:       sanitize,
		Sanitizations:  &s.stats.payloadSanitized,
		IgnoreChecksum: !cfg.RDBChecksum,
		LoadModule: func(id uint64, payload []byte, key []byte, db int) (keyspace.Object, error) {
			if s.modules == nil {
				return keyspace.Object{}, errors.New("The RDB file contains module data I can't load: no matching module type '" + rdb.ModuleTypeName(id) + "'")
			}
			t, v, err := s.modules.LoadValueErr(id, payload, key, db)
			if err != nil {
				return keyspace.Object{}, err
			}
			return module.NewModuleObject(t, v), nil
		},
	}
}

// setLRUOrLFU is Redis's objectSetLRUOrLFU: under an LFU policy a given
// frequency becomes the counter; otherwise a given idle time (seconds) sets
// the access clock that far in the past.
func (s *Server) setLRUOrLFU(o *keyspace.Object, freq, idle int64) {
	if isLFUPolicy(s.cfg.MaxMemoryPolicy) {
		if freq >= 0 {
			o.LRU = keyspace.LFUMinutes(s.ks.Now)<<8 | uint32(freq)
		}
		return
	}
	if idle >= 0 {
		clock := int64(keyspace.LRUClock(s.ks.Now))
		abs := clock - idle
		if abs < 0 {
			// Older than the clock can tell: half a wrap in the
			// future, the oldest it can express.
			abs = (clock + keyspace.LRUClockMax/2) % keyspace.LRUClockMax
		}
		o.LRU = uint32(abs)
	}
}

// sanitizePayloads reports whether RESTORE payloads get the deep
// integrity check (sanitize-dump-payload yes, or clients: every client
// here is an ordinary one).
func (s *Server) sanitizePayloads() bool {
	return s.cfg.SanitizeDumpPayload == "yes" || s.cfg.SanitizeDumpPayload == "clients"
}

// dumpCommand is DUMP key: the value serialized as RDB with the RDB
// version and a CRC-64, or nil.
func dumpCommand(c *Client) {
	key := c.argv[1]
	o := c.lookupRead(key)
	if o == nil {
		c.addNull()
		return
	}
	opts := c.srv.rdbSaveOptions()
	opts.DB = c.db.ID
	p, err := rdb.DumpPayload(key, o, opts)
	if err != nil {
		c.addError("ERR " + err.Error())
		return
	}
	c.addBulk(p)
}

// restoreCommand is RESTORE key ttl payload [REPLACE] [ABSTTL]
// [IDLETIME seconds] [FREQ frequency].
func restoreCommand(c *Client) {
	s := c.srv
	replace, absttl := false, false
	freq, idle := int64(-1), int64(-1)
	for j := 4; j < len(c.argv); j++ {
		more := len(c.argv) - j - 1
		switch {
		case isOpt(c.argv[j], "replace"):
			replace = true
		case isOpt(c.argv[j], "absttl"):
			absttl = true
		case isOpt(c.argv[j], "idletime") && more >= 1 && freq == -1:
			v, ok := keyspace.ParseCanonicalInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInteger)
				return
			}
			if v < 0 {
				c.addError("ERR Invalid IDLETIME value, must be >= 0")
				return
			}
			idle = v
			j++
		case isOpt(c.argv[j], "freq") && more >= 1 && idle == -1:
			v, ok := keyspace.ParseCanonicalInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInteger)
				return
			}
			if v < 0 || v > 255 {
				c.addError("ERR Invalid FREQ value, must be >= 0 and <= 255")
				return
			}
			freq = v
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	key := c.argv[1]
	if !replace && c.lookupWrite(key) != nil {
		c.addError("BUSYKEY Target key name already exists.")
		return
	}
	ttl, ok := keyspace.ParseCanonicalInt(c.argv[2])
	if !ok {
		c.addError(errNotInteger)
		return
	}
	if ttl < 0 {
		c.addError("ERR Invalid TTL value, must be >= 0")
		return
	}
	payload := c.argv[3]
	if !rdb.VerifyPayload(payload, false) {
		c.addError("ERR DUMP payload version or checksum are wrong")
		return
	}
	o, err := rdb.LoadPayload(payload, key, c.db.ID, s.rdbLoadOptions(s.sanitizePayloads()))
	if err != nil {
		c.addError("ERR Bad data format")
		return
	}
	deleted := replace && c.db.DeleteServer(key)
	if ttl != 0 && !absttl {
		ttl += s.ks.Now
	}
	if ttl != 0 && ttl <= s.ks.Now && !s.ks.NoExpire {
		// Already expired: nothing is created; a replaced key is gone,
		// which propagates as a DEL.
		freeUnstoredValue(&o)
		if deleted {
			c.rewritePropagation([]byte("DEL"), key)
			s.keyModified(c.db, key)
			s.notify(notifyGeneric, "del", key, c.db.ID)
			s.dirty++
		}
		c.addOK()
		return
	}
	v := c.db.Add(key, o)
	if ttl != 0 {
		c.db.SetExpire(key, ttl)
		if !absttl && c.propagating() {
			// The TTL propagates as an absolute time.
			argv := append([][]byte(nil), c.argv...)
			argv[2] = strconv.AppendInt(nil, ttl, 10)
			c.rewritePropagation(append(argv, []byte("ABSTTL"))...)
		}
	}
	s.setLRUOrLFU(v, freq, idle)
	s.keyModified(c.db, key)
	s.notify(notifyGeneric, "restore", key, c.db.ID)
	c.addOK()
	s.dirty++
}

// freeUnstoredValue releases a loaded value that is not stored after all
// (module values hold resources of their module).
func freeUnstoredValue(o *keyspace.Object) {
	if o.Kind() == keyspace.KindModule {
		if t, v := module.ValueOf(o); t != nil && t.Methods.Free != nil {
			t.Methods.Free(v)
		}
	}
}
