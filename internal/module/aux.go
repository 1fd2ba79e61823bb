package module

import "sort"

// Module aux data: what a type's aux_save writes before or after the
// keyspace in an RDB file (RDB_OPCODE_MODULE_AUX), and aux_load reads back.

// AuxRecord is one type's aux data for one trigger.
type AuxRecord struct {
	ID      uint64 // the type's RDB id (name and encver)
	When    int    // AuxBeforeRDB or AuxAfterRDB
	Payload []byte // module opcode format, EOF-terminated
}

// SaveAux runs aux_save of every type whose triggers include when, in type
// name order, as Redis's rdbSaveModulesAux. Call with the lock held.
func (e *Engine) SaveAux(when int) []AuxRecord {
	names := make([]string, 0, len(e.types))
	for n, t := range e.types {
		if t.Methods.AuxSave != nil && t.Methods.AuxSaveTriggers&when != 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []AuxRecord
	for _, n := range names {
		t := e.types[n]
		io := e.NewSaveIO(t, nil, -1)
		t.Methods.AuxSave(io, when)
		out = append(out, AuxRecord{ID: t.ID, When: when, Payload: io.Bytes()})
	}
	return out
}

// LoadAux hands aux data read from an RDB file to its type's aux_load.
// The error is worded as Redis logs the failure.
func (e *Engine) LoadAux(id uint64, when int, payload []byte) error {
	name := TypeNameFromID(id)
	t := e.TypeByID(id)
	if t == nil {
		return &LoadError{"The RDB file contains AUX module data I can't load: no matching module '" + name + "'"}
	}
	if t.Methods.AuxLoad == nil {
		return &LoadError{"The RDB file contains module AUX data, but the module '" + name + "' doesn't seem to support it."}
	}
	io := e.NewLoadIO(t, payload, nil, -1)
	if rc := t.Methods.AuxLoad(io, int(id&1023), when); rc != OK || io.err {
		return &LoadError{"The RDB file contains module AUX data for the module type '" + name + "', that the responsible module is not able to load. Check for modules log above for additional clues."}
	}
	if op, ok := io.readLen(); !ok || op != opEOF {
		return &LoadError{"The RDB file contains module AUX data for the module '" + name + "' that is not terminated by the proper module value EOF marker"}
	}
	return nil
}
