// Package localefix keeps Fyne from logging "Error parsing user locale C"
// at start on machines whose locale is C.UTF-8 (servers, containers, CI):
// Fyne's lang package reads the locale in its own init, before main runs.
// This package has no dependencies and an import path that sorts before
// Fyne's, so the Go specification (1.21+: packages initialise in import-path
// order once their dependencies are ready) runs its init first. There it
// names a language the way gettext allows, through LANGUAGE, only when the
// locale is C and LANGUAGE is unset: French, the application's default.
package localefix

import (
	"os"
	"strings"
)

func init() { apply() }

func apply() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if v != "C" && v != "POSIX" && (strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.")) {
				os.Setenv("LANGUAGE", "fr")
			}
			return
		}
	}
}
