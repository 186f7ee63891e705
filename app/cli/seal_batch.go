package cli

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

// sealRead is what one source gave: a code and its seal, or why none.
type sealRead struct {
	source string       // the path as given, or the camera's name
	res    *scan.Result // nil when err is set
	seal   *seal.Result
	err    error
	// took is the scanner's own time on the decoded picture (reading and
	// decoding the image file are not counted); scanned says it ran.
	took    time.Duration
	scanned bool
}

// readSealPhoto reads one photo: the file is decoded (never timed), then
// the scanner runs on the picture (timed).
func readSealPhoto(ctx context.Context, path string, store *sealtrust.Store) sealRead {
	rd := sealRead{source: path}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	img, err := camera.OpenFile(path).Next(ctx)
	if err != nil {
		rd.err = err
		return rd
	}
	start := time.Now()
	rd.res, rd.err = scan.DecodeContext(ctx, img)
	rd.took, rd.scanned = time.Since(start), true
	if rd.err == nil {
		rd.seal = verifySeal(rd.res.Payload, store)
	}
	return rd
}

// sealPhotos reads every photo in turn, in the order given; a photo that
// fails does not stop the others.
func sealPhotos(ctx context.Context, s streams, photos []string, store *sealtrust.Store, asJSON bool) error {
	if len(photos) == 1 && !asJSON {
		// One photo for people: the error in full (sentence, hint, next
		// step), exit 1 when the seal is not valid.
		rd := readSealPhoto(ctx, photos[0], store)
		if rd.err != nil {
			return rd.err
		}
		printSeal(s.out, rd)
		return sealVerdict(rd.seal)
	}
	tally := sealBatchFailed{total: len(photos), json: asJSON}
	blocks := 0
	for _, path := range photos {
		if err := ctx.Err(); err != nil {
			return err // interrupted: the photos left are not read
		}
		rd := readSealPhoto(ctx, path, store)
		switch {
		case rd.err != nil:
			tally.unread++
		case rd.seal.Signature != seal.SignatureValid:
			tally.notValid++
		}
		if asJSON {
			if err := writeSealLine(s.out, rd); err != nil {
				return err
			}
			continue
		}
		if rd.err != nil {
			fmt.Fprintln(s.err, msg("cli.seal.photo_error", map[string]any{"File": path, "Message": problem.Of(rd.err).Message}))
			continue
		}
		if blocks > 0 {
			fmt.Fprintln(s.out)
		}
		blocks++
		fmt.Fprintln(s.out, msg("cli.seal.photo_header", map[string]any{"File": path}))
		printSeal(s.out, rd)
		if rd.seal.Signature != seal.SignatureValid {
			fmt.Fprintln(s.err, msg("cli.seal.photo_not_valid", map[string]any{"File": path, "Why": sealReason(rd.seal)}))
		}
	}
	if tally.failed() {
		return &tally
	}
	return nil
}

// sealBatchFailed ends a run of `seal` with --json or several photos that
// did not go well: with --json a photo gave no code; without it, a photo
// gave no code or a seal is not valid. Each photo's line has been printed;
// MainIO prints the count on stderr and exits 1.
type sealBatchFailed struct {
	total, unread, notValid int
	json                    bool // only photos without a code count
}

func (e *sealBatchFailed) failed() bool { return e.unread > 0 || (!e.json && e.notValid > 0) }

func (e *sealBatchFailed) Error() string {
	return fmt.Sprintf("seal: %d of %d photos without a code, %d seals not valid", e.unread, e.total, e.notValid)
}

// line is what stderr says at the end.
func (e *sealBatchFailed) line() string {
	data := map[string]any{"Unread": e.unread, "Total": e.total, "NotValid": e.notValid}
	if e.json {
		return msg("cli.seal.batch_unread", data)
	}
	return msg("cli.seal.batch_failed", data)
}

// sealLine is the JSON line of a photo that gave a code.
type sealLine struct {
	File       string       `json:"file"`
	Symbol     string       `json:"symbol"`
	Size       string       `json:"size,omitempty"` // rows x columns of modules, when the decoder tells
	FoundBy    string       `json:"found_by"`
	PayloadHex string       `json:"payload_hex"`
	DecodeMS   millis       `json:"decode_ms"`
	Seal       *seal.Result `json:"seal"`
}

// sealErrorLine is the JSON line of a photo that gave no code.
type sealErrorLine struct {
	File  string        `json:"file"`
	Error sealLineError `json:"error"`
	// DecodeMS is there when the scanner ran (not for a file that is
	// missing or no image).
	DecodeMS *millis `json:"decode_ms,omitempty"`
}

// sealLineError names the typed reason: app/problem's stable code and the
// sentence in the user's language.
type sealLineError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// millis is a duration in milliseconds, written with one decimal.
type millis float64

func (m millis) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(m), 'f', 1, 64), nil
}

func toMillis(d time.Duration) millis { return millis(float64(d) / float64(time.Millisecond)) }

// writeSealLine writes a source's JSON object on one line of stdout.
func writeSealLine(out io.Writer, rd sealRead) error {
	var v any
	if rd.err != nil {
		p := problem.Of(rd.err)
		line := sealErrorLine{File: rd.source, Error: sealLineError{Code: p.Code, Message: p.Message}}
		if rd.scanned {
			ms := toMillis(rd.took)
			line.DecodeMS = &ms
		}
		v = line
	} else {
		line := sealLine{File: rd.source, Symbol: rd.res.Format, FoundBy: rd.res.Attempt,
			PayloadHex: hex.EncodeToString(rd.res.Payload), DecodeMS: toMillis(rd.took), Seal: rd.seal}
		if rd.res.Rows > 0 && rd.res.Cols > 0 {
			line.Size = fmt.Sprintf("%dx%d", rd.res.Rows, rd.res.Cols)
		}
		v = line
	}
	enc := json.NewEncoder(out) // compact: one object, one line
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
