// Command modis-server runs a Modis server. It accepts redis-server's
// command line: [config-file] [--option value ...].
package main

import (
	"os"

	"github.com/modis/modis/internal/server"

	// Example modules, loadable by name (MODULE LOAD helloworld).
	_ "github.com/modis/modis/bench/modbench"
	_ "github.com/modis/modis/examples/modules/helloblock"
	_ "github.com/modis/modis/examples/modules/hellodict"
	_ "github.com/modis/modis/examples/modules/hellotimer"
	_ "github.com/modis/modis/examples/modules/hellotype"
	_ "github.com/modis/modis/examples/modules/helloworld"
)

func main() {
	os.Exit(server.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
