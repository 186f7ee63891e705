package scan

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCompareTools is the comparison benchmark with zxing-cpp's
// ZXingReader and zbar's zbarimg. It is opt-in: it runs only with
// SEAL_COMPARE=1, and then requires both tools (Debian: apt-get install
// zxing-cpp-tools zbar-tools); nothing else in this package needs them.
// SEAL_COMPARE_STEP sets the rotation step (default 15 degrees),
// SEAL_COMPARE_ONLY a comma-separated list of distortions.
//
// Every frame of the robustness set is written as a PNG (the JPEG
// distortions are applied before, so all readers see the same pixels) and
// read by the three decoders; a read counts when its bytes equal the
// payload. zbar does not read DataMatrix, so its DataMatrix column is n/a.
func TestCompareTools(t *testing.T) {
	if os.Getenv("SEAL_COMPARE") != "1" {
		t.Skip("comparison benchmark: set SEAL_COMPARE=1 (needs ZXingReader and zbarimg)")
	}
	zxing, err := exec.LookPath("ZXingReader")
	if err != nil {
		t.Fatal("SEAL_COMPARE=1 needs ZXingReader: apt-get install zxing-cpp-tools")
	}
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatal("SEAL_COMPARE=1 needs zbarimg: apt-get install zbar-tools")
	}
	step := 15
	if s, err := strconv.Atoi(os.Getenv("SEAL_COMPARE_STEP")); err == nil && s > 0 {
		step = s
	}
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s | %-21s | %-21s | %s\n", "", "DataMatrix", "QR", "")
	fmt.Fprintf(&b, "%-12s | %6s %6s %7s | %6s %6s %7s |\n", "distortion", "ours", "ZXing", "zbar", "ours", "ZXing", "zbar")
	only := os.Getenv("SEAL_COMPARE_ONLY") // comma-separated distortion names
	for _, d := range distortions {
		if only != "" && !strings.Contains(","+only+",", ","+d.name+",") {
			continue
		}
		fmt.Fprintf(&b, "%-12s |", d.name)
		for _, f := range formats {
			var ours, zx, zb, n int
			for i, fr := range frames(t, d, f, step) {
				n++
				if r, err := Decode(fr.img); err == nil && bytes.Equal(r.Payload, fr.payload) {
					ours++
				}
				name := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.png", d.name, f, i))
				fh, err := os.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				if err := png.Encode(fh, fr.img); err != nil {
					t.Fatal(err)
				}
				fh.Close()
				if out, _ := exec.Command(zxing, "-bytes", "-format", "DataMatrix,QRCode", name).Output(); bytes.Equal(out, fr.payload) {
					zx++
				}
				if f == FormatQR {
					if out, _ := exec.Command(zbar, "-q", "--raw", "-Sbinary", name).Output(); bytes.Equal(out, fr.payload) {
						zb++
					}
				}
				os.Remove(name)
			}
			pc := func(k int) string { return fmt.Sprintf("%5.0f%%", 100*float64(k)/float64(n)) }
			zbs := "    n/a"
			if f == FormatQR {
				zbs = " " + pc(zb)
			}
			fmt.Fprintf(&b, " %s %s %s |", pc(ours), pc(zx), zbs)
		}
		b.WriteString("\n")
	}
	t.Logf("decode rate, rotation step %d degrees:\n%s", step, b.String())
}
