package server

// The C module bridge, so the module benchmarks and allocation tests can
// load bench/cmodbench (without cgo the bridge is a stub and they skip
// the C module).
import _ "github.com/modis/modis/internal/module/cabi"
