package module

import (
	"strconv"
	"strings"
)

// ServerInfo is RedisModuleServerInfoData: INFO fields by name.
type ServerInfo struct {
	fields map[string]string
}

// GetServerInfo is RedisModule_GetServerInfo: the fields of an INFO
// section ("" for the default sections, "everything", "all", ...).
func (ctx *Ctx) GetServerInfo(section string) *ServerInfo {
	var names []string
	if section != "" {
		names = []string{strings.ToLower(section)}
	}
	si := &ServerInfo{fields: map[string]string{}}
	for _, line := range strings.Split(ctx.eng.host.Info(names), "\r\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			si.fields[k] = v
		}
	}
	return si
}

// FreeServerInfo is RedisModule_FreeServerInfo.
func (ctx *Ctx) FreeServerInfo(si *ServerInfo) {}

// ServerInfoGetField is RedisModule_ServerInfoGetField (nil if absent).
func (ctx *Ctx) ServerInfoGetField(si *ServerInfo, field string) *String {
	v, ok := si.fields[field]
	if !ok {
		return nil
	}
	return ctx.newString([]byte(v))
}

// ServerInfoGetFieldC is RedisModule_ServerInfoGetFieldC; ok is false if
// absent.
func (si *ServerInfo) ServerInfoGetFieldC(field string) (string, bool) {
	v, ok := si.fields[field]
	return v, ok
}

// ServerInfoGetFieldSigned is RedisModule_ServerInfoGetFieldSigned: ERR
// when absent or not an integer.
func (si *ServerInfo) ServerInfoGetFieldSigned(field string) (int64, int) {
	v, ok := si.fields[field]
	if !ok {
		return 0, ERR
	}
	n, ok := parseCanonical(v)
	if !ok {
		return 0, ERR
	}
	return n, OK
}

// ServerInfoGetFieldUnsigned is RedisModule_ServerInfoGetFieldUnsigned.
func (si *ServerInfo) ServerInfoGetFieldUnsigned(field string) (uint64, int) {
	v, ok := si.fields[field]
	if !ok {
		return 0, ERR
	}
	n, r := StringToULongLong(NewString([]byte(v)))
	return n, r
}

// ServerInfoGetFieldDouble is RedisModule_ServerInfoGetFieldDouble.
func (si *ServerInfo) ServerInfoGetFieldDouble(field string) (float64, int) {
	v, ok := si.fields[field]
	if !ok {
		return 0, ERR
	}
	d, ok := parseDouble([]byte(v))
	if !ok {
		return 0, ERR
	}
	return d, OK
}

func parseCanonical(v string) (int64, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != v {
		return 0, false
	}
	return n, true
}
