package faceimage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// The files in testdata were made once with OpenJPEG's opj_compress
// 2.5.0 (Debian libopenjp2-tools 2.5.0-2+deb12u3) from invented faces of
// reader/sim/demo, so that tests need no encoder:
//
//	face.png = demo.Face(7, 413, 531); gray.png = demo.Face(3, 96, 120) drawn on an image.Gray
//	face.jp2          opj_compress -I -r 44                       (9/7 lossy, 1 layer)
//	face.j2k          opj_compress -I -r 44                       (same, raw codestream)
//	face_roi.jp2      opj_compress -I -r 44 -ROI c=0,U=10          (RGN maxshift on component 0)
//	face_tiles.j2k    opj_compress -I -r 80,40 -t 208,272 -p RPCL -SOP -EPH -c [64,64],[64,64] -n 5
//	gray_lossless.j2k opj_compress                                 (5/3 reversible)
//
// want is the SHA-256 of the 8-bit samples (R, G, B per pixel, or gray)
// that the native opj_decompress of that same version wrote for each file.
var references = []struct {
	file    string
	want    string
	minPSNR float64 // against the source face
}{
	{"face.jp2", "d0d11b398277a1080790ad5d6f22936a0b49ece23509521ed812ce878c8d9c4d", 35},
	{"face.j2k", "456c5609ad925ecf4c8a29fe6e3547272c92feed3527e98d5c652d95a26a4a43", 35},
	{"face_roi.jp2", "a6a9a85915eaadbd63a3b75a0418ecea7be84c6fdf58bac02fc8bc363666bdf9", 35},
	{"face_tiles.j2k", "acd7629a519b1e28b1deebd9d83db79d2fda76e5af7938360f3e1ac5a2873557", 28},
	{"gray_lossless.j2k", "8e943180a42749210b38037b80ed6b3060c4710b7f362e45227f82c6c5625b72", math.Inf(1)},
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pixelHash hashes 8-bit samples the way the references were hashed.
func pixelHash(m image.Image) string {
	h := sha256.New()
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if g, ok := m.(*image.Gray); ok {
				h.Write([]byte{g.GrayAt(x, y).Y})
				continue
			}
			r, gg, bb, _ := m.At(x, y).RGBA()
			h.Write([]byte{byte(r >> 8), byte(gg >> 8), byte(bb >> 8)})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// psnr compares the R, G, B samples of two images of the same size.
func psnr(a, b image.Image) float64 {
	if a.Bounds() != b.Bounds() {
		return 0
	}
	var se float64
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			for _, d := range []float64{float64(ar>>8) - float64(br>>8), float64(ag>>8) - float64(bg>>8), float64(ab>>8) - float64(bb>>8)} {
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

func grayFace() image.Image {
	src := demo.Face(3, 96, 120)
	g := image.NewGray(src.Bounds())
	draw.Draw(g, g.Bounds(), src, image.Point{}, draw.Src)
	return g
}

func TestDecodeJPEG2000References(t *testing.T) {
	face := demo.Face(7, 413, 531)
	for _, r := range references {
		data := readTestdata(t, r.file)
		// The format claimed does not matter: the signature decides.
		img, err := Decode(lds.ImageJPEG, data)
		if err != nil {
			t.Errorf("%s: %v", r.file, err)
			continue
		}
		if got := pixelHash(img); got != r.want {
			t.Errorf("%s: pixels differ from opj_decompress (%s)", r.file, got)
		}
		src := face
		if r.file == "gray_lossless.j2k" {
			src = grayFace()
			if _, ok := img.(*image.Gray); !ok {
				t.Errorf("%s: %T, want *image.Gray", r.file, img)
			}
		}
		if p := psnr(src, img); p < r.minPSNR {
			t.Errorf("%s: PSNR %.1f dB against the source, want >= %.0f", r.file, p, r.minPSNR)
		}
		cfg, f, err := DecodeConfig(lds.ImageUnknown, data)
		if err != nil || f != lds.ImageJPEG2000 || cfg.Width != img.Bounds().Dx() || cfg.Height != img.Bounds().Dy() {
			t.Errorf("%s: config %+v %v %v", r.file, cfg, f, err)
		}
	}
}

// The DG2 the virtual card carries decodes end to end.
func TestDecodeDemoDG2(t *testing.T) {
	b, err := demo.DemoDG2(11)
	if err != nil {
		t.Fatal(err)
	}
	d, err := lds.ParseDG2(b)
	if err != nil {
		t.Fatal(err)
	}
	f := d.Faces[0]
	if len(d.Faces) != 1 || f.Format != lds.ImageJPEG || f.Width != demo.PhotoWidth || f.Height != demo.PhotoHeight {
		t.Fatalf("%+v", d.Faces)
	}
	img, err := Decode(f.Format, f.Image)
	if err != nil {
		t.Fatal(err)
	}
	if p := psnr(demo.Face(11, demo.PhotoWidth, demo.PhotoHeight), img); p < 30 {
		t.Errorf("PSNR %.1f dB", p)
	}
}

// A JPEG 2000 face inside a DG2 whose header says JPEG.
func TestDecodeDG2JPEG2000(t *testing.T) {
	jp2 := readTestdata(t, "face.jp2")
	b := demo.BuildDG2(jp2, 413, 531)
	// The image information block (12 bytes) precedes the image; its second
	// byte is the image data type, which BuildDG2 sets to 1 (JPEG 2000).
	// Make the header lie: the magic bytes must win.
	at := bytes.Index(b, jp2[:12]) - 11
	if at < 0 || b[at] != 1 {
		t.Fatalf("image data type byte not found (%d)", at)
	}
	b[at] = 0
	d, err := lds.ParseDG2(b)
	if err != nil {
		t.Fatal(err)
	}
	f := d.Faces[0]
	if f.ImageDataType != 0 || f.Format != lds.ImageJPEG2000 {
		t.Fatalf("%+v", f)
	}
	img, err := Decode(f.Format, f.Image)
	if err != nil || img.Bounds().Dx() != 413 {
		t.Fatal(img, err)
	}
}

func TestDecodeJPEG(t *testing.T) {
	data := faceJPEG(t)
	img, err := Decode(lds.ImageJPEG2000, data)
	if err != nil {
		t.Fatal(err)
	}
	if p := psnr(demo.Face(7, 413, 531), img); p < 30 {
		t.Errorf("PSNR %.1f dB", p)
	}
}

// faceJPEG encodes the demo face at a quality that gives about 15 KB, the
// size of a passport photo on a chip.
func faceJPEG(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, demo.Face(7, 413, 531), &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func wantKind(t *testing.T, name string, img image.Image, err error, kind chiperr.Kind) {
	t.Helper()
	if img != nil || !errors.Is(err, kind) {
		t.Errorf("%s: %v, %v; want %v", name, img, err, kind)
	}
}

func TestDecodeRefused(t *testing.T) {
	j2k := readTestdata(t, "face.j2k")
	jp2 := readTestdata(t, "face.jp2")
	withSIZ := func(off int, v ...byte) []byte {
		b := bytes.Clone(j2k)
		copy(b[4+off:], v)
		return b
	}
	// Five components: Lsiz = 38 + 3*5, Csiz = 5.
	five := append(bytes.Clone(j2k[:42]), bytes.Repeat([]byte{7, 1, 1}, 5)...)
	five[4], five[5], five[40], five[41] = 0, 53, 0, 5
	jpg := faceJPEG(t)
	sof := bytes.Index(jpg, []byte{0xFF, 0xC0})
	bigJPEG := bytes.Clone(jpg)
	copy(bigJPEG[sof+5:], []byte{0x13, 0x88, 0x13, 0x88}) // 5000x5000
	cases := []struct {
		name string
		f    lds.ImageFormat
		b    []byte
		kind chiperr.Kind
	}{
		{"empty", lds.ImageJPEG, nil, chiperr.Malformed},
		{"too long", lds.ImageJPEG, append(bytes.Clone(jpg), make([]byte, MaxInput)...), chiperr.TooLarge},
		{"claimed JPEG, no signature", lds.ImageJPEG, []byte("GIF89a......"), chiperr.Malformed},
		{"unknown format", lds.ImageUnknown, []byte("GIF89a......"), chiperr.Unsupported},
		{"JPEG 5000x5000", lds.ImageJPEG, bigJPEG, chiperr.TooLarge},
		{"JPEG truncated header", lds.ImageJPEG, jpg[:sof+4], chiperr.Malformed},
		{"JPEG truncated data", lds.ImageJPEG, jpg[:len(jpg)/2], chiperr.Malformed},
		{"J2K 4097 wide", lds.ImageJPEG2000, withSIZ(4, 0, 0, 0x10, 0x01), chiperr.TooLarge},
		{"J2K 4096x4097", lds.ImageJPEG2000, withSIZ(4, 0, 0, 0x10, 0x00, 0, 0, 0x10, 0x01), chiperr.TooLarge},
		{"J2K zero width", lds.ImageJPEG2000, withSIZ(4, 0, 0, 0, 0), chiperr.Malformed},
		{"J2K offset past size", lds.ImageJPEG2000, withSIZ(12, 0, 0, 0x10, 0), chiperr.Malformed},
		{"J2K zero tile", lds.ImageJPEG2000, withSIZ(20, 0, 0, 0, 0), chiperr.Malformed},
		{"J2K 5000 tiles", lds.ImageJPEG2000, withSIZ(20, 0, 0, 0, 5, 0, 0, 0, 5), chiperr.TooLarge},
		{"J2K Lsiz wrong", lds.ImageJPEG2000, withSIZ(0, 0, 40), chiperr.Malformed},
		{"J2K 17 bits", lds.ImageJPEG2000, withSIZ(38, 0x10), chiperr.Unsupported},
		{"J2K zero subsampling", lds.ImageJPEG2000, withSIZ(39, 0), chiperr.Malformed},
		{"J2K 5 components", lds.ImageJPEG2000, five, chiperr.Unsupported},
		{"J2K truncated SIZ", lds.ImageJPEG2000, j2k[:30], chiperr.Malformed},
		{"J2K truncated after header", lds.ImageJPEG2000, j2k[:200], chiperr.Malformed},
		{"J2K truncated data", lds.ImageJPEG2000, j2k[:len(j2k)/2], chiperr.Malformed},
		{"J2K no tile", lds.ImageJPEG2000, j2k[:bytes.Index(j2k, []byte{0xFF, 0x90})], chiperr.Malformed},
		{"JP2 no codestream", lds.ImageJPEG2000, jp2[:12], chiperr.Malformed},
		{"JP2 box overruns", lds.ImageJPEG2000, append(bytes.Clone(jp2[:12]), 0xFF, 0, 0, 0, 'j', 'p', '2', 'c'), chiperr.Malformed},
		{"JP2 truncated box", lds.ImageJPEG2000, append(bytes.Clone(jp2[:12]), 0, 0), chiperr.Malformed},
		{"JP2 truncated codestream", lds.ImageJPEG2000, jp2[:len(jp2)-4000], chiperr.Malformed},
	}
	for _, c := range cases {
		img, err := Decode(c.f, c.b)
		wantKind(t, c.name, img, err, c.kind)
	}
}

// Corrupting the compressed data must give an image or a chip error,
// never a panic or a bare error.
func TestDecodeCorrupt(t *testing.T) {
	for _, name := range []string{"face.j2k", "face_tiles.j2k", "face.jp2"} {
		data := readTestdata(t, name)
		for i := 0; i < 16; i++ {
			b := bytes.Clone(data)
			for j := 300 + i*97; j < len(b); j += 1000 + i {
				b[j] ^= byte(0x5A + i)
			}
			img, err := Decode(lds.ImageJPEG2000, b)
			if err != nil && chiperr.KindOf(err) == 0 {
				t.Fatalf("%s #%d: bare error %v", name, i, err)
			}
			if err == nil && img.Bounds().Dx() != 413 {
				t.Fatalf("%s #%d: %v", name, i, img.Bounds())
			}
		}
	}
}

// heldDeadline is a context whose deadline passes when the test says.
type heldDeadline struct {
	context.Context
	passed chan struct{}
}

func (c heldDeadline) Done() <-chan struct{} { return c.passed }

func (c heldDeadline) Err() error {
	select {
	case <-c.passed:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestDecodeContext(t *testing.T) {
	data := readTestdata(t, "face.jp2")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	img, err := DecodeContext(ctx, lds.ImageJPEG2000, data)
	wantKind(t, "cancelled", img, err, chiperr.Canceled)
	ctx, cancel = context.WithTimeout(context.Background(), 0)
	defer cancel()
	img, err = DecodeContext(ctx, lds.ImageJPEG2000, data)
	wantKind(t, "deadline", img, err, chiperr.Timeout)
	// A deadline during the decode: the caller is answered at once and the
	// abandoned decode does not disturb the next ones. The deadline passes
	// once the decode has started, and the decode is held until the caller
	// has its answer: only the deadline can have answered it.
	release := make(chan struct{})
	held := heldDeadline{Context: context.Background(), passed: make(chan struct{})}
	beforeDecode = func() { close(held.passed); <-release }
	img, err = DecodeContext(held, lds.ImageJPEG2000, data)
	beforeDecode = nil
	wantKind(t, "deadline during decode", img, err, chiperr.Timeout)
	if len(inFlight) != 1 {
		t.Errorf("%d decodes in flight, want the abandoned one", len(inFlight))
	}
	close(release)
	for range maxInFlight + 1 {
		if img, err := Decode(lds.ImageJPEG2000, data); err != nil || pixelHash(img) != references[0].want {
			t.Fatal(err)
		}
	}
}

// Subsampled components (opj_compress -I -r 10 -n 3 -s 2,2 on
// demo.Face(5, 64, 64)): a 127x127 image whose components are 64x64.
func TestDecodeSubsampled(t *testing.T) {
	img, err := Decode(lds.ImageJPEG2000, readTestdata(t, "tiny_sub.j2k"))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, 127, 127) {
		t.Fatal(img.Bounds())
	}
	src := demo.Face(5, 64, 64)
	up := image.NewRGBA(img.Bounds())
	for y := range 127 {
		for x := range 127 {
			up.Set(x, y, src.At(x/2, y/2))
		}
	}
	if p := psnr(up, img); p < 25 {
		t.Errorf("PSNR %.1f dB", p)
	}
}

// A JP2 whose colour specification box says sYCC (enumerated colour
// space 18, ISO/IEC 15444-1 I.5.3.3) has its samples turned to RGB.
func TestDecodeSYCC(t *testing.T) {
	data := readTestdata(t, "tiny_roi.jp2")
	rgb, err := Decode(lds.ImageJPEG2000, data)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte("colr\x01"))
	if i < 0 || !bytes.Equal(data[i+7:i+11], []byte{0, 0, 0, 16}) {
		t.Fatal("no sRGB colr box")
	}
	sycc := bytes.Clone(data)
	sycc[i+10] = 18
	img, err := Decode(lds.ImageJPEG2000, sycc)
	if err != nil {
		t.Fatal(err)
	}
	a, b := rgb.(*image.RGBA), img.(*image.RGBA)
	for p := 0; p < len(a.Pix); p += 4 {
		r, g, bl := color.YCbCrToRGB(a.Pix[p], a.Pix[p+1], a.Pix[p+2])
		if b.Pix[p] != r || b.Pix[p+1] != g || b.Pix[p+2] != bl || b.Pix[p+3] != 0xFF {
			t.Fatalf("pixel %d: % X, want %02X %02X %02X FF", p/4, b.Pix[p:p+4], r, g, bl)
		}
	}
	// CMYK (enumerated colour space 12) is refused.
	sycc[i+10] = 12
	img, err = Decode(lds.ImageJPEG2000, sycc)
	wantKind(t, "CMYK", img, err, chiperr.Unsupported)
}

// Each decode has its own instance: concurrent decodes do not interfere.
func TestDecodeConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for _, r := range references {
		data := readTestdata(t, r.file)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				img, err := Decode(lds.ImageJPEG2000, data)
				if err != nil || pixelHash(img) != r.want {
					t.Errorf("%s: %v", r.file, err)
				}
			}()
		}
	}
	wg.Wait()
}

func BenchmarkDecodeJPEG(b *testing.B) {
	data := faceJPEG(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(lds.ImageJPEG, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeJPEG2000(b *testing.B) {
	data := readTestdata(b, "face.jp2")
	if _, err := Decode(lds.ImageJPEG2000, data); err != nil { // compile the decoder once
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(lds.ImageJPEG2000, data); err != nil {
			b.Fatal(err)
		}
	}
}

// The embedded decoder is the one OPENJPEG_VERSION names: wasmsrc/build.sh
// is reproducible and records the SHA-256 of what it built.
func TestEmbeddedDecoder(t *testing.T) {
	v, err := os.ReadFile("OPENJPEG_VERSION")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(openjpegWasm)
	if want := "sha256 " + hex.EncodeToString(sum[:]); !bytes.Contains(v, []byte(want)) {
		t.Errorf("openjpeg.wasm is not the build recorded in OPENJPEG_VERSION (%s)", want)
	}
}
