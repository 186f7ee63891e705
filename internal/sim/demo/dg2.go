package demo

import (
	"bytes"
	_ "embed"
	"encoding/binary"

	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// DG2 tags (ICAO 9303-10 §4.7.2, Tables 43–45).
const (
	DG2Tag                 = 0x75
	tagBiometricGroup      = 0x7F61
	tagInstanceCount       = 0x02
	tagBiometricInfo       = 0x7F60
	tagBiometricHeader     = 0xA1
	tagBHTVersion          = 0x80
	tagBHTType             = 0x81
	tagBHTFormatOwner      = 0x87
	tagBHTFormatType       = 0x88
	tagBiometricDataBlock  = 0x5F2E
	faceRecordHeaderLength = 14 // general header, ISO/IEC 19794-5:2005 §5.4
	facialHeaderLength     = 20 // facial record header, §5.5
	imageInformationLength = 12 // image information, §5.7
)

// MaxDG2Image is the largest image BuildDG2 accepts: the whole DG2 must stay
// within ber.MaxLength so that readers (ours included) accept it.
const MaxDG2Image = ber.MaxLength - 128

// ISO/IEC 19794-5:2005 codes used in the demo face record.
const (
	faceImageTypeFullFrontal = 0x01 // §5.7.1
	imageDataTypeJPEG        = 0x00 // §5.7.2
	colourSpaceRGB24         = 0x01 // §5.7.4
	sourceTypeDigitalCamera  = 0x02 // §5.7.5: static photograph from a digital still camera
	expressionNeutral        = 0x0001
)

// BuildDG2 wraps a JPEG face as ICAO 9303-10 DG2:
//
//	75 { 7F61 { 02 01 01, 7F60 { A1 { 80 0101, 81 02, 87 0101, 88 0008 },
//	                              5F2E { ISO/IEC 19794-5:2005 face record } } } }
//
// The face record has one facial image, no feature points, unspecified
// gender/eye/hair colour, neutral expression, unspecified pose, full
// frontal, JPEG, 24-bit RGB from a digital camera.
//
// It returns nil when the DG2 cannot be encoded faithfully: an empty JPEG
// or one over MaxDG2Image bytes (the DG2 would exceed ber.MaxLength), or a
// width or height outside 1..65535 (the size of their fields).
//
// A JPEG 2000 image (codestream or JP2 file) is accepted too and labelled
// as such in the record.
func BuildDG2(jpeg []byte, width, height int) []byte {
	if len(jpeg) == 0 || len(jpeg) > MaxDG2Image || width < 1 || height < 1 || width > 0xFFFF || height > 0xFFFF {
		return nil
	}

	blockLen := facialHeaderLength + imageInformationLength + len(jpeg)
	recordLen := faceRecordHeaderLength + blockLen
	rec := make([]byte, 0, recordLen)
	// General header.
	rec = append(rec, 'F', 'A', 'C', 0, '0', '1', '0', 0)
	rec = binary.BigEndian.AppendUint32(rec, uint32(recordLen))
	rec = binary.BigEndian.AppendUint16(rec, 1) // number of facial images
	// Facial record header.
	rec = binary.BigEndian.AppendUint32(rec, uint32(blockLen))
	rec = binary.BigEndian.AppendUint16(rec, 0) // feature points
	rec = append(rec,
		0x00,             // gender: unspecified
		0x00,             // eye colour: unspecified
		0x00,             // hair colour: unspecified
		0x00, 0x00, 0x00, // property mask: none specified
	)
	rec = binary.BigEndian.AppendUint16(rec, expressionNeutral)
	rec = append(rec,
		0, 0, 0, // pose angle yaw, pitch, roll: unspecified
		0, 0, 0, // pose angle uncertainty: unspecified
	)
	// Image information.
	dataType := byte(imageDataTypeJPEG)
	if isJPEG2000(jpeg) {
		dataType = imageDataTypeJPEG2000
	}
	rec = append(rec, faceImageTypeFullFrontal, dataType)
	rec = binary.BigEndian.AppendUint16(rec, uint16(width))
	rec = binary.BigEndian.AppendUint16(rec, uint16(height))
	rec = append(rec, colourSpaceRGB24, sourceTypeDigitalCamera)
	rec = binary.BigEndian.AppendUint16(rec, 0) // device type: unspecified
	rec = binary.BigEndian.AppendUint16(rec, 0) // quality: unspecified
	rec = append(rec, jpeg...)

	header := ber.Encode(tagBiometricHeader,
		ber.Encode(tagBHTVersion, []byte{0x01, 0x01}),     // ICAO header version 1.1
		ber.Encode(tagBHTType, []byte{0x02}),              // biometric type: facial features
		ber.Encode(tagBHTFormatOwner, []byte{0x01, 0x01}), // ISO/IEC JTC 1/SC 37
		ber.Encode(tagBHTFormatType, []byte{0x00, 0x08}),  // ISO/IEC 19794-5 face image
	)
	return ber.Encode(DG2Tag,
		ber.Encode(tagBiometricGroup,
			ber.Encode(tagInstanceCount, []byte{0x01}),
			ber.Encode(tagBiometricInfo, header, ber.Encode(tagBiometricDataBlock, rec)),
		),
	)
}

// DemoDG2 returns the DG2 of a passport-size demo face for seed.
func DemoDG2(seed uint64) ([]byte, error) {
	j, err := FaceJPEG(seed, PhotoWidth, PhotoHeight)
	if err != nil {
		return nil, err
	}
	return BuildDG2(j, PhotoWidth, PhotoHeight), nil
}

// imageDataTypeJPEG2000 is ISO/IEC 19794-5's image data type of JPEG 2000.
const imageDataTypeJPEG2000 = 0x01

func isJPEG2000(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0x4F, 0xFF, 0x51}) ||
		bytes.HasPrefix(b, []byte{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A})
}

// faceJP2 is the demo face (Face with its first seed, 413x531) compressed
// to JPEG 2000 (lossy, 9/7 wavelet) once with OpenJPEG's opj_compress: an
// invented face like the others, for the virtual card whose photo is JPEG
// 2000, as on many passports.
//
//go:embed face.jp2
var faceJP2 []byte

// FaceJP2 returns the JPEG 2000 demo face and its size.
func FaceJP2() (data []byte, width, height int) {
	return bytes.Clone(faceJP2), PhotoWidth, PhotoHeight
}
