// Command modis-server runs a Modis server. It accepts redis-server's
// command line: [config-file] [--option value ...].
package main

import (
	"os"

	"github.com/modis/modis/internal/server"
)

func main() {
	os.Exit(server.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
