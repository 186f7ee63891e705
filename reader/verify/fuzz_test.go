package verify_test

import (
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// FuzzVerify: whatever a hostile chip or dump puts in EF.SOD,
// EF.CardSecurity, EF.CardAccess or DG14, verification ends with a report
// whose every check has a status and words in both languages, and nothing
// that failed to parse is called genuine.
func FuzzVerify(f *testing.F) {
	doc, store := readSim(f, "cnie", true)
	f.Add(byte(0), doc.SOD)
	f.Add(byte(1), doc.CardSecurity)
	f.Add(byte(2), doc.DataGroups[14])
	f.Add(byte(3), []byte{0x31, 0x00})
	sod, cardSecurity, dg14 := doc.SOD, doc.CardSecurity, doc.DataGroups[14]
	f.Fuzz(func(t *testing.T, which byte, b []byte) {
		d := &document.Document{SOD: sod, CardSecurity: cardSecurity, CardAccess: doc.CardAccess, MRZ: doc.MRZ,
			DataGroups: map[int][]byte{1: doc.DataGroups[1], 14: dg14}, ChipAuth: doc.ChipAuth, ActiveAuth: doc.ActiveAuth}
		switch which % 4 {
		case 0:
			d.SOD = b
		case 1:
			d.CardSecurity = b
		case 2:
			d.DataGroups[14] = b
		case 3:
			infos, err := lds.ParseSecurityInfos(b)
			if err != nil {
				return
			}
			d.CardAccess = infos
		}
		r := verify.Verify(d, store, verify.Options{Now: time.Now()})
		for _, c := range r.Checks {
			if why := wordsMissing(c); c.Status == "" || why != "" {
				t.Fatalf("check %+v lacks a status or words: %s", c, why)
			}
		}
		if r.Verdict == verify.Genuine {
			t.Fatal("the virtual card called genuine")
		}
	})
}
