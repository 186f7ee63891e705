package cli

import (
	"context"
	"image"
	"time"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/demoseal"
	"github.com/cnie-reader/cnie-reader/seal/scan"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

// sealCheck is the seal of a photo set against the chip just read.
type sealCheck struct {
	Seal    *seal.Result      `json:"seal"`
	Compare crosscheck.Result `json:"compare"`
}

// checkSealAgainstChip reads the seal in a photo, verifies it (the demo
// authority only for the virtual card) and compares it with the chip.
func checkSealAgainstChip(ctx context.Context, path string, doc *reader.Document, demo bool) (*sealCheck, error) {
	res, lastErr, err := camera.FirstDecodable(ctx, camera.OpenFile(path), func(ctx context.Context, img image.Image) (*scan.Result, error) {
		return scan.DecodeContext(ctx, img)
	})
	if res == nil {
		if lastErr != nil {
			return nil, lastErr
		}
		return nil, err
	}
	r := seal.Inspect(res.Payload)
	store, err := sealStore(demo)
	if err != nil {
		return nil, err
	}
	r.Verify(store, time.Now())
	return &sealCheck{Seal: r, Compare: crosscheck.Compare(r.Facts, crosscheck.FromChip(doc.MRZ, doc.DG11, time.Now()))}, nil
}

// sealStore is the seal trust store: the ANTS list, the CSCAs, the user's
// signing certificates and, in demo mode only, the demo authority.
func sealStore(demo bool) (*sealtrust.Store, error) {
	store := sealtrust.NewStore()
	if err := store.LoadBundled(); err != nil {
		return nil, err
	}
	csca := pki.NewStore()
	if _, err := csca.LoadBundled(); err != nil {
		return nil, err
	}
	store.CSCA = csca
	if dir, err := pki.DefaultUserDir(); err == nil {
		_ = store.LoadDir(dir + "-seal")
	}
	if demo {
		if err := demoseal.Trust(store); err != nil {
			return nil, err
		}
	}
	return store, nil
}
