package scan

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// distortion is one family of test frames; each is rendered at every
// rotation step, for both formats.
type distortion struct {
	name string
	set  func(s *scene)
	// minRate is the decode rate (DataMatrix, QR) that the pipeline
	// reached on the full sweep (rotation 0..345 step 15 degrees), less
	// some slack; the robustness test asserts it.
	minRate [2]float64
	// hard levels only log in -short runs.
	hard bool
}

var distortions = []distortion{
	{"clean", func(s *scene) {}, [2]float64{1, 1}, false},
	{"perspective", func(s *scene) { s.tilt = 0.3 }, [2]float64{0.95, 0.95}, false},
	{"blur", func(s *scene) { s.blur = 1.5 }, [2]float64{0.95, 0.95}, false},
	{"noise", func(s *scene) { s.noise = 14 }, [2]float64{0.95, 0.95}, false},
	{"lowcontrast", func(s *scene) { s.contrast = 0.3 }, [2]float64{0.95, 0.95}, false},
	{"lighting", func(s *scene) { s.light = 0.7 }, [2]float64{0.95, 0.95}, false},
	{"jpeg30", func(s *scene) { s.jpegQ = 30 }, [2]float64{0.95, 0.95}, false},
	{"jpeg60", func(s *scene) { s.jpegQ = 60 }, [2]float64{0.95, 0.95}, false},
	{"jpeg90", func(s *scene) { s.jpegQ = 90 }, [2]float64{0.95, 0.95}, false},
	{"small10pct", func(s *scene) { s.codeWidth = 128 }, [2]float64{0.95, 0.95}, false},
	{"webcam", func(s *scene) {
		s.tilt, s.blur, s.noise, s.light, s.jpegQ, s.codeWidth = 0.15, 0.8, 5, 0.3, 70, 220
	}, [2]float64{0.95, 0.95}, false},
	// Harder levels, to see where each decoder gives up (not in -short).
	{"tilt0.5", func(s *scene) { s.tilt = 0.5 }, [2]float64{0.9, 0.9}, true},
	{"blur2.5", func(s *scene) { s.blur = 2.5 }, [2]float64{0.9, 0.9}, true},
	{"noise30", func(s *scene) { s.noise = 30 }, [2]float64{0.9, 0.9}, true},
	{"contrast0.12", func(s *scene) { s.contrast = 0.12 }, [2]float64{0.9, 0.9}, true},
	{"webcam-small", func(s *scene) {
		s.tilt, s.blur, s.noise, s.light, s.jpegQ, s.codeWidth = 0.1, 1.0, 4, 0.3, 60, 128
	}, [2]float64{0.55, 0.9}, true},
	{"blur3.5", func(s *scene) { s.blur = 3.5 }, [2]float64{0.2, 0.55}, true},
	{"small7pct", func(s *scene) { s.codeWidth = 90 }, [2]float64{0.9, 0.9}, true},
}

var formats = []string{FormatDataMatrix, FormatQR}

// testFrame is one generated frame and what it carries.
type testFrame struct {
	dist, format string
	angle        int
	img          image.Image
	payload      []byte
}

// frames renders the frames of a distortion for one format.
func frames(t testing.TB, d distortion, format string, step int) []testFrame {
	var out []testFrame
	for a := 0; a < 360; a += step {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s/%s/%d", d.name, format, a)
		seed := int64(h.Sum64() >> 1)
		s := scene{format: format, angle: float64(a), codeWidth: 300, seed: seed, payload: 100 + int(seed%201)}
		d.set(&s)
		img, p := s.render(t)
		out = append(out, testFrame{d.name, format, a, img, p})
	}
	return out
}

type rateRow struct {
	dist     string
	attempts map[string]int
	elapsed  time.Duration
	ok       map[string]int // by format
	n        map[string]int
	fails    []string
}

func (r rateRow) rate(f string) float64 {
	if r.n[f] == 0 {
		return 0
	}
	return float64(r.ok[f]) / float64(r.n[f])
}

// decodeRates decodes every frame of every distortion with our pipeline.
func decodeRates(t testing.TB, step int, skipHard bool) []rateRow {
	var rows []rateRow
	for _, d := range distortions {
		if skipHard && d.hard {
			continue
		}
		if only := os.Getenv("SEAL_ONLY"); only != "" && !strings.Contains(","+only+",", ","+d.name+",") {
			continue
		}
		row := rateRow{dist: d.name, ok: map[string]int{}, n: map[string]int{}, attempts: map[string]int{}}
		for _, f := range formats {
			for _, fr := range frames(t, d, f, step) {
				row.n[f]++
				t0 := time.Now()
				r, err := Decode(fr.img)
				row.elapsed += time.Since(t0)
				if err == nil && r.Format == f && bytes.Equal(r.Payload, fr.payload) {
					row.ok[f]++
					row.attempts[r.Attempt]++
				} else {
					row.fails = append(row.fails, fmt.Sprintf("%s@%d", f, fr.angle))
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func formatRates(rows []rateRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %10s %10s %8s  %s\n", "distortion", "DataMatrix", "QR", "ms/frame", "attempts")
	for _, r := range rows {
		n := r.n[FormatDataMatrix] + r.n[FormatQR]
		fmt.Fprintf(&b, "%-12s %9.0f%% %9.0f%% %8.1f  %v\n", r.dist, 100*r.rate(FormatDataMatrix), 100*r.rate(FormatQR),
			float64(r.elapsed.Microseconds())/1000/float64(n), r.attempts)
	}
	return b.String()
}

// TestRobustness asserts the decode rate of every distortion. With -short
// the rotation step is 45 degrees instead of 15 and the harder levels,
// which assert nothing, are left out.
func TestRobustness(t *testing.T) {
	step := 15
	if testing.Short() {
		step = 45
	}
	rows := decodeRates(t, step, testing.Short())
	t.Logf("decode rate, rotation step %d degrees:\n%s", step, formatRates(rows))
	minRate := map[string][2]float64{}
	for _, d := range distortions {
		minRate[d.name] = d.minRate
	}
	for _, r := range rows {
		for i, f := range formats {
			if got := r.rate(f); got < minRate[r.dist][i] {
				sort.Strings(r.fails)
				t.Errorf("%s %s: decode rate %.0f%% < %.0f%% (failed: %v)", r.dist, f, 100*got, 100*minRate[r.dist][i], r.fails)
			}
		}
	}
}
