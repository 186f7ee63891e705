package reader_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// isPACESetAT recognises MSE:Set AT for PACE (00 22 C1 A4), sent in clear.
func isPACESetAT(apdu []byte) bool {
	return len(apdu) >= 4 && apdu[0] == 0x00 && apdu[1] == 0x22 && apdu[2] == 0xC1 && apdu[3] == 0xA4
}

// paceCounter counts the PACE runs and the BAC starts (GET CHALLENGE) on the wire.
type paceCounter struct {
	t         iso7816.Transmitter
	pace, bac atomic.Int64
}

func (c *paceCounter) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	switch {
	case isPACESetAT(apdu):
		c.pace.Add(1)
	case len(apdu) >= 2 && apdu[0] == 0x00 && apdu[1] == 0x84:
		c.bac.Add(1)
	}
	return c.t.Transmit(ctx, apdu)
}

// shortOnlyAPDUs is what the read of profile costs with short APDUs from the start.
func shortOnlyAPDUs(t *testing.T, profile string) int {
	t.Helper()
	card, _ := sim.NewNamed(profile)
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{ShortOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Stats.APDUs
}

// When the card (6700 outside secure messaging) or the reader (a transport
// error) refuses extended length, the read goes on with short APDUs in the
// same PACE session: one refused exchange more than a short read from the
// start, never a second PACE.
func TestReadShortFallbackSameSession(t *testing.T) {
	cases := []struct {
		name string
		wire func(sim.Chip) iso7816.Transmitter
		card string
	}{
		{"card without extended length", func(c sim.Chip) iso7816.Transmitter { return c }, "cnie-short"},
		{"short-APDU reader", func(c sim.Chip) iso7816.Transmitter { return sim.ShortAPDUReader{Card: c} }, "cnie"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			short := shortOnlyAPDUs(t, tc.card)
			card, _ := sim.NewNamed(tc.card)
			wire := &paceCounter{t: tc.wire(card)}
			doc, err := reader.Read(context.Background(), wire, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Stats.Extended || doc.Stats.Chunk != files.ShortChunk {
				t.Errorf("stats say extended=%v chunk=%d after the fallback", doc.Stats.Extended, doc.Stats.Chunk)
			}
			if n := wire.pace.Load(); n != 1 {
				t.Errorf("%d PACE runs, want 1", n)
			}
			if doc.Stats.APDUs > short+1 || doc.Stats.APDUs > leastShortAPDUs(doc)+1 {
				t.Errorf("%d APDUs, want at most %d (short APDUs from the start: %d, plus the refused one)", doc.Stats.APDUs, short+1, short)
			}
			if len(doc.DataGroups[2]) == 0 || doc.ChipAuth.Outcome != document.Passed || doc.ActiveAuth.Outcome != document.Passed {
				t.Errorf("DG2 %d bytes, CA %s, AA %s", len(doc.DataGroups[2]), doc.ChipAuth.Outcome, doc.ActiveAuth.Outcome)
			}
		})
	}
}

// droppingCard is a card that, refusing an extended-length command, also
// ends secure messaging (a plain command does that on the virtual card).
type droppingCard struct {
	sim.Chip
	dropped bool
}

func (d *droppingCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if cmd, err := iso7816.ParseCommand(apdu); err == nil && cmd.IsExtended() && cmd.CLA&0x0C == 0x0C && !d.dropped {
		d.dropped = true
		if _, err := d.Chip.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00}); err != nil {
			return nil, err
		}
		return []byte{0x67, 0x00}, nil
	}
	return d.Chip.Transmit(ctx, apdu)
}

// A card that drops the session when it refuses extended length leaves the
// reader one way on: a new PACE, then short reads.
func TestReadShortFallbackReopens(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	wire := &paceCounter{t: &droppingCard{Chip: card}}
	doc, err := reader.Read(context.Background(), wire, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := wire.pace.Load(); n != 2 {
		t.Errorf("%d PACE runs, want 2", n)
	}
	if doc.Stats.Extended || len(doc.CardSecurity) == 0 || len(doc.DataGroups[2]) == 0 {
		t.Errorf("extended=%v, EF.CardSecurity %d bytes, DG2 %d bytes", doc.Stats.Extended, len(doc.CardSecurity), len(doc.DataGroups[2]))
	}
}

// paceRefuser answers one PACE command with a status word that is not a
// refused key, before the card sees it.
type paceRefuser struct {
	t       iso7816.Transmitter
	ins     byte // 0x22 (MSE:Set AT) or 0x86 (General Authenticate)
	sw      uint16
	refused bool
}

func (p *paceRefuser) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	plain := len(apdu) >= 2 && apdu[0]&0x0C == 0
	if plain && apdu[1] == p.ins && (p.ins != 0x22 || isPACESetAT(apdu)) && !p.refused {
		p.refused = true
		return []byte{byte(p.sw >> 8), byte(p.sw)}, nil
	}
	return p.t.Transmit(ctx, apdu)
}

// paceAndBAC is a document that offers both PACE and BAC, as passports
// and identity cards did during the transition.
func paceAndBAC(t *testing.T) (sim.Chip, *sim.Profile) {
	t.Helper()
	p, _ := sim.LookupProfile("cnie")
	p.BAC = true
	card, err := sim.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return card, p
}

func TestReadPACEFallsBackToBAC(t *testing.T) {
	for _, refusal := range []struct {
		name string
		ins  byte
		sw   uint16
	}{
		{"MSE:Set AT refused", 0x22, iso7816.SWWrongData},
		{"General Authenticate refused", 0x86, iso7816.SWNoPreciseDiagnosis},
	} {
		t.Run(refusal.name, func(t *testing.T) {
			card, p := paceAndBAC(t)
			wire := &paceCounter{t: &paceRefuser{t: card, ins: refusal.ins, sw: refusal.sw}}
			doc, err := reader.Read(context.Background(), wire, reader.Secret{MRZ: p.MRZInformation()}, reader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Access.Protocol != "BAC" || wire.pace.Load() != 1 || wire.bac.Load() != 1 {
				t.Errorf("access %+v after %d PACE and %d BAC runs, want BAC after one of each", doc.Access, wire.pace.Load(), wire.bac.Load())
			}
			if doc.CardSecurity != nil {
				t.Error("EF.CardSecurity read after BAC")
			}
			if doc.MRZ == nil || doc.MRZ.DocumentNumber != p.MRZ.DocumentNumber {
				t.Errorf("MRZ %+v", doc.MRZ)
			}
		})
	}
}

func TestReadPACENoFallback(t *testing.T) {
	wrongMRZ := "L898902C<369080619406236"
	cases := []struct {
		name    string
		refuse  bool   // the card refuses MSE:Set AT (6A80)
		can     bool   // open with the CAN rather than the MRZ
		mrz     string // when set, this MRZ rather than the card's
		bacRuns int64
		want    chiperr.Kind
	}{
		{"CAN never falls back", true, true, "", 0, chiperr.Unsupported},
		{"wrong MRZ refused by PACE", false, false, wrongMRZ, 0, chiperr.AccessDenied},
		{"wrong MRZ refused by BAC after PACE failed", true, false, wrongMRZ, 1, chiperr.AccessDenied},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			card, p := paceAndBAC(t)
			var wire iso7816.Transmitter = card
			if tc.refuse {
				wire = &paceRefuser{t: card, ins: 0x22, sw: iso7816.SWWrongData}
			}
			counted := &paceCounter{t: wire}
			secret := reader.Secret{MRZ: p.MRZInformation()}
			switch {
			case tc.can:
				secret = reader.Secret{CAN: sim.DefaultCAN}
			case tc.mrz != "":
				secret.MRZ = tc.mrz
			}
			_, err := reader.Read(context.Background(), counted, secret, reader.Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want kind %v", err, tc.want)
			}
			if n := counted.bac.Load(); n != tc.bacRuns {
				t.Errorf("%d BAC attempts, want %d", n, tc.bacRuns)
			}
		})
	}
}

// A card that offers PACE only: when PACE fails, BAC is tried once, and
// the error shown is PACE's, which explains.
func TestReadPACEFallbackWithoutBAC(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	wire := &paceCounter{t: &paceRefuser{t: card, ins: 0x22, sw: iso7816.SWWrongData}}
	p := card.Profile()
	_, err := reader.Read(context.Background(), wire, reader.Secret{MRZ: p.MRZInformation()}, reader.Options{})
	if !errors.Is(err, chiperr.Unsupported) || wire.bac.Load() != 1 {
		t.Fatalf("got %v after %d BAC attempts, want the PACE refusal (Unsupported) after 1", err, wire.bac.Load())
	}
}

// bareNotFound answers the READ BINARY of SFI 1D in the master file
// (EF.CardSecurity) with a bare 6A82, outside secure messaging, and ends
// its session, as some cards do.
type bareNotFound struct {
	sim.Chip
	inApp bool
}

func (b *bareNotFound) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if len(apdu) >= 3 && apdu[0] == 0x0C && apdu[1] == 0xA4 && apdu[2] == 0x04 {
		b.inApp = true
	}
	if protectedRead(apdu) && apdu[2] == 0x9D && !b.inApp {
		if _, err := b.Chip.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00}); err != nil {
			return nil, err
		}
		return []byte{0x6A, 0x82}, nil
	}
	return b.Chip.Transmit(ctx, apdu)
}

// Without EF.CardSecurity the read goes on, under a new session if the
// card's refusal ended the first one.
func TestReadCardSecurityRefusedOutsideSM(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	wire := &paceCounter{t: &bareNotFound{Chip: card}}
	doc, err := reader.Read(context.Background(), wire, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.CardSecurity != nil || wire.pace.Load() != 2 || len(doc.DataGroups[2]) == 0 {
		t.Errorf("EF.CardSecurity %d bytes, %d PACE runs, DG2 %d bytes; want none, 2, the photo",
			len(doc.CardSecurity), wire.pace.Load(), len(doc.DataGroups[2]))
	}
}

// BenchmarkReadShortAPDUs is what a read costs without extended length:
// learnt during the read (a card or a reader that refuses it), or known
// beforehand (Options.ShortOnly, a reader remembered as short-only).
func BenchmarkReadShortAPDUs(b *testing.B) {
	cases := []struct {
		name, profile string
		shortReader   bool
		opts          reader.Options
	}{
		{"cnie-short/learnt", "cnie-short", false, reader.Options{}},
		{"cnie-short/known", "cnie-short", false, reader.Options{ShortOnly: true}},
		{"cnie/short-reader/learnt", "cnie", true, reader.Options{}},
		{"cnie/short-reader/known", "cnie", true, reader.Options{ShortOnly: true}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			card, _ := sim.NewNamed(tc.profile)
			var wire iso7816.Transmitter = card
			if tc.shortReader {
				wire = sim.ShortAPDUReader{Card: card}
			}
			var last *reader.Document
			for b.Loop() {
				doc, err := reader.Read(context.Background(), wire, reader.Secret{CAN: sim.DefaultCAN}, tc.opts)
				if err != nil {
					b.Fatal(err)
				}
				last = doc
			}
			b.ReportMetric(float64(last.Stats.APDUs), "apdus/read")
			b.ReportMetric(float64(last.Stats.BytesSent+last.Stats.BytesReceived), "wirebytes/read")
		})
	}
}
