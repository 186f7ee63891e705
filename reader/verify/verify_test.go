package verify_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/app/explain"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// readSim reads a virtual card and returns its document and a demo-mode
// trust store (the card's demo CSCA and CRL, as the app's demo mode has).
func readSim(t testing.TB, profile string, demoAnchor bool) (*document.Document, *pki.Store) {
	t.Helper()
	card, err := sim.NewNamed(profile)
	if err != nil {
		t.Fatal(err)
	}
	p := card.Profile()
	secret := reader.Secret{CAN: p.CAN}
	if p.CAN == "" {
		secret = reader.Secret{MRZ: p.MRZInformation()}
	}
	doc, err := reader.Read(context.Background(), card, secret, reader.Options{})
	if err != nil {
		t.Fatalf("read %s: %v", profile, err)
	}
	store := pki.NewStore()
	if demoAnchor {
		if err := store.AddDemoCSCA(card.DemoCSCA()); err != nil {
			t.Fatal(err)
		}
		crl, err := pki.ParseCRL(card.DemoCRL())
		if err != nil {
			t.Fatal(err)
		}
		if err := store.AddCRL(crl); err != nil {
			t.Fatal(err)
		}
	}
	return &doc.Document, store
}

func status(t *testing.T, r *verify.Report, id verify.CheckID, dg int) verify.Status {
	t.Helper()
	c, ok := r.Check(id, dg)
	if !ok {
		t.Fatalf("no check %s/%d in %+v", id, dg, r.Checks)
	}
	if why := wordsMissing(c); why != "" {
		t.Errorf("check %s/%d lacks a bilingual reason: %s", id, dg, why)
	}
	return c.Status
}

// Every profile of the virtual card, each with its own PKI algorithm, SOD
// hash, PACE and AA variant, verifies completely — as a DEMO, never genuine.
func TestVirtualCardsAreDemo(t *testing.T) {
	for _, name := range sim.ProfileNames() {
		p, _ := sim.LookupProfile(name)
		if p.Fault != sim.NoFault || p.TrustFault != sim.NoTrustFault {
			continue
		}
		t.Run(name, func(t *testing.T) {
			doc, store := readSim(t, name, true)
			r := verify.Verify(doc, store, verify.Options{})
			for _, id := range []verify.CheckID{verify.CheckSODSignature, verify.CheckDSChain, verify.CheckCSCAKnown, verify.CheckCRL, verify.CheckExpiry, verify.CheckMRZ} {
				if s := status(t, r, id, 0); s != verify.Passed {
					c, _ := r.Check(id, 0)
					t.Errorf("%s: %s (%s; %s)", id, s, reasonEN(c), c.Detail)
				}
			}
			for n := range doc.DataGroups {
				if s := status(t, r, verify.CheckDGHash, n); s != verify.Passed {
					t.Errorf("DG%d hash: %s", n, s)
				}
			}
			if r.Verdict != verify.Demo || !r.DemoPKI {
				t.Errorf("verdict %q (demo PKI %v), want demo: %s", r.Verdict, r.DemoPKI, explain.SummaryIn(en, r))
			}
			if r.DataIntact.Status != verify.Passed || r.NotCloned.Status != verify.Passed {
				t.Errorf("claims %+v %+v", r.DataIntact, r.NotCloned)
			}
		})
	}
}

func TestDG3ReportedAsProtected(t *testing.T) {
	doc, store := readSim(t, "cnie", true)
	r := verify.Verify(doc, store, verify.Options{})
	c, ok := r.Check(verify.CheckDGHash, 3)
	if !ok || c.Status != verify.NotPossible {
		t.Fatalf("DG3: %+v", c)
	}
}

// Each defect of the signed data fails exactly the check that should catch it.
func TestTrustFaults(t *testing.T) {
	cases := []struct {
		profile string
		check   verify.CheckID
		dg      int
		want    verify.Status
		verdict verify.Verdict
	}{
		{"trust-tampered-dg", verify.CheckDGHash, 11, verify.Failed, verify.NotGenuine},
		{"trust-forged-sod", verify.CheckSODSignature, 0, verify.Failed, verify.NotGenuine},
		{"trust-unknown-csca", verify.CheckCSCAKnown, 0, verify.Failed, verify.NotProven},
		{"trust-expired-ds", verify.CheckDSChain, 0, verify.Failed, verify.NotGenuine},
		{"trust-revoked-ds", verify.CheckCRL, 0, verify.Failed, verify.NotGenuine},
		{"trust-wrong-country", verify.CheckCountry, 0, verify.Failed, verify.NotGenuine},
		{"trust-dg14-without-pace", verify.CheckPACEInfos, 0, verify.Failed, verify.NotGenuine},
		{"trust-cloned-chip", verify.CheckChipAuth, 0, verify.Failed, verify.NotGenuine},
		// The issuer's own defect: nothing forged, the contents just not shown.
		{"trust-malformed-dg11", verify.CheckDGFormat, 11, verify.NotPossible, verify.Demo},
	}
	for _, tc := range cases {
		t.Run(tc.profile, func(t *testing.T) {
			doc, store := readSim(t, tc.profile, true)
			r := verify.Verify(doc, store, verify.Options{})
			if s := status(t, r, tc.check, tc.dg); s != tc.want {
				c, _ := r.Check(tc.check, tc.dg)
				t.Errorf("%s: %s, want %s (%s)", tc.check, s, tc.want, c.Detail)
			}
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %q, want %q", r.Verdict, tc.verdict)
			}
			// The other defects do not show up: only the intended check fails.
			for _, c := range r.Checks {
				if c.Status == verify.Failed && (c.ID != tc.check || c.DG != tc.dg) {
					t.Errorf("unexpected failure %s/%d: %s", c.ID, c.DG, reasonEN(c))
				}
			}
		})
	}
}

func TestWithoutAnchorNothingIsGenuine(t *testing.T) {
	doc, _ := readSim(t, "cnie", false)
	r := verify.Verify(doc, pki.NewStore(), verify.Options{})
	if r.Verdict != verify.NotProven {
		t.Errorf("verdict %q, want not proven", r.Verdict)
	}
	if s := status(t, r, verify.CheckCSCAKnown, 0); s != verify.Failed {
		t.Errorf("csca-known %s", s)
	}
	// A signature by an unknown signer proves neither integrity nor the
	// authenticity of the CA/AA keys: the claims stay unproven.
	for name, c := range map[string]verify.Claim{"intact": r.DataIntact, "not cloned": r.NotCloned, "chip": r.AuthenticChip, "issued": r.IssuedBy} {
		if c.Status != verify.NotPossible {
			t.Errorf("claim %s: %s, want not possible", name, c.Status)
		}
	}
	// The bundled French CSCAs do not vouch for the demo card either.
	store := pki.NewStore()
	if _, err := store.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	if r := verify.Verify(doc, store, verify.Options{}); r.Verdict == verify.Genuine || r.Verdict == verify.Demo {
		t.Errorf("demo card with the real anchors: %q", r.Verdict)
	}
}

func TestExpiredDocument(t *testing.T) {
	doc, store := readSim(t, "cnie", true)
	// The virtual CNIE expires in 2034; check it in 2035 (certificates
	// expire then too, which is fine: the expiry check must fail).
	r := verify.Verify(doc, store, verify.Options{Now: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)})
	if s := status(t, r, verify.CheckExpiry, 0); s != verify.Failed {
		t.Errorf("expiry %s", s)
	}
	if r.Verdict != verify.NotGenuine {
		t.Errorf("verdict %q", r.Verdict)
	}
}

func TestCloneDetected(t *testing.T) {
	doc, store := readSim(t, "cnie", true)
	doc.ActiveAuth = document.ProtocolRun{Outcome: document.Failed, Detail: "signature does not verify"}
	r := verify.Verify(doc, store, verify.Options{})
	if r.NotCloned.Status != verify.Failed || r.Verdict != verify.NotGenuine {
		t.Errorf("not-cloned %s, verdict %q", r.NotCloned.Status, r.Verdict)
	}
	doc.ChipAuth = document.ProtocolRun{Outcome: document.NotOffered}
	doc.ActiveAuth = document.ProtocolRun{Outcome: document.NotOffered}
	r = verify.Verify(doc, store, verify.Options{})
	if r.NotCloned.Status != verify.NotPossible || r.Verdict != verify.NotProven {
		t.Errorf("without CA and AA: not-cloned %s, verdict %q", r.NotCloned.Status, r.Verdict)
	}
}

// Real public test documents (BSI TR-03105-5 and ETSI TR 103 200 specimens):
// the SOD signature and the data-group hashes verify; their test CSCA is not
// in the store, so the verdict is "not proven", never "genuine".
func TestPublicSpecimenSODs(t *testing.T) {
	dir := filepath.Join("..", "lds", "testdata", "sod")
	for _, set := range []struct {
		prefix string
		dgs    []int
	}{{"bsi-tr03105-5", []int{1, 14}}, {"etsi-tr103200", []int{1, 14, 15}}} {
		t.Run(set.prefix, func(t *testing.T) {
			sod, err := os.ReadFile(filepath.Join(dir, set.prefix+"_EF_SOD.bin"))
			if err != nil {
				t.Fatal(err)
			}
			doc := &document.Document{SOD: sod, DataGroups: map[int][]byte{}}
			for _, n := range set.dgs {
				if doc.DataGroups[n], err = os.ReadFile(filepath.Join(dir, set.prefix+"_EF_DG"+itoa(n)+".bin")); err != nil {
					t.Fatal(err)
				}
			}
			if doc.MRZ, err = lds.ParseDG1(doc.DataGroups[1]); err != nil && doc.MRZ == nil {
				t.Fatal(err)
			}
			r := verify.Verify(doc, pki.NewStore(), verify.Options{})
			if s := status(t, r, verify.CheckSODSignature, 0); s != verify.Passed {
				c, _ := r.Check(verify.CheckSODSignature, 0)
				t.Errorf("SOD signature %s: %s", s, c.Detail)
			}
			for _, n := range set.dgs {
				if s := status(t, r, verify.CheckDGHash, n); s != verify.Passed {
					t.Errorf("DG%d: %s", n, s)
				}
			}
			if r.Verdict == verify.Genuine {
				t.Error("a specimen without a known CSCA called genuine")
			}
			// One flipped byte in DG1 is caught.
			doc.DataGroups[1][len(doc.DataGroups[1])-1] ^= 1
			if s := status(t, verify.Verify(doc, pki.NewStore(), verify.Options{}), verify.CheckDGHash, 1); s != verify.Failed {
				t.Errorf("tampered DG1: %s", s)
			}
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
