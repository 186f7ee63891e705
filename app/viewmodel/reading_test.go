package viewmodel

import (
	"testing"

	"github.com/cnie-reader/cnie-reader/reader"
)

// A card that keeps the reader waiting shows the notice where the read is,
// and the notice goes once the card answers.
func TestReadingSlowCard(t *testing.T) {
	var s ReadingState
	s.progress(reader.Progress{Step: reader.StepConnect})
	before := s
	s.progress(reader.Progress{Step: reader.StepConnect, Slow: true})
	if !s.Slow || s.Current != before.Current || s.Fraction != before.Fraction || s.Phase != InProgress {
		t.Errorf("slow report gave %+v, want the same step and bar with Slow", s)
	}
	s.progress(reader.Progress{Step: reader.StepConnect})
	if s.Slow {
		t.Error("the notice stays after the card answered")
	}
	s.progress(reader.Progress{Step: reader.StepIdentity, File: "EF.COM", Done: 10, Total: 20})
	if s.Slow || s.Current != StepIdentity {
		t.Errorf("state %+v after the next file", s)
	}
}
