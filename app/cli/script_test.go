package cli

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary be the cnie-reader command of the scripts
// (testscript runs it again under that name), so that a script runs the
// real command line: flags, exit codes, stdout and stderr.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cnie-reader": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/*.txtar. No script needs pcscd, a camera or
// the network: cards are the built-in virtual card.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(e *testscript.Env) error {
			// The user's trust folders start empty, inside the script's
			// work folder; French unless a script says otherwise.
			e.Setenv("HOME", filepath.Join(e.WorkDir, "home"))
			e.Setenv("XDG_CONFIG_HOME", filepath.Join(e.WorkDir, "home", ".config"))
			e.Setenv("LANG", "fr_FR.UTF-8")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    exitsCmd,
			"blankpng": blankPNGCmd,
			"hugepng":  hugePNGCmd,
		},
	})
}

// exitsCmd is `exits CODE PROGRAM ARGS...`: PROGRAM runs as exec would
// (its stdout and stderr can be checked next) and must exit with CODE.
func exitsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	code := 0
	var exit *exec.ExitError
	switch err := ts.Exec(args[1], args[2:]...); {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if code != want {
		ts.Fatalf("exit code %d, want %d", code, want)
	}
}

// blankPNGCmd is `blankpng FILE`: a grey picture with no code in it.
func blankPNGCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: blankpng FILE")
	}
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(png.Encode(f, image.NewGray(image.Rect(0, 0, 320, 240))))
	ts.Check(f.Close())
}

// hugePNGCmd is `hugepng FILE`: a PNG whose header announces 10000 x 10000
// pixels, more than the scanner takes (its pixels are never there).
func hugePNGCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hugepng FILE")
	}
	var b bytes.Buffer
	ts.Check(png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))))
	p := b.Bytes()
	// After the 8-byte signature: the IHDR chunk's length, type, width,
	// height, 5 more bytes, then its CRC over type and data.
	binary.BigEndian.PutUint32(p[16:], 10000)
	binary.BigEndian.PutUint32(p[20:], 10000)
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), p, 0o644))
}
