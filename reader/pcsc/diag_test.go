package pcsc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/internal/diag"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/sim/vpcd"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// serveOn puts a virtual card on vpcd's first slot until the test ends,
// and waits until pcscd sees it.
func serveOn(t *testing.T, pc *pcsc.Context, profile string) {
	t.Helper()
	card, err := sim.NewNamed(profile)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Serve(ctx, vpcdSlot0, card) }()
	t.Cleanup(func() { cancel(); <-done; waitAbsent(t, pc) })
	wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer wcancel()
	if err := pc.WaitForCard(wctx, readerNamed(t, pc, slot0)); err != nil {
		t.Fatalf("the virtual card never appeared: %v", err)
	}
}

func runDiag(t *testing.T, can string) (*diag.Report, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := diag.Run(ctx, diag.Options{CAN: can})
	var b strings.Builder
	explain.WriteDiagnosisIn(i18n.Locale{Lang: "en"}, &b, r)
	t.Logf("diagnosis:\n%s", b.String())
	return r, b.String()
}

func TestDiagAllFine(t *testing.T) {
	pc := needPCSCD(t)
	serveOn(t, pc, "cnie")
	r, text := runDiag(t, sim.DefaultCAN)
	if !r.Service.Reachable || !r.SelfTest.Passed {
		t.Fatalf("service %+v self-test %+v", r.Service, r.SelfTest)
	}
	var rd *diag.Reader
	for i := range r.Readers {
		if strings.HasPrefix(r.Readers[i].Name, slot0) {
			rd = &r.Readers[i]
		}
	}
	if rd == nil || rd.Card != "present" || rd.Extended != "yes" || rd.ATR == "" {
		t.Fatalf("reader %+v", rd)
	}
	if rd.TestRead == nil || !rd.TestRead.OK {
		t.Errorf("test read %+v", rd.TestRead)
	}
	if v := explain.DiagnosisIn(i18n.Locale{Lang: "en"}, r); !strings.Contains(v, "ready") {
		t.Errorf("verdict %q\n%s", v, text)
	}
	// Nothing personal in the diagnosis.
	for _, secret := range []string{"DEMO00001", "CAMILLE", "123456"} {
		if strings.Contains(text, secret) {
			t.Errorf("the diagnosis shows %q", secret)
		}
	}
}

func TestDiagCardRemoved(t *testing.T) {
	pc := needPCSCD(t)
	serveOn(t, pc, "fault-removed")
	r, text := runDiag(t, sim.DefaultCAN)
	if !strings.Contains(text, "The card was removed during reading") || !strings.Contains(explain.DiagnosisIn(i18n.Locale{Lang: "en"}, r), "not possible") {
		t.Errorf("card removal not explained:\n%s", text)
	}
}

func TestDiagWithoutPCSCD(t *testing.T) {
	needPCSCD(t)
	t.Cleanup(func() {
		if !pcscdRunning() {
			asRoot(t, "pcscd")
			waitFor(t, "vpcd listens again", vpcdListening)
		}
	})
	asRoot(t, "pkill", "-x", "pcscd")
	waitFor(t, "pcscd has stopped", func() bool { return !pcscdRunning() })
	r, text := runDiag(t, "")
	if r.Service.Reachable || r.Service.Running {
		t.Errorf("service %+v", r.Service)
	}
	if !strings.Contains(text, "pcscd is not running") || !strings.Contains(text, "systemctl start pcscd") {
		t.Errorf("no pcscd not explained:\n%s", text)
	}
	if !r.SelfTest.Passed {
		t.Error("the self-test needs no pcscd and must pass")
	}
}
