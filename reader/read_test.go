package reader_test

import (
	"context"
	"encoding/asn1"
	"errors"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// secretFor gives the secret a holder of the profile's document would type.
func secretFor(p *sim.Profile) reader.Secret {
	if p.CAN != "" {
		return reader.Secret{CAN: p.CAN}
	}
	return reader.Secret{MRZ: p.MRZInformation()}
}

// insCounter counts the commands of each instruction on the wire.
type insCounter struct {
	t     iso7816.Transmitter
	count [256]atomic.Int64
}

func (c *insCounter) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if len(apdu) >= 2 {
		c.count[apdu[1]].Add(1)
	}
	return c.t.Transmit(ctx, apdu)
}

func TestReadEveryProfile(t *testing.T) {
	for _, name := range sim.ProfileNames() {
		p, _ := sim.LookupProfile(name)
		if p.Fault != sim.NoFault {
			continue
		}
		t.Run(name, func(t *testing.T) {
			card, err := sim.New(p)
			if err != nil {
				t.Fatal(err)
			}
			wire := &insCounter{t: card}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			doc, err := reader.Read(ctx, wire, secretFor(p), reader.Options{})
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			m := doc.MRZ
			if m == nil || !m.Valid() {
				t.Fatalf("MRZ missing or invalid: %+v", m)
			}
			if m.DocumentNumber != p.MRZ.DocumentNumber || m.PrimaryIdentifier != p.MRZ.PrimaryIdentifier ||
				m.SecondaryIdentifier != p.MRZ.SecondaryIdentifier || m.BirthDate != p.MRZ.BirthDate {
				t.Errorf("MRZ %+v does not match the card's %+v", m, p.MRZ)
			}
			wantAccess := "BAC"
			if len(p.PACE) > 0 {
				wantAccess = "PACE"
			}
			if doc.Access.Protocol != wantAccess {
				t.Errorf("access %q, want %q", doc.Access.Protocol, wantAccess)
			}
			if len(doc.DataGroups[2]) == 0 {
				t.Error("no DG2 (face)")
			}
			wantCA := document.NotOffered
			switch {
			case p.TrustFault == sim.TrustClonedChip:
				wantCA = document.Failed
			case p.CA != nil:
				wantCA = document.Passed
			}
			if doc.ChipAuth.Outcome != wantCA {
				t.Errorf("chip authentication %q (%v), want %q", doc.ChipAuth.Outcome, doc.ChipAuth.Error, wantCA)
			}
			wantAA := document.NotOffered
			if p.AA.Kind != sim.NoAA {
				wantAA = document.Passed
			}
			if doc.ActiveAuth.Outcome != wantAA {
				t.Errorf("active authentication %q (%v), want %q", doc.ActiveAuth.Outcome, doc.ActiveAuth.Error, wantAA)
			}
			if slices.Contains(p.EAC, 3) && !slices.Contains(doc.Protected, 3) {
				t.Error("DG3 not reported as protected by terminal authentication")
			}
			if doc.Stats.Extended != p.ExtendedLength {
				t.Errorf("extended length used = %v, card supports it = %v", doc.Stats.Extended, p.ExtendedLength)
			}
			if len(doc.DataGroups[2]) > 32767 && wire.count[0xB1].Load() == 0 {
				t.Errorf("DG2 of %d bytes read without odd-INS READ BINARY", len(doc.DataGroups[2]))
			}
			if doc.Stats.APDUs == 0 || doc.Stats.BytesReceived < len(doc.DataGroups[2]) {
				t.Errorf("implausible stats %+v", doc.Stats)
			}
		})
	}
}

// With extended length every data group fits one READ BINARY: the whole
// read of the default CNIE stays within a small, known number of APDUs.
func TestReadAPDUBudget(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// SELECT MF + EF.CardAccess, PACE (MSE + 4 GA), EF.CardSecurity,
	// SELECT app, 6 files, CA (MSE + GA; the next file read proves it), AA: 19.
	if doc.Stats.APDUs > 19 {
		t.Errorf("%d APDUs, want at most 19", doc.Stats.APDUs)
	}
	// A card that refuses extended length: the first refused READ BINARY,
	// then short reads of at most 223 bytes in the same session.
	card, _ = sim.NewNamed("cnie-short")
	if doc, err = reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{}); err != nil {
		t.Fatal(err)
	}
	if doc.Stats.APDUs > 130 || doc.Stats.Extended {
		t.Errorf("short-APDU card: %d APDUs (extended %v), want at most 130", doc.Stats.APDUs, doc.Stats.Extended)
	}
}

func TestReadShortOnly(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	wire := &insCounter{t: card}
	doc, err := reader.Read(context.Background(), wire, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{ShortOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Stats.Extended {
		t.Error("extended length used although ShortOnly")
	}
	if want := len(doc.DataGroups[2]) / 223; wire.count[0xB0].Load() < int64(want) {
		t.Errorf("%d READ BINARY for a %d-byte DG2", wire.count[0xB0].Load(), len(doc.DataGroups[2]))
	}
	if least := leastShortAPDUs(doc); doc.Stats.APDUs > least {
		t.Errorf("%d APDUs, want %d: the protocol steps and full short reads", doc.Stats.APDUs, least)
	}
}

// leastShortAPDUs is what a short-APDU read of a PACE document with CA and
// AA cannot do with less: SELECT MF and EF.CardAccess, PACE (MSE and 4
// GA), SELECT of the application, CA (MSE and GA) and the SELECT that
// proves it, AA; and each file in full reads of files.ShortChunk bytes.
func leastShortAPDUs(doc *reader.Document) int {
	n := 2 + 5 + 1 + 3 + 1
	for _, f := range doc.Files {
		n += (f.Size + files.ShortChunk - 1) / files.ShortChunk
	}
	return n
}

// A short-APDU reader (ACR122U-like) fails extended exchanges: the read
// falls back to short APDUs by itself.
func TestReadThroughShortAPDUReader(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	doc, err := reader.Read(context.Background(), sim.ShortAPDUReader{Card: card}, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Stats.Extended || len(doc.DataGroups[2]) == 0 {
		t.Errorf("extended=%v, DG2 %d bytes", doc.Stats.Extended, len(doc.DataGroups[2]))
	}
}

func TestReadWithMRZOnPACECard(t *testing.T) {
	p, _ := sim.LookupProfile("cnie")
	card, _ := sim.New(p)
	doc, err := reader.Read(context.Background(), card, reader.Secret{MRZ: p.MRZInformation()}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Access.Protocol != "PACE" || doc.Access.Password != "MRZ" {
		t.Errorf("access %+v, want PACE with the MRZ", doc.Access)
	}
}

func TestReadRefusals(t *testing.T) {
	cases := []struct {
		name    string
		profile string
		secret  reader.Secret
		want    chiperr.Kind
	}{
		{"wrong CAN", "cnie", reader.Secret{CAN: "654321"}, chiperr.AccessDenied},
		{"CAN too short", "cnie", reader.Secret{CAN: "123"}, chiperr.BadInput},
		{"no secret", "cnie", reader.Secret{}, chiperr.BadInput},
		{"wrong MRZ on a passport", "passport", reader.Secret{MRZ: "L898902C<369080619406236"}, chiperr.AccessDenied},
		{"CAN on a BAC-only passport", "passport", reader.Secret{CAN: "123456"}, chiperr.BadInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			card, _ := sim.NewNamed(tc.profile)
			_, err := reader.Read(context.Background(), card, tc.secret, reader.Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want kind %v", err, tc.want)
			}
		})
	}
}

// Every misbehaving card ends in a typed error, quickly, never a panic or a hang.
func TestReadFaults(t *testing.T) {
	want := map[sim.Fault]chiperr.Kind{
		sim.FaultBadMAC:      chiperr.Integrity,
		sim.FaultTruncated:   chiperr.Malformed,
		sim.FaultWrongStatus: chiperr.Status,
		sim.FaultHugeLength:  chiperr.TooLarge,
		sim.FaultStall:       chiperr.Timeout,
		sim.FaultRemoved:     chiperr.CardRemoved,
		sim.FaultBadPoint:    chiperr.Integrity,
	}
	for fault, kind := range want {
		t.Run(fault.String(), func(t *testing.T) {
			card, err := sim.NewNamed("fault-" + fault.String())
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			_, err = reader.Read(ctx, card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{APDUTimeout: 300 * time.Millisecond})
			if !errors.Is(err, kind) {
				t.Fatalf("got %v, want kind %v", err, kind)
			}
			var ce *chiperr.Error
			// Its words, in both languages, are app/problem's (tested there).
			if !errors.As(err, &ce) || ce.Kind == 0 {
				t.Errorf("error %v is not a chip error", err)
			}
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			// After the fault, a reset card (put back on the reader) reads fine,
			// unless the fault is in the card's data itself.
			if fault == sim.FaultHugeLength || fault == sim.FaultBadPoint {
				return
			}
			card.Reset()
			if _, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{}); err != nil {
				t.Errorf("re-read after putting the card back: %v", err)
			}
		})
	}
}

func TestReadCanceled(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := reader.Read(ctx, card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if !errors.Is(err, chiperr.Canceled) {
		t.Fatalf("got %v, want Canceled", err)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReadCNIE is the full read of the default virtual CNIE in-process:
// PACE (brainpoolP256r1), every file, CA and AA. It reports APDUs and bytes
// per read and the CPU time of both ends (the virtual card's crypto included).
func BenchmarkReadCNIE(b *testing.B) {
	for _, name := range []string{"cnie", "cnie-p256", "cnie-short", "passport"} {
		b.Run(name, func(b *testing.B) {
			p, _ := sim.LookupProfile(name)
			card, _ := sim.New(p)
			secret := secretFor(p)
			var last *reader.Document
			cpu0 := cpuTime()
			for b.Loop() {
				doc, err := reader.Read(context.Background(), card, secret, reader.Options{})
				if err != nil {
					b.Fatal(err)
				}
				last = doc
			}
			b.ReportMetric(float64(last.Stats.APDUs), "apdus/read")
			b.ReportMetric(float64(last.Stats.BytesSent+last.Stats.BytesReceived), "wirebytes/read")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N)/1000, "cpu-ms/read")
		})
	}
}

// EF.CardSecurity is read after PACE from the master file, and recorded;
// a BAC document has none, and a PACE card without it reads fine.
func TestReadCardSecurity(t *testing.T) {
	cases := []struct {
		profile string
		want    bool
	}{
		{"cnie", true},
		{"cnie-short", true},
		{"passport", false},
		{"trust-dg14-without-pace", false}, // offers PACE, has no EF.CardSecurity
	}
	for _, tc := range cases {
		t.Run(tc.profile, func(t *testing.T) {
			card, err := sim.NewNamed(tc.profile)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := reader.Read(context.Background(), card, secretFor(card.Profile()), reader.Options{})
			if err != nil {
				t.Fatal(err)
			}
			recorded := slices.ContainsFunc(doc.Files, func(f reader.FileRead) bool {
				return f.Name == "EF.CardSecurity" && f.FID == 0x011D && f.Size == len(doc.CardSecurity)
			})
			if !tc.want {
				if doc.CardSecurity != nil || recorded {
					t.Errorf("EF.CardSecurity of %d bytes read, recorded %v", len(doc.CardSecurity), recorded)
				}
				return
			}
			var ci struct {
				Type    asn1.ObjectIdentifier
				Content asn1.RawValue `asn1:"explicit,tag:0"`
			}
			if rest, err := asn1.Unmarshal(doc.CardSecurity, &ci); err != nil || len(rest) > 0 || !ci.Type.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}) {
				t.Errorf("EF.CardSecurity is not a CMS SignedData (%v, type %v)", err, ci.Type)
			}
			if !recorded {
				t.Errorf("EF.CardSecurity not in the files read: %+v", doc.Files)
			}
		})
	}
}

// A chip that holds another key than DG14's (a copy of the data) fails
// Chip Authentication at the first answer under the agreed keys; the read
// goes on in a new session and still brings every data group.
func TestReadClonedChip(t *testing.T) {
	card, err := sim.NewNamed("trust-cloned-chip")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.ChipAuth.Outcome != document.Failed || doc.ChipAuth.Error == nil {
		t.Errorf("chip authentication %+v, want failed", doc.ChipAuth)
	}
	for _, n := range []int{1, 2, 11, 15} {
		if len(doc.DataGroups[n]) == 0 {
			t.Errorf("DG%d not read after the failed chip authentication", n)
		}
	}
	genuine, err := sim.NewNamed("cnie")
	if err != nil {
		t.Fatal(err)
	}
	doc, err = reader.Read(context.Background(), genuine, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil || doc.ChipAuth.Outcome != document.Passed {
		t.Fatalf("genuine chip: %+v, %v", doc.ChipAuth, err)
	}
}

// A data group the reader cannot understand (here DG11, signed with a
// defect by its issuer) does not lose the others: it is kept for its hash
// and named with the reason.
func TestReadKeepsGoingPastAnUnreadableDG11(t *testing.T) {
	card, err := sim.NewNamed("trust-malformed-dg11")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.DG11 != nil || !errors.Is(doc.Unreadable[11], chiperr.Malformed) || len(doc.DataGroups[11]) == 0 {
		t.Errorf("DG11 %+v, unreadable %v, %d bytes kept", doc.DG11, doc.Unreadable, len(doc.DataGroups[11]))
	}
	if doc.MRZ == nil || len(doc.DataGroups[2]) == 0 || doc.ActiveAuth.Outcome != document.Passed {
		t.Error("the rest of the document was not read")
	}
}
