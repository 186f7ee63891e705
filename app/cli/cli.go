// Package cli is the headless command line of cnie-reader. Like the GUI, it
// is a thin layer: it parses flags, calls app/core and reader/ and prints;
// it never builds an APDU itself, and a read goes through [core.ReadCard]
// as the window's does.
//
// The rules every command follows:
//
//   - The form is `cnie-reader COMMAND [flags] [arguments]`; flags may also
//     come after the arguments.
//   - `--help` or `-h` anywhere after a command, and `cnie-reader help
//     [COMMAND]`, print that command's usage to stdout and exit 0.
//   - Every word printed comes from assets/lang/translations/cli.*.json (or
//     the other translation files, for what the app shares with the
//     window), in English when the user's first language is English
//     (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE), in French otherwise.
//     Commands, flags and technical values are the same in both.
//   - Exit codes: 0 done; 1 the command ran and failed (or, for `seal`,
//     see below); 2 the command line is wrong and nothing ran.
//   - A usage error (unknown command, unknown flag, a flag's bad value, a
//     missing or extra argument, no card source for a command that reads
//     one, a --reader number beyond the readers plugged in) prints ONE
//     line to stderr, the reason, with "did you mean …?" for a mistyped
//     command or flag, and exits 2. It never starts anything.
//   - A failure while running (no reader, a refused card, a file that
//     does not verify, a network error) prints the error to stderr in the
//     user's language only: the sentence on one line, then the hint for
//     support (with the technical detail: a status word by its number and
//     name), then the next step; it exits 1. A check that runs and finds
//     a forgery is a result, not a failure: it is printed on stdout and
//     the exit code is 0 (`read --verify`, `verify`).
//   - `seal` is the exception: checking seals is all it does. It reads
//     every photo given in turn (one that fails does not stop the
//     others). Without --json it exits 0 only when every photo gave a
//     code AND every seal is valid: a seal whose signature is not valid
//     (invalid, of an unknown authority, not verifiable offline) or a
//     code that is no seal is printed on stdout as usual, the reason on
//     stderr, and it exits 1. With --json it is a batch decoding tool:
//     one JSON line per photo, exit 0 when every photo gave a code, 1
//     otherwise; each line's "seal" carries the signature's verdict.
//   - stdout carries the result only, so that --json stays JSON; what a
//     person at the terminal needs meanwhile (lay the card, files written)
//     goes to stderr.
//   - Nothing is ever overwritten, and personal data reach the disk only
//     at the user's request (--photo, --dump, --trace).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/internal/version"
)

// Exit codes of [Main].
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed
	exitUsage   = 2 // the command line is wrong: nothing ran
)

// Main runs the command line and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int { return MainIO(args, os.Stdin, stdout, stderr) }

// MainIO is Main with the terminal's input given (serve asks questions).
func MainIO(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The language follows the environment at each call (tests switch it).
	_ = i18n.Use(i18n.FromEnvironment())
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprint(stdout, usageText())
		return exitOK
	}
	if args[0] == "--version" {
		args = []string{"version"}
	}
	cmd, ok := lookup(args[0])
	switch {
	case !ok && strings.HasPrefix(args[0], "-"):
		// A flag before any command: the program's own are --help and --version.
		flag := "--" + strings.TrimLeft(args[0], "-")
		return usageFailed(stderr, &usageError{key: "cli.usage.unknown_flag", data: map[string]any{"Flag": flag},
			suggestion: closest(flag, []string{"--help", "--version"})})
	case !ok:
		return usageFailed(stderr, unknownCommand(args[0]))
	}
	if wantsHelp(args[1:]) {
		fmt.Fprint(stdout, cmd.help())
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := cmd.run(ctx, streams{in: stdin, out: stdout, err: stderr}, args[1:])
	var usage *usageError
	var notValid *sealNotValid
	var sealBatch *sealBatchFailed
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		return usageFailed(stderr, usage)
	case errors.As(err, &notValid):
		fmt.Fprintln(stderr, notValid.line())
		return exitFailure
	case errors.As(err, &sealBatch):
		fmt.Fprintln(stderr, sealBatch.line())
		return exitFailure
	}
	printError(stderr, err)
	return exitFailure
}

// streams are the command's terminal.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// runVersion prints the build's version, commit and Go version.
func runVersion(_ context.Context, s streams, args []string) error {
	fs := newFlags("version")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	fmt.Fprintln(s.out, version.Get())
	return nil
}

// printError shows the error in the user's language only, worded by
// app/problem: the sentence on one line, then the hint for support (with
// its technical detail), then the next step.
func printError(w io.Writer, err error) {
	p := problem.Of(err)
	var force forceable
	if errors.As(err, &force) {
		p.Message += " " + msg("problem.pki.import_refused.force")
	}
	fmt.Fprintln(w, msg("cli.error.message", map[string]any{"Message": p.Message}))
	if p.Code == "unexpected" {
		// Nothing knows this error: its own text is all there is to say.
		fmt.Fprintln(w, msg("cli.error.detail", map[string]any{"Detail": err.Error()}))
		return
	}
	// The hint in the user's language; a detail only the domain's English
	// words give follows on its own labelled line.
	fmt.Fprintln(w, msg("cli.error.hint", map[string]any{"Hint": p.LocalHint}))
	if p.LocalHint != p.Hint {
		fmt.Fprintln(w, msg("cli.error.detail", map[string]any{"Detail": p.Detail}))
	}
	if p.NextText != "" {
		fmt.Fprintln(w, msg("cli.error.next", map[string]any{"Next": p.NextText}))
	}
	// The diagnosis looks at readers and cards: it helps with those
	// failures, not with a wrong CAN, a service's request or a received
	// assertion.
	if strings.HasPrefix(p.Code, "chip.") && p.Next != problem.Diagnose && p.Next != problem.CheckCAN {
		fmt.Fprintln(w, msg("cli.error.diagnose"))
	}
}

// lang is the user's language, "fr" or "en", as chosen by [MainIO].
func lang() string { return i18n.Lang() }

// msg renders a key of the translation files in the user's language.
func msg(key string, data ...any) string { return i18n.T(key, data...) }
