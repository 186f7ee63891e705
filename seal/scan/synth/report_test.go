package synth

import (
	"strings"
	"testing"
	"time"
)

func TestScore(t *testing.T) {
	code := Frame{Payload: []byte("AB")}
	var s Score
	s.Add(code, []byte("AB"), 3*time.Millisecond)
	s.Add(code, []byte("AC"), 1*time.Millisecond)
	s.Add(code, nil, 2*time.Millisecond)
	s.Add(code, []byte("AB"), 10*time.Millisecond)
	if s.Frames != 4 || s.Read != 2 || s.Wrong != 1 || s.False != 0 || s.Rate() != 50 {
		t.Errorf("%+v", s)
	}
	if s.Percentile(0.5) != 2*time.Millisecond || s.Percentile(0.9) != 10*time.Millisecond || s.Percentile(0) != time.Millisecond {
		t.Errorf("percentiles %v %v %v", s.Percentile(0.5), s.Percentile(0.9), s.Percentile(0))
	}
	var e Score
	e.Add(Frame{}, nil, time.Millisecond)
	e.Add(Frame{}, []byte{}, time.Millisecond)
	if e.False != 1 || e.Read != 0 {
		t.Errorf("empty frames: %+v", e)
	}
	var all Score
	all.Merge(s)
	all.Merge(e)
	if all.Frames != 6 || len(all.Times) != 6 {
		t.Errorf("merged %+v", all)
	}
	var b strings.Builder
	WriteTable(&b, []string{"ours", "ZXing"}, []Row{{Name: "clean", Scores: []Score{s, s}}, {Name: "empty", NoCode: true, Scores: []Score{e, e}}})
	out := b.String()
	for _, want := range []string{"ours ok", "ZXing ms med/p90", "50 % (1 wrong)", "2.0 / 10", "1 false"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
