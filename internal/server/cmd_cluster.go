package server

import "github.com/modis/modis/internal/command"

// Modis runs without cluster mode (cluster-enabled yes is refused at
// start-up until the cluster protocol exists), so the cluster commands
// answer as redis-server 7.0 does with cluster-enabled no: after the usual
// arity and subcommand checks, every one of them replies that cluster
// support is disabled.

const errClusterDisabled = "ERR This instance has cluster support disabled"

func clusterDisabled(c *Client) { c.addError(errClusterDisabled) }

func init() {
	procs := map[string]func(*Client){
		"asking":    clusterDisabled,
		"readonly":  clusterDisabled,
		"readwrite": clusterDisabled,
	}
	for _, spec := range command.Builtin() {
		if spec.Name != "cluster" {
			continue
		}
		for _, sub := range spec.Subcommands {
			procs[sub.Name] = clusterDisabled
		}
	}
	register(procs)
}
