// Command cnie-reader reads the French identity card (CNIE) and other ICAO
// 9303 chip documents. With a command it runs headless (see `cnie-reader
// help`); the Fyne GUI, the default without a command, lands in a later issue.
package main

import (
	"os"

	"github.com/cnie-reader/cnie-reader/app/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
