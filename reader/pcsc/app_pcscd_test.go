package pcsc_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/sim/vpcd"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// TestApplicationReaderPath is the GUI's real-reader path through pcscd:
// the monitor that drives the status line and the wizard, then a read that
// waits for the card on the reader. It lives here, with the other pcscd
// tests, so that no other package's test restarts pcscd under it.
func TestApplicationReaderPath(t *testing.T) {
	pc := needPCSCD(t)
	var mu sync.Mutex
	var last core.ReaderStatus
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go core.PCSCMonitor{Retry: 200 * time.Millisecond}.Watch(ctx, func(s core.ReaderStatus) {
		mu.Lock()
		last = s
		mu.Unlock()
	})
	waitStatus := func(what string, ok func(core.ReaderStatus) bool) core.ReaderStatus {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			s := last
			mu.Unlock()
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: status %+v", what, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Empty vpcd slots are not readers a citizen can use.
	waitStatus("no usable reader", func(s core.ReaderStatus) bool { return s.Err == nil && s.Level() == core.LevelNoReader })

	// The read starts before the card is there, as when the wizard waits.
	name := readerNamed(t, pc, slot0)
	type outcome struct {
		res *core.ReadResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := core.ReadCard(ctx, core.ReaderSource{Reader: name}, reader.Secret{CAN: sim.DefaultCAN}, core.ReadOptions{TrustDir: t.TempDir()})
		done <- outcome{res, err}
	}()
	time.Sleep(300 * time.Millisecond)
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(sctx, vpcdSlot0, card) }()
	var once sync.Once
	takeCardAway := func() { once.Do(func() { stop(); <-served; waitAbsent(t, pc) }) }
	defer takeCardAway()
	s := waitStatus("card present", func(s core.ReaderStatus) bool { return s.Level() == core.LevelCard })
	if got, _ := s.Preferred(); got != name {
		t.Errorf("preferred reader %q, want %q", got, name)
	}
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	defer o.res.Wipe()
	// Through a real reader the virtual card's demo CSCA is not trusted: the
	// same chip that is "demo" in-process is "not proven" here.
	if o.res.Demo || o.res.Report.Verdict != verify.NotProven || o.res.Face == nil {
		t.Errorf("demo %v verdict %s face %v", o.res.Demo, o.res.Report.Verdict, o.res.Face != nil)
	}
	takeCardAway()
	waitStatus("card gone", func(s core.ReaderStatus) bool { return s.Level() == core.LevelNoReader })
}
