package module

import "github.com/modis/modis/internal/keyspace"

// DupValue duplicates a module value for COPY through its type's copy
// method (Redis's moduleTypeDupOrReply): fromKey in database fromDB is
// being copied to toKey in toDB. errMsg is the error COPY replies with when
// the type cannot copy ("ERR not supported for this module key") or its
// method failed ("ERR module key failed to copy").
func DupValue(o *keyspace.Object, fromKey, toKey []byte, fromDB, toDB int) (v keyspace.Object, errMsg string) {
	t, val := ValueOf(o)
	if t != nil && t.v4 != nil && t.v4.Copy2 != nil {
		o := newOptCtx(fromKey, toKey, fromDB, toDB)
		nv := t.v4.Copy2(o, val)
		o.end()
		if nv == nil {
			return keyspace.Object{}, "ERR module key failed to copy"
		}
		return NewModuleObject(t, nv), ""
	}
	if t == nil || t.Methods.Copy == nil {
		return keyspace.Object{}, "ERR not supported for this module key"
	}
	from, to := NewString(fromKey), NewString(toKey)
	nv := t.Methods.Copy(from, to, val)
	from.decr()
	to.decr()
	if nv == nil {
		return keyspace.Object{}, "ERR module key failed to copy"
	}
	return NewModuleObject(t, nv), ""
}
