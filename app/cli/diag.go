package cli

import (
	"context"
	"encoding/json"
	"flag"
	"io"

	"github.com/cnie-reader/cnie-reader/reader/diag"
)

func runDiag(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("diag", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	can := fs.String("can", "", "also make a full test read of each card present with this CAN (nothing read is shown)")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	r := diag.Run(ctx, diag.Options{CAN: *can})
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(out, lang())
}
