package cli

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/internal/diag"
)

// diagTimeout bounds the diagnosis, its test reads included.
const diagTimeout = 2 * time.Minute

func runDiag(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("diag")
	asJSON := fs.Bool("json", false, "")
	canFlag := fs.String("can", "", "")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	typed, err := parseCANFlag("diag", *canFlag)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, diagTimeout)
	defer cancel()
	r := diag.Run(ctx, diag.Options{CAN: typed})
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return explain.WriteDiagnosis(out, r)
}
