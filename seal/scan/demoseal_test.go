package scan

import (
	"bytes"
	"image"
	"math"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/demoseal"
)

// TestDemoSealCard reads the DEMO 2D-Doc on the back of the virtual card
// (seal/demoseal), upright and then as a webcam would see it: rotated 17
// degrees in a 1280x720 frame, blurred, JPEG-compressed.
func TestDemoSealCard(t *testing.T) {
	h := demoseal.Holder{Surname: "DEMO", GivenNames: "CAMILLE MARIE", DocumentNumber: "DEMO00001", Sex: "F",
		Nationality: "FR", BirthDate: time.Date(1990, 7, 14, 0, 0, 0, 0, time.UTC)}
	p, err := demoseal.TwoDDoc(h, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	dm, err := demoseal.DataMatrix(p, 4)
	if err != nil {
		t.Fatal(err)
	}
	card := demoseal.CardBack([]string{"IDFRADEMO00001<<<<<<<<<<<<<<<", "9007148F3403055FRA<<<<<<<<<<<0", "DEMO<<CAMILLE<MARIE<<<<<<<<<<<"}, dm)
	for name, img := range map[string]image.Image{"upright": card, "webcam": webcamView(t, card, 17)} {
		r, err := Decode(img)
		if err != nil || !bytes.Equal(r.Payload, p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// webcamView shows img rotated by deg degrees, 0.8 times its size, in the
// middle of a 1280x720 frame, with a slight blur and a JPEG round trip.
func webcamView(t *testing.T, img image.Image, deg float64) image.Image {
	g := toGray(img)
	buf := make([]float64, frameW*frameH)
	th := deg * math.Pi / 180
	const k = 0.8
	for y := 0; y < frameH; y++ {
		for x := 0; x < frameW; x++ {
			dx, dy := float64(x)-frameW/2, float64(y)-frameH/2
			u := (dx*math.Cos(th)+dy*math.Sin(th))/k + float64(g.w)/2
			v := (-dx*math.Sin(th)+dy*math.Cos(th))/k + float64(g.h)/2
			buf[y*frameW+x] = 60
			if u >= 0 && v >= 0 && u < float64(g.w) && v < float64(g.h) {
				buf[y*frameW+x] = g.bilinear(u, v)
			}
		}
	}
	gaussBlur(buf, frameW, frameH, 0.8)
	out := image.NewGray(image.Rect(0, 0, frameW, frameH))
	for i, v := range buf {
		out.Pix[i] = uint8(math.Max(0, math.Min(255, v)))
	}
	return jpegRoundTrip(t, out, 70)
}
