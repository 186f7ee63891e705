// Command cnie-reader reads the French identity card (CNIE) and other ICAO
// 9303 chip documents. Without a command it opens the window (package
// app/gui); with one it runs headless (see `cnie-reader help`); with a
// cnie-reader:// link (the desktop file's scheme handler) it takes a
// service's request to the running window, or opens one.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/cnie-reader/cnie-reader/app/cli"
	// Before Fyne's lang package reads the locale (see its doc).
	"github.com/cnie-reader/cnie-reader/app/gui"
	"github.com/cnie-reader/cnie-reader/app/link"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	_ "github.com/cnie-reader/cnie-reader/internal/localefix"
)

func main() {
	switch {
	case len(os.Args) == 1 || (len(os.Args) == 2 && os.Args[1] == "gui"):
		if err := gui.Run(); err != nil && !errors.Is(err, gui.ErrAlreadyRunning) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case len(os.Args) == 2 && link.Is(os.Args[1]):
		os.Exit(openLink(os.Args[1]))
	default:
		os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
	}
}

// openLink sends the browser to the running application's intake with the
// link's request, or opens the window first.
func openLink(l string) int {
	query, err := link.Query(l)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if u, ok := link.Running(context.Background(), intake.Ports()); ok {
		if err := link.OpenBrowser(u + "?" + query); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
	err = gui.RunWith(func(authorize string) {
		if err := link.OpenBrowser(authorize + "?" + query); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	})
	if err != nil && !errors.Is(err, gui.ErrAlreadyRunning) {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
