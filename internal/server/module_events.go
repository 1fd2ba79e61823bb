package server

import (
	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/module"
)

// moduleConfigEvent fires the Config server event after a successful
// CONFIG SET with the names of the configs it set, in argument order
// (Redis's RedisModuleConfigChange: each config's registered name, so an
// alias is reported as the alias, in lower case).
func (s *Server) moduleConfigEvent(c *Client, names []string) {
	if s.modules == nil || len(names) == 0 {
		return
	}
	s.modules.FireServerEvent(module.EventConfig, module.SubeventConfigChange, &module.ConfigChangeInfo{Names: names}, c, c.db.ID)
}

func configSetNames(opts []*config.Option) []string {
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = o.Name
	}
	return names
}
