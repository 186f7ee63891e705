package pcsc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/sim/vpcd"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// These tests go through the real PC/SC stack: pcscd with vsmartcard's vpcd
// driver, which the virtual card joins over TCP. `make test` installs and
// starts both; a missing pcscd is a failure here, not a skip. Only -short
// (the quick edit loop) leaves them out.

const (
	vpcdSlot0 = "127.0.0.1:35963"
	// pcscd names vpcd's slots "Virtual PCD 00 00" and "Virtual PCD 00 01".
	slot0 = "Virtual PCD 00 00"
	slot1 = "Virtual PCD 00 01"
)

func needPCSCD(t testing.TB) *pcsc.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the pcscd tests run in `make test`")
	}
	pc, err := pcsc.Establish()
	if err != nil {
		t.Fatalf("pcscd is required (make test starts it): %v", err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

func readerNamed(t testing.TB, pc *pcsc.Context, prefix string) string {
	t.Helper()
	names, err := pc.Readers()
	if err != nil {
		t.Fatalf("list readers: %v", err)
	}
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			return n
		}
	}
	t.Fatalf("no reader %q among %q: is vsmartcard-vpcd installed and pcscd restarted after it?", prefix, names)
	return ""
}

// insert serves a virtual card on vpcd's first slot until the test ends,
// and returns a connection to it once pcscd sees it.
func insert(t testing.TB, pc *pcsc.Context, profile string) *pcsc.Card {
	t.Helper()
	card, err := sim.NewNamed(profile)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(ctx, vpcdSlot0, card) }()
	t.Cleanup(func() {
		cancel()
		<-served
		waitAbsent(t, pc)
	})
	name := readerNamed(t, pc, slot0)
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := pc.Connect(name)
		if err == nil {
			t.Cleanup(func() { c.Close() })
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the virtual card never appeared in %q: %v", name, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitAbsent waits until pcscd notices the virtual card has gone, so that
// the next test starts with an empty slot. A card put back within the same
// polling period is missed by pcscd (seen with vpcd: it then never reports
// the new card), so the slot also stays empty for a second, as with a
// person's hand.
func waitAbsent(t testing.TB, pc *pcsc.Context) {
	name := readerNamed(t, pc, slot0)
	for i := 0; i < 100; i++ {
		c, err := pc.Connect(name)
		if err != nil {
			time.Sleep(time.Second)
			return
		}
		c.Close()
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("the virtual card is still present in %q", name)
}

func TestReadThroughPCSCD(t *testing.T) {
	pc := needPCSCD(t)
	for _, profile := range []string{"cnie", "passport"} {
		t.Run(profile, func(t *testing.T) {
			card := insert(t, pc, profile)
			atr, err := card.ATR()
			if err != nil || len(atr) < 4 || atr[0] != 0x3B {
				t.Fatalf("ATR %X, %v", atr, err)
			}
			p, _ := sim.LookupProfile(profile)
			secret := reader.Secret{CAN: p.CAN}
			if p.CAN == "" {
				secret = reader.Secret{MRZ: p.MRZInformation()}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			doc, err := reader.Read(ctx, card, secret, reader.Options{})
			if err != nil {
				t.Fatalf("read through pcscd: %v", err)
			}
			if doc.MRZ == nil || doc.MRZ.DocumentNumber != p.MRZ.DocumentNumber {
				t.Errorf("MRZ %+v", doc.MRZ)
			}
			if len(doc.DataGroups[2]) == 0 {
				t.Error("no face")
			}
			if doc.ActiveAuth.Outcome != document.Passed {
				t.Errorf("active authentication %s: %v", doc.ActiveAuth.Outcome, doc.ActiveAuth.Error)
			}
			t.Logf("%s through pcscd: %d APDUs, %d bytes, extended=%v, %v",
				profile, doc.Stats.APDUs, doc.Stats.BytesSent+doc.Stats.BytesReceived, doc.Stats.Extended, doc.Duration)
		})
	}
}

func TestCardRemovedMidRead(t *testing.T) {
	pc := needPCSCD(t)
	card := insert(t, pc, "fault-removed")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := reader.Read(ctx, card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if !errors.Is(err, chiperr.CardRemoved) {
		t.Fatalf("got %v, want CardRemoved", err)
	}
}

func TestEmptySlot(t *testing.T) {
	pc := needPCSCD(t)
	_, err := pc.Connect(readerNamed(t, pc, slot1))
	if !errors.Is(err, chiperr.NoCard) {
		t.Fatalf("got %v, want NoCard", err)
	}
}

// BenchmarkReadThroughPCSCD is the full read of the default virtual CNIE
// through pcscd and vpcd, to set against reader's in-process BenchmarkReadCNIE.
func BenchmarkReadThroughPCSCD(b *testing.B) {
	pc := needPCSCD(b)
	conn := insert(b, pc, "cnie")
	var last *reader.Document
	var err error
	for b.Loop() {
		if last, err = reader.Read(context.Background(), conn, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(last.Stats.APDUs), "apdus/read")
	b.ReportMetric(float64(last.Stats.BytesSent+last.Stats.BytesReceived), "wirebytes/read")
}
