// Command sealbench measures the seal decoder on generated webcam frames
// (package synth), per category, and compares it with Debian's ZXing
// (zxing-cpp's ZXingReader) on the same pixels:
//
//	go run ./tools/sealbench [-n 20] [-only clean,glare] [-zxing] [-dir DIR]
//
// Our decoder runs in this process, one frame at a time on one core; its
// time is that of scan.DecodeContext. ZXingReader runs once per frame on a
// PNG of it; its time is the process's wall time (start-up included). A
// frame counts as read when the exact payload bytes come back; on frames
// without a code, any code is a false one. -dir keeps the PNGs.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

func main() {
	n := flag.Int("n", 20, "frames per category")
	only := flag.String("only", "", "comma-separated categories (default: all)")
	zxing := flag.Bool("zxing", false, "also run Debian's ZXingReader on every frame")
	dir := flag.String("dir", "", "keep the frames as PNG files in this directory")
	flag.Parse()
	if err := run(*n, *only, *zxing, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "sealbench:", err)
		os.Exit(1)
	}
}

func run(n int, only string, zxing bool, dir string) error {
	cats, err := categories(only)
	if err != nil {
		return err
	}
	reader := ""
	if zxing {
		if reader, err = exec.LookPath("ZXingReader"); err != nil {
			return errors.New("ZXingReader is not on PATH: apt-get install zxing-cpp-tools")
		}
	}
	keep := dir != ""
	if !keep && zxing {
		if dir, err = os.MkdirTemp("", "sealbench"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	if keep {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	decoders := []string{"ours"}
	if zxing {
		decoders = append(decoders, "ZXing")
	}
	var rows []synth.Row
	all := make([]synth.Score, len(decoders))
	for _, c := range cats {
		row := synth.Row{Name: string(c), NoCode: c == synth.Empty, Scores: make([]synth.Score, len(decoders))}
		frames := synth.Frames(c, n) // on every core
		prev := runtime.GOMAXPROCS(1)
		for _, f := range frames {
			got, d := decodeOurs(f.Image)
			row.Scores[0].Add(f, got, d)
		}
		runtime.GOMAXPROCS(prev)
		for _, f := range frames {
			if dir == "" {
				break
			}
			file := filepath.Join(dir, f.Name+".png")
			if err := writePNG(file, f.Image); err != nil {
				return err
			}
			if zxing {
				got, d := decodeZXing(reader, file)
				row.Scores[1].Add(f, got, d)
			}
			if !keep {
				os.Remove(file)
			}
		}
		rows = append(rows, row)
		if !row.NoCode {
			for i := range all {
				all[i].Merge(row.Scores[i])
			}
		}
		fmt.Fprintf(os.Stderr, "%s done\n", c)
	}
	rows = append(rows, synth.Row{Name: "all with code", Scores: all})
	fmt.Printf("%d frames per category; ours: scan.DecodeContext in process, one core", n)
	if zxing {
		fmt.Print("; ZXing: wall time of a ZXingReader process per frame (start-up included)")
	}
	fmt.Println()
	synth.WriteTable(os.Stdout, decoders, rows)
	return nil
}

// decodeOurs decodes img and times it.
func decodeOurs(img image.Image) ([]byte, time.Duration) {
	start := time.Now()
	r, err := scan.DecodeContext(context.Background(), img)
	d := time.Since(start)
	if err != nil {
		return nil, d
	}
	return r.Payload, d
}

// decodeZXing runs ZXingReader on a PNG: it prints the bytes of what it
// read, nothing when it read nothing.
func decodeZXing(reader, file string) ([]byte, time.Duration) {
	start := time.Now()
	out, err := exec.Command(reader, "-bytes", "-format", "DataMatrix,QRCode", file).Output()
	d := time.Since(start)
	if err != nil || len(out) == 0 {
		return nil, d
	}
	return out, d
}

func writePNG(name string, img image.Image) error {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}

func categories(only string) ([]synth.Category, error) {
	all := synth.Categories()
	if only == "" {
		return all, nil
	}
	var cats []synth.Category
	for _, s := range strings.Split(only, ",") {
		c := synth.Category(strings.TrimSpace(s))
		if !slices.Contains(all, c) {
			return nil, fmt.Errorf("unknown category %q (known: %v)", c, all)
		}
		cats = append(cats, c)
	}
	return cats, nil
}
