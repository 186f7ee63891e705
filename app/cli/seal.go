package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/sealtext"
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
	fs := newFlags("seal")
	asJSON := fs.Bool("json", false, "")
	useCamera := fs.Bool("camera", false, "")
	device := fs.String("device", "", "")
	demo := fs.Bool("demo", false, "")
	demoCard := fs.String("demo-card", "", "")
	positional, err := parseArgs(fs, args, 1)
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
		fmt.Fprintln(os.Stderr, msg("cli.seal.show_camera"))
	case len(positional) == 1:
		src = camera.OpenFile(positional[0])
	default:
		return missing("seal", "IMAGE | --camera | --demo-card OUT.png")
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
		if err := enc.Encode(o); err != nil {
			return err
		}
		return sealVerdict(r)
	}
	fmt.Fprintln(out, msg("cli.seal.source", map[string]any{"Source": o.Source, "Symbol": o.Format, "FoundBy": o.Attempt}))
	fmt.Fprintln(out, msg("cli.seal.content", map[string]any{"What": sealtext.What(r)}))
	fmt.Fprintln(out, msg("cli.seal.signature", map[string]any{"Why": sealReason(r)}))
	if s := r.TwoDDoc; s != nil {
		for _, f := range s.Fields {
			fmt.Fprintf(out, "  %-4s %-32s %s\n", f.ID, sealtext.FieldName2DDoc(f), f.Value)
		}
	}
	if s := r.VDS; s != nil {
		for _, f := range s.Fields {
			fmt.Fprintf(out, "  %02X   %-32s %s\n", f.Tag, sealtext.FieldNameVDS(f), f.Text)
		}
	}
	return sealVerdict(r)
}

// sealNotValid is a seal read whose signature is not valid (invalid, of an
// unknown authority, not verifiable offline) or a code that is no seal:
// the seal was printed, and the command exits 1 with the reason.
type sealNotValid struct{ r *seal.Result }

func (e *sealNotValid) Error() string { return "seal signature " + string(e.r.Signature) }

// line is what stderr says.
func (e *sealNotValid) line() string {
	return msg("cli.seal.not_valid", map[string]any{"Why": sealReason(e.r)})
}

// sealVerdict is nil for a valid seal, a *sealNotValid otherwise.
func sealVerdict(r *seal.Result) error {
	if r.Signature == seal.SignatureValid {
		return nil
	}
	return &sealNotValid{r}
}

// sealReason says why the signature has its status, or what the code is
// when it is no seal or a damaged one.
func sealReason(r *seal.Result) string {
	if why := sealtext.Why(r); why != "" {
		return why
	}
	return sealtext.What(r)
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
	fmt.Fprintln(out, msg("cli.seal.demo_card_written", map[string]any{"Path": path}))
	return f.Close()
}
