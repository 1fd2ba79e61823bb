package server

import (
	"errors"
	"io"

	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
	"github.com/modis/modis/internal/persist/rdb"
	"github.com/modis/modis/internal/persist/snapshot"
)

// The RDB codec (internal/persist/rdb) bound to the save and load code.

func init() {
	rdbCodec = rdbCodecBinding{
		newEncoder: func(w io.Writer, opts *rdb.Options) rdbEncoder {
			return rdb.NewEncoder(w, opts)
		},
		serializer: func(s *Server) snapshot.SerializeFunc {
			// One Options per database: module types see the db.
			opts := make([]*rdb.Options, len(s.ks.DBs))
			return func(dst []byte, db int, key []byte, o *keyspace.Object, expireMs int64) ([]byte, error) {
				if opts[db] == nil {
					opts[db] = s.rdbSaveOptions()
					opts[db].DB = db
				}
				return rdb.AppendKeyValue(dst, key, o, expireMs, opts[db])
			}
		},
		moduleAux: func(enc rdbEncoder, r module.AuxRecord) error {
			e, ok := enc.(*rdb.Encoder)
			if !ok {
				return errors.New("module aux data needs the RDB encoder")
			}
			return e.ModuleAux(r.ID, r.When, r.Payload)
		},
		load: func(s *Server, r io.Reader, l *rdbLoader) error {
			return rdb.Load(r, s.rdbLoadOptions(s.cfg.SanitizeDumpPayload == "yes"), rdbSink{l})
		},
	}
}

// rdbSink adapts rdbLoader to rdb.Sink.
type rdbSink struct{ l *rdbLoader }

func (k rdbSink) Aux(key, value []byte) error         { return k.l.loadAux(key, value) }
func (k rdbSink) SelectDB(db int) error               { return k.l.selectDB(db) }
func (k rdbSink) ResizeDB(keys, expires uint64) error { return nil }
func (k rdbSink) Key(db int, key []byte, o keyspace.Object, info rdb.KeyInfo) error {
	return k.l.addKey(db, key, o, info.ExpireMs, info.Idle, info.Freq)
}
func (k rdbSink) ModuleAux(id uint64, when int, payload []byte) error {
	return k.l.loadModuleAux(id, when, payload)
}

// Function loads a function library (cmd_function.go).
func (k rdbSink) Function(code []byte) error { return k.l.s.loadFunctionRecord(code) }

// rdbLoadErrorLines is how Redis logs a failed load before exiting.
func rdbLoadErrorLines(err error) []string {
	var ce *rdb.CorruptError
	var ve *rdb.VersionError
	var ck *rdb.ChecksumError
	switch {
	case errors.Is(err, rdb.ErrShortRead):
		return []string{err.Error()}
	case errors.As(err, &ck):
		return []string{err.Error(), "Internal error in RDB reading offset 0, function at rdb.c:0 -> RDB CRC error", "Terminating server after rdb file reading failure."}
	case errors.As(err, &ve), errors.Is(err, rdb.ErrSignature):
		return []string{err.Error(), "Fatal error loading the DB: Invalid argument. Exiting."}
	case errors.As(err, &ce):
		return []string{err.Error(), "Terminating server after rdb file reading failure."}
	}
	return nil
}
