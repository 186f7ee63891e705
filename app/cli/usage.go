package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/reader/can"
)

// usageError is a wrong command line: one line saying why, exit 2. Its
// words are a key of cli.*.json and the key's data.
type usageError struct {
	cmd  string // the command, "" for the program itself
	key  string
	data map[string]any
	// suggestion is the closest known name, for "did you mean …?".
	suggestion string
	// cause, when set, is a flag value's own error (a CAN that is not six
	// digits): its words replace key's.
	cause error
}

func (e *usageError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("usage: %s: %v", e.key, e.cause)
	}
	return fmt.Sprintf("usage: %s %v", e.key, e.data)
}

func (e *usageError) Unwrap() error { return e.cause }

// line is the one line printed on stderr.
func (e *usageError) line() string {
	prog := "cnie-reader"
	if e.cmd != "" {
		prog += " " + e.cmd
	}
	reason := msg(e.key, e.data)
	if e.cause != nil {
		reason = problem.Of(e.cause).Message
	}
	s := prog + ": " + reason
	if e.suggestion != "" {
		s += " " + msg("cli.usage.did_you_mean", map[string]any{"Name": e.suggestion})
	}
	return s
}

// usageFailed prints a usage error and gives its exit code.
func usageFailed(w io.Writer, e *usageError) int {
	fmt.Fprintln(w, e.line())
	return exitUsage
}

// unknownCommand names a command that does not exist, and the one meant.
func unknownCommand(name string) *usageError {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return &usageError{key: "cli.usage.unknown_command", data: map[string]any{"Name": name}, suggestion: closest(name, names)}
}

// missing is a usage error for a required flag or argument not given.
func missing(cmd, what string) *usageError {
	return &usageError{cmd: cmd, key: "cli.usage.missing", data: map[string]any{"What": what}}
}

// parseCANFlag parses a --can flag with the one CAN rule (package can);
// a CAN that is not six digits is a usage error in the CAN's own words.
func parseCANFlag(cmd, typed string) (string, error) {
	if typed == "" {
		return "", nil
	}
	n, err := can.Parse(typed)
	defer n.Wipe()
	if err != nil {
		return "", &usageError{cmd: cmd, key: "cli.usage.bad_flag", cause: fmt.Errorf("--can: %w", err)}
	}
	return n.Digits(), nil
}

// newFlags is a command's flag set: errors come back to [parseArgs],
// nothing is printed by the flag package itself (the help is ours).
func newFlags(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags placed before, between or after the arguments
// and returns the arguments. max is how many are taken (-1: any). Every
// error is a *usageError.
func parseArgs(fs *flag.FlagSet, args []string, max int) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if max >= 0 && len(positional) > max {
		return nil, &usageError{cmd: fs.Name(), key: "cli.usage.extra", data: map[string]any{"Arg": positional[max]}}
	}
	return positional, nil
}

// flagError words the flag package's (English, fixed) errors.
func flagError(fs *flag.FlagSet, err error) *usageError {
	e := &usageError{cmd: fs.Name()}
	text := err.Error()
	if name, ok := strings.CutPrefix(text, "flag provided but not defined: -"); ok {
		var known []string
		fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		e.key, e.data = "cli.usage.unknown_flag", map[string]any{"Flag": "--" + name}
		if s := closest(name, known); s != "" {
			e.suggestion = "--" + s
		}
		return e
	}
	if name, ok := strings.CutPrefix(text, "flag needs an argument: -"); ok {
		e.key, e.data = "cli.usage.flag_value", map[string]any{"Flag": "--" + name}
		return e
	}
	if errors.Is(err, flag.ErrHelp) { // -help not caught before: still help
		e.key, e.data = "cli.usage.help", nil
		return e
	}
	e.key, e.data = "cli.usage.bad_flag", map[string]any{"Detail": text}
	return e
}

// closest is the name nearest to typed, if near enough to be a typo: at
// most two edits, and fewer than half of its letters.
func closest(typed string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := editDistance(typed, n); d < bestDist && 2*d < len(n) {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment): insertions, deletions, substitutions and swaps of two
// neighbours cost one each ("raed" is one step from "read").
func editDistance(a, b string) int {
	s, u := []rune(a), []rune(b)
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(u)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(u); j++ {
			cost := 1
			if s[i-1] == u[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == u[j-2] && s[i-2] == u[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(u)]
}
