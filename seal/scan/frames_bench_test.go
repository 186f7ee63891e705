package scan

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/seal/scan/synth"
)

// BenchmarkFrames decodes the generated webcam frames of every category
// (package synth), SEAL_FRAMES_N of each (default 20), once each on the
// current goroutine, and reports per category the share read with exactly
// their payload (ok%), the median and 90th percentile time per frame, and
// on frames without a code the false codes; then the table of all
// categories. Generating the frames is not timed. Run on one core:
//
//	go test -run - -bench Frames -cpu 1 ./seal/scan
func BenchmarkFrames(b *testing.B) {
	n := 20
	if v, err := strconv.Atoi(os.Getenv("SEAL_FRAMES_N")); err == nil && v > 0 {
		n = v
	}
	var rows []synth.Row
	var all synth.Score
	for _, c := range synth.Categories() {
		var score synth.Score
		b.Run(string(c), func(b *testing.B) {
			b.StopTimer()
			frames := synth.Frames(c, n)
			for range b.N {
				score = synth.Score{}
				for _, f := range frames {
					b.StartTimer()
					start := time.Now()
					r, err := Decode(f.Image)
					d := time.Since(start)
					b.StopTimer()
					var got []byte
					if err == nil {
						got = r.Payload
					}
					score.Add(f, got, d)
				}
			}
			if c == synth.Empty {
				b.ReportMetric(float64(score.False), "false-codes")
			} else {
				b.ReportMetric(score.Rate(), "ok%")
			}
			b.ReportMetric(millis(score.Percentile(0.5)), "ms-median")
			b.ReportMetric(millis(score.Percentile(0.9)), "ms-p90")
		})
		rows = append(rows, synth.Row{Name: string(c), NoCode: c == synth.Empty, Scores: []synth.Score{score}})
		if c != synth.Empty {
			all.Merge(score)
		}
	}
	rows = append(rows, synth.Row{Name: "all with code", Scores: []synth.Score{all}})
	var t strings.Builder
	synth.WriteTable(&t, []string{"ours"}, rows)
	// A benchmark with sub-benchmarks shows its log only with -v: without
	// it, the table goes to the standard output.
	if testing.Verbose() {
		b.Logf("generated webcam frames, %d per category, one core:\n%s", n, t.String())
	} else {
		fmt.Printf("generated webcam frames, %d per category, one core:\n%s", n, t.String())
	}
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
