package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
)

// cardSource is the card a command reads: the built-in virtual card
// (--sim) or a PC/SC reader by index (--reader N). With a reader index and
// no reader plugged in yet, it waits for one, saying so on tell.
func cardSource(ctx context.Context, cmd string, useSim bool, profile string, readerIdx int, tell io.Writer) (core.Source, error) {
	switch {
	case useSim:
		if err := checkProfile(cmd, profile); err != nil {
			return nil, err
		}
		return core.DemoSource{Profile: profile}, nil
	case readerIdx >= 0:
		pc, names, err := listReaders()
		if chiperr.KindOf(err) == chiperr.NoReader {
			// No reader yet: wait for one to be plugged in (PC/SC hot-plug).
			fmt.Fprintln(tell, msg("cli.read.plug_reader"))
			pc, names, err = waitForReader(ctx)
		}
		if err != nil {
			return nil, err
		}
		pc.Close()
		name, err := readerNumbered(cmd, names, readerIdx)
		if err != nil {
			return nil, err
		}
		return core.ReaderSource{Reader: name, Waiting: func() {
			fmt.Fprintln(tell, msg("cli.read.lay_card"))
		}}, nil
	}
	return nil, &usageError{cmd: cmd, key: "cli.usage.no_source"}
}

// readerNumbered is the reader --reader N names among those plugged in; a
// number beyond them is a usage error that says how many there are.
func readerNumbered(cmd string, names []string, n int) (string, error) {
	if n >= 0 && n < len(names) {
		return names[n], nil
	}
	key := "cli.usage.no_such_reader"
	if len(names) == 1 {
		key = "cli.usage.no_such_reader_one"
	}
	return "", &usageError{cmd: cmd, key: key, data: map[string]any{"N": n, "Count": len(names), "Last": len(names) - 1}}
}

// sourceLabel is what `read` shows as its source.
func sourceLabel(src core.Source, profile string) string {
	if src.Demo() {
		return msg("cli.read.demo_source", map[string]any{"Profile": profile})
	}
	return src.Name()
}

// parseSecret is what opens the chip, from --can or --mrz; the virtual
// card's public secrets when neither is given. The CAN goes through
// package can, the one rule of every entry point.
func parseSecret(src core.Source, canFlag, mrzFlag string) (reader.Secret, error) {
	switch {
	case mrzFlag != "":
		parts := strings.Fields(mrzFlag)
		if len(parts) != 3 {
			return reader.Secret{}, &usageError{cmd: "read", key: "cli.usage.mrz"}
		}
		info, err := mrz.Information(parts[0], parts[1], parts[2])
		if err != nil {
			return reader.Secret{}, err
		}
		return reader.Secret{MRZ: info}, nil
	case canFlag != "":
		digits, err := parseCANFlag("read", canFlag)
		if err != nil {
			return reader.Secret{}, err
		}
		return reader.Secret{CAN: digits}, nil
	}
	if demo, ok := src.(core.DemoSource); ok {
		// The demo card's secrets are public: use them unless told otherwise.
		if c := demo.DemoCAN(); c != "" {
			return reader.Secret{CAN: c}, nil
		}
		doc, birth, expiry := demo.DemoMRZ()
		info, err := mrz.Information(doc, birth, expiry)
		if err != nil {
			return reader.Secret{}, err
		}
		return reader.Secret{MRZ: info}, nil
	}
	return reader.Secret{}, missing("read", "--can | --mrz")
}

// checkProfile refuses a virtual card profile that does not exist as a
// usage error (the command line is wrong), with the nearest name.
func checkProfile(cmd, profile string) error {
	if _, err := sim.LookupProfile(profile); err == nil {
		return nil
	}
	e := &usageError{cmd: cmd, key: "cli.usage.unknown_profile", data: map[string]any{"Profile": profile}}
	e.suggestion = closest(profile, sim.ProfileNames())
	return e
}
