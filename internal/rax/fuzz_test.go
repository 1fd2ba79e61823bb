package rax

import (
	"fmt"
	"testing"
)

// FuzzAgainstModel decodes the input as a program of tree and iterator
// operations and runs it against both the Tree and the sorted-slice model.
// Each instruction is an opcode byte, a length byte (key length mod 6) and
// the key bytes. The first byte first fills the tree with up to 255*40
// two-byte keys so that the program also runs on trees several levels deep,
// where its removals merge and rebalance nodes.
func FuzzAgainstModel(f *testing.F) {
	f.Add([]byte("\x00\x01a\x00\x01b\x03\x00\x05\x05\x04\x02a"))
	f.Add([]byte("\x00\x00\x00\x01\x00\x02\x00\x02ab\x03\x01a\x06\x06\x01\x00"))
	f.Fuzz(func(t *testing.T, prog []byte) {
		tr, m := New[int](), newModel()
		it := tr.Iterator()
		mi := &modelIter{m: m, eof: true}
		if len(prog) > 0 {
			for j := 0; j < int(prog[0])*40; j++ {
				k := string([]byte{byte(j * 7 >> 8), byte(j * 7)})
				tr.Insert([]byte(k), -j)
				m.insert(k, -j, true)
			}
			prog = prog[1:]
		}
		for pc, i := 0, 0; i+1 < len(prog); pc++ {
			opc := prog[i]
			kl := int(prog[i+1]) % 6
			i += 2
			if kl > len(prog)-i {
				kl = len(prog) - i
			}
			k := prog[i : i+kl]
			i += kl
			ctx := fmt.Sprintf("instr %d", pc)
			switch opc % 8 {
			case 0, 1:
				over := opc%8 == 0
				var old int
				var isNew bool
				if over {
					old, isNew = tr.Insert(k, pc)
				} else {
					old, isNew = tr.TryInsert(k, pc)
				}
				mold, mnew := m.insert(string(k), pc, over)
				if isNew != mnew || (!isNew && old != mold) {
					t.Fatalf("%s: insert(%q) = %d,%v model %d,%v", ctx, k, old, isNew, mold, mnew)
				}
			case 2:
				old, ok := tr.Remove(k)
				mold, mok := m.remove(string(k))
				if ok != mok || old != mold {
					t.Fatalf("%s: remove(%q) = %d,%v model %d,%v", ctx, k, old, ok, mold, mok)
				}
			case 3:
				v, ok := tr.Find(k)
				mv, mok := m.vals[string(k)]
				if ok != mok || v != mv {
					t.Fatalf("%s: find(%q) = %d,%v model %d,%v", ctx, k, v, ok, mv, mok)
				}
			case 4:
				op := seekOps[int(opc>>3)%len(seekOps)]
				if err := it.Seek(op, k); err != nil {
					t.Fatal(err)
				}
				mi.seek(op, string(k))
				if it.EOF() != mi.eof {
					t.Fatalf("%s: Seek(%q,%q) EOF %v model %v", ctx, op, k, it.EOF(), mi.eof)
				}
			case 5:
				stepBoth(t, it, mi, true, ctx)
			case 6:
				stepBoth(t, it, mi, false, ctx)
			case 7:
				op := []string{">", ">=", "<", "<=", "=="}[int(opc>>3)%5]
				want := false
				if !mi.eof {
					c := compareStr(mi.cur, string(k))
					want = map[string]bool{">": c > 0, ">=": c >= 0, "<": c < 0, "<=": c <= 0, "==": c == 0}[op]
				}
				if got := it.Compare(op, k); got != want {
					t.Fatalf("%s: Compare(%q,%q) at %q = %v", ctx, op, k, mi.cur, got)
				}
			}
		}
		check(t, tr, m)
	})
}
