package demo

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// TestBuildDG2KnownAnswer compares with a DG2 assembled by hand from ICAO
// 9303-10 §4.7.2 (Tables 43-45) and ISO/IEC 19794-5:2005 §5.4-5.7, around a
// 4-byte stand-in image (JPEG SOI + EOI) of 2×3 pixels.
func TestBuildDG2KnownAnswer(t *testing.T) {
	record := "46414300" + "30313000" + "00000032" + "0001" + // FAC, 010, length 50, 1 face
		"00000024" + "0000" + "00" + "00" + "00" + "000000" + "0001" + "000000" + "000000" + // block 36, neutral
		"01" + "00" + "0002" + "0003" + "01" + "02" + "0000" + "0000" + // full frontal JPEG 2x3 RGB24 camera
		"ffd8ffd9"
	bht := "a10f" + "80020101" + "810102" + "87020101" + "88020008"
	want := "754f" + "7f614c" + "020101" + "7f6046" + bht + "5f2e32" + record
	got := BuildDG2([]byte{0xFF, 0xD8, 0xFF, 0xD9}, 2, 3)
	if hex.EncodeToString(got) != want {
		t.Errorf("DG2\n got %x\nwant %s", got, want)
	}
}

// parsedDG2 is what a DG2 reader extracts.
type parsedDG2 struct {
	count         int
	formatOwner   []byte
	formatType    []byte
	width, height int
	imageType     byte
	image         []byte
}

func parseDG2(b []byte) (*parsedDG2, error) {
	dg, rest, err := ber.ParseTLV(b)
	if err != nil {
		return nil, err
	}
	if dg.Tag != 0x75 || len(rest) != 0 {
		return nil, fmt.Errorf("tag %X, %d trailing", dg.Tag, len(rest))
	}
	grp, ok, err := ber.Find(dg.Value, 0x7F61)
	if err != nil || !ok {
		return nil, fmt.Errorf("7F61: %v", err)
	}
	cnt, ok, err := ber.Find(grp.Value, 0x02)
	if err != nil || !ok || len(cnt.Value) != 1 {
		return nil, fmt.Errorf("instance count: %v", err)
	}
	bit, ok, err := ber.Find(grp.Value, 0x7F60)
	if err != nil || !ok {
		return nil, fmt.Errorf("7F60: %v", err)
	}
	bht, ok, err := ber.Find(bit.Value, 0xA1)
	if err != nil || !ok {
		return nil, fmt.Errorf("A1: %v", err)
	}
	owner, _, err := ber.Find(bht.Value, 0x87)
	if err != nil {
		return nil, err
	}
	ftype, _, err := ber.Find(bht.Value, 0x88)
	if err != nil {
		return nil, err
	}
	bdb, ok, err := ber.Find(bit.Value, 0x5F2E)
	if err != nil || !ok {
		return nil, fmt.Errorf("5F2E: %v", err)
	}
	r := bdb.Value
	if len(r) < 46 || string(r[:8]) != "FAC\x00010\x00" {
		return nil, fmt.Errorf("face record header %x", r[:min(len(r), 8)])
	}
	if int(binary.BigEndian.Uint32(r[8:])) != len(r) || binary.BigEndian.Uint16(r[12:]) != 1 {
		return nil, fmt.Errorf("record length / face count")
	}
	block := r[14:]
	if int(binary.BigEndian.Uint32(block)) != len(block) || binary.BigEndian.Uint16(block[4:]) != 0 {
		return nil, fmt.Errorf("block length / feature points")
	}
	info := block[20:]
	if info[1] != 0 {
		return nil, fmt.Errorf("image data type %d", info[1])
	}
	return &parsedDG2{
		count: int(cnt.Value[0]), formatOwner: owner.Value, formatType: ftype.Value,
		imageType: info[0], width: int(binary.BigEndian.Uint16(info[2:])), height: int(binary.BigEndian.Uint16(info[4:])),
		image: info[12:],
	}, nil
}

func TestDemoDG2RoundTrip(t *testing.T) {
	dg2, err := DemoDG2(42)
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseDG2(dg2)
	if err != nil {
		t.Fatal(err)
	}
	if p.count != 1 || !bytes.Equal(p.formatOwner, []byte{1, 1}) || !bytes.Equal(p.formatType, []byte{0, 8}) ||
		p.imageType != 1 || p.width != PhotoWidth || p.height != PhotoHeight {
		t.Errorf("parsed %+v", p)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.image))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != PhotoWidth || img.Bounds().Dy() != PhotoHeight {
		t.Errorf("embedded JPEG is %v", img.Bounds())
	}
	want, _ := FaceJPEG(42, PhotoWidth, PhotoHeight)
	if !bytes.Equal(p.image, want) {
		t.Error("embedded JPEG differs from FaceJPEG")
	}
}

func TestBuildDG2Rejects(t *testing.T) {
	img := []byte{0xFF, 0xD8, 0xFF, 0xD9}
	for _, c := range []struct {
		name string
		img  []byte
		w, h int
	}{
		{"empty image", nil, 1, 1},
		{"zero width", img, 0, 1},
		{"negative height", img, 1, -1},
		{"width over 16 bits", img, 0x10000, 1},
		{"image too large", make([]byte, MaxDG2Image+1), 1, 1},
	} {
		if got := BuildDG2(c.img, c.w, c.h); got != nil {
			t.Errorf("%s: got %d bytes, want nil", c.name, len(got))
		}
	}
	// The largest accepted image still gives a DG2 our TLV parser accepts.
	if _, err := parseDG2(BuildDG2(make([]byte, MaxDG2Image), 0xFFFF, 0xFFFF)); err != nil {
		t.Errorf("largest DG2: %v", err)
	}
}

// FuzzBuildDG2: any image and size either is refused (nil) or gives a DG2
// that parses back to the same image and size.
func FuzzBuildDG2(f *testing.F) {
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xD9}, 2, 3)
	f.Add([]byte{}, 0, 0)
	f.Add(bytes.Repeat([]byte{0x7F}, 300), 65535, 1)
	f.Fuzz(func(t *testing.T, img []byte, w, h int) {
		dg2 := BuildDG2(img, w, h)
		if dg2 == nil {
			if len(img) > 0 && len(img) <= MaxDG2Image && w >= 1 && h >= 1 && w <= 0xFFFF && h <= 0xFFFF {
				t.Fatalf("valid input refused: %d bytes %dx%d", len(img), w, h)
			}
			return
		}
		p, err := parseDG2(dg2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.image, img) || p.width != w || p.height != h {
			t.Fatalf("round trip changed the image or its size")
		}
	})
}
