package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/sim"
	"github.com/cnie-reader/cnie-reader/reader/sim/vpcd"
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

func runReaders(out io.Writer) error {
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
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	addr := fs.String("vpcd", vpcd.DefaultAddr, "address of vsmartcard's vpcd (pcscd's virtual reader)")
	profile := fs.String("profile", sim.DefaultProfile, "virtual card profile")
	list := fs.Bool("list", false, "list the profiles")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list {
		for _, n := range sim.ProfileNames() {
			p, _ := sim.LookupProfile(n)
			fmt.Fprintf(out, "%-18s %s\n", n, p.Description)
		}
		return nil
	}
	card, err := sim.NewNamed(*profile)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "serving the DEMO virtual card %q to vpcd at %s (Ctrl-C to stop)\n", *profile, *addr)
	return vpcd.Serve(ctx, *addr, card)
}
