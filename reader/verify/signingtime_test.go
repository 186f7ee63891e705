package verify

import (
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/cms"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// The signing time comes from the SOD, else DG12's date of issue, else an
// estimate bounded by the DS's end and the document's expiry minus ten years.
func TestSigningTimeSources(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	st := time.Date(2020, 3, 4, 5, 6, 7, 0, time.UTC)
	dg12, err := (&lds.DG12{DateOfIssue: "20210615"}).Build()
	if err != nil {
		t.Fatal(err)
	}
	expiring := func(y, m, d int) *mrz.MRZ { return &mrz.MRZ{ExpiryDate: mrz.Date{Year: y % 100, Month: m, Day: d}} }
	ds := &pki.Certificate{NotAfter: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		name   string
		sod    *lds.SOD
		doc    *document.Document
		ds     *pki.Certificate
		want   time.Time
		source SigningTimeSource
	}{
		{"signingTime", &lds.SOD{SignedData: cms.SignedData{Signer: lds.SignerInfo{SigningTime: &st}}}, &document.Document{DataGroups: map[int][]byte{12: dg12}}, ds, st, FromSOD},
		{"DG12", &lds.SOD{}, &document.Document{DataGroups: map[int][]byte{12: dg12}}, ds,
			time.Date(2021, 6, 15, 23, 59, 59, 0, time.UTC), FromDG12},
		{"estimate: the DS's end", &lds.SOD{}, &document.Document{MRZ: expiring(2031, 5, 1)}, ds, ds.NotAfter, Estimated},
		{"estimate: expiry minus ten years", &lds.SOD{}, &document.Document{MRZ: expiring(2035, 5, 1)}, ds,
			time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Estimated},
		{"estimate: today", &lds.SOD{}, &document.Document{}, &pki.Certificate{NotAfter: now.AddDate(1, 0, 0)}, now, Estimated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := signingTime(tc.sod, tc.doc, tc.ds, now)
			if !got.Time.Equal(tc.want) || got.Source != tc.source {
				t.Errorf("got %v (%s), want %v (%s)", got.Time, got.Source, tc.want, tc.source)
			}
		})
	}
	// The report says "estimated" where it is: app/explain's tests check
	// the words of the ds-chain check's SignedAt argument.
}
