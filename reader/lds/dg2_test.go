package lds

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Small stand-ins for image bytes: only their signatures matter here.
var (
	fakeJPEG = []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3}
	fakeJ2K  = []byte{0xFF, 0x4F, 0xFF, 0x51, 0, 0x29}
	fakeJP2  = append(append([]byte{}, magicJP2...), 0, 0, 0, 0x14, 'f', 't', 'y', 'p')
)

type testFace struct {
	points   int
	dataType byte
	w, h     int
	img      []byte
}

// faceRecord lays out an ISO/IEC 19794-5:2005 face record (§5.4 general
// header, §5.5 facial record header, §5.6 feature points, §5.7 image
// information), the layout reader/sim/demo's BuildDG2 also writes.
func faceRecord(faces ...testFace) []byte {
	var body []byte
	for i, f := range faces {
		blk := make([]byte, 0, 64)
		blk = binary.BigEndian.AppendUint32(blk, uint32(facialHeaderLen+f.points*featurePointLen+imageInfoLen+len(f.img)))
		blk = binary.BigEndian.AppendUint16(blk, uint16(f.points))
		blk = append(blk, 1, byte(2+i), 3, 0x00, 0x01, 0x02) // gender male, eyes, hair, property mask
		blk = binary.BigEndian.AppendUint16(blk, 0x0001)     // neutral expression
		blk = append(blk, 4, 5, 6, 7, 8, 9)                  // pose angles and their uncertainty
		for p := range f.points {
			blk = append(blk, 1, byte(p), 0, 10, 0, 20, 0, 0)
		}
		blk = append(blk, 1, f.dataType)
		blk = binary.BigEndian.AppendUint16(blk, uint16(f.w))
		blk = binary.BigEndian.AppendUint16(blk, uint16(f.h))
		blk = append(blk, 1, 2, 0, 0, 0, 0)
		body = append(body, append(blk, f.img...)...)
	}
	rec := []byte("FAC\x00010\x00")
	rec = binary.BigEndian.AppendUint32(rec, uint32(faceHeaderLen+len(body)))
	rec = binary.BigEndian.AppendUint16(rec, uint16(len(faces)))
	return append(rec, body...)
}

// dg2With wraps data blocks (tag and value) in biometric information
// templates with an ICAO header (Doc 9303 Part 10 §4.7.2).
func dg2With(blocks ...ber.Element) []byte {
	parts := [][]byte{{0x02, 0x01, byte(len(blocks))}}
	for _, b := range blocks {
		hdr := ber.Encode(0xA1, ber.Encode(0x80, []byte{1, 1}), ber.Encode(0x81, []byte{2}),
			ber.Encode(tagBHTFormatOwner, []byte{1, 1}), ber.Encode(tagBHTFormatType, []byte{0, 8}))
		parts = append(parts, ber.Encode(tagBIT, hdr, ber.Encode(b.Tag, b.Value)))
	}
	return ber.Encode(0x75, ber.Encode(tagBITGroup, parts...))
}

func bdb(rec []byte) ber.Element { return ber.Element{Tag: tagBDB, Value: rec} }

func TestDG2FaceRecord(t *testing.T) {
	b := dg2With(
		bdb(faceRecord(testFace{dataType: 0, w: 413, h: 531, img: fakeJPEG})),
		// The header claims JPEG; the bytes are a JPEG 2000 codestream.
		bdb(faceRecord(testFace{points: 3, dataType: 0, w: 240, h: 320, img: fakeJ2K},
			testFace{dataType: 1, w: 1, h: 2, img: fakeJP2})),
	)
	d, err := ParseDG2(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Faces) != 3 {
		t.Fatalf("%d faces", len(d.Faces))
	}
	f := d.Faces[0]
	if f.Standard != ISO19794 || f.Format != ImageJPEG || f.Width != 413 || f.Height != 531 || !bytes.Equal(f.Image, fakeJPEG) ||
		f.Gender != 1 || f.EyeColour != 2 || f.HairColour != 3 || f.PropertyMask != 0x000102 || f.Expression != 1 ||
		f.PoseAngle != [3]byte{4, 5, 6} || f.PoseAngleUncertainty != [3]byte{7, 8, 9} || f.ImageType != 1 ||
		f.ColourSpace != 1 || f.SourceType != 2 || f.FormatOwner != 0x0101 || f.FormatType != 0x0008 {
		t.Errorf("first face %+v", f)
	}
	if f := d.Faces[1]; f.FeaturePoints != 3 || f.ImageDataType != 0 || f.Format != ImageJPEG2000 || !bytes.Equal(f.Image, fakeJ2K) || f.EyeColour != 2 {
		t.Errorf("second face %+v", f)
	}
	if f := d.Faces[2]; f.Format != ImageJPEG2000 || f.Width != 1 || f.Height != 2 || f.EyeColour != 3 || !bytes.Equal(f.Image, fakeJP2) {
		t.Errorf("third face %+v", f)
	}
	// The parsed image is a copy, not a window on the file.
	b[len(b)-1] ^= 0xFF
	if d.Faces[2].Image[len(fakeJP2)-1] != fakeJP2[len(fakeJP2)-1] {
		t.Error("image aliases the input")
	}
	// Unknown magic: kept, marked unknown.
	d, err = ParseDG2(dg2With(bdb(faceRecord(testFace{w: 1, h: 1, img: []byte("GIF89a")}))))
	if err != nil || d.Faces[0].Format != ImageUnknown {
		t.Errorf("%+v %v", d, err)
	}
}

func TestDG2Malformed(t *testing.T) {
	good := faceRecord(testFace{w: 2, h: 2, img: fakeJPEG})
	set := func(off int, v ...byte) []byte {
		r := bytes.Clone(good)
		copy(r[off:], v)
		return r
	}
	many := make([]testFace, MaxFaces+1)
	for i := range many {
		many[i] = testFace{img: fakeJPEG}
	}
	cases := map[string]struct {
		b    []byte
		kind chiperr.Kind
	}{
		"wrong tag":            {ber.Encode(0x76, ber.Encode(tagBITGroup)), chiperr.Malformed},
		"no 7F61":              {ber.Encode(0x75, ber.Encode(0x02, []byte{0})), chiperr.Malformed},
		"empty group":          {ber.Encode(0x75, ber.Encode(tagBITGroup, []byte{2, 1, 0})), chiperr.Malformed},
		"no data block":        {ber.Encode(0x75, ber.Encode(tagBITGroup, ber.Encode(tagBIT, ber.Encode(0xA1)))), chiperr.Malformed},
		"not a record":         {dg2With(bdb([]byte("XYZ\x00010\x00"))), chiperr.Unsupported},
		"2011 record":          {dg2With(bdb(set(4, '0', '3', '0', 0))), chiperr.Unsupported},
		"short header":         {dg2With(bdb(good[:10])), chiperr.Malformed},
		"record longer":        {dg2With(bdb(set(8, 0, 0, 0xFF, 0xFF))), chiperr.Malformed},
		"record too short":     {dg2With(bdb(set(8, 0, 0, 0, 13))), chiperr.Malformed},
		"no face":              {dg2With(bdb(set(12, 0, 0))), chiperr.Malformed},
		"17 faces":             {dg2With(bdb(faceRecord(many...))), chiperr.TooLarge},
		"two faces announced":  {dg2With(bdb(set(12, 0, 2))), chiperr.Malformed},
		"block overruns":       {dg2With(bdb(set(14, 0, 0, 1, 0))), chiperr.Malformed},
		"block below header":   {dg2With(bdb(set(14, 0, 0, 0, 31))), chiperr.Malformed},
		"257 feature points":   {dg2With(bdb(set(18, 1, 1))), chiperr.TooLarge},
		"points overrun":       {dg2With(bdb(set(18, 0, 2))), chiperr.Malformed},
		"no image":             {dg2With(bdb(faceRecord(testFace{}))), chiperr.Malformed},
		"truncated TLV":        {dg2With(bdb(good))[:20], chiperr.Malformed},
		"17 templates":         {dg2With(bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good), bdb(good)), chiperr.TooLarge},
		"39794 without image":  {dg2With(ber.Element{Tag: tagBDBConstructed, Value: ber.Encode(0xA1, ber.Encode(0x30, ber.Encode(0xA1, ber.Encode(0x80, []byte("x")))))}), chiperr.Unsupported},
		"39794 no reps":        {dg2With(ber.Element{Tag: tagBDB, Value: ber.Encode(0x65, ber.Encode(0xA0))}), chiperr.Unsupported},
		"39794 empty reps":     {dg2With(ber.Element{Tag: tagBDB, Value: ber.Encode(0x65, ber.Encode(0xA1))}), chiperr.Malformed},
		"39794 no image repr.": {dg2With(ber.Element{Tag: tagBDB, Value: ber.Encode(0x65, ber.Encode(0xA1, ber.Encode(0x30, ber.Encode(0x80, []byte{0}))))}), chiperr.Malformed},
	}
	for name, c := range cases {
		d, err := ParseDG2(c.b)
		if d != nil || !errors.Is(err, c.kind) {
			t.Errorf("%s: %v %v, want %v", name, d, err, c.kind)
		}
	}
}

// face39794 encodes a FaceImageDataBlock per the ISO/IEC 39794-5:2019 ASN.1
// module (as quoted in JMRTD's FaceImageDataBlock and
// FaceImageRepresentation2DBlock): version [0] {generation 3, year 2019},
// one representation whose CHOICEs are explicitly tagged.
func face39794(img []byte, w, h int) []byte {
	size := ber.Encode(0xA7, ber.Encode(0x80, []byte{byte(w >> 8), byte(w)}), ber.Encode(0x81, []byte{byte(h >> 8), byte(h)}))
	info := ber.Encode(0xA1, ber.Encode(0xA0, ber.Encode(0x80, []byte{3})), size)
	rep2D := ber.Encode(0xA0, ber.Encode(0x80, img), info)
	rep := ber.Encode(0x30, ber.Encode(0x80, []byte{1}), ber.Encode(0xA1, ber.Encode(0xA0, rep2D)))
	version := ber.Encode(0xA0, ber.Encode(0x80, []byte{3}), ber.Encode(0x81, []byte{0x07, 0xE3}))
	return append(version, ber.Encode(0xA1, rep)...)
}

func TestDG2ISO39794(t *testing.T) {
	content := face39794(fakeJP2, 413, 531)
	for name, blk := range map[string]ber.Element{
		"5F2E { 65 }":    {Tag: tagBDB, Value: ber.Encode(tag39794FaceBlock, content)},
		"7F2E { 65 }":    {Tag: tagBDBConstructed, Value: ber.Encode(tag39794FaceBlock, content)},
		"7F2E { A0 A1 }": {Tag: tagBDBConstructed, Value: content},
	} {
		d, err := ParseDG2(dg2With(blk))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		f := d.Faces[0]
		if len(d.Faces) != 1 || f.Standard != ISO39794 || f.Format != ImageJPEG2000 || f.Width != 413 || f.Height != 531 || !bytes.Equal(f.Image, fakeJP2) {
			t.Errorf("%s: %+v", name, d.Faces)
		}
	}
	// No size block: the image is still returned.
	rep := ber.Encode(0x30, ber.Encode(0x80, []byte{1}), ber.Encode(0xA1, ber.Encode(0xA0, ber.Encode(0xA0, ber.Encode(0x80, fakeJPEG)))))
	d, err := ParseDG2(dg2With(ber.Element{Tag: tagBDBConstructed, Value: ber.Encode(0xA1, rep)}))
	if err != nil || d.Faces[0].Format != ImageJPEG || d.Faces[0].Width != 0 {
		t.Errorf("%+v %v", d, err)
	}
}

func TestDetectImageFormat(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		want ImageFormat
		jp2  bool
	}{
		{fakeJPEG, ImageJPEG, false}, {fakeJ2K, ImageJPEG2000, false}, {fakeJP2, ImageJPEG2000, true},
		{nil, ImageUnknown, false}, {[]byte{0xFF, 0xD8}, ImageUnknown, false}, {magicJP2[:11], ImageUnknown, false},
		{[]byte{0xFF, 0x4F, 0xFF, 0x52}, ImageUnknown, false},
	} {
		if got := DetectImageFormat(c.b); got != c.want || IsJP2(c.b) != c.jp2 {
			t.Errorf("% X: %v, want %v", c.b, got, c.want)
		}
	}
	if ImageJPEG.String() != "JPEG" || ImageJPEG2000.String() != "JPEG 2000" || ImageUnknown.String() != "unknown" {
		t.Error("String")
	}
}
