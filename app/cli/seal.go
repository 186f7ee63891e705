package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/cnie-reader/cnie-reader/app/core"
	"image"
	"image/png"
	"io"
	"os"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// sealOutput is what `seal` prints.
type sealOutput struct {
	Source  string       `json:"source"`
	Format  string       `json:"symbol"`
	Attempt string       `json:"found_by"`
	Seal    *seal.Result `json:"seal"`
}

func runSeal(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seal", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	useCamera := fs.Bool("camera", false, "scan with the webcam until a seal is read")
	device := fs.String("device", "", "camera device (default /dev/video0)")
	demo := fs.Bool("demo", false, "also trust the DEMO authority of the virtual card's seal")
	demoCard := fs.String("demo-card", "", "write a picture of the virtual CNIE's back, with its seal, to this PNG file")
	fs.SetOutput(out)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *demoCard != "" {
		return writeDemoCard(*demoCard, out)
	}
	var src camera.Source
	switch {
	case *useCamera:
		c, err := camera.Open("", *device)
		if err != nil {
			return err
		}
		defer c.Close()
		src = c
		fmt.Fprintln(os.Stderr, "Présentez le cachet à la caméra… / Show the seal to the camera…")
	case len(positional) == 1:
		src = camera.OpenFile(positional[0])
	default:
		return fmt.Errorf("usage: cnie-reader seal IMAGE [--json] | seal --camera [--device /dev/videoN] | seal --demo-card OUT.png")
	}

	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	res, lastErr, err := camera.FirstDecodable(ctx, src, func(ctx context.Context, img image.Image) (*scan.Result, error) {
		return scan.DecodeContext(ctx, img)
	})
	if res == nil {
		if lastErr != nil {
			return lastErr // the scanner's typed "no code" / "damaged" says more than the end of the source
		}
		return err
	}
	r := seal.Inspect(res.Payload)
	store, err := core.SealStore(*demo)
	if err != nil {
		return err
	}
	r.Verify(store, time.Now())
	o := sealOutput{Source: src.Name(), Format: res.Format, Attempt: res.Attempt, Seal: r}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(o)
	}
	l := lang()
	fmt.Fprintf(out, "Source:    %s (%s, %s)\n", o.Source, o.Format, o.Attempt)
	fmt.Fprintf(out, "Contenu / Content: %s\n", sentence(r.What, l))
	fmt.Fprintf(out, "Signature: %s — %s\n", r.Signature, sentence(r.Why, l))
	if s := r.TwoDDoc; s != nil {
		for _, f := range s.Fields {
			name := f.NameFR
			if l == "en" {
				name = f.NameEN
			}
			fmt.Fprintf(out, "  %-4s %-32s %s\n", f.ID, name, f.Value)
		}
	}
	if s := r.VDS; s != nil {
		for _, f := range s.Fields {
			name := f.NameFR
			if l == "en" {
				name = f.NameEN
			}
			fmt.Fprintf(out, "  %02X   %-32s %s\n", f.Tag, name, f.Text)
		}
	}
	return nil
}

func sentence(s seal.Sentence, lang string) string {
	if lang == "en" {
		return s.EN
	}
	return s.FR
}

// writeDemoCard draws the back of the default virtual CNIE with its seal.
func writeDemoCard(path string, out io.Writer) error {
	img, err := core.DemoCardBack()
	if err != nil {
		return err
	}
	f, err := safefile.CreateNew(path, 0o644)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintf(out, "Wrote %s: the back of the DEMO virtual CNIE with its seal (verify with: cnie-reader seal %s --demo)\n", path, path)
	return f.Close()
}

// parseInterspersed parses flags wherever they stand among the arguments
// (`seal photo.jpg --json` as well as `seal --json photo.jpg`).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
