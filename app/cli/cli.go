// Package cli is the headless command line of cnie-reader. Like the GUI, it
// is a thin layer: it parses flags, calls reader/ and prints; it never
// builds an APDU itself.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/cnie-reader/cnie-reader/internal/version"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

const usage = `cnie-reader — read and check the French identity card (CNIE) and ICAO chip documents

Usage:
  cnie-reader                        open the window (the same as: cnie-reader gui)
  cnie-reader --version              the version, commit and Go version of this build
  cnie-reader read --sim [--profile NAME] [--can 123456] [--verify] [--photo FILE.png] [--json] [--dump DIR]
  cnie-reader read --reader N (--can 123456 | --mrz "DOCNUMBER BIRTH EXPIRY") [--verify] [--photo FILE.png] [--json] [--dump DIR]
  cnie-reader verify [--demo [--profile NAME]] [--json] FILE...   check a document from its files, no card needed:
                                     EF.SOD, EF.COM, DG1..DG16, EF.CardAccess, EF.CardSecurity (binary, each
                                     recognised by its content), or one JSON or ZIP dump of them
  cnie-reader trust import FILE      add a CSCA certificate (.der .cer .crt .pem), a master list (.ml) or a CRL (.crl)
  cnie-reader trust import-service FILE   trust an online service's certificate (or its authority's)
  cnie-reader trust list             show the trusted authorities
  cnie-reader seal IMAGE [--json] [--demo]   read and verify the 2D seal (2D-Doc or ICAO VDS) in a photo
  cnie-reader seal --camera [--device /dev/videoN]
  cnie-reader seal --demo-card OUT.png       picture of the virtual CNIE's back with its seal
  cnie-reader diag [--json] [--can 123456]   what works and what does not, with the next step
  cnie-reader readers
  cnie-reader serve (--sim | --reader N) [--can 123456] [--port P] [--once] [--allow-loopback-http]
                                     answer services' requests, asking consent on this terminal
  cnie-reader demo-service [--addr 127.0.0.1:8080] [--app URL]   the reference service (DEMO)
  cnie-reader verify-assertion FILE --client-id ID --nonce N [--state S] [--expires TIME] [--demo]
                                     check an assertion as a service does (no replay memory;
                                     without --expires the request's expiry is not checked)
  cnie-reader sim --vpcd HOST:PORT [--profile NAME]
  cnie-reader sim --list

The built-in virtual card (--sim) is a DEMO CNIE whose CAN is 123456.
read --dump DIR writes the files read into a new or empty folder (personal data, at your request).
A JSON dump for verify is {"EF.SOD": "<base64>", "DG1": "<base64>", ...}: keys EF.COM, EF.SOD, EF.CardAccess, EF.CardSecurity, DG1 to DG16; values in standard base64, not hex.
`

// Main runs the command line and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int { return MainIO(args, os.Stdin, stdout, stderr) }

// MainIO is Main with the terminal's input given (serve asks questions).
func MainIO(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] == "help" && len(args) == 1) || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if len(args) == 2 && args[0] == "help" && args[1] == "--man" {
		writeMan(stdout, version.Get().Version)
		return 0
	}
	if args[0] == "--version" || args[0] == "version" {
		fmt.Fprintln(stdout, version.Get())
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch args[0] {
	case "read":
		err = runRead(ctx, args[1:], stdout, stderr)
	case "seal":
		err = runSeal(ctx, args[1:], stdout)
	case "diag":
		err = runDiag(ctx, args[1:], stdout)
	case "trust":
		err = runTrust(args[1:], stdout)
	case "readers":
		err = runReaders(stdout)
	case "sim":
		err = runSim(ctx, args[1:], stdout, stderr)
	case "serve":
		err = runServe(ctx, args[1:], stdin, stdout)
	case "demo-service":
		err = runDemoService(ctx, args[1:], stdout)
	case "verify":
		err = runVerifyFiles(args[1:], stdout)
	case "verify-assertion":
		err = runVerifyAssertion(args[1:], stdout)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	printError(stderr, err)
	return 1
}

// printError shows the holder's message in both languages, then the
// technical hint for support staff.
func printError(w io.Writer, err error) {
	type localized interface {
		Message(lang string) string
		Hint(lang string) string
	}
	var l localized
	if errors.As(err, &l) {
		fmt.Fprintf(w, "Erreur : %s\nError: %s\n", l.Message("fr"), l.Message("en"))
		fmt.Fprintf(w, "Support: %s\nDetail: %v\n", l.Hint("en"), err)
		// The diagnosis looks at readers and cards: it helps with those
		// failures, not with a service's request or a received assertion.
		var card *chiperr.Error
		if errors.As(err, &card) {
			fmt.Fprintln(w, "Diagnostic / Diagnosis: cnie-reader diag")
		}
		return
	}
	fmt.Fprintf(w, "Erreur / Error: %v\n", err)
}

// lang picks the user's language from the environment: French unless English is asked for.
func lang() string { return i18n.FromEnvironment().Lang }

// readTimeout bounds a whole read: a card that stalls must not hang the CLI.
const readTimeout = 2 * time.Minute
