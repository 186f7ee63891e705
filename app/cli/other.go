package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/sim/vpcd"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// listReaders connects to the PC/SC service and lists its readers; the
// caller closes the context.
func listReaders() (*pcsc.Context, []string, error) {
	pc, err := pcsc.Establish()
	if err != nil {
		return nil, nil, err
	}
	names, err := pc.Readers()
	if err != nil {
		pc.Close()
		return nil, nil, err
	}
	return pc, names, nil
}

// waitForReader waits until a reader is plugged in.
func waitForReader(ctx context.Context) (*pcsc.Context, []string, error) {
	pc, err := pcsc.Establish()
	if err != nil {
		return nil, nil, err
	}
	if _, err := pc.WaitForChange(ctx, nil); err != nil {
		pc.Close()
		return nil, nil, err
	}
	names, err := pc.Readers()
	if err != nil {
		pc.Close()
		return nil, nil, err
	}
	return pc, names, nil
}

func runReaders(args []string, out io.Writer) error {
	if _, err := parseArgs(newFlags("readers"), args, 0); err != nil {
		return err
	}
	pc, names, err := listReaders()
	if err != nil {
		return err
	}
	defer pc.Close()
	for i, n := range names {
		fmt.Fprintf(out, "%d: %s\n", i, n)
	}
	return nil
}

func runSim(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("sim")
	addr := fs.String("vpcd", vpcd.DefaultAddr, "")
	profile := fs.String("profile", sim.DefaultProfile, "")
	list := fs.Bool("list", false, "")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if *list {
		for _, n := range sim.ProfileNames() {
			p, _ := sim.LookupProfile(n)
			fmt.Fprintf(out, "%-18s %s\n", n, p.Description)
		}
		return nil
	}
	if err := checkProfile("sim", *profile); err != nil {
		return err
	}
	card, err := sim.NewNamed(*profile)
	if err != nil {
		return err
	}
	fmt.Fprintln(errOut, msg("cli.sim.serving", map[string]any{"Profile": *profile, "Addr": *addr}))
	return vpcd.Serve(ctx, *addr, card)
}
