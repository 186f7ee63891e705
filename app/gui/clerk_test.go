package gui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/internal/demoseal"
	"github.com/cnie-reader/cnie-reader/reader/verify"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
)

// demoCardBack writes the back of the DEMO card, seal included, to a PNG.
func demoCardBack(t *testing.T) string {
	t.Helper()
	img, err := core.DemoCardBack()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "back.png")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestClerkChipAndSealThenNextCard(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	if u.Window.Canvas().Focused() != c.can {
		t.Error("focus does not start in the CAN field")
	}
	onUI(func() { test.Tap(c.demo) })
	if c.can.Text != "123456" || c.read.Disabled() {
		t.Fatalf("demo CAN %q, read enabled %v", c.can.Text, !c.read.Disabled())
	}
	onUI(func() { test.Tap(c.read) })
	waitFor(t, "chip read", func() bool { return u.Clerk.State().Identity != nil })
	waitFor(t, "chip on screen", func() bool { return c.chipPanel.object.Visible() && len(c.chipPanel.claims.Objects) == 4 })
	if st := u.Clerk.State(); st.Verdict.Level != verify.NotPossible || !strings.Contains(c.vtext.Text, "cachet") {
		t.Errorf("before the seal: %+v / %q", st.Verdict, c.vtext.Text)
	}

	onUI(func() { u.Clerk.ScanImage(demoCardBack(t)) })
	waitFor(t, "seal read", func() bool { st := u.Clerk.State(); return !st.SealBusy && (st.Seal != nil || st.SealProblem != nil) })
	st := u.Clerk.State()
	if st.SealProblem != nil {
		t.Fatalf("seal: %+v", st.SealProblem)
	}
	if st.Seal.Signature != seal.SignatureValid {
		t.Fatalf("seal signature %s", st.Seal.Signature)
	}
	same := 0
	for _, r := range st.Rows {
		if r.Agreement == viewmodel.Different {
			t.Errorf("%s differs: chip %q seal %q", r.Field, r.Chip, r.Seal)
		}
		if r.Agreement == viewmodel.Same {
			same++
		}
	}
	if same < 5 || st.Verdict.Level != verify.Passed {
		t.Fatalf("%d fields agree, verdict %+v", same, st.Verdict)
	}
	waitFor(t, "table on screen", func() bool { return len(c.rows.Objects) == 4*(len(st.Rows)+1) })
	if !strings.Contains(c.vtext.Text, "DÉMO") {
		t.Errorf("verdict %q", c.vtext.Text)
	}

	// Next card: nothing of this holder stays, on screen or in the model.
	res := st.Reading.Result
	onUI(func() { test.Tap(c.next) })
	st = u.Clerk.State()
	if st.Identity != nil || st.Seal != nil || st.Rows != nil || st.Reading.Result != nil || res.Doc != nil || res.Face != nil {
		t.Fatal("the previous holder is still in memory")
	}
	if c.can.Text != "" || c.chipPanel.object.Visible() || len(c.rows.Objects) != 0 || c.sealWhat.Visible() ||
		len(c.chipPanel.fields.Objects) != 0 || c.chipPanel.photo.Objects != nil {
		t.Fatal("the previous holder is still on screen")
	}
}

func TestClerkSealDiffersFromChip(t *testing.T) {
	// A genuine-looking seal of another (invented) holder on the card's back.
	payload, err := demoseal.TwoDDoc(demoseal.Holder{Surname: "SPECIMEN", GivenNames: "ANNA", DocumentNumber: "X4RTBPFW4",
		Sex: "F", Nationality: "FR", BirthDate: time.Date(1980, 6, 15, 0, 0, 0, 0, time.UTC)}, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	dm, err := demoseal.DataMatrix(payload, 4)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, demoseal.CardBack([]string{"IDFRAX4RTBPFW46<<<<<<<<<<<<<<<", "8006152F3406150FRA<<<<<<<<<<<4", "SPECIMEN<<ANNA<<<<<<<<<<<<<<<<"}, dm)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "other.png")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	u := newTestUI(t, "en", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	onUI(func() { test.Tap(c.demo) })
	onUI(func() { test.Tap(c.read) })
	waitFor(t, "chip read", func() bool { return u.Clerk.State().Identity != nil })
	onUI(func() { u.Clerk.ScanImage(path) })
	waitFor(t, "seal read", func() bool { st := u.Clerk.State(); return !st.SealBusy && st.Seal != nil })
	st := u.Clerk.State()
	differ := map[string]bool{}
	for _, r := range st.Rows {
		if r.Agreement == viewmodel.Different {
			differ[r.Field] = true
		}
	}
	for _, f := range []string{"surname", "given_names", "document_number", "birth_date"} {
		if !differ[f] {
			t.Errorf("%s not marked different: %+v", f, st.Rows)
		}
	}
	if st.Verdict.Level != verify.Failed {
		t.Fatalf("verdict %+v", st.Verdict)
	}
	waitFor(t, "verdict on screen", func() bool { return c.vtext.Text == st.Verdict.Message })
	if !strings.Contains(c.vtext.Text, "DIFFER") {
		t.Errorf("verdict %q", c.vtext.Text)
	}
}

func TestClerkCameraPreview(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	path := demoCardBack(t)
	u.Clerk.OpenCamera = func() (camera.Source, error) { return camera.OpenFile(path), nil }
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	onUI(func() { test.Tap(c.demo) }) // the DEMO seal authority counts only in demo mode
	onUI(func() { test.Tap(c.camera) })
	waitFor(t, "seal from the camera", func() bool { st := u.Clerk.State(); return !st.SealBusy && st.Seal != nil })
	if st := u.Clerk.State(); st.Seal.Signature != seal.SignatureValid || st.Verdict.Level != verify.NotPossible {
		t.Fatalf("signature %s, verdict %+v (no chip yet)", st.Seal.Signature, st.Verdict)
	}
}

func TestClerkNoCamera(t *testing.T) {
	u := newTestUI(t, "en", "", noReader)
	u.Clerk.OpenCamera = func() (camera.Source, error) { return nil, camera.ErrNoCamera }
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	onUI(func() { test.Tap(c.camera) })
	waitFor(t, "camera problem", func() bool { st := u.Clerk.State(); return !st.SealBusy && st.SealProblem != nil })
	waitFor(t, "problem shown", func() bool { return c.sealProblem.object.Visible() && c.sealProblem.message.Text != "" })
}

// TestClerkKeyboardOnly: the counter screen with Tab and Enter alone.
func TestClerkKeyboardOnly(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	c := u.Window.Canvas()
	onUI(func() { test.FocusNext(c) }) // home: from "Lire ma carte" to "Vérifier une carte"
	onUI(func() { press(c, fyne.KeyReturn) })
	k := u.clerkView()
	if c.Focused() != k.can {
		t.Fatalf("focus on %T, not the CAN field", c.Focused())
	}
	tabTo := func(target fyne.Focusable) {
		t.Helper()
		for i := 0; i < 20 && c.Focused() != target; i++ {
			onUI(func() { test.FocusNext(c) })
		}
		if c.Focused() != target {
			t.Fatalf("Tab never reaches %T", target)
		}
	}
	tabTo(k.demo)
	onUI(func() { press(c, fyne.KeyReturn) })
	if !k.demo.Checked || k.can.Text != "123456" {
		t.Fatalf("Enter on the box: checked %v, CAN %q", k.demo.Checked, k.can.Text)
	}
	tabTo(k.read)
	onUI(func() { press(c, fyne.KeyEnter) })
	waitFor(t, "chip read", func() bool { return u.Clerk.State().Identity != nil })
	tabTo(k.next)
	onUI(func() { press(c, fyne.KeyReturn) })
	if u.Clerk.State().Identity != nil || k.can.Text != "" {
		t.Fatal("Enter on Next card did not clear")
	}
}

func TestClerkMRZDialog(t *testing.T) {
	u := newTestUI(t, "fr", "", noReader)
	onUI(func() { test.Tap(u.screens[ScreenHome].(*homeView).clerk) })
	c := u.clerkView()
	onUI(func() { test.Tap(c.demo) })
	onUI(func() { test.Tap(c.mrz) })
	if u.Window.Canvas().Overlays().Top() == nil {
		t.Fatal("no MRZ form")
	}
}
