package core

import (
	"context"
	"errors"
	"image"
	"time"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/faceimage"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/trace"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// ReadTimeout bounds a whole read, waiting for the card included.
const ReadTimeout = 3 * time.Minute

// StepVerify follows the reader's own steps: the trust check after the read.
const StepVerify = reader.StepAuthenticity + 1

// ReadOptions tune ReadCard.
type ReadOptions struct {
	// TrustDir holds the user's imported trust files (default directory when empty).
	TrustDir string
	// Progress is called from the reading goroutine.
	Progress func(reader.Progress)
	// Connected is called once the card is there and the read starts.
	Connected func()
	// Trace records the APDUs, redacted; nil for none.
	Trace *trace.Trace
	// ChallengeFor makes the chip sign a challenge computed from what was
	// read (an assertion for a service); random when nil.
	ChallengeFor func(*document.Document) ([]byte, error)
	// SkipVerify leaves the trust check out (Report stays nil): the command
	// line checks authenticity only when asked (--verify).
	SkipVerify bool
	// SkipFace leaves the photo undecoded (Face stays nil): the command
	// line decodes it only to write it (--photo).
	SkipFace bool
}

// ReadResult is a read and its verification. It holds personal data:
// keep it in memory only and Wipe it when the holder is done.
type ReadResult struct {
	Doc    *reader.Document
	Report *verify.Report
	// Face is the decoded photo; nil with FaceErr set when it could not be.
	Face    image.Image
	FaceErr error
	Demo    bool
	Source  string
}

// Wipe drops the personal data.
func (r *ReadResult) Wipe() {
	if r == nil {
		return
	}
	if r.Doc != nil {
		r.Doc.Wipe()
	}
	wipeImage(r.Face)
	r.Doc, r.Face, r.Report = nil, nil, nil
}

// wipeImage overwrites the pixels of the usual decoded image types.
func wipeImage(img image.Image) {
	switch m := img.(type) {
	case *image.RGBA:
		clear(m.Pix)
	case *image.NRGBA:
		clear(m.Pix)
	case *image.Gray:
		clear(m.Pix)
	case *image.YCbCr:
		clear(m.Y)
		clear(m.Cb)
		clear(m.Cr)
	case *image.CMYK:
		clear(m.Pix)
	}
}

// ReadCard connects to src (waiting for the card), reads it, verifies it
// against the trust stores and decodes the photo. ctx cancels everything.
// It is the one read of the application: the window, `cnie-reader read`
// and `cnie-reader serve` all go through it.
func ReadCard(ctx context.Context, src Source, secret reader.Secret, opts ReadOptions) (*ReadResult, error) {
	ctx, cancel := context.WithTimeout(ctx, ReadTimeout)
	defer cancel()
	conn, err := src.Connect(ctx)
	if err != nil {
		return nil, canceledOr(ctx, err)
	}
	defer conn.Close()
	if opts.Connected != nil {
		opts.Connected()
	}
	doc, err := reader.Read(ctx, conn, secret, reader.Options{ShortOnly: conn.ShortOnly, Progress: opts.Progress, Trace: opts.Trace,
		ChallengeFor: opts.ChallengeFor})
	if err != nil {
		return nil, canceledOr(ctx, err)
	}
	if conn.Reader != "" {
		pcsc.RememberExtended(conn.Reader, doc.Stats.Extended)
	}
	res := &ReadResult{Doc: doc, Demo: src.Demo(), Source: src.Name()}
	if !opts.SkipVerify {
		if opts.Progress != nil {
			opts.Progress(reader.Progress{Step: StepVerify})
		}
		store, err := TrustStore(opts.TrustDir, conn.Demo)
		if err != nil {
			res.Wipe()
			return nil, err
		}
		res.Report = verify.Verify(&doc.Document, store, verify.Options{})
	}
	if !opts.SkipFace {
		res.Face, res.FaceErr = DecodeFace(ctx, doc)
	}
	if err := ctx.Err(); err != nil {
		res.Wipe()
		return nil, canceledOr(ctx, err)
	}
	return res, nil
}

// canceledOr names a cancellation as such, whatever layer noticed it.
func canceledOr(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if chiperr.KindOf(err) == chiperr.Timeout {
			return err
		}
		return chiperr.Wrap(chiperr.Timeout, "read", ctx.Err())
	}
	return chiperr.Wrap(chiperr.Canceled, "read", ctx.Err())
}

// ErrNoPhoto: the chip holds no face image.
var ErrNoPhoto = chiperr.New(chiperr.FileNotFound, "photo", "the card has no face image (DG2)")

// DecodeFace decodes the first face of DG2 (JPEG or JPEG 2000).
func DecodeFace(ctx context.Context, doc *reader.Document) (image.Image, error) {
	b, ok := doc.DataGroups[2]
	if !ok {
		return nil, ErrNoPhoto
	}
	dg2, err := lds.ParseDG2(b)
	if err != nil {
		return nil, err
	}
	if len(dg2.Faces) == 0 {
		return nil, ErrNoPhoto
	}
	f := dg2.Faces[0]
	return faceimage.DecodeContext(ctx, f.Format, f.Image)
}
