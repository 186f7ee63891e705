package cli

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/sealtext"
	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

// runSeal reads the seal of each photo in turn (a photo that fails does
// not stop the others), of the camera's first readable frame, or draws the
// virtual card's back. See the CLI rules for its exit status.
func runSeal(ctx context.Context, s streams, args []string) error {
	fs := newFlags("seal")
	asJSON := fs.Bool("json", false, "")
	useCamera := fs.Bool("camera", false, "")
	device := fs.String("device", "", "")
	demo := fs.Bool("demo", false, "")
	demoCard := fs.String("demo-card", "", "")
	photos, err := parseArgs(fs, args, -1)
	if err != nil {
		return err
	}
	switch {
	case *demoCard != "" && *useCamera:
		return &usageError{cmd: "seal", key: "cli.seal.usage_together", data: map[string]any{"Flag": "--demo-card", "Other": "--camera"}}
	case (*demoCard != "" || *useCamera) && len(photos) > 0:
		flag := "--camera"
		if *demoCard != "" {
			flag = "--demo-card"
		}
		return &usageError{cmd: "seal", key: "cli.seal.usage_no_photo", data: map[string]any{"Flag": flag, "Arg": photos[0]}}
	case *demoCard != "":
		return writeDemoCard(*demoCard, s.out)
	case !*useCamera && len(photos) == 0:
		return missing("seal", "IMAGE... | --camera | --demo-card OUT.png")
	}
	store, err := core.SealStore(*demo)
	if err != nil {
		return err
	}
	if *useCamera {
		return sealFromCamera(ctx, s, *device, store, *asJSON)
	}
	return sealPhotos(ctx, s, photos, store, *asJSON)
}

// sealFromCamera reads the first frame of the camera that gives a code.
func sealFromCamera(ctx context.Context, s streams, device string, store *sealtrust.Store, asJSON bool) error {
	c, err := camera.Open("", device)
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Fprintln(s.err, msg("cli.seal.show_camera"))
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	rd := sealRead{source: c.Name()}
	// FirstDecodable calls decode on this goroutine: took is the time of
	// the scanner on the frame that gave the result (or the last one).
	res, lastErr, err := camera.FirstDecodable(ctx, c, func(ctx context.Context, img image.Image) (*scan.Result, error) {
		start := time.Now()
		r, err := scan.DecodeContext(ctx, img)
		rd.took, rd.scanned = time.Since(start), true
		return r, err
	})
	switch {
	case res != nil:
		rd.res = res
		rd.seal = verifySeal(res.Payload, store)
	case lastErr != nil:
		rd.err = lastErr // the scanner's typed "no code" / "blurred" says more than the end of the source
	default:
		rd.err = err
	}
	if asJSON {
		if err := writeSealLine(s.out, rd); err != nil {
			return err
		}
		return rd.err // a code read exits 0: its verdict is in the line
	}
	if rd.err != nil {
		return rd.err
	}
	printSeal(s.out, rd)
	return sealVerdict(rd.seal)
}

// verifySeal parses a code's bytes as a seal and checks its signature.
func verifySeal(payload []byte, store *sealtrust.Store) *seal.Result {
	r := seal.Inspect(payload)
	r.Verify(store, time.Now())
	return r
}

// printSeal is a code read, for people: its source, content, signature
// and fields.
func printSeal(out io.Writer, rd sealRead) {
	r := rd.seal
	fmt.Fprintln(out, msg("cli.seal.source", map[string]any{"Source": rd.source, "Symbol": rd.res.Format, "FoundBy": rd.res.Attempt}))
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
