// Command cnie-reader reads the French identity card (CNIE) and other ICAO
// 9303 chip documents. Without a command it opens the window (package
// app/gui); with one it runs headless (see `cnie-reader help`).
package main

import (
	"fmt"
	"os"

	"github.com/cnie-reader/cnie-reader/app/cli"
	"github.com/cnie-reader/cnie-reader/app/gui"
)

func main() {
	if len(os.Args) == 1 || (len(os.Args) == 2 && os.Args[1] == "gui") {
		if err := gui.Run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
