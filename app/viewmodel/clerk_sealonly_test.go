package viewmodel

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader/verify"
	"github.com/cnie-reader/cnie-reader/seal"
)

// writePNG saves img to a temporary PNG file.
func writePNG(t *testing.T, name string, img image.Image) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

func demoBackFile(t *testing.T) string {
	t.Helper()
	img, err := core.DemoCardBack()
	if err != nil {
		t.Fatal(err)
	}
	return writePNG(t, "back.png", img)
}

func waitSeal(t *testing.T, c *Clerk) ClerkState {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for c.State().SealBusy && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	st := c.State()
	if st.SealBusy {
		t.Fatal("the seal scan never ended")
	}
	return st
}

// A seal read alone has its own verdict, about the seal, and says that
// comparing needs the chip; never "Read the chip first" beside a valid
// seal (issue 17 item 9).
func TestClerkSealOnlyVerdict(t *testing.T) {
	defer i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"})
	back := demoBackFile(t)
	blank := writePNG(t, "blank.png", image.NewGray(image.Rect(0, 0, 320, 240)))
	for _, c := range []struct{ lang, valid, unknown, unreadable, next string }{
		{"fr", "Cachet valide — puce non lue", "Cachet non vérifiable : signataire inconnu — puce non lue",
			"Cachet illisible — puce non lue", "Pour comparer le cachet avec la puce, lisez la puce."},
		{"en", "Seal valid — chip not read", "Seal not verifiable: unknown signer — chip not read",
			"Seal unreadable — chip not read", "To compare the seal with the chip, read the chip."},
	} {
		if err := i18n.Use(i18n.Locale{Lang: c.lang}); err != nil {
			t.Fatal(err)
		}
		clerk := NewClerk(NewApp(Env{TrustDir: t.TempDir()}))
		if v := clerk.State().Verdict; v.Message != i18n.T("clerk.verdict.no_chip") || v.Next != "" {
			t.Errorf("%s: nothing read yet: %+v", c.lang, v)
		}
		clerk.UseDemo(true)
		clerk.ScanImage(back)
		st := waitSeal(t, clerk)
		if st.Seal == nil || st.Seal.Signature != seal.SignatureValid {
			t.Fatalf("%s: seal %+v, problem %+v", c.lang, st.Seal, st.SealProblem)
		}
		if v := st.Verdict; v.Message != c.valid || v.Next != c.next || v.Level != verify.NotPossible {
			t.Errorf("%s: valid seal alone: %+v", c.lang, v)
		}
		clerk.UseDemo(false) // the DEMO authority is no longer admitted
		if v := clerk.State().Verdict; v.Message != c.unknown || v.Next != c.next {
			t.Errorf("%s: unknown signer alone: %+v", c.lang, v)
		}
		clerk.ScanImage(blank)
		if v := waitSeal(t, clerk).Verdict; v.Message != c.unreadable || v.Next != c.next {
			t.Errorf("%s: unreadable seal alone: %+v", c.lang, v)
		}
	}
}

// The seal's verdict follows the DEMO box whenever it is ticked: a DEMO
// seal read before the box was ticked turns valid once it is, and unknown
// again once it is not (it used to keep the mode of its decoding).
func TestClerkSealFollowsDemoMode(t *testing.T) {
	clerk := NewClerk(NewApp(Env{TrustDir: t.TempDir()}))
	clerk.ScanImage(demoBackFile(t))
	if s := waitSeal(t, clerk).Seal; s == nil || s.Signature != seal.SignatureNotOffline || s.Why.Code != seal.WhyUnknownAuthority {
		t.Fatalf("box unticked: %+v", s)
	}
	clerk.UseDemo(true)
	if s := clerk.State().Seal; s.Signature != seal.SignatureValid {
		t.Fatalf("box ticked after the seal was read: %s", s.Signature)
	}
	clerk.UseDemo(false)
	if s := clerk.State().Seal; s.Signature != seal.SignatureNotOffline {
		t.Fatalf("box unticked again: %s", s.Signature)
	}
	// The DEMO chip read counts as the DEMO mode too, box or not.
	clerk.UseDemo(true)
	clerk.SetCAN(clerk.App.Demo().DemoCAN())
	if !clerk.ReadChip() {
		t.Fatal("no DEMO read")
	}
	deadline := time.Now().Add(30 * time.Second)
	for clerk.State().Reading.Phase != Done && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	clerk.UseDemo(false)
	if st := clerk.State(); st.Seal.Signature != seal.SignatureValid || st.Verdict.Level != verify.Passed {
		t.Fatalf("DEMO chip read: seal %s, verdict %+v", st.Seal.Signature, st.Verdict)
	}
}

// A field one side does not give says so in words, never a bare "?"
// (the DEMO seal carries no expiry date).
func TestClerkRowWithoutValueSaysSo(t *testing.T) {
	defer i18n.Use(i18n.Locale{Lang: "fr", Region: "FR"})
	if err := i18n.Use(i18n.Locale{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	clerk := NewClerk(NewApp(Env{TrustDir: t.TempDir()}))
	clerk.UseDemo(true)
	clerk.SetCAN(clerk.App.Demo().DemoCAN())
	clerk.ReadChip()
	clerk.ScanImage(demoBackFile(t))
	waitSeal(t, clerk)
	deadline := time.Now().Add(30 * time.Second)
	for len(clerk.State().Rows) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	unknown := 0
	for _, r := range clerk.State().Rows {
		if r.Chip == "" || r.Seal == "" || r.Chip == "?" || r.Seal == "?" {
			t.Errorf("%s: chip %q, seal %q", r.Field, r.Chip, r.Seal)
		}
		if r.Agreement == Unknown {
			unknown++
			if r.Chip != "not given" && r.Seal != "not given" {
				t.Errorf("%s is not compared but both sides show a value: %+v", r.Field, r)
			}
		}
	}
	if unknown == 0 {
		t.Fatal("no row without a value: the test no longer tests anything")
	}
}
