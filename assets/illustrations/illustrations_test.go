package illustrations

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The PNGs are made from the SVGs and sizes.txt as they are now: an SVG or
// a size changed without running render.sh (go generate
// ./assets/illustrations) fails here.
func TestPNGsAreUpToDate(t *testing.T) {
	sums, err := os.ReadFile("sources.sha256")
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("sources.sha256: line %q", line)
		}
		recorded[name] = sum
	}
	sources, _ := filepath.Glob("*.svg")
	sources = append(sources, "sizes.txt")
	for _, f := range sources {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if recorded[f] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s changed since the PNGs were rendered: run go generate ./assets/illustrations", f)
		}
		delete(recorded, f)
	}
	for f := range recorded {
		t.Errorf("sources.sha256 names %s, which is gone", f)
	}
}

// Every size in sizes.txt has its PNG at 1x and 2x, of that size, and
// nothing else is embedded.
func TestEverySizeRendered(t *testing.T) {
	f, err := os.Open("sizes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var name string
		var w, h int
		if _, err := fmt.Sscanf(sc.Text(), "%s %d %d", &name, &w, &h); err != nil {
			t.Fatalf("sizes.txt: %q: %v", sc.Text(), err)
		}
		if _, err := os.Stat(name + ".svg"); err != nil {
			t.Errorf("sizes.txt: no %s.svg", name)
		}
		for _, s := range []int{1, 2} {
			want[fmt.Sprintf("%s-%dx%d.png", name, w*s, h*s)] = true
			img := Image(name, w*s, h*s)
			if img == nil {
				t.Errorf("%s at %dx%d: no PNG", name, w*s, h*s)
			} else if img.Bounds().Size() != image.Pt(w*s, h*s) {
				t.Errorf("%s at %dx%d: the PNG is %v", name, w*s, h*s, img.Bounds().Size())
			}
		}
	}
	pngs, _ := filepath.Glob("*.png")
	for _, p := range pngs {
		if !want[p] {
			t.Errorf("%s is not a size of sizes.txt", p)
		}
	}
}

func TestBest(t *testing.T) {
	size := func(img image.Image) image.Point {
		if img == nil {
			return image.Point{}
		}
		return img.Bounds().Size()
	}
	for _, c := range []struct {
		w, h int
		want image.Point
	}{
		{360, 225, image.Pt(360, 225)}, // exact
		{608, 380, image.Pt(608, 380)},
		{300, 180, image.Pt(304, 190)},   // the smallest larger
		{450, 281, image.Pt(608, 380)},   // 1.25x of 360x225
		{2000, 1000, image.Pt(720, 450)}, // the largest
	} {
		if got := size(Best("card-on-reader", c.w, c.h)); got != c.want {
			t.Errorf("Best(%dx%d) = %v, want %v", c.w, c.h, got, c.want)
		}
	}
	if Best("no-such-picture", 10, 10) != nil || Image("card-can", 1, 1) != nil {
		t.Error("a picture that does not exist")
	}
	if Image("card-can", 360, 225) != Image("card-can", 360, 225) {
		t.Error("decoded twice")
	}
}
