package lds

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// Fuzz targets for DG2, DG7, DG12 and DG13. Seeds are the documents of
// dg2_test.go to dg13_test.go; every target checks that hostile bytes only
// ever give chip errors with a kind, and that what parses builds back.

func FuzzParseDG2(f *testing.F) {
	f.Add(dg2With(bdb(faceRecord(testFace{points: 2, w: 413, h: 531, img: fakeJPEG}, testFace{dataType: 1, img: fakeJ2K}))))
	f.Add(dg2With(ber.Element{Tag: tagBDB, Value: ber.Encode(tag39794FaceBlock, face39794(fakeJP2, 1, 1))}))
	f.Add(dg2With(ber.Element{Tag: tagBDBConstructed, Value: face39794(fakeJPEG, 2, 3)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDG2(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		if len(d.Faces) == 0 || len(d.Faces) > MaxFaces {
			t.Fatalf("%d faces", len(d.Faces))
		}
		for _, fc := range d.Faces {
			if len(fc.Image) == 0 || len(fc.Image) > len(b) || fc.FeaturePoints > MaxFeaturePoints ||
				fc.Format != DetectImageFormat(fc.Image) || fc.Width > 0xFFFF || fc.Height > 0xFFFF {
				t.Fatalf("face out of bounds: %d bytes, %d points, %v", len(fc.Image), fc.FeaturePoints, fc.Format)
			}
		}
	})
}

func FuzzParseDG7(f *testing.F) {
	b, _ := BuildDG7([]Image{{Data: fakeJPEG}, {Data: fakeJ2K}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		imgs, err := ParseDG7(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		out, err := BuildDG7(imgs)
		if err != nil {
			t.Fatalf("build of a parsed DG7: %v", err)
		}
		imgs2, err := ParseDG7(out)
		if err != nil || !reflect.DeepEqual(imgs, imgs2) {
			t.Fatalf("DG7 does not round-trip: %v", err)
		}
	})
}

func FuzzParseDG12(f *testing.F) {
	d := &DG12{IssuingAuthority: "PRÉFECTURE", DateOfIssue: "20210315", OtherPersons: []string{"A<<B"},
		ImageFront: fakeJPEG, PersonalizationTime: "20210310143000", PersonalizationSerial: "1"}
	b, _ := d.Build()
	f.Add(b)
	f.Add(ber.Encode(0x6C, ber.Encode(0x5F26, []byte{0x20, 0x21, 0x03, 0x15}), ber.Encode(0x5F1A, []byte("X"))))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDG12(b)
		checkKind(t, err)
		if err != nil {
			return
		}
		out, err := d.Build()
		if err != nil {
			t.Fatalf("build of a parsed DG12: %v", err)
		}
		d2, err := ParseDG12(out)
		if err != nil {
			t.Fatal(err)
		}
		if out2, _ := d2.Build(); !bytes.Equal(out, out2) {
			t.Fatal("DG12 does not round-trip")
		}
	})
}

func FuzzParseDG13(f *testing.F) {
	f.Add(ber.Encode(0x6D, ber.Encode(0x5F70, []byte("x"))))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseDG13(b)
		checkKind(t, err)
		if err == nil && (len(v) > len(b) || !bytes.Contains(b, v)) {
			t.Fatal("value not taken from the input")
		}
	})
}
