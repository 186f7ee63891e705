// Package version says exactly which build is running, for `--version`,
// the diagnosis and the support report: the version (set at release with
// -ldflags "-X github.com/cnie-reader/cnie-reader/internal/version.version=…"),
// the commit and its date, whether the tree had uncommitted changes, and
// the Go toolchain — all from the build information Go embeds.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version (and commit, for checkouts where Go cannot read the VCS, such
// as git worktrees) are set by the release build; empty otherwise.
var version, commit string

// Info describes the running build.
type Info struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Date     string `json:"commit_date,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// Get reads the build information.
func Get() Info {
	i := Info{Version: version, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if i.Version == "" && bi.Main.Version != "" {
			i.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				i.Commit = s.Value
			case "vcs.time":
				i.Date = s.Value
			case "vcs.modified":
				i.Modified = s.Value == "true"
			}
		}
	}
	if i.Commit == "" {
		i.Commit = commit
	}
	if i.Version == "" {
		i.Version = "(devel)"
	}
	return i
}

// String is one line: "CNIE Reader 0.2.0 (commit 1a2b3c4d5e6f, 2026-11-25T10:00:00Z, go1.26.8 linux/amd64)".
func (i Info) String() string {
	commit := i.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if commit == "" {
		commit = "unknown commit"
	} else {
		commit = "commit " + commit
	}
	if i.Modified {
		commit += "+modified"
	}
	if i.Date != "" {
		commit += ", " + i.Date
	}
	return fmt.Sprintf("CNIE Reader %s (%s, %s %s)", i.Version, commit, i.Go, i.Platform)
}

// Short is "CNIE Reader 0.2.0 (1a2b3c4d5e6f)", for trace headers.
func (i Info) Short() string {
	c := i.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		return "CNIE Reader " + i.Version
	}
	return fmt.Sprintf("CNIE Reader %s (%s)", i.Version, c)
}
