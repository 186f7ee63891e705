package synth

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Score tallies one decoder's answers over a set of frames.
type Score struct {
	Frames int             // frames tried
	Read   int             // frames with a code read with exactly its payload
	Wrong  int             // frames with a code read with other bytes
	False  int             // frames without a code where a code was reported
	Times  []time.Duration // time spent on each frame
}

// Add records a decoder's answer on f: got is the payload it returned, nil
// when it found no code, and d its time.
func (s *Score) Add(f Frame, got []byte, d time.Duration) {
	s.Frames++
	s.Times = append(s.Times, d)
	switch {
	case f.Payload == nil && got != nil:
		s.False++
	case f.Payload == nil || got == nil:
	case bytes.Equal(got, f.Payload):
		s.Read++
	default:
		s.Wrong++
	}
}

// Merge adds o's frames to s.
func (s *Score) Merge(o Score) {
	s.Frames += o.Frames
	s.Read += o.Read
	s.Wrong += o.Wrong
	s.False += o.False
	s.Times = append(s.Times, o.Times...)
}

// Rate is the share of frames read exactly, in percent.
func (s *Score) Rate() float64 {
	if s.Frames == 0 {
		return 0
	}
	return 100 * float64(s.Read) / float64(s.Frames)
}

// Percentile is the time under which a share q (0..1) of the frames was
// decoded (nearest rank), 0 without frames.
func (s *Score) Percentile(q float64) time.Duration {
	if len(s.Times) == 0 {
		return 0
	}
	t := slices.Clone(s.Times)
	slices.Sort(t)
	k := int(q*float64(len(t))+0.999999) - 1
	return t[min(max(k, 0), len(t)-1)]
}

// Row is one line of the benchmark table: a set of frames and each
// decoder's score on it.
type Row struct {
	Name   string
	NoCode bool // frames without a code: the table gives false codes
	Scores []Score
}

// WriteTable writes rows as a text table: per decoder, the share of
// frames read with exactly their payload (on rows without a code, the
// false codes reported) and the median and 90th percentile time per frame
// in milliseconds; misreads (other bytes) are noted after the share.
func WriteTable(w io.Writer, decoders []string, rows []Row) {
	fmt.Fprintf(w, "%-14s | %4s", "category", "n")
	for _, d := range decoders {
		fmt.Fprintf(w, " | %14s | %15s", d+" ok", d+" ms med/p90")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, strings.Repeat("-", 21+35*len(decoders)))
	for _, r := range rows {
		n := 0
		if len(r.Scores) > 0 {
			n = r.Scores[0].Frames
		}
		fmt.Fprintf(w, "%-14s | %4d", r.Name, n)
		for _, s := range r.Scores {
			ok := fmt.Sprintf("%.0f %%", s.Rate())
			if s.Wrong > 0 {
				ok = fmt.Sprintf("%s (%d wrong)", ok, s.Wrong)
			}
			if r.NoCode {
				ok = fmt.Sprintf("%d false", s.False)
			}
			fmt.Fprintf(w, " | %14s | %15s", ok, fmt.Sprintf("%s / %s", ms(s.Percentile(0.5)), ms(s.Percentile(0.9))))
		}
		fmt.Fprintln(w)
	}
}

func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}
