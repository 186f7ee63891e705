package cli

import (
	"context"
	"strings"

	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/sim/vpcd"
)

// command is one of the command line's commands.
type command struct {
	name string
	run  func(ctx context.Context, s streams, args []string) error
}

// commands are every command, in the order of the usage text. "gui" is
// main's (the window cannot be opened from here); it is listed for its
// help and so that a mistyped "gui" gets a suggestion.
var commands []command

func init() {
	commands = []command{
		{"gui", runGUIArgs},
		{"help", runHelp},
		{"version", runVersion},
		{"read", func(ctx context.Context, s streams, args []string) error { return runRead(ctx, args, s.out, s.err) }},
		{"verify", func(_ context.Context, s streams, args []string) error { return runVerifyFiles(args, s.out) }},
		{"trust", func(_ context.Context, s streams, args []string) error { return runTrust(args, s.out) }},
		{"seal", runSeal},
		{"diag", func(ctx context.Context, s streams, args []string) error { return runDiag(ctx, args, s.out) }},
		{"readers", func(_ context.Context, s streams, args []string) error { return runReaders(args, s.out) }},
		{"serve", func(ctx context.Context, s streams, args []string) error { return runServe(ctx, args, s.in, s.out) }},
		{"demo-service", func(ctx context.Context, s streams, args []string) error { return runDemoService(ctx, args, s.out) }},
		{"provider", func(ctx context.Context, s streams, args []string) error { return runProvider(ctx, args, s.out, s.err) }},
		{"verify-assertion", func(_ context.Context, s streams, args []string) error { return runVerifyAssertion(args, s.out) }},
		{"sim", func(ctx context.Context, s streams, args []string) error { return runSim(ctx, args, s.out, s.err) }},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// help is the command's usage, in the user's language.
func (c command) help() string { return msg("cli.help."+c.name, helpData()) }

// usageText is the overview of every command (`cnie-reader help`).
func usageText() string { return msg("cli.usage", helpData()) }

// helpData fills the help texts' placeholders with the values the code
// decides, so that the text never disagrees with them.
func helpData() map[string]any {
	return map[string]any{
		"DemoCAN":        sim.DefaultCAN,
		"DefaultProfile": sim.DefaultProfile,
		"VPCD":           vpcd.DefaultAddr,
		"Port":           intake.DefaultPort,
		"LastPort":       intake.DefaultPort + intake.FallbackPorts,
	}
}

// wantsHelp tells whether the arguments ask for help (before a "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "--help", "-help":
			return true
		}
	}
	return false
}

// runHelp is `cnie-reader help [COMMAND]`, and `help --man` for packagers.
func runHelp(_ context.Context, s streams, args []string) error {
	switch {
	case len(args) == 0:
		s.out.Write([]byte(usageText()))
	case len(args) == 1 && args[0] == "--man":
		writeMan(s.out)
	case len(args) == 1 && !strings.HasPrefix(args[0], "-"):
		c, ok := lookup(args[0])
		if !ok {
			return unknownCommand(args[0])
		}
		s.out.Write([]byte(c.help()))
	default:
		return &usageError{cmd: "help", key: "cli.usage.extra", data: map[string]any{"Arg": strings.Join(args, " ")}}
	}
	return nil
}

// runGUIArgs is reached only with arguments after "gui" (main opens the
// window for a bare "gui"): none is taken.
func runGUIArgs(_ context.Context, _ streams, args []string) error {
	_, err := parseArgs(newFlags("gui"), args, 0)
	return err
}
