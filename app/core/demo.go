package core

import (
	"image"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/demoseal"
	"github.com/cnie-reader/cnie-reader/internal/sim"
)

// DemoCardBack draws the back of the default virtual CNIE with its seal,
// signed by the DEMO seal authority: what a clerk's camera would see.
func DemoCardBack() (*image.RGBA, error) {
	p, err := sim.LookupProfile(sim.DefaultProfile)
	if err != nil {
		return nil, err
	}
	m := p.MRZ
	h := demoseal.Holder{Surname: m.PrimaryIdentifier, GivenNames: m.SecondaryIdentifier, DocumentNumber: m.DocumentNumber,
		Sex: m.Sex, Nationality: "FR", BirthDate: time.Date(1900+m.BirthDate.Year, time.Month(m.BirthDate.Month), m.BirthDate.Day, 0, 0, 0, 0, time.UTC)}
	payload, err := demoseal.TwoDDoc(h, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	dm, err := demoseal.DataMatrix(payload, 4)
	if err != nil {
		return nil, err
	}
	lines, err := p.MRZLines()
	if err != nil {
		return nil, err
	}
	return demoseal.CardBack(lines, dm), nil
}
