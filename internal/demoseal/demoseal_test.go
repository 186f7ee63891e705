package demoseal

import (
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"

	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/sealtrust"
)

var holder = Holder{Surname: "DEMO", GivenNames: "CAMILLE MARIE", DocumentNumber: "DEMO00001", Sex: "F", Nationality: "FR",
	BirthDate: time.Date(1990, 7, 14, 0, 0, 0, 0, time.UTC)}

func TestDemoSealVerifies(t *testing.T) {
	payload, err := TwoDDoc(holder, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	r := seal.Inspect(payload)
	store := sealtrust.NewStore()
	if err := Trust(store); err != nil {
		t.Fatal(err)
	}
	r.Verify(store, time.Now())
	if r.Kind != seal.TwoDDoc || r.Signature != seal.SignatureValid {
		t.Fatalf("%s %s: %+v", r.Kind, r.Signature, r.Why)
	}
	chip := crosscheck.Facts{Surname: "DEMO", GivenNames: "CAMILLE<MARIE", DocumentNumber: "DEMO00001", Sex: "F", Nationality: "FRA", BirthDate: "900714", Truncated: true}
	if c := crosscheck.Compare(r.Facts, chip); !c.Match() {
		t.Errorf("seal and chip differ: %+v", c.Differences)
	}
	// Without the demo authority the seal is not verifiable, never valid.
	bare := sealtrust.NewStore()
	if err := bare.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	r2 := seal.Inspect(payload)
	r2.Verify(bare, time.Now())
	if r2.Signature == seal.SignatureValid {
		t.Error("demo seal valid without the demo authority")
	}
}

// The rendered DataMatrix decodes back to the payload, alone and on the card.
func TestRender(t *testing.T) {
	payload, _ := TwoDDoc(holder, time.Now())
	dm, err := DataMatrix(payload, 4)
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(dm)
	res, err := datamatrix.NewDataMatrixReader().Decode(bmp, nil)
	if err != nil || res.GetText() != string(payload) {
		t.Fatalf("DataMatrix round trip: %v", err)
	}
	card := CardBack([]string{"IDFRADEMO00001<<<<<<<<<<<<<<<", "9007148F3403055FRA<<<<<<<<<<<0", "DEMO<<CAMILLE<MARIE<<<<<<<<<<<"}, dm)
	if card.Bounds().Dx() != 1012 || !strings.HasPrefix(string(payload), "DC04FR00DEMO") {
		t.Errorf("card %v, payload %q", card.Bounds(), payload[:12])
	}
}
