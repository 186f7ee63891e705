package core

import (
	"context"
	"image"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/trace"
	"github.com/cnie-reader/cnie-reader/reader/verify"
	"github.com/cnie-reader/cnie-reader/seal"
)

func TestReadDemoCard(t *testing.T) {
	var steps []reader.Step
	connected := false
	tr := trace.New("test")
	res, err := ReadCard(context.Background(), DemoSource{}, reader.Secret{CAN: DemoSource{}.DemoCAN()}, ReadOptions{
		TrustDir: t.TempDir(), Trace: tr, Connected: func() { connected = true },
		Progress: func(p reader.Progress) { steps = append(steps, p.Step) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !connected || !res.Demo || res.Report.Verdict != verify.Demo || res.Face == nil {
		t.Fatalf("connected %v demo %v verdict %s face %v", connected, res.Demo, res.Report.Verdict, res.Face != nil)
	}
	if len(steps) == 0 || steps[len(steps)-1] != StepVerify {
		t.Errorf("steps %v", steps)
	}
	if tr.Summary().Exchanges == 0 {
		t.Error("nothing traced")
	}
	res.Wipe()
	if res.Doc != nil || res.Face != nil {
		t.Error("not wiped")
	}
}

// The command line reads through ReadCard too, checking authenticity and
// decoding the photo only when asked: then no trust store is loaded (a
// broken one cannot fail a plain read) and no verification step is shown.
func TestReadSkipsWhatWasNotAsked(t *testing.T) {
	var steps []reader.Step
	res, err := ReadCard(context.Background(), DemoSource{}, reader.Secret{CAN: DemoSource{}.DemoCAN()}, ReadOptions{
		TrustDir: "/nonexistent/trust", SkipVerify: true, SkipFace: true,
		Progress: func(p reader.Progress) { steps = append(steps, p.Step) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Wipe()
	if res.Report != nil || res.Face != nil || res.FaceErr != nil || res.Doc == nil {
		t.Fatalf("report %v face %v (%v)", res.Report, res.Face, res.FaceErr)
	}
	for _, s := range steps {
		if s == StepVerify {
			t.Fatal("a verification step without a verification")
		}
	}
}

func TestReadCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadCard(ctx, DemoSource{}, reader.Secret{CAN: "123456"}, ReadOptions{TrustDir: t.TempDir()})
	if chiperr.KindOf(err) != chiperr.Canceled {
		t.Fatalf("%v (kind %v)", err, chiperr.KindOf(err))
	}
}

func TestReadFaultyCardsGiveTypedErrors(t *testing.T) {
	for profile, kind := range map[string]chiperr.Kind{"fault-removed": chiperr.CardRemoved, "fault-bad-mac": chiperr.Integrity} {
		_, err := ReadCard(context.Background(), DemoSource{Profile: profile}, reader.Secret{CAN: "123456"}, ReadOptions{TrustDir: t.TempDir()})
		if chiperr.KindOf(err) != kind {
			t.Errorf("%s: %v (kind %v), want %v", profile, err, chiperr.KindOf(err), kind)
		}
	}
}

func TestReaderStatus(t *testing.T) {
	states := []pcsc.ReaderState{{Name: "Virtual PCD 00 00", Empty: true}, {Name: "Virtual PCD 00 01", Present: true},
		{Name: "HID Global OMNIKEY 5022 Smart Card Reader 00 00", Empty: true}}
	st := ReaderStatus{Readers: usable(states)}
	if len(st.Readers) != 2 {
		t.Fatalf("an empty vpcd slot counts as a reader: %+v", st.Readers)
	}
	if name, _ := st.Preferred(); name != "Virtual PCD 00 01" || st.Level() != LevelCard || !st.HasCard(name) {
		t.Errorf("preferred %q level %v", name, st.Level())
	}
	if (ReaderStatus{}).Level() != LevelNoReader || (ReaderStatus{Err: chiperr.New(chiperr.NoService, "x", "")}).Level() != LevelNoService {
		t.Error("levels")
	}
	if _, ok := (ReaderStatus{}).Preferred(); ok {
		t.Error("a preferred reader among none")
	}
}

func TestDemoCardBackSealVerifies(t *testing.T) {
	img, err := DemoCardBack()
	if err != nil {
		t.Fatal(err)
	}
	src := &imageSource{img: img}
	s, err := DecodeSeal(context.Background(), src, true)
	if err != nil {
		t.Fatal(err)
	}
	if s.Signature != seal.SignatureValid {
		t.Fatalf("demo mode: %s", s.Signature)
	}
	// Outside demo mode the DEMO authority is unknown: never "valid".
	s, err = DecodeSeal(context.Background(), &imageSource{img: img}, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Signature == seal.SignatureValid {
		t.Fatal("the DEMO seal is valid outside demo mode")
	}
}

// stalledCamera never gives a frame, like a camera pointed at nothing
// until the clerk presses stop.
type stalledCamera struct{}

func (stalledCamera) Next(ctx context.Context) (image.Image, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
func (stalledCamera) Name() string { return "stalled" }
func (stalledCamera) Close() error { return nil }

func TestDecodeSealSaysWhyNothingWasFound(t *testing.T) {
	// The frames ran out: the last decoding failure says why.
	_, err := DecodeSeal(context.Background(), &imageSource{img: image.NewGray(image.Rect(0, 0, 200, 200))}, true)
	if err == nil || chiperr.KindOf(err) == chiperr.Canceled {
		t.Fatalf("blank image: %v", err)
	}
	// A live scan stopped: the stop says why, as a typed error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := DecodeSeal(ctx, stalledCamera{}, true); chiperr.KindOf(err) != chiperr.Canceled {
		t.Fatalf("stopped scan: %v (kind %v)", err, chiperr.KindOf(err))
	}
}
